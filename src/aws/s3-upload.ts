// Uploads a repository manifest to S3, streamed from disk so a large manifest costs no memory.
// The S3 client is loaded only when a repository manifest is trained on.
import { createReadStream, statSync } from 'node:fs'
import { handlerOptions, type Sockets } from './aws-clients.js'
import { isTransient } from './explain.js'
import { MAX_ATTEMPTS, backoffDelay } from './retry.js'

export async function uploadFile(
  region: string,
  bucket: string,
  key: string,
  file: string,
  pollIntervalMs: number,
  sockets: Sockets
): Promise<void> {
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3')
  // A spent stream cannot be sent again, so retries happen here, each with a fresh stream.
  const client = new S3Client({
    region,
    maxAttempts: 1,
    requestHandler: handlerOptions(60_000, sockets)
  })
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file),
          ContentLength: statSync(file).size,
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
