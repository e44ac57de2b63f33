// The one way an S3 client is built: the SDK loaded lazily (S3 is off the start-up path), retries
// sized for storms, every request bounded in time, and the run's sockets (the proxy's, when one is
// set). Every S3 call of the action goes through a client made here.
import type { S3Client } from '@aws-sdk/client-s3'
import { handlerOptions, type Sockets } from './aws-clients.js'
import { MAX_ATTEMPTS, backoffDelay } from './retry.js'

export interface S3ClientOptions {
  region: string
  pollIntervalMs: number
  /** From socketsFor(env): required, so no client can skip the proxy. */
  sockets: Sockets
  /** The longest one HTTP attempt may take. Default 30 s. */
  requestTimeoutMs?: number
  /** false: one attempt only, for a caller that retries itself (a stream cannot be sent twice). */
  retries?: boolean
}

export async function s3Client(opts: S3ClientOptions): Promise<S3Client> {
  const [{ S3Client }, { ConfiguredRetryStrategy }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@smithy/core/retry')
  ])
  return new S3Client({
    region: opts.region,
    ...(opts.retries === false
      ? { maxAttempts: 1 }
      : {
          retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) =>
            backoffDelay(attempt, opts.pollIntervalMs)
          )
        }),
    requestHandler: handlerOptions(opts.requestTimeoutMs ?? 30_000, opts.sockets)
  })
}
