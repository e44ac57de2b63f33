// Where test images are in the repository: each `source-ref` of a snapshot found again in the
// repository manifests the version was trained from, as `file:line`. The snapshot keeps only the
// images the service could use (im-evaluation-manifest-snapshot-api.md), so its lines do not match
// the uploaded manifest's; the source-ref does. The testing files are searched first, then the
// training files (with auto-create-testing the test images come from the training set).
import type { CheckedManifest } from '../datasets/repo-manifests.js'
import { MAX_LINE_BYTES, MAX_MANIFEST_BYTES } from '../datasets/manifest-validator.js'
import { readLines, type FileLine } from '../datasets/line-reader.js'

export type LineSource = (file: string) => AsyncIterable<FileLine>

const boundedFile: LineSource = (file) =>
  readLines(file, { maxLineBytes: MAX_LINE_BYTES, maxBytes: MAX_MANIFEST_BYTES })

/** `file:line` of each wanted source-ref (its first line); refs not found are left out. */
export async function locateSources(
  wanted: Set<string>,
  manifests: Pick<CheckedManifest, 'dataset' | 'relative' | 'file'>[],
  read: LineSource = boundedFile
): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  const ordered = [
    ...manifests.filter((m) => m.dataset === 'testing'),
    ...manifests.filter((m) => m.dataset !== 'testing')
  ]
  for (const m of ordered) {
    if (found.size === wanted.size) break
    let n = 0
    for await (const line of read(m.file)) {
      n++
      if (typeof line !== 'string' || !line.includes('source-ref')) continue
      let ref: unknown
      try {
        ref = (JSON.parse(line) as Record<string, unknown>)['source-ref']
      } catch {
        continue
      }
      if (typeof ref === 'string' && wanted.has(ref) && !found.has(ref))
        found.set(ref, `${m.relative}:${n}`)
      if (found.size === wanted.size) break
    }
  }
  return found
}
