// What a handler answers, and the AWS JSON 1.1 shapes of answers and errors.
import { randomUUID } from 'node:crypto'

export interface Reply {
  status: number
  headers: Record<string, string>
  body?: string | Buffer
}

/** A service error: thrown by handlers, turned into the protocol's error reply by the caller. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
  }
}

const JSON11 = 'application/x-amz-json-1.1'

/**
 * JSON has no NaN or Infinity: the AWS JSON protocols write such float values as the strings
 * "NaN", "Infinity" and "-Infinity" (Smithy, "AWS JSON 1.1 protocol", shape serialization;
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html), and the SDK reads them back.
 */
function specialFloats(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
  }
  return value
}

export function jsonReply(body: unknown, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': JSON11, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body, specialFloats)
  }
}

/**
 * For AWS JSON the SDK's loadJsonRpcErrorCode (@smithy/core protocols) reads the body's `__type`
 * first, then a `code` member (any case), then the x-amzn-errortype header (that order is reversed
 * only for awsQueryCompatible services): all three say the name.
 */
export function jsonError(code: string, message: string, status = 400): Reply {
  const reply = jsonReply({ __type: code, Code: code, Message: message }, status)
  reply.headers['x-amzn-errortype'] = code
  return reply
}

export function errorReply(err: unknown): Reply {
  if (err instanceof ServiceError) return jsonError(err.code, err.message, err.status)
  const message = err instanceof Error ? err.message : String(err)
  return jsonError('InternalServerError', `Emulator bug: ${message}`, 500)
}
