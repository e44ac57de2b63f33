// What the files of a dataset share (images, bucket), and the checks of a whole dataset and of
// the training and testing datasets together. Pure.
import { plural, show, type Found } from './manifest-common.js'
import {
  MAX_LABELS_PER_MANIFEST,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_LINES,
  MAX_TEST_IMAGES_PER_LABEL,
  MIN_LABELS,
  RECOMMENDED_IMAGES_PER_LABEL,
  REGIONAL_IMAGE_LIMITS,
  type ManifestKind,
  type ManifestStats
} from './manifest-limits.js'

/**
 * What the files of one dataset share: the images seen so far (an image may be listed once in a
 * dataset, debugging-datasets-terminal-errors.html) and the bucket of its images (one bucket per
 * dataset, ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS). A testing dataset also sees the training one's
 * images: md-create-manifest-file-validation-rules.html, "There should not be an overlap between
 * test and training datasets".
 */
export class DatasetScope {
  /** Each source-ref's first file and line, by hash. */
  readonly refs = new RefTable()
  bucket?: { name: string; file: number; line: number }
  /** Files checked so far, in order; RefTable holds indexes into it. */
  readonly files: string[] = []
  constructor(
    readonly name: 'training' | 'testing',
    /** The training dataset, when this is the testing one. */
    readonly other?: DatasetScope
  ) {}

  /** `file line N`, or `line N` inside the same file. */
  where(file: number, line: number, from: number): string {
    return file === from ? `line ${line}` : `${this.files[file] ?? '?'} line ${line}`
  }
}

/**
 * cyrb53 (public domain, bryc): a 53-bit string hash. Two different source-refs among 250,000
 * collide with a chance of about 3.5e-6, which would only report a duplicate that is not one.
 */
export function cyrb53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * An open-addressing hash table of source-ref hashes to the file and line that first listed them,
 * in typed arrays sized for the manifest line limit (at most half full): flat memory, no
 * per-entry objects for the garbage collector.
 */
class RefTable {
  private keys?: Float64Array
  private lines?: Uint32Array
  private files?: Uint16Array
  private size = 0
  private static readonly SLOTS = 2 ** 19 // > 2 x MAX_MANIFEST_LINES

  private slot(hash: number): number {
    const keys = (this.keys ??= new Float64Array(RefTable.SLOTS))
    const key = hash + 1 // 0 marks an empty slot
    const mask = RefTable.SLOTS - 1
    let i = hash % RefTable.SLOTS
    while (keys[i] !== 0 && keys[i] !== key) i = (i + 1) & mask
    return i
  }

  /** Where `hash` was listed first, or undefined after recording it at `file`, `line`. */
  firstSeen(hash: number, file: number, line: number): { file: number; line: number } | undefined {
    const i = this.slot(hash)
    const lines = (this.lines ??= new Uint32Array(RefTable.SLOTS))
    const files = (this.files ??= new Uint16Array(RefTable.SLOTS))
    if (this.keys![i] !== 0) return { file: files[i], line: lines[i] }
    if (this.size >= MAX_MANIFEST_LINES) return undefined
    this.keys![i] = hash + 1
    lines[i] = line
    files[i] = file
    this.size++
    return undefined
  }

  /** Where `hash` was listed, without recording it. */
  find(hash: number): { file: number; line: number } | undefined {
    if (this.size === 0) return undefined
    const i = this.slot(hash)
    return this.keys![i] === 0 ? undefined : { file: this.files![i], line: this.lines![i] }
  }
}

/** limits.html: at least 2 labels for classification, 1 for detection ("Object Location"). */
export function labelCountProblem(labels: number, kinds: ManifestKind[]): Found | undefined {
  // A manifest mixing kinds is allowed; with any boxes the lower detection minimum applies.
  const kind: ManifestKind = kinds.includes('detection') ? 'detection' : 'classification'
  if (labels >= MIN_LABELS[kind]) return undefined
  return {
    code: 'ERROR_MANIFEST_TOO_FEW_LABELS',
    message: `manifest: ${plural(labels, 'distinct label')}; a ${kind} manifest needs at least ${MIN_LABELS[kind]}`
  }
}

