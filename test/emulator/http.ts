// What every service module receives and gives back to the server.
import type { ServiceName } from './types.js'
import type { Reply } from './wire.js'

export interface Incoming {
  method: string
  url: URL
  headers: Record<string, string>
  body: Buffer
}

/** A request the server has routed: enough to record it and to fault it, and how to act on it. */
export interface Routed {
  service: ServiceName
  operation: string
  /** Parsed JSON (rekognition, github; the raw text if unparsable) or the payload text (s3). */
  body: unknown
  region?: string
  /** What access-denied messages name: an ARN, or an S3 object. */
  resource: string
  act(): Reply
}
