// The edge of the data fingerprint (src/training/fingerprint.ts): the SHA-256 of the bytes a
// dataset of repository files is uploaded as, and the ETag of an s3:// manifest (one HeadObject,
// nothing downloaded). Undefined, with a warning, when a part cannot be read: the step then trains
// as it did before fingerprints (nothing is reused, nothing is tagged).
import { createHash } from 'node:crypto'
import { boundedSignal } from '../aws/abort.js'
import type { Sockets } from '../aws/aws-clients.js'
import { errorName } from '../aws/explain.js'
import { ActionError } from '../errors.js'
import type { ActionInputs } from '../inputs/inputs.js'
import {
  dataFingerprint,
  type DatasetSource,
  type FingerprintParts
} from '../training/fingerprint.js'
import type { ManifestRef } from '../inputs/manifest-refs.js'
import { endsWithNewline, type CheckedManifest, type Dataset } from './repo-manifests.js'

/** The longest the HeadObject calls of one run may take together. */
const HEAD_BUDGET_MS = 30_000

export interface SourceLog {
  warning(line: string): void
  debug(line: string): void
}

export interface SourceDeps {
  region: string
  pollIntervalMs: number
  sockets: Sockets
  cancel: AbortSignal
  log: SourceLog
}

/** The SHA-256 of a dataset's files as they are uploaded: combined, each ended by a newline. */
export async function uploadedSha256(files: CheckedManifest[]): Promise<string> {
  const { joined } = await import('../aws/s3-upload.js')
  const hash = createHash('sha256')
  const parts = files.map((m) => ({
    path: m.file,
    size: m.size,
    newline: endsWithNewline(m.file, m.size)
  }))
  for await (const chunk of joined(parts)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

type S3Ref = Extract<ManifestRef, { kind: 's3' }>

/** HeadObject's ETag of an s3:// manifest (with its versionId when given). Throws. */
async function headEtag(ref: S3Ref, deps: SourceDeps, signal: AbortSignal): Promise<string> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3')
  const { s3Client } = await import('../aws/s3-client.js')
  const client = await s3Client({
    region: deps.region,
    pollIntervalMs: deps.pollIntervalMs,
    sockets: deps.sockets
  })
  const out = await client.send(
    new HeadObjectCommand({
      Bucket: ref.bucket,
      Key: ref.key,
      ...(ref.version && { VersionId: ref.version })
    }),
    { abortSignal: signal }
  )
  if (!out.ETag) throw new Error('HeadObject returned no ETag')
  return out.ETag
}

/** HTTP status of an SDK error (HEAD answers carry no error body, so the name can be generic). */
const httpStatus = (err: unknown): number | undefined =>
  (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode

/**
 * The fingerprint of the run's training data, or undefined: a project trained on its own datasets
 * has none, and a manifest whose ETag cannot be read gives none (with a warning).
 */
export async function fingerprintData(
  inputs: Pick<ActionInputs, 'trainingManifests' | 'testingManifests' | 'autoCreateTesting'>,
  checked: CheckedManifest[],
  deps: SourceDeps
): Promise<string | undefined> {
  if (inputs.trainingManifests.length === 0) return undefined
  const bound = boundedSignal(HEAD_BUDGET_MS, deps.cancel)
  try {
    const source = async (dataset: Dataset, refs: ManifestRef[]): Promise<DatasetSource> => {
      const inS3 = refs.find((r): r is S3Ref => r.kind === 's3')
      if (!inS3)
        return {
          kind: 'uploaded',
          sha256: await uploadedSha256(checked.filter((m) => m.dataset === dataset))
        }
      return {
        kind: 's3',
        bucket: inS3.bucket,
        key: inS3.key,
        versionId: inS3.version,
        etag: await headEtag(inS3, deps, bound.signal)
      }
    }
    const parts: FingerprintParts = {
      training: await source('training', inputs.trainingManifests),
      testing: inputs.autoCreateTesting
        ? 'auto-create'
        : await source('testing', inputs.testingManifests)
    }
    return dataFingerprint(parts)
  } catch (err) {
    if (deps.cancel.aborted) throw new ActionError('Cancelled before any training was started.')
    const status = httpStatus(err)
    const why =
      status === 403
        ? 'AccessDenied: allow s3:GetObject on the manifest to the role (HeadObject needs it)'
        : status === 404
          ? 'the manifest (or its versionId) was not found'
          : `${errorName(err)}: ${err instanceof Error ? err.message : String(err)}`
    deps.log.warning(
      `Could not read the ETag of an s3:// manifest (${why}): no data fingerprint, so an earlier training of the same data cannot be reused, and this one trains.`
    )
    return undefined
  } finally {
    bound.done()
  }
}
