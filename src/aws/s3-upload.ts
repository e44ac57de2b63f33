// Uploads repository manifests to S3, streamed from disk so a large manifest costs no memory;
// several files of one dataset go up as one object, joined on line boundaries.
// The S3 client is loaded only when a repository manifest is trained on.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { Sockets } from './aws-clients.js'
import { isTransient } from './explain.js'
import { s3Client } from './s3-client.js'
import { MAX_ATTEMPTS, backoffDelay } from './retry.js'

export interface UploadPart {
  path: string
  size: number
  /** The file ends with a newline; if not, one is added after it. */
  newline: boolean
}

/** The parts one after the other, each ended by a newline: a fresh stream per attempt. */
export function joined(parts: UploadPart[]): Readable {
  return Readable.from(
    (async function* () {
      for (const part of parts) {
        for await (const chunk of createReadStream(part.path)) yield chunk as Buffer
        if (!part.newline) yield Buffer.from('\n')
      }
    })()
  )
}

export const joinedLength = (parts: UploadPart[]): number =>
  parts.reduce((n, p) => n + p.size + (p.newline ? 0 : 1), 0)

export async function uploadFiles(
  region: string,
  bucket: string,
  key: string,
  parts: UploadPart[],
  pollIntervalMs: number,
  sockets: Sockets
): Promise<void> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3')
  // A spent stream cannot be sent again, so retries happen here, each with a fresh stream.
  const client = await s3Client({
    region,
    pollIntervalMs,
    sockets,
    requestTimeoutMs: 60_000,
    retries: false
  })
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body:
            parts.length === 1 && parts[0].newline
              ? createReadStream(parts[0].path)
              : joined(parts),
          ContentLength: joinedLength(parts),
          ContentType: 'application/x-ndjson'
        })
      )
      return
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isTransient(err)) throw err
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, pollIntervalMs)))
    }
  }
}
