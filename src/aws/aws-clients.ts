// The SDK clients, configured once: retries sized for storms, every request bounded in time.
import { RekognitionClient } from '@aws-sdk/client-rekognition'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import { MAX_ATTEMPTS, backoffDelay } from './retry.js'

export interface ClientOptions {
  region: string
  pollIntervalMs: number
  /** The longest one HTTP attempt may take before it is dropped and retried. */
  requestTimeoutMs?: number
}

export function retryStrategy(pollIntervalMs: number): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) =>
    backoffDelay(attempt, pollIntervalMs)
  )
}

export function rekognitionClient(opts: ClientOptions): RekognitionClient {
  return new RekognitionClient({
    region: opts.region,
    retryStrategy: retryStrategy(opts.pollIntervalMs),
    requestHandler: { connectionTimeout: 10_000, requestTimeout: opts.requestTimeoutMs ?? 30_000 }
  })
}
