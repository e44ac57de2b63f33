// Upload payloads as the S3 SDK sends them: aws-chunked framing (signed or unsigned chunks,
// optional trailing checksum headers) and the integrity headers S3 verifies.
import { createHash } from 'node:crypto'
import * as zlib from 'node:zlib'

export interface Payload {
  data: Buffer
  /** Trailer headers after the last chunk (e.g. x-amz-checksum-crc32), lower-cased. */
  trailers: Record<string, string>
}

/** `<hex-size>[;chunk-signature=..]\r\n<data>\r\n` ... `0[;..]\r\n[trailer: v\r\n]*\r\n`. */
export function decodeAwsChunked(body: Buffer): Payload {
  const chunks: Buffer[] = []
  const trailers: Record<string, string> = {}
  let pos = 0
  const line = (): string => {
    const end = body.indexOf('\r\n', pos)
    if (end < 0) throw new Error('truncated aws-chunked body')
    const text = body.subarray(pos, end).toString('latin1')
    pos = end + 2
    return text
  }
  for (;;) {
    const header = line()
    const size = parseInt(header.split(';')[0], 16)
    if (!Number.isFinite(size) || size < 0)
      throw new Error(`bad chunk header ${JSON.stringify(header)}`)
    if (size === 0) break
    if (pos + size > body.length) throw new Error('truncated aws-chunked chunk')
    chunks.push(body.subarray(pos, pos + size))
    pos += size
    if (line() !== '') throw new Error('chunk not followed by CRLF')
  }
  while (pos < body.length) {
    const trailer = line()
    if (trailer === '') break
    const colon = trailer.indexOf(':')
    if (colon > 0)
      trailers[trailer.slice(0, colon).trim().toLowerCase()] = trailer.slice(colon + 1).trim()
  }
  return { data: Buffer.concat(chunks), trailers }
}

export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'] ?? ''
  return (
    encoding.split(',').some((e) => e.trim() === 'aws-chunked') ||
    (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
  )
}

function crc32(data: Buffer): string | undefined {
  const fn = (zlib as { crc32?: (d: Buffer) => number }).crc32
  if (!fn) return undefined
  const out = Buffer.alloc(4)
  out.writeUInt32BE(fn(data) >>> 0)
  return out.toString('base64')
}

/** The base64 checksum of `data`, for the algorithms this Node can compute. */
export function checksum(algorithm: string, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return crc32(data)
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64')
    default:
      return undefined // crc32c, crc64nvme: not verified
  }
}
