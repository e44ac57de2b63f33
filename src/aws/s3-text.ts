// Reads a small text object from S3. The S3 client is loaded only here, at the end of a run, to
// keep it off the start-up path.
import type { Sockets } from './aws-clients.js'
import { s3Client } from './s3-client.js'

export function splitS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)
  return m ? { bucket: m[1], key: m[2] } : undefined
}

export async function readS3Text(
  region: string,
  uri: string,
  pollIntervalMs: number,
  sockets: Sockets,
  signal?: AbortSignal
): Promise<string> {
  const where = splitS3Uri(uri)
  if (!where) throw new Error(`not an s3:// URI: ${uri}`)
  const { GetObjectCommand } = await import('@aws-sdk/client-s3')
  const client = await s3Client({ region, pollIntervalMs, sockets })
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
    abortSignal: signal
  })
  return (await out.Body?.transformToString('utf8')) ?? ''
}

/** Streams a text object line by line (a validation manifest can be as large as its dataset). */
export async function readS3Lines(
  region: string,
  uri: string,
  pollIntervalMs: number,
  sockets: Sockets,
  onLine: (text: string, line: number) => void,
  signal?: AbortSignal
): Promise<void> {
  const where = splitS3Uri(uri)
  if (!where) throw new Error(`not an s3:// URI: ${uri}`)
  const { GetObjectCommand } = await import('@aws-sdk/client-s3')
  const { createInterface } = await import('node:readline')
  const client = await s3Client({ region, pollIntervalMs, sockets })
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
    abortSignal: signal
  })
  const body = out.Body as NodeJS.ReadableStream | undefined
  if (!body) return
  let n = 0
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) onLine(text, ++n)
}

/**
 * An object's body as it arrives, never held whole; ending the iteration early (a cap reached)
 * ends the download.
 */
export async function* s3Chunks(
  region: string,
  uri: string,
  pollIntervalMs: number,
  sockets: Sockets,
  signal?: AbortSignal
): AsyncGenerator<Uint8Array, void, undefined> {
  const where = splitS3Uri(uri)
  if (!where) throw new Error(`not an s3:// URI: ${uri}`)
  const { GetObjectCommand } = await import('@aws-sdk/client-s3')
  const client = await s3Client({ region, pollIntervalMs, sockets })
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
    abortSignal: signal
  })
  const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined
  if (!body) return
  try {
    yield* body
  } finally {
    body.destroy?.()
  }
}
