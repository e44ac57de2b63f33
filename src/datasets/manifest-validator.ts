// Validates a SageMaker Ground Truth manifest (JSON Lines, one image a line) the way Amazon
// Rekognition Custom Labels will, so a broken dataset fails a PR in seconds instead of after an
// hour of paid training. Pure: no I/O; the caller streams the lines in (readLines, line-reader.ts).
// This module is the streaming loop over a file; the rules live beside it: manifest-limits.ts
// (limits and codes), manifest-line.ts (a line's shape), manifest-classification.ts,
// manifest-detection.ts, manifest-dataset.ts (a dataset's files and the two datasets together).
import { isLongLine, type FileLine, type LongLine } from './line-reader.js'
import { plural, show, type Found } from './manifest-common.js'
import { DatasetScope, cyrb53, labelCountProblem } from './manifest-dataset.js'
import { inspectLine, type LineFindings } from './manifest-line.js'
import {
  MAX_LABELS_PER_MANIFEST,
  MAX_LINE_CHARS,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_LINES,
  type ManifestCode,
  type ManifestKind,
  type ManifestProblem,
  type ManifestReport
} from './manifest-limits.js'

export * from './manifest-limits.js'
export type { Found } from './manifest-common.js'
export { validateLine } from './manifest-line.js'
export {
  DatasetScope,
  MIN_LABEL_OVERLAP,
  datasetLabels,
  datasetProblems,
  labelOverlapProblem,
  rareLabels,
  usableLabelOverlapProblem
} from './manifest-dataset.js'

export interface ValidateOptions {
  /** Keep at most this many problems in `problems` (default 100); all are still counted. */
  maxProblems?: number
  /** The file's size, when the lines come from a file: over the limit, it is reported. */
  fileBytes?: number
  /**
   * The dataset this file belongs to, shared by every file of it (several repository files are
   * combined into one manifest), so an image or a bucket is checked across the files.
   */
  dataset?: DatasetScope
  /** This file's name, for messages that point at a line of another file. */
  file?: string
}

interface State {
  cap: number
  problems: ManifestProblem[]
  problemCount: number
  warnings: ManifestProblem[]
  warningCount: number
  lines: number
  images: number
  boxes: number
  bytes: number
  labels: Map<string, number>
  labelImages: Map<string, number>
  byKind: Partial<Record<ManifestKind, Map<string, number>>>
  kinds: ManifestKind[]
  scope: DatasetScope
  /** This file's index in scope.files. */
  file: number
  /** Whether a caller checks the dataset as a whole (labels) after all its files. */
  partOfDataset: boolean
  reported: Set<string>
}

function addProblem(s: State, line: number, message: string, code?: ManifestCode): void {
  s.problemCount++
  if (s.problems.length < s.cap) s.problems.push(code ? { line, message, code } : { line, message })
}

function addWarning(s: State, line: number, message: string, code?: ManifestCode): void {
  s.warningCount++
  if (s.warnings.length < s.cap) s.warnings.push(code ? { line, message, code } : { line, message })
}

/** Manifest-wide limits are reported once, at the line that crosses them. */
function addOnce(s: State, key: string, line: number, message: string, code: ManifestCode): void {
  if (s.reported.has(key)) return
  s.reported.add(key)
  addProblem(s, line, message, code)
}

/**
 * What needs the lines before this one: one bucket (a problem), a repeated image and an image in
 * both datasets (warnings; `repeat` when the service removes this line as a repeat).
 */
