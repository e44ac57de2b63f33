// The AWS JSON 1.1 protocol of Rekognition, as the SDK speaks it (@aws-sdk/core's AwsJson1_1Protocol
// and smithy's RPC error rules): the request body, the output (epoch-second timestamps read as
// Dates), and the error a non-2xx answer becomes. The service's model (botocore's
// rekognition/2016-06-27/service-2.json) says protocol json, jsonVersion 1.1, targetPrefix
// RekognitionService, signatureVersion v4, endpointPrefix rekognition. Pure.
import type { HttpResponse } from './transport.js'

export const TARGET_PREFIX = 'RekognitionService.'
export const CONTENT_TYPE = 'application/x-amz-json-1.1'

export interface ResponseMetadata {
  httpStatusCode?: number
  requestId?: string
  extendedRequestId?: string
  cfId?: string
  attempts?: number
  totalRetryDelay?: number
  clockSkewCorrected?: boolean
}

/** The body of a request: timestamps as epoch seconds, blobs as base64, unset members left out. */
export function serializeInput(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = key === '' ? value : this[key]
    if (raw instanceof Date) return raw.getTime() / 1000
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64')
    return value
  })
}

// Every timestamp member of the outputs the action reads is named *Timestamp (CreationTimestamp,
// TrainingEndTimestamp), sent as epoch seconds.
// The float members of those outputs: AWS JSON sends a float that is not finite as the string
// "NaN", "Infinity" or "-Infinity", which the SDK reads back as the number (only for floats: a
// string member may hold those words).
const FLOAT_MEMBERS = new Set(['F1Score', 'Confidence', 'Width', 'Height', 'Left', 'Top', 'X', 'Y'])
const NON_FINITE: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity
}

function revive(key: string, value: unknown): unknown {
  if (value === null) return undefined
  if (typeof value === 'number' && key.endsWith('Timestamp'))
    return new Date(Math.round(value * 1000))
  if (typeof value === 'string' && FLOAT_MEMBERS.has(key) && Object.hasOwn(NON_FINITE, value))
    return NON_FINITE[value]
  return value
}

function responseMetadata(res: HttpResponse): ResponseMetadata {
  return {
    httpStatusCode: res.statusCode,
    requestId:
      res.headers['x-amzn-requestid'] ??
      res.headers['x-amzn-request-id'] ??
      res.headers['x-amz-request-id'],
    extendedRequestId: res.headers['x-amz-id-2'],
    cfId: res.headers['x-amz-cf-id']
  }
}

/** A body that is not JSON: the SDK throws the parser's SyntaxError, with the answer's metadata. */
function parse(res: HttpResponse): Record<string, unknown> {
  if (res.body.length === 0) return {}
  try {
    const value: unknown = JSON.parse(res.body, revive)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch (err) {
    throw Object.assign(err as Error, {
      message: `${(err as Error).message} (HTTP ${res.statusCode}: the answer is not JSON)`,
      $metadata: responseMetadata(res)
    })
  }
}

export function readOutput<Output>(res: HttpResponse): Output {
  return { ...parse(res), $metadata: responseMetadata(res) } as Output
}

const findKey = (object: Record<string, unknown>, key: string): string | undefined =>
  Object.keys(object).find((k) => k.toLowerCase() === key)

/** `aws.protocols#ThrottlingException:http://...` -> `ThrottlingException` (smithy's rule). */
function sanitizeCode(raw: unknown): string {
  let code = String(raw)
  if (code.includes(',')) code = code.split(',')[0]
  if (code.includes(':')) code = code.split(':')[0]
  if (code.includes('#')) code = code.split('#')[1]
  return code
}

/** The error code of a JSON RPC answer: `__type`, then a `code` member, then the header. */
function errorCode(res: HttpResponse, data: Record<string, unknown>): string | undefined {
  if (data.__type !== undefined) return sanitizeCode(data.__type)
  const codeKey = findKey(data, 'code')
  if (codeKey && data[codeKey] !== undefined) return sanitizeCode(data[codeKey])
  const header = res.headers['x-amzn-errortype']
  return header !== undefined ? sanitizeCode(header) : undefined
}

// The service's modeled errors (botocore's rekognition/2016-06-27/service-2.json): their fault is
// the model's, whatever the status; any other error's fault is read from the status, as the SDK
// does.
const SERVER_FAULTS = new Set(['InternalServerError', 'ThrottlingException'])
const CLIENT_FAULTS = new Set([
  'AccessDeniedException',
  'ConflictException',
  'HumanLoopQuotaExceededException',
  'IdempotentParameterMismatchException',
  'ImageTooLargeException',
  'InvalidImageFormatException',
  'InvalidManifestException',
  'InvalidPaginationTokenException',
  'InvalidParameterException',
  'InvalidPolicyRevisionIdException',
  'InvalidS3ObjectException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'ProvisionedThroughputExceededException',
  'ResourceAlreadyExistsException',
  'ResourceInUseException',
  'ResourceNotFoundException',
  'ResourceNotReadyException',
  'ServiceQuotaExceededException',
  'SessionNotFoundException',
  'VideoTooLargeException'
])

function faultOf(name: string, status: number): 'client' | 'server' {
  if (SERVER_FAULTS.has(name)) return 'server'
  if (CLIENT_FAULTS.has(name)) return 'client'
  return status < 500 ? 'client' : 'server'
}

export interface ServiceError extends Error {
  $fault: 'client' | 'server'
  $metadata: ResponseMetadata
}

/** The error an answer of status 300 or more is: named by its code, with the body's members. */
export function readError(res: HttpResponse): ServiceError {
  const data = parse(res)
  const message = data.message ?? data.Message ?? 'UnknownError'
  const err = new Error(typeof message === 'string' ? message : JSON.stringify(message))
  const members = Object.fromEntries(
    Object.entries(data).filter(([key]) => !['__type', 'message', 'Message'].includes(key))
  )
  const name = errorCode(res, data) ?? 'Unknown'
  return Object.assign(err, members, {
    name,
    $fault: faultOf(name, res.statusCode),
    $metadata: responseMetadata(res)
  })
}
