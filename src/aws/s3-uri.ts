// `s3://bucket/key` URIs, split into their parts and joined from them. Pure.

interface S3UriParts {
  bucket: string
  key: string
  /** What follows `?`, for URIs a person wrote. */
  query?: string
}

// A URI a person wrote (an input): `?` starts a query (`versionId`), `#` has no place in it, the
// key may still need %-decoding, and an empty bucket or key is left for the caller to name.
const WRITTEN = /^s3:\/\/([^/?#]*)\/([^?#]*)(?:\?(.*))?$/s
// A location the service gave as Bucket and Name, joined into a URI for outputs and reports: the
// key is taken as it is, `?` and `#` included (they are legal in S3 keys).
const JOINED = /^s3:\/\/([^/]+)\/(.+)$/s

/**
 * The bucket and key of an `s3://` URI, or undefined when it is not one. `written: true` reads it
 * as a URI a person wrote (with an optional query); by default as a joined `s3://Bucket/Name`.
 */
export function splitS3Uri(uri: string, written = false): S3UriParts | undefined {
  const m = (written ? WRITTEN : JOINED).exec(uri)
  if (!m) return undefined
  return m[3] === undefined ? { bucket: m[1], key: m[2] } : { bucket: m[1], key: m[2], query: m[3] }
}

/** A location the service gave as Bucket and Name, as `s3://Bucket/Name`; undefined if incomplete. */
export const joinS3Uri = (o: { Bucket?: string; Name?: string } | undefined): string | undefined =>
  o?.Bucket && o.Name ? `s3://${o.Bucket}/${o.Name}` : undefined