function crossLineFindings(
  s: State,
  found: LineFindings,
  lineNumber: number
): { problems: Found[]; warnings: Found[]; repeat: boolean } {
  const problems: Found[] = []
  const warnings: Found[] = []
  let repeat = false
  const { scope } = s
  if (found.bucket !== undefined) {
    if (!scope.bucket) scope.bucket = { name: found.bucket, file: s.file, line: lineNumber }
    else if (scope.bucket.name !== found.bucket) {
      // tm-debugging-aggregate-errors.html, ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS.
      problems.push({
        code: 'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS',
        message:
          `source-ref: bucket ${show(found.bucket)} differs from ${show(scope.bucket.name)} ` +
          `(${scope.where(scope.bucket.file, scope.bucket.line, s.file)}); all images of a dataset must be in one bucket`
      })
    }
  }
  if (found.sourceRef !== undefined) {
    const hash = cyrb53(found.sourceRef)
    const first = scope.refs.firstSeen(hash, s.file, lineNumber)
    if (first !== undefined) {
      // debugging-datasets-terminal-errors.html, "Terminal content errors": "The value a
      // source-ref field appears more than once. An image can only be referenced once in a
      // dataset." and "images that have terminal content errors are removed from the dataset. The
      // dataset can still be used for training." No code: a warning, the repeat not counted.
      repeat = true
      warnings.push({
        message: `source-ref: image already listed at ${scope.where(first.file, first.line, s.file)}; the service removes the repeat (list each image once in a dataset)`
      })
    }
    const other = scope.other
    const there = other?.refs.find(hash)
    if (other && there) {
      // md-create-manifest-file-validation-rules.html, Semantics: "Overlapping assets between test
      // and train: There should not be an overlap between test and training datasets", with no
      // error raised (its "Error raised" cell is empty), and no code on the error pages: a warning.
      warnings.push({
        message: `source-ref: image is also in the ${other.name} dataset (${other.where(there.file, there.line, -1)}); the guide says the datasets should not overlap (the test results overstate the model)`
      })
    }
  }
  return { problems, warnings, repeat }
}

/**
 * Blank lines at the very end are taken as no dataset objects; a run of more than this many past
 * the line limit passes it (the guide counts blank lines), so a file of blank lines is not read to
 * its end.
 */
const BLANK_TAIL = 100