/** The labels of a dataset's files together, from each file's stats. */
export function datasetLabels(stats: ManifestStats[]): Map<string, number> {
  const labels = new Map<string, number>()
  for (const st of stats) {
    for (const [label, n] of Object.entries(st.labels))
      labels.set(label, (labels.get(label) ?? 0) + n)
  }
  return labels
}

/**
 * The checks of a whole dataset (its files combined into one manifest): the limits of one
 * manifest over the combination (limits.html, md-create-manifest-file-validation-rules.html) and
 * its number of labels. `lines` counts every line of the combined manifest, `bytes` its size.
 */
export function datasetProblems(
  stats: ManifestStats[],
  size: { lines: number; bytes: number },
  /** Which dataset, and the region it trains in, for the quotas that depend on them. */
  context: { dataset?: 'training' | 'testing'; region?: string } = {}
): Found[] {
  const problems: Found[] = []
  // One file's limits are its own (validateManifest reports them at the line that crosses them).
  const combined = stats.length > 1
  if (combined && size.lines > MAX_MANIFEST_LINES) {
    problems.push({
      code: 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM',
      message: `dataset: its files together have ${size.lines} lines; one manifest may have at most ${MAX_MANIFEST_LINES}`
    })
  }
  if (combined && size.bytes > MAX_MANIFEST_BYTES) {
    problems.push({
      code: 'ERROR_MANIFEST_SIZE_TOO_LARGE',
      message: `dataset: its files together are ${size.bytes} bytes; one manifest may be at most ${MAX_MANIFEST_BYTES} (1 GB)`
    })
  }
  const labels = datasetLabels(stats)
  if (combined && labels.size > MAX_LABELS_PER_MANIFEST) {
    problems.push({
      code: 'ERROR_MANIFEST_TOO_MANY_LABELS',
      message: `dataset: ${labels.size} distinct labels; at most ${MAX_LABELS_PER_MANIFEST} per manifest`
    })
  }
  const images = stats.reduce((n, st) => n + st.images, 0)
  if (images > 0) {
    const problem = labelCountProblem(labels.size, [...new Set(stats.flatMap((st) => st.kinds))])
    if (problem)
      problems.push({ ...problem, message: problem.message.replace(/^manifest/, 'dataset') })
  }
  problems.push(...quotaProblems(stats, images, context))
  return problems
}

/**
 * limits.html (Guidelines and quotas), no error code: a testing dataset has at most 1,000 images
 * per label ("Maximum number of images per label is 1000"), and in the regions the page names a
 * dataset has at most 28,000 (training) or 7,000 (testing) images. `images` counts the lines the
 * service trains on (valid, not ignored).
 */
function quotaProblems(
  stats: ManifestStats[],
  images: number,
  context: { dataset?: 'training' | 'testing'; region?: string }
): Found[] {
  const problems: Found[] = []
  if (context.dataset === 'testing') {
    const perLabel = new Map<string, number>()
    for (const st of stats)
      for (const [label, n] of Object.entries(st.labelImages))
        perLabel.set(label, (perLabel.get(label) ?? 0) + n)
    const over = [...perLabel].filter(([, n]) => n > MAX_TEST_IMAGES_PER_LABEL)
    if (over.length > 0) {
      const shown = over.slice(0, 5).map(([l, n]) => `${show(l)} (${n})`)
      problems.push({
        message: `dataset: ${plural(over.length, 'label')} of the testing dataset ${over.length === 1 ? 'has' : 'have'} more than ${MAX_TEST_IMAGES_PER_LABEL} images: ${shown.join(', ')}${over.length > 5 ? ', ...' : ''}; a testing dataset may have at most ${MAX_TEST_IMAGES_PER_LABEL} images per label`
      })
    }
  }
  const regional = context.region ? REGIONAL_IMAGE_LIMITS[context.region] : undefined
  if (regional && context.dataset) {
    const limit = regional[context.dataset]
    if (images > limit) {
      problems.push({
        message: `dataset: ${images} ${context.dataset} images; in ${regional.region} (${context.region}) a ${context.dataset} dataset may have at most ${limit} (no increase can be requested)`
      })
    }
  }
  return problems
}

