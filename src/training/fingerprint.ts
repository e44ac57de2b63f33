// The fingerprint of a version's training data: what the service trains on, as one SHA-256. Pure:
// the edge (src/datasets/fingerprint-sources.ts) hashes the files and reads the ETags.
//
// - A dataset of repository files: the SHA-256 of the bytes uploaded (the files combined, each
//   ended by a newline, exactly as src/aws/s3-upload.ts sends them).
// - A dataset that is an s3:// manifest: its bucket, key, versionId (when given) and ETag
//   (HeadObject; "The entity tag is a hash of the object", S3 API reference, HeadObject/Object).
//   The object is not downloaded. An ETag changes whenever the object is written again, so a
//   rewritten manifest with the same bytes may train again; a changed one never passes as the same.
// - The request fields that change the model: the testing data (given, or split off by the service
//   with TestingData.AutoCreate). KmsKeyId only encrypts, the output location only stores: aside.
//
// The manifests name the images by URI: an image replaced in place under the same URI is not seen.
import { createHash } from 'node:crypto'

/** One dataset as the service gets it. */
export type DatasetSource =
  | { kind: 'uploaded'; sha256: string }
  | { kind: 's3'; bucket: string; key: string; versionId?: string; etag: string }

export interface FingerprintParts {
  training: DatasetSource
  /** `auto-create`: the service splits the training set (auto-create-testing: true). */
  testing: DatasetSource | 'auto-create'
}

/** Bumped if what the fingerprint covers changes, so old and new fingerprints never meet. */
const SCHEME = 'train-action/data-sha256/v1'

const describe = (d: DatasetSource): Record<string, string> =>
  d.kind === 'uploaded'
    ? { kind: 'uploaded', sha256: d.sha256 }
    : {
        kind: 's3',
        bucket: d.bucket,
        key: d.key,
        versionId: d.versionId ?? '',
        etag: d.etag
      }

/** The fingerprint: 64 lowercase hex, a function of the parts only (keys in a fixed order). */
export function dataFingerprint(parts: FingerprintParts): string {
  const canonical = JSON.stringify({
    scheme: SCHEME,
    training: describe(parts.training),
    testing: parts.testing === 'auto-create' ? { kind: 'auto-create' } : describe(parts.testing)
  })
  return createHash('sha256').update(canonical).digest('hex')
}
