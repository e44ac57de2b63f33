import { describe, expect, test } from '@jest/globals'
import { MAX_ATTEMPTS, backoffDelay } from '../../src/aws/retry.js'

const one = (): number => 1
const POLL_60S = 60_000

describe('backoffDelay', () => {
  test('grows exponentially with the attempt (upper bound, random = 1)', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, POLL_60S, one))
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200])
  })

  test('is capped at 20 s however long the poll interval', () => {
    expect(backoffDelay(8, POLL_60S, one)).toBe(20_000)
    expect(backoffDelay(30, POLL_60S, one)).toBe(20_000)
    expect(backoffDelay(MAX_ATTEMPTS, 3_600_000, one)).toBe(20_000)
  })

  test('is capped by a shorter poll interval', () => {
    expect(backoffDelay(10, 1_000, one)).toBe(1_000)
    expect(backoffDelay(3, 500, one)).toBe(500)
    expect(backoffDelay(2, 500, one)).toBe(400)
  })

  test('never drops below a 50 ms cap for tiny poll intervals', () => {
    expect(backoffDelay(5, 10, one)).toBe(50)
    expect(backoffDelay(5, 0, one)).toBe(50)
  })

  test('full jitter: scales by the injected random', () => {
    expect(backoffDelay(4, POLL_60S, () => 0)).toBe(0)
    expect(backoffDelay(4, POLL_60S, () => 0.5)).toBe(800)
    expect(backoffDelay(4, POLL_60S, () => 0.25)).toBe(400)
    expect(backoffDelay(20, POLL_60S, () => 0.5)).toBe(10_000)
  })

  test('calls the injected random exactly once', () => {
    let calls = 0
    backoffDelay(3, POLL_60S, () => {
      calls++
      return 0.3
    })
    expect(calls).toBe(1)
  })

  test('allows up to nine retries', () => {
    expect(MAX_ATTEMPTS).toBe(10)
  })
})

describe('the error classification is the SDK’s', () => {
  const err = (name: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${name} happened`), { name, ...extra })
  const corpus = [
    err('ThrottlingException', { $metadata: { httpStatusCode: 400 } }),
    err('ProvisionedThroughputExceededException'),
    err('LimitExceededException'),
    err('TooManyRequestsException'),
    err('Whatever', { $metadata: { httpStatusCode: 429 } }),
    err('InternalServerError', { $metadata: { httpStatusCode: 500 } }),
    err('Unknown', { $metadata: { httpStatusCode: 502 } }),
    err('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }),
    err('Unknown', { $metadata: { httpStatusCode: 504 } }),
    err('NotImplemented', { $metadata: { httpStatusCode: 501 } }),
    err('SyntaxError', { $metadata: { httpStatusCode: 599 } }),
    err('TimeoutError'),
    err('RequestTimeoutException'),
    err('Error', { code: 'ECONNRESET' }),
    err('Error', { code: 'ECONNREFUSED' }),
    err('Error', { code: 'EAI_AGAIN' }),
    err('Error', { code: 'ENOTFOUND' }),
    err('Error', { code: 'EACCES' }),
    err('AbortError'),
    err('AbortError', { code: 'ECONNRESET' }),
    err('InvalidSignatureException', {
      message: 'Signature expired: 20261207T000000Z is now earlier'
    }),
    err('InvalidSignatureException', {
      message: 'The request signature we calculated does not match'
    }),
    err('AccessDeniedException', { $metadata: { httpStatusCode: 400, clockSkewCorrected: true } }),
    err('AccessDeniedException', { $metadata: { httpStatusCode: 400 } }),
    err('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }),
    err('Custom', { $retryable: {} }),
    err('Custom', { $retryable: { throttling: true } }),
    err('Wrapped', { cause: err('Error', { code: 'ETIMEDOUT' }) }),
    err('Error', { code: 'ERR_HTTP2_STREAM_ERROR', message: 'NGHTTP2_REFUSED_STREAM' })
  ]

  test.each(corpus.map((e) => ({ what: `${e.name} ${JSON.stringify(e)}`, e })))(
    '$what',
    async ({ e }) => {
      const sdk = await import('@smithy/core/retry')
      const ours = await import('../../src/aws/retry.js')
      expect(ours.isThrottlingError(e)).toBe(sdk.isThrottlingError(e as never))
      expect(ours.isTransientError(e)).toBe(sdk.isTransientError(e as never))
      expect(ours.isServerError(e)).toBe(sdk.isServerError(e as never))
    }
  )
})
