// What the retries ride out, as the SDK classifies it (@smithy/core/retry).
import { describe, expect, test } from '@jest/globals'
import { isTransient } from '../../src/aws/explain.js'

const err = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name }, extra)

describe('isTransient', () => {
  test.each([
    ['ThrottlingException', err('ThrottlingException', { $metadata: { httpStatusCode: 400 } })],
    ['S3 SlowDown', err('SlowDown', { $metadata: { httpStatusCode: 503 } })],
    ['HTTP 429 under any name', err('Whatever', { $metadata: { httpStatusCode: 429 } })],
    ['HTTP 500', err('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
    ['HTTP 503', err('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } })],
    ['HTTP 507 (any 5xx)', err('InsufficientStorage', { $metadata: { httpStatusCode: 507 } })],
    ['a reset connection', err('Error', { code: 'ECONNRESET' })],
    ['a refused connection', err('Error', { code: 'ECONNREFUSED' })],
    ['a DNS failure', err('Error', { code: 'EAI_AGAIN' })],
    ['the SDK timeout', err('TimeoutError')],
    ['S3 RequestTimeout', err('RequestTimeout', { $metadata: { httpStatusCode: 400 } })],
    ['a modelled retryable error', err('Odd', { $retryable: {} })]
  ])('%s: try again', (_, e) => expect(isTransient(e)).toBe(true))

  test.each([
    ['AccessDeniedException', err('AccessDeniedException', { $metadata: { httpStatusCode: 400 } })],
    ['a missing project', err('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } })],
    ['a bad request', err('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['our own deadline (an abort)', err('AbortError')],
    ['not an error at all', 'oops'],
    ['nothing', undefined]
  ])('%s: no', (_, e) => expect(isTransient(e)).toBe(false))
})