function tooManyLines(s: State, lineNumber: number): void {
  const limit = `more than ${MAX_MANIFEST_LINES} lines (blank and invalid lines count)`
  addOnce(s, 'lines', lineNumber, `manifest: ${limit}`, 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM')
}

/** The manifest-wide limits of reading (line count, size), reported at the line that passes them. */
function countLine(s: State, lineNumber: number): void {
  s.lines++
  // Blank lines count as dataset objects too, so the limit is on the line number.
  if (lineNumber > MAX_MANIFEST_LINES) tooManyLines(s, lineNumber)
  if (s.bytes > MAX_MANIFEST_BYTES) {
    addOnce(
      s,
      'bytes',
      lineNumber,
      `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB)`,
      'ERROR_MANIFEST_SIZE_TOO_LARGE'
    )
  }
}

/** Reading stops at the first manifest-wide limit passed: nothing after it changes the verdict. */
const limitPassed = (s: State): boolean => s.reported.has('lines') || s.reported.has('bytes')

/** A line too long to keep: measured by the reader, refused without its text. */
function stepLong(s: State, line: LongLine, lineNumber: number): void {
  s.bytes += line.bytes + 1
  const size = `${line.bytes} bytes${line.complete ? '' : ' or more'}`
  // debugging-datasets-terminal-errors.html ("Terminal content errors", no code), as inspectLine.
  // At most 4 UTF-8 bytes a character: more than MAX_LINE_BYTES bytes is more than MAX_LINE_CHARS.
  addProblem(
    s,
    lineNumber,
    `line: ${size}, more than ${MAX_LINE_CHARS} characters; one JSON line may hold at most ${MAX_LINE_CHARS}`
  )
  countLine(s, lineNumber)
}

function step(s: State, text: string, lineNumber: number): void {
  const bytes = Buffer.byteLength(text, 'utf8')
  s.bytes += bytes + 1
  if (text.trim() === '') {
    if (lineNumber > MAX_MANIFEST_LINES + BLANK_TAIL) tooManyLines(s, lineNumber)
    return
  }
  countLine(s, lineNumber)
  const found = inspectLine(text, lineNumber, bytes)
  const cross = crossLineFindings(s, found, lineNumber)
  const problems = [...found.problems, ...cross.problems]
  for (const p of problems) addProblem(s, lineNumber, p.message, p.code)
  if (problems.length > 0) return
  for (const w of [...found.warnings, ...cross.warnings])
    addWarning(s, lineNumber, w.message, w.code)
  // An ignored line (a documented warning with nothing to train on) is no image of the dataset,
  // nor is a repeated image (removed).
  if (cross.repeat || (found.warnings.length > 0 && found.labels.length === 0)) return

  s.images++
  for (const label of new Set(found.labels))
    s.labelImages.set(label, (s.labelImages.get(label) ?? 0) + 1)
  for (const [kind, names] of Object.entries(found.byKind) as [ManifestKind, string[]][]) {
    const counts = (s.byKind[kind] ??= new Map())
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  s.boxes += found.boxes
  for (const k of found.kinds) if (!s.kinds.includes(k)) s.kinds.push(k)
  for (const label of found.labels) {
    const before = s.labels.get(label)
    s.labels.set(label, (before ?? 0) + 1)
    if (before === undefined && s.labels.size > MAX_LABELS_PER_MANIFEST) {
      addOnce(
        s,
        'labels',
        lineNumber,
        `manifest: label ${show(label)} is label ${s.labels.size}; at most ${MAX_LABELS_PER_MANIFEST} per manifest`,
        'ERROR_MANIFEST_TOO_MANY_LABELS'
      )
    }
  }
}

/** Checks only the end of the stream can make; reported at line 0. */
function finish(s: State): void {
  if (s.images === 0) {
    if (s.lines === 0) {
      // tm-terminal-errors-reference.html, "The manifest file is empty."
      addProblem(
        s,
        0,
        'manifest: empty; at least one image line is required',
        'ERROR_EMPTY_MANIFEST'
      )
    } else if (s.problemCount > 0) {
      addProblem(
        s,
        0,
        `manifest: none of its ${plural(s.lines, 'line')} is valid; at least one is required`,
        'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'
      )
    } else if (!s.partOfDataset) {
      addProblem(
        s,
        0,
        `manifest: none of its ${plural(s.lines, 'line')} has a label to train on`,
        'ERROR_MANIFEST_TOO_FEW_LABELS'
      )
    }
    return
  }
  if (s.partOfDataset) return // the labels are counted over the whole dataset: datasetProblems
  const problem = labelCountProblem(s.labels.size, s.kinds)
  if (problem) addProblem(s, 0, problem.message, problem.code)
}

function capOf(options: ValidateOptions): number {
  const n = options.maxProblems
  return n === undefined || !Number.isFinite(n) ? 100 : Math.max(0, Math.floor(n))
}

/**
 * Streams lines: pass readLines (./line-reader.ts) over a file, or any iterable of strings. Never
 * holds the whole file in memory, and stops reading at the first manifest-wide limit passed.
 */
export async function validateManifest(
  lines: AsyncIterable<FileLine> | Iterable<FileLine>,
  options: ValidateOptions = {}
): Promise<ManifestReport> {
  const scope = options.dataset ?? new DatasetScope('training')
  scope.files.push(options.file ?? 'manifest')
  const s: State = {
    cap: capOf(options),
    problems: [],
    problemCount: 0,
    warnings: [],
    warningCount: 0,
    lines: 0,
    images: 0,
    boxes: 0,
    bytes: 0,
    labels: new Map(),
    labelImages: new Map(),
    byKind: {},
    kinds: [],
    scope,
    file: scope.files.length - 1,
    partOfDataset: options.dataset !== undefined,
    reported: new Set()
  }
  let lineNumber = 0
  for await (const line of lines) {
    if (isLongLine(line)) stepLong(s, line, ++lineNumber)
    else step(s, line, ++lineNumber)
    if (limitPassed(s)) break
  }
  if (options.fileBytes !== undefined && options.fileBytes > MAX_MANIFEST_BYTES) {
    const at = `${options.fileBytes} bytes; reading stopped at ${MAX_MANIFEST_BYTES}`
    addOnce(
      s,
      'bytes',
      lineNumber,
      `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB): ${at}`,
      'ERROR_MANIFEST_SIZE_TOO_LARGE'
    )
  }
  // Whole-manifest checks need the whole manifest: past a limit, the refusal says enough.
  if (!limitPassed(s)) finish(s)
  return {
    problems: s.problems,
    problemCount: s.problemCount,
    warnings: s.warnings,
    warningCount: s.warningCount,
    lineCount: lineNumber,
    ...(limitPassed(s) && { cutShort: true as const }),
    stats: {
      lines: s.lines,
      images: s.images,
      // fromEntries defines own properties, so a label named "__proto__" stays a label.
      labels: Object.fromEntries(s.labels),
      boxes: s.boxes,
      kinds: s.kinds,
      labelImages: Object.fromEntries(s.labelImages),
      byKind: Object.fromEntries(
        Object.entries(s.byKind).map(([k, m]) => [k, Object.fromEntries(m)])
      )
    }
  }
}
