// The evaluation manifest snapshot: one JSON line per test image with the model's answers, and
// which test images went from right to wrong (and back) against the baseline. Pure, except that it
// reads the lines it is given.
//
// Line shape (Custom Labels developer guide, "Evaluation manifest snapshot",
// im-evaluation-manifest-snapshot-api.md; its location is `TestingDataResult.Output` of
// DescribeProjectVersions, "Accessing the summary file and evaluation manifest snapshot (SDK)",
// im-access-summary-evaluation-manifest.md): SageMaker Ground Truth output format, `source-ref`,
// the ground truth as `<attr>` + `<attr>-metadata` (`class-name` for classification, `class-map`
// with `annotations[].class_id` for detection), and the model's answers as further attributes
// (`rekognition-custom-labels-evaluation-0`, `rekognition-custom-labels-evaluation`) whose metadata
// carries `rekognition-custom-labels-evaluation-details` {is-true-positive, is-true-negative,
// is-false-positive, is-false-negative, ...}: on the metadata itself for classification, on each of
// `objects[]` for detection, with each answer's `confidence` beside it.
//
// An image is "right" when none of its answers is a false positive or a false negative. The guide
// does not define a verdict per image; this is the strict reading (any mistake on it counts).
import { isLongLine, splitLines } from '../datasets/line-reader.js'

const DETAILS = 'rekognition-custom-labels-evaluation-details'

export interface Answer {
  label: string
  /** 0-1, as the snapshot gives it. */
  confidence?: number
}

export interface ImageResult {
  ref: string
  right: boolean
  /** Ground-truth labels. */
  truth: string[]
  /** What the model said: answers flagged true or false positive (above the label's threshold). */
  predicted: Answer[]
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined

interface Flags {
  positive: boolean
  wrong: boolean
}

function flags(details: Json): Flags {
  return {
    positive: details['is-true-positive'] === true || details['is-false-positive'] === true,
    wrong: details['is-false-positive'] === true || details['is-false-negative'] === true
  }
}

/** Labels of a detection attribute: its boxes' class ids through the metadata's class-map. */
function boxLabels(value: unknown, meta: Json): string[] {
  const map = obj(meta['class-map']) ?? {}
  const boxes = obj(value)?.annotations
  if (!Array.isArray(boxes)) return []
  return boxes.map((b) => {
    const id = obj(b)?.class_id
    const name = map[String(id)]
    return typeof name === 'string' ? name : `class ${String(id)}`
  })
}

const unique = (xs: string[]): string[] => [...new Set(xs)]

/** One snapshot line; undefined when it is not an evaluated image (no source-ref, no answers). */
export function parseSnapshotLine(text: string): ImageResult | undefined {
  let root: Json | undefined
  try {
    root = obj(JSON.parse(text))
  } catch {
    return undefined
  }
  const ref = root?.['source-ref']
  if (!root || typeof ref !== 'string') return undefined
  const truth: string[] = []
  const predicted: Answer[] = []
  let evaluated = false
  let wrong = false
  for (const [key, value] of Object.entries(root)) {
    if (!key.endsWith('-metadata')) continue
    const meta = obj(value)
    if (!meta) continue
    const attr = root[key.slice(0, -'-metadata'.length)]
    const details = obj(meta[DETAILS])
    const objects = Array.isArray(meta.objects) ? meta.objects.map(obj) : []
    if (details) {
      // Classification: one answer per attribute.
      evaluated = true
      const fl = flags(details)
      wrong ||= fl.wrong
      if (fl.positive && typeof meta['class-name'] === 'string')
        predicted.push({ label: meta['class-name'], confidence: num(meta.confidence) })
    } else if (objects.some((o) => o && obj(o[DETAILS]))) {
      // Object detection: one answer per box, in the order of the annotations.
      evaluated = true
      const labels = boxLabels(attr, meta)
      objects.forEach((o, i) => {
        const d = o && obj(o[DETAILS])
        if (!d) return
        const fl = flags(d)
        wrong ||= fl.wrong
        if (fl.positive) predicted.push({ label: labels[i] ?? '?', confidence: num(o.confidence) })
      })
    } else if (typeof meta['class-name'] === 'string') {
      truth.push(meta['class-name'])
    } else if (obj(meta['class-map'])) {
      truth.push(...boxLabels(attr, meta))
    }
  }
  if (!evaluated) return undefined
  return { ref, right: !wrong, truth: unique(truth), predicted }
}

export interface SnapshotLimits {
  /** Lines read at most; the rest of the snapshot is not compared. */
  maxLines: number
  /** Bytes read at most (the line reader's maxBytes). */
  maxBytes: number
  /** Longer lines are skipped (the line reader's maxLineBytes). */
  maxLineBytes: number
}

/** A snapshot's lines are at most the size of a manifest's, and a test set at most 250,000
 * images; reading stops well before that: 100,000 images or 128 MiB, whichever comes first. */
export const SNAPSHOT_LIMITS: SnapshotLimits = {
  maxLines: 100_000,
  maxBytes: 128 * 1024 * 1024,
  maxLineBytes: 100_000
}

export interface SnapshotRead {
  images: Map<string, ImageResult>
  lines: number
  /** Bytes taken from the source (a chunk at a time, so a little past the last line read). */
  bytes: number
  /** Lines skipped: over the line limit, not JSON, or not an evaluated image. */
  skipped: number
  /** Why reading stopped before the end, when it did. */
  cut?: string
}

/** Reads the snapshot's bytes line by line until a limit; leaving early ends the source. */
export async function readSnapshot(
  chunks: AsyncIterable<Uint8Array | string>,
  limits: SnapshotLimits
): Promise<SnapshotRead> {
  const out: SnapshotRead = { images: new Map(), lines: 0, bytes: 0, skipped: 0 }
  const read = { bytes: 0 }
  const lines = splitLines(chunks, limits, read)
  for await (const line of lines) {
    if (out.lines >= limits.maxLines) {
      out.cut = `stopped after ${limits.maxLines.toLocaleString('en-US')} lines`
      break
    }
    out.lines++
    if (isLongLine(line)) {
      out.skipped++
      continue
    }
    if (line.trim() === '') continue
    const image = parseSnapshotLine(line)
    if (image) out.images.set(image.ref, image)
    else out.skipped++
  }
  out.bytes = read.bytes
  if (!out.cut && read.bytes > limits.maxBytes)
    out.cut = `stopped after ${(limits.maxBytes / 1024 / 1024).toLocaleString('en-US')} MiB`
  return out
}

export interface Flip {
  ref: string
  before: ImageResult
  after: ImageResult
}

export interface Flips {
  /** Right in the baseline, wrong now. */
  worse: Flip[]
  worseCount: number
  /** Wrong in the baseline, right now. */
  better: Flip[]
  betterCount: number
  /** Test images in both snapshots. */
  compared: number
}

/** The test images in both snapshots whose verdict changed, at most `keep` of each kind. */
export function diffSnapshots(
  current: Map<string, ImageResult>,
  baseline: Map<string, ImageResult>,
  keep: number
): Flips {
  const out: Flips = { worse: [], worseCount: 0, better: [], betterCount: 0, compared: 0 }
  for (const [ref, after] of current) {
    const before = baseline.get(ref)
    if (!before) continue
    out.compared++
    if (before.right === after.right) continue
    if (after.right) {
      out.betterCount++
      if (out.better.length < keep) out.better.push({ ref, before, after })
    } else {
      out.worseCount++
      if (out.worse.length < keep) out.worse.push({ ref, before, after })
    }
  }
  return out
}
