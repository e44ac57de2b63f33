// The test images that flipped against the baseline: both versions' evaluation manifest snapshots
// (`TestingDataResult.Output`, im-access-summary-evaluation-manifest.md) read line by line within
// SNAPSHOT_LIMITS, compared by source-ref, and the flipped ones found in the repository manifests.
// Optional: whatever cannot be read gives a note, never an error.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { errorName } from '../aws/explain.js'
import { joinS3Uri, splitS3Uri } from '../aws/s3-uri.js'
import type { CheckedManifest } from '../datasets/repo-manifests.js'
import {
  SNAPSHOT_LIMITS,
  diffSnapshots,
  readSnapshot,
  type Flips,
  type SnapshotLimits,
  type SnapshotRead
} from './snapshot.js'
import { locateSources, type LineSource } from './source-lines.js'

/** Flipped images listed of each kind (right to wrong, wrong to right); the rest are counted. */
const FLIPS_SHOWN = 20

export interface SnapshotStats {
  lines: number
  bytes: number
  images: number
  cut?: string
}

export interface ChangedImages extends Flips {
  /** `file:line` in the repository of each listed image, when it came from there. */
  where: Record<string, string>
  current: SnapshotStats
  baseline: SnapshotStats
}

export interface ChangedImagesDeps {
  /** The object's bytes as they arrive. */
  readChunks(uri: string): AsyncIterable<Uint8Array>
  /** The repository manifests the version was trained from, when they are on disk. */
  manifests?: Pick<CheckedManifest, 'dataset' | 'relative' | 'file'>[]
  readFile?: LineSource
}

export function snapshotUri(d: ProjectVersionDescription | undefined): string | undefined {
  return joinS3Uri(d?.TestingDataResult?.Output?.Assets?.[0]?.GroundTruthManifest?.S3Object)
}

function unreadable(whose: string, uri: string, err: unknown): string {
  const name = errorName(err)
  const bucket = splitS3Uri(uri)?.bucket ?? '?'
  const hint = /AccessDenied|Forbidden/i.test(`${name} ${(err as Error)?.message ?? ''}`)
    ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
    : 'it could not be read'
  return `The evaluation manifest snapshot of ${whose} is unavailable (${name}): ${hint}. ${uri}`
}

const stats = (r: SnapshotRead): SnapshotStats => ({
  lines: r.lines,
  bytes: r.bytes,
  images: r.images.size,
  ...(r.cut && { cut: r.cut })
})

/** The flipped images, or a note saying why there are none to show. */
export async function changedImages(
  deps: ChangedImagesDeps,
  current: ProjectVersionDescription,
  baseline: ProjectVersionDescription,
  baselineName: string,
  limits: SnapshotLimits = SNAPSHOT_LIMITS
): Promise<{ changed?: ChangedImages; note?: string }> {
  const read = async (d: ProjectVersionDescription, whose: string) => {
    const uri = snapshotUri(d)
    if (!uri) return { note: `No evaluation manifest snapshot for ${whose}.` }
    try {
      const r = await readSnapshot(deps.readChunks(uri), limits)
      if (r.images.size === 0)
        return {
          note: `The evaluation manifest snapshot of ${whose} lists no evaluated images (${r.lines} lines read). ${uri}`
        }
      return { read: r }
    } catch (err) {
      return { note: unreadable(whose, uri, err) }
    }
  }
  const now = await read(current, 'this version')
  if (!now.read) return { note: now.note }
  const before = await read(baseline, `baseline ${baselineName}`)
  if (!before.read) return { note: before.note }
  const flips = diffSnapshots(now.read.images, before.read.images, FLIPS_SHOWN)
  let where: Record<string, string> = {}
  const listed = new Set([...flips.worse, ...flips.better].map((f) => f.ref))
  if (deps.manifests && deps.manifests.length > 0 && listed.size > 0) {
    try {
      where = Object.fromEntries(await locateSources(listed, deps.manifests, deps.readFile))
    } catch {
      // A manifest gone from the workspace: the images are shown by source-ref alone.
    }
  }
  return {
    changed: { ...flips, where, current: stats(now.read), baseline: stats(before.read) }
  }
}
