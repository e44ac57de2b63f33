// AWS errors, explained for a person: what failed, why, and what to change. Pure.
import { retryErrorType, type ErrorLike } from './retry.js'

interface AwsLikeError {
  name?: string
  Code?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

export interface Explained {
  message: string
  /** Nothing will change by trying again (permissions, credentials, a missing resource). */
  permanent: boolean
}

const EXPIRED = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'TokenRefreshRequired'
])
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException'
])

/** What a 407 says; the edge adds which proxy (without its credentials): see proxy-env.ts. */
export const PROXY_REFUSED =
  'the proxy refused the credentials (HTTP 407 Proxy Authentication Required); check the user and password in HTTPS_PROXY / HTTP_PROXY'

/** A proxy's 407, by the status Octokit gives or by a message that says so. */
export const proxyRefused = (err: unknown): boolean =>
  (err as { status?: unknown })?.status === 407 ||
  /\b407\b.*proxy|proxy.*\b407\b/i.test((err as Error)?.message ?? '')

export function errorName(err: unknown): string {
  const e = (err ?? {}) as AwsLikeError
  // A plain Error from the network layer says more by its code (ECONNRESET) than its name.
  if ((!e.name || e.name === 'Error') && (e.Code || e.code)) return (e.Code || e.code)!
  return e.name || 'Error'
}

/**
 * `action` is the IAM action of the call (`rekognition:CreateProjectVersion`); `resource` what it
 * was about.
 */
export function explainAwsError(err: unknown, action: string, resource: string): Explained {
  const name = errorName(err)
  const said = ((err as AwsLikeError)?.message ?? String(err)).replace(/\s+/g, ' ').trim()
  // The proxy's own answer (RFC 9110, 15.5.8 "407 Proxy Authentication Required"), not AWS's: its
  // body is the proxy's page, so what the SDK makes of it (UnknownError, a JSON parse error) says
  // nothing useful.
  if ((err as AwsLikeError)?.$metadata?.httpStatusCode === 407) {
    return { permanent: true, message: `${action} on ${resource} failed: ${PROXY_REFUSED}` }
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      permanent: true,
      message: `AWS denied ${action} on ${resource}: allow ${action} to the role the workflow uses (see the minimal IAM policy in the action's docs/iam.md). AWS said: ${said}`
    }
  }
  if (EXPIRED.has(name)) {
    return {
      permanent: true,
      message: `The AWS credentials expired during ${action}. Make the session outlast the step: with aws-actions/configure-aws-credentials set role-duration-seconds to at least the wait (wait-timeout-minutes x 60) and raise the role's maximum session duration to match. AWS said: ${said}`
    }
  }
  if (BAD_CREDENTIALS.has(name)) {
    return {
      permanent: true,
      message: `AWS refused the credentials for ${action} (${name}): check the credentials step (aws-actions/configure-aws-credentials) and that the keys are for this account. AWS said: ${said}`
    }
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(said)) {
    return {
      permanent: true,
      message: `No AWS credentials were found for ${action}. Add aws-actions/configure-aws-credentials before this step (OIDC: permissions id-token: write and role-to-assume). ${said}`
    }
  }
  if (name === 'ResourceNotFoundException') {
    return {
      permanent: true,
      message: `${resource} was not found (${action}): check project-arn, and that the credentials are for its account and region. AWS said: ${said}`
    }
  }
  if (name === 'ServiceQuotaExceededException' || name === 'LimitExceededException') {
    return {
      permanent: name === 'ServiceQuotaExceededException',
      message: `A Rekognition quota stopped ${action} (${name}): wait for other trainings to end or ask for a higher quota. AWS said: ${said}`
    }
  }
  if (name === 'InvalidParameterException' || name === 'ValidationException') {
    return { permanent: true, message: `AWS refused the ${action} request (${name}): ${said}` }
  }
  const status = (err as AwsLikeError)?.$metadata?.httpStatusCode
  const where = status ? ` (HTTP ${status})` : ''
  return { permanent: false, message: `${action} on ${resource} failed: ${name}${where}: ${said}` }
}

/**
 * Worth another try later: throttling (the codes and HTTP 429 the SDK's own retry knows), a 5xx,
 * a dropped, refused or timed-out connection. The SDK's classification (see retry.ts), so our
 * retries and the clients' agree on what is transient.
 */
export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  return retryErrorType(err as ErrorLike) !== 'CLIENT_ERROR'
}
