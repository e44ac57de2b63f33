// How the SDK rides out throttling, 5xx and dropped connections. Pure.

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
