// Injected faults: a queue per operation, and the answer each fault kind gets in each protocol.
import { githubJson } from './github.js'
import type { Routed } from './http.js'
import { s3Error } from './s3.js'
import type { Fault } from './types.js'
import { jsonError, type Reply } from './wire.js'

interface Pending {
  operation: string
  fault: Fault
  remaining: number
}

export class FaultQueue {
  private pending: Pending[] = []

  inject(operation: string, fault: Fault, times = 1): void {
    if (times > 0) this.pending.push({ operation, fault, remaining: times })
  }

  clear(): void {
    this.pending = []
  }

  /** The fault for this request, if any: faults for the operation itself come before '*' ones. */
  take(operation: string): Fault | undefined {
    const entry =
      this.pending.find((p) => p.operation === operation) ??
      this.pending.find((p) => p.operation === '*')
    if (!entry) return undefined
    if (--entry.remaining <= 0) this.pending.splice(this.pending.indexOf(entry), 1)
    return entry.fault
  }
}

const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/ci/gh'

/** The answer of a fault that answers (drop, hang and slow are handled by the server). */
export function faultReply(routed: Routed, fault: Fault): Reply {
  switch (routed.service) {
    case 'rekognition':
      return rekognitionFault(routed, fault)
    case 's3':
      return s3Fault(routed, fault)
    case 'github':
      return githubFault(fault)
  }
}

function rekognitionFault(routed: Routed, fault: Fault): Reply {
  const action = `rekognition:${routed.operation}`
  switch (fault.kind) {
    case 'throttling':
    case 'secondary-rate-limit':
      return jsonError('ThrottlingException', 'Rate exceeded')
    case 'provisioned-throughput':
      return jsonError('ProvisionedThroughputExceededException', 'Provisioned rate exceeded')
    case 'limit-exceeded':
      return jsonError('LimitExceededException', 'The request exceeded the limit for the account.')
    case 'internal-error':
      return jsonError(
        'InternalServerError',
        'Amazon Rekognition experienced a service issue. Try your call again.',
        fault.status ?? 500
      )
    case 'access-denied':
      return jsonError(
        'AccessDeniedException',
        `User: ${PRINCIPAL} is not authorized to perform: ${action} on resource: ${routed.resource} because no identity-based policy allows the ${action} action`
      )
    case 'expired-token':
      return jsonError(
        'ExpiredTokenException',
        'The security token included in the request is expired'
      )
    case 'not-found':
      return jsonError(
        'ResourceNotFoundException',
        `The resource ${routed.resource} does not exist.`
      )
    default:
      // malformed: a 200 whose body is not JSON (a proxy's page, a cut-off answer).
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: '<html><body>502 Bad Gateway</body></html>'
      }
  }
}

function s3Fault(routed: Routed, fault: Fault): Reply {
  const head = routed.operation === 'S3:HeadObject' || routed.operation === 'S3:HeadBucket'
  const action = routed.operation.replace('S3:', 's3:')
  switch (fault.kind) {
    case 'throttling':
    case 'secondary-rate-limit':
    case 'provisioned-throughput':
    case 'limit-exceeded':
      return s3Error(503, 'SlowDown', 'Please reduce your request rate.', {}, head)
    case 'internal-error':
      return fault.status === 503
        ? s3Error(503, 'ServiceUnavailable', 'Service is unable to handle request.', {}, head)
        : s3Error(
            500,
            'InternalError',
            'We encountered an internal error. Please try again.',
            {},
            head
          )
    case 'access-denied':
      return s3Error(
        403,
        'AccessDenied',
        `User: ${PRINCIPAL} is not authorized to perform: ${action} on resource: "${routed.resource}" because no identity-based policy allows the ${action} action`,
        {},
        head
      )
    case 'expired-token':
      return s3Error(400, 'ExpiredToken', 'The provided token has expired.', {}, head)
    case 'not-found':
      return routed.operation === 'S3:PutObject'
        ? s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', {}, head)
        : s3Error(404, 'NoSuchKey', 'The specified key does not exist.', {}, head)
    default:
      return {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: '\u0000\u0001<not-xml garbage'
      }
  }
}

/**
 * "If you exceed a secondary rate limit, you will receive a 403 or 429 response and an error message
 * that indicates that you exceeded a secondary rate limit. If the retry-after response header is
 * present, you should not retry your request until after that many seconds has elapsed."
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID EMU0:0000:0000000:0000000:00000000.'

function githubFault(fault: Fault): Reply {
  const docs = 'https://docs.github.com/rest'
  switch (fault.kind) {
    case 'secondary-rate-limit': {
      const status = fault.status ?? 403
      return githubJson(
        status,
        {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(status)
        },
        { 'retry-after': String(fault.retryAfterSeconds ?? 1) }
      )
    }
    case 'throttling':
    case 'provisioned-throughput':
    case 'limit-exceeded':
      return githubJson(
        429,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: docs,
          status: '429'
        },
        { 'retry-after': '1' }
      )
    case 'internal-error':
      return githubJson(fault.status ?? 500, {
        message: 'Server Error',
        status: String(fault.status ?? 500)
      })
    case 'access-denied':
      return githubJson(403, {
        message: 'Resource not accessible by integration',
        documentation_url: docs,
        status: '403'
      })
    case 'expired-token':
      return githubJson(401, { message: 'Bad credentials', documentation_url: docs, status: '401' })
    case 'not-found':
      return githubJson(404, { message: 'Not Found', documentation_url: docs, status: '404' })
    default:
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '<!DOCTYPE html><html>Unicorn!</html>'
      }
  }
}
