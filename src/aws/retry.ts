// How the AWS clients ride out throttling, 5xx and dropped connections. Pure.

/** Up to nine retries: a storm of eight transient failures in a row is still ridden out. */
export const MAX_ATTEMPTS = 10
/** A status check: the first attempt and one more for a dropped connection or a 5xx; the
 * wait's next check is the retry (see StatusCheckRetryStrategy). */
export const STATUS_CHECK_ATTEMPTS = 2
const BASE_MS = 100
const CAP_MS = 20_000

/**
 * Full-jitter exponential backoff. The cap never exceeds the poll interval: a retry need not wait
 * longer than the next status check would.
 */
export function backoffDelay(
  attempt: number,
  pollIntervalMs: number,
  random = Math.random
): number {
  const cap = Math.min(CAP_MS, Math.max(50, pollIntervalMs))
  return Math.round(random() * Math.min(cap, BASE_MS * 2 ** attempt))
}

// Which errors are worth another attempt: the SDK's own classification (@smithy/core/retry,
// service-error-classification), copied so that the start needs no SDK; test/unit/retry.test.ts
// holds these to the SDK's functions over the same errors.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException'
])
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'])
const TRANSIENT_STATUS = new Set([500, 502, 503, 504])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN'
])
export interface ErrorLike {
  name?: string
  message?: string
  code?: string
  cause?: unknown
  $retryable?: { throttling?: boolean }
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean }
}

export function isThrottlingError(e: ErrorLike): boolean {
  return (
    e.$metadata?.httpStatusCode === 429 ||
    THROTTLING_CODES.has(e.name ?? '') ||
    e.$retryable?.throttling === true
  )
}

export function isTransientError(e: ErrorLike, depth = 0): boolean {
  if (e?.name === 'AbortError') return false
  return (
    e.$retryable !== undefined ||
    e.$metadata?.clockSkewCorrected === true ||
    (e.name === 'InvalidSignatureException' && Boolean(e.message?.includes('Signature expired'))) ||
    TRANSIENT_CODES.has(e.name ?? '') ||
    NETWORK_CODES.has(e.code ?? '') ||
    TRANSIENT_STATUS.has(e.$metadata?.httpStatusCode ?? 0) ||
    (e.code === 'ERR_HTTP2_STREAM_ERROR' &&
      Boolean(e.message?.includes('NGHTTP2_REFUSED_STREAM'))) ||
    (typeof e.cause === 'object' &&
      e.cause !== null &&
      depth <= 10 &&
      isTransientError(e.cause as ErrorLike, depth + 1))
  )
}

export function isServerError(e: ErrorLike): boolean {
  const status = e.$metadata?.httpStatusCode
  return status !== undefined && status >= 500 && status <= 599 && !isTransientError(e)
}

export type RetryErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR'

export function retryErrorType(e: ErrorLike): RetryErrorType {
  if (isThrottlingError(e)) return 'THROTTLING'
  if (isTransientError(e)) return 'TRANSIENT'
  if (isServerError(e)) return 'SERVER_ERROR'
  return 'CLIENT_ERROR'
}
