// Reads a small text object from S3. The S3 client is loaded only here, at the end of a run, to
// keep it off the start-up path.
import { handlerOptions, retryStrategy, type Sockets } from './aws-clients.js'

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
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3')
  const client = new S3Client({
    region,
    retryStrategy: retryStrategy(pollIntervalMs),
    requestHandler: handlerOptions(30_000, sockets)
  })
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
    abortSignal: signal
  })
  return (await out.Body?.transformToString('utf8')) ?? ''
}
