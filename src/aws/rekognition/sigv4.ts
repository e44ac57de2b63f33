// AWS Signature Version 4 for a JSON request of a regional service: the header form, with the
// body's SHA-256 in the canonical request. Written from the published algorithm
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) and
// held byte for byte to the SDK's own signer (@smithy/signature-v4) by test/unit/sigv4.test.ts.
// Pure: the time and the credentials are passed in.
import { createHash, createHmac } from 'node:crypto'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  /** When temporary credentials stop working; absent for long-term keys. */
  expiration?: Date
}

export interface SignInput {
  method: string
  /** `host[:port]`, as sent in the Host header. */
  host: string
  /** The request path, already URI-encoded (`/` for the JSON services). */
  path: string
  /** Header names in lower case. Host, x-amz-date and the session token are added here. */
  headers: Record<string, string>
  body: string
  region: string
  service: string
  credentials: Credentials
  /** The signing time (the clock corrected for skew). */
  now: Date
}

// Headers a proxy or the transport may change on the way: never signed (the SDK's
// ALWAYS_UNSIGNABLE_HEADERS, @smithy/signature-v4 constants).
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id'
])

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest()

/** `20261207T031500Z`: ISO 8601 basic format, UTC, no milliseconds. */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/**
 * The headers to send: the input's, plus host, x-amz-date, x-amz-content-sha256, the token and the
 * authorization.
 */
export function signRequest(input: SignInput): Record<string, string> {
  const date = amzDate(input.now)
  const day = date.slice(0, 8)
  const payloadHash = sha256Hex(input.body)
  // The SDK's signer sends the payload's hash as a header too (applyChecksum, on by default).
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': date
  }
  if (input.credentials.sessionToken)
    headers['x-amz-security-token'] = input.credentials.sessionToken
  const signed = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => !UNSIGNABLE.has(name) && !/^(proxy|sec)-/.test(name))
    .sort()
  const canonicalHeaders = signed
    .map((name) => `${name}:${headers[name].trim().replace(/\s+/g, ' ')}\n`)
    .join('')
  const canonicalRequest = [
    input.method,
    input.path,
    '',
    canonicalHeaders,
    signed.join(';'),
    payloadHash
  ].join('\n')
  const scope = `${day}/${input.region}/${input.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n')
  let key = hmac(`AWS4${input.credentials.secretAccessKey}`, day)
  for (const part of [input.region, input.service, 'aws4_request']) key = hmac(key, part)
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`
  return headers
}
