// Manifest references: `s3://bucket/key[?versionId=v]` or a path inside the workspace. Pure.
import path from 'node:path'
import { S3_BUCKET, S3_OBJECT_NAME, S3_OBJECT_VERSION, breaks } from './constraints.js'
import { inputError } from '../errors.js'
import { splitS3Uri } from '../aws/s3-uri.js'

export type ManifestRef =
  | { kind: 's3'; bucket: string; key: string; version?: string; text: string }
  | { kind: 'path'; path: string; relative: string; text: string }

/** One or more references, separated by newlines or commas. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export function parseS3Uri(input: string, text: string): ManifestRef {
  const rule = 'must be s3://bucket/key, optionally ?versionId=...'
  const parts = splitS3Uri(text, true)
  if (!parts) throw inputError(input, text, 'is not an s3:// URI with a bucket and a key', rule)
  const { bucket, key: rawKey, query } = parts
  const bucketProblem = breaks(bucket, S3_BUCKET)
  if (bucketProblem)
    throw inputError(input, text, `has a bucket that ${bucketProblem}`, S3_BUCKET.describe)
  let key: string
  try {
    key = decodeURIComponent(rawKey)
  } catch {
    throw inputError(input, text, 'has a key with a broken %-escape', rule)
  }
  const keyProblem = breaks(key, S3_OBJECT_NAME)
  if (keyProblem)
    throw inputError(input, text, `has a key that ${keyProblem}`, S3_OBJECT_NAME.describe)
  let version: string | undefined
  if (query !== undefined) {
    const params = new URLSearchParams(query)
    const keys = [...params.keys()]
    version = params.get('versionId') ?? undefined
    if (keys.length !== 1 || version === undefined) {
      throw inputError(input, text, 'has a query other than versionId', rule)
    }
    const versionProblem = breaks(version, S3_OBJECT_VERSION)
    if (versionProblem)
      throw inputError(
        input,
        text,
        `has a versionId that ${versionProblem}`,
        S3_OBJECT_VERSION.describe
      )
  }
  return { kind: 's3', bucket, key, version, text }
}

/** A path in the repository: relative to the workspace, and it must stay inside it. */
export function parseWorkspacePath(input: string, text: string, workspace: string): ManifestRef {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw inputError(
      input,
      text,
      'is a URI that is not s3://',
      'must be s3://bucket/key or a path inside the workspace'
    )
  }
  if (text.includes('\0'))
    throw inputError(input, text, 'holds a NUL character', 'must be a path inside the workspace')
  const root = path.resolve(workspace)
  const full = path.resolve(root, text)
  if (!isInside(root, full)) {
    throw inputError(input, text, 'is outside the workspace', `must be a file inside ${root}`)
  }
  return { kind: 'path', path: full, relative: path.relative(root, full), text }
}

/** `full` lies strictly inside `root` (not the root itself; `..name` files count as inside). */
export function isInside(root: string, full: string): boolean {
  const relative = path.relative(root, full)
  const escapes = relative === '..' || relative.startsWith(`..${path.sep}`)
  return relative !== '' && !escapes && !path.isAbsolute(relative)
}

/**
 * The manifests of one dataset. limits.html: "Maximum number of training datasets in a version of
 * a model is 1" (and 1 testing dataset): several repository files are combined into one uploaded
 * manifest, but S3 manifests are not read by the action, so one dataset takes one S3 manifest, and
 * S3 and repository manifests do not mix. The same manifest listed twice is used once.
 */
export function parseManifestList(input: string, text: string, workspace: string): ManifestRef[] {
  const refs: ManifestRef[] = []
  const seen = new Set<string>()
  for (const item of splitList(text)) {
    const ref = item.startsWith('s3://')
      ? parseS3Uri(input, item)
      : parseWorkspacePath(input, item, workspace)
    const id = ref.kind === 's3' ? `s3\0${ref.bucket}\0${ref.key}\0${ref.version ?? ''}` : ref.path
    if (seen.has(id)) continue // listed twice: uploaded and trained once
    seen.add(id)
    refs.push(ref)
  }
  const inS3 = refs.filter((r) => r.kind === 's3')
  if (inS3.length > 0 && refs.length > 1) {
    const what =
      inS3.length === refs.length
        ? `lists ${refs.length} S3 manifests`
        : 'mixes an S3 manifest with repository files'
    throw inputError(
      input,
      text,
      `${what} for one dataset`,
      'must name one s3:// manifest, or repository files (combined into one): a version has one training and one testing dataset (limits.html: "Maximum number of training datasets in a version of a model is 1")'
    )
  }
  return refs
}
