// Reads a small text object from S3. The S3 client is loaded only here, at the end of a run, to
// keep it off the start-up path.
import type { Sockets } from './aws-clients.js'
import { s3Client } from './s3-client.js'
import { splitS3Uri } from './s3-uri.js'
import { isLongLine, splitLines, type ReadLimits } from '../datasets/line-reader.js'

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

// A validation manifest repeats each line of its dataset (at most 100,000 bytes, the guide's limit)
// with the service's findings added, and is about as large as the dataset (at most 1 GB). The
// guide sets no limit of its own for these files, so the reading allows ten times the line and
// twice the dataset: what is past either is skipped, and memory stays bounded whatever the file.
const VALIDATION_LIMITS: ReadLimits = { maxLineBytes: 1_000_000, maxBytes: 2_000_000_000 }

/** Streams a text object line by line (a validation manifest can be as large as its dataset). A
 * line over the limit is skipped, and still counted. */
export async function readS3Lines(
  region: string,
  uri: string,
  pollIntervalMs: number,
  sockets: Sockets,
  onLine: (text: string, line: number) => void,
  signal?: AbortSignal,
  limits = VALIDATION_LIMITS
): Promise<void> {
  let n = 0
  const body = s3Chunks(region, uri, pollIntervalMs, sockets, signal)
  for await (const line of splitLines(body, limits)) {
    n++
    if (!isLongLine(line)) onLine(line, n)
  }
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