/**
 * md-create-manifest-file-validation-rules.html: "Test labels not present in training dataset: At
 * least 50% overlap in the labels" (an Error), where "Overlaps are (common labels between test and
 * train)/(train labels)"; tm-debugging-aggregate-errors.html, ERROR_INSUFFICIENT_LABEL_OVERLAP.
 */
export const MIN_LABEL_OVERLAP = 0.5

export function labelOverlapProblem(
  training: ManifestStats[],
  testing: ManifestStats[]
): Found | undefined {
  const train = datasetLabels(training)
  const test = datasetLabels(testing)
  if (train.size === 0 || test.size === 0) return undefined
  const common = [...train.keys()].filter((l) => test.has(l)).length
  const overlap = common / train.size
  if (overlap >= MIN_LABEL_OVERLAP) return undefined
  const missing = [...train.keys()].filter((l) => !test.has(l))
  const shownMissing = missing
    .slice(0, 5)
    .map((l) => show(l))
    .join(', ')
  return {
    code: 'ERROR_INSUFFICIENT_LABEL_OVERLAP',
    message:
      `datasets: ${common} of the ${plural(train.size, 'training label')} (${Math.round(overlap * 100)}%) are in the testing dataset; ` +
      `at least ${MIN_LABEL_OVERLAP * 100}% must be. Not in testing: ${shownMissing}${missing.length > 5 ? ', ...' : ''}`
  }
}

/** A dataset's labels per kind (each file's `byKind` together). */
function labelsOfKind(stats: ManifestStats[], kind: ManifestKind): Set<string> {
  return new Set(stats.flatMap((st) => Object.keys(st.byKind[kind] ?? {})))
}

/**
 * tm-debugging-aggregate-errors.html, ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP: "Depending on the
 * formats found in the training manifest, Amazon Rekognition Custom Labels chooses to create a
 * model that detects image-level labels, or a model that detects object locations. Amazon
 * Rekognition Custom Labels doesn't use valid JSON records for JSON Lines that are not in the
 * chosen model format. ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP occurs when there is less than 50%
 * overlap between the testing and training labels that are used." The guide does not say how the
 * format is chosen from a training set holding both, so this refuses only when every format the
 * training set holds leaves less than 50% overlap (whichever the service picks, training fails).
 */
export function usableLabelOverlapProblem(
  training: ManifestStats[],
  testing: ManifestStats[]
): Found | undefined {
  const kinds = [...new Set(training.flatMap((st) => st.kinds))]
  if (kinds.length === 0 || testing.every((st) => st.images === 0)) return undefined
  const overlaps = kinds.map((kind) => {
    const train = labelsOfKind(training, kind)
    const test = labelsOfKind(testing, kind)
    const common = [...train].filter((l) => test.has(l)).length
    return { kind, train: train.size, common, overlap: train.size > 0 ? common / train.size : 0 }
  })
  if (overlaps.some((o) => o.train > 0 && o.overlap >= MIN_LABEL_OVERLAP)) return undefined
  const what = overlaps
    .map(
      (o) =>
        `${o.kind}: ${o.common} of ${plural(o.train, 'training label')} in testing ${o.kind} lines`
    )
    .join('; ')
  return {
    code: 'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP',
    message: `datasets: the service trains one format (classification or detection) and ignores lines of the other; per format, less than ${MIN_LABEL_OVERLAP * 100}% of the training labels are in the testing dataset (${what})`
  }
}

/** Labels with fewer images than the guide recommends / requires, for a warning; rarest first. */
export function rareLabels(stats: ManifestStats): { label: string; count: number }[] {
  return Object.entries(stats.labels)
    .filter(([, count]) => count < RECOMMENDED_IMAGES_PER_LABEL)
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => a.count - b.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}
