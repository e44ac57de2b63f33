// Validates a SageMaker Ground Truth manifest (JSON Lines, one image a line) the way Amazon
// Rekognition Custom Labels will, so a broken dataset fails a PR in seconds instead of after an
// hour of paid training. Pure: no I/O; the caller streams the lines in (readLines, line-reader.ts).
import { S3_BUCKET, S3_OBJECT_NAME, breaks, charLength } from '../inputs/constraints.js'
import { isLongLine, type FileLine, type LongLine } from './line-reader.js'

const GUIDE = 'https://docs.aws.amazon.com/rekognition/latest/customlabels-dg'
/** Pages the limits below come from, for messages and for the next reader. */
export const SOURCES = {
  limits: `${GUIDE}/limits.html`,
  rules: `${GUIDE}/md-create-manifest-file-validation-rules.html`,
  datasetErrors: `${GUIDE}/debugging-datasets-terminal-errors.html`,
  lineErrors: `${GUIDE}/tm-debugging-json-line-errors.html`,
  classification: `${GUIDE}/md-create-manifest-file-classification.html`,
  detection: `${GUIDE}/md-create-manifest-file-object-detection.html`,
  images: `${GUIDE}/md-prepare-images.html`
} as const

// --- Limits -----------------------------------------------------------------------------------

/**
 * debugging-datasets-terminal-errors.html: "The maximum length is 100,000 characters" for one
 * JSON line. We count UTF-8 bytes, never fewer than characters however they are counted, so a
 * line that passes here passes the service.
 */
export const MAX_LINE_BYTES = 100_000
/**
 * limits.html and md-create-manifest-file-validation-rules.html: "Maximum dataset manifest file
 * size is 1 GB". Read as 10^9 bytes, the stricter reading of "GB".
 */
export const MAX_MANIFEST_BYTES = 1_000_000_000
/**
 * md-create-manifest-file-validation-rules.html: "Maximum of 250,000 dataset objects as lines in
 * a manifest"; "Blank/invalid lines are also counted as dataset objects". limits.html agrees for
 * detection (250,000) and gives classification a default of 250,000 (500,000 on request). Asia
 * Pacific (Mumbai) and Europe (London) allow 28,000 training / 7,000 testing images; this module
 * does not know the region, so the caller must check that one.
 */
export const MAX_MANIFEST_LINES = 250_000
/** limits.html: "Maximum number of unique labels per manifest is 250" (both kinds). */
export const MAX_LABELS_PER_MANIFEST = 250
/**
 * limits.html: at least 2 unique labels per classification ("Objects, Scenes, and Concepts")
 * dataset, at least 1 per detection ("Object Location") dataset.
 */
export const MIN_LABELS: Readonly<Record<ManifestKind, number>> = {
  classification: 2,
  detection: 1
}
/** limits.html: "Minimum number of images per label is 1" (training; 0 for testing). */
export const MIN_IMAGES_PER_LABEL = 1
/**
 * The guide gives no per-label recommendation; md-prepare-images.html says "Use at least 10
 * images to train your model". We apply that figure per label, for a warning only.
 */
export const RECOMMENDED_IMAGES_PER_LABEL = 10
/** limits.html: testing datasets allow at most 1000 images per label (not checked here). */
export const MAX_TEST_IMAGES_PER_LABEL = 1000
/** limits.html: "Maximum number of labels per image is 50". */
export const MAX_LABELS_PER_IMAGE = 50
/** limits.html and the validation rules: at most 50 bounding boxes in an image (min 0). */
export const MAX_BOXES_PER_IMAGE = 50
/**
 * tm-debugging-json-line-errors.html, ERROR_BOUNDING_BOX_TOO_SMALL: box height and width "have
 * to be greater than 1 x 1 pixels" after training resizes any image with a side over 1280 px.
 * We read it as each side > 1 px, scaling the longest image side down to 1280.
 */
export const MIN_BOX_SIDE_EXCLUSIVE = 1
export const TRAINING_RESIZE_MAX_SIDE = 1280
/** limits.html: images from 64 x 64 to 4096 x 4096 pixels, aspect ratio at most 20:1. */
export const MIN_IMAGE_SIDE = 64
export const MAX_IMAGE_SIDE = 4096
export const MAX_ASPECT_RATIO = 20
/** limits.html: 15 MB per image file. A manifest cannot show it; recorded for the caller. */
export const MAX_IMAGE_FILE_BYTES = 15 * 1024 * 1024
/** limits.html: "Supported file formats are PNG and JPEG image formats". */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png']
/** tm-debugging-json-line-errors.html, ERROR_INVALID_LABEL_NAME_LENGTH: 256 characters. */
export const MAX_LABEL_NAME_CHARS = 256

const CLASSIFICATION_TYPE = 'groundtruth/image-classification'
const DETECTION_TYPE = 'groundtruth/object-detection'
const METADATA_SUFFIX = '-metadata'

// --- API --------------------------------------------------------------------------------------

export type ManifestKind = 'classification' | 'detection'
export interface ManifestProblem {
  /** 1-based; 0 for a problem of the whole manifest found at the end. */
  line: number
  message: string
}
export interface ManifestStats {
  /** Non-empty lines seen. */
  lines: number
  /** Valid image lines (lines with no problem). */
  images: number
  /** Label name -> images (classification) or boxes (detection) carrying it, valid lines only. */
  labels: Record<string, number>
  /** Detection boxes in all. */
  boxes: number
  /** Kinds seen, in order of first appearance. */
  kinds: ManifestKind[]
}
export interface ManifestReport {
  problems: ManifestProblem[]
  /** All problems, even past the cap. */
  problemCount: number
  stats: ManifestStats
}
export interface ValidateOptions {
  /** Keep at most this many problems in `problems` (default 100); all are still counted. */
  maxProblems?: number
  /** The file's size, when the lines come from a file: over the limit, it is reported. */
  fileBytes?: number
}

// --- Small helpers ----------------------------------------------------------------------------

type JsonObject = Record<string, unknown>

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/** A value as it may appear in a one-line message: JSON, shortened, no line separators. */
function show(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(/[\u2028\u2029]/g, ' ')
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** A JSON key as a field name in a message: as is, unless it holds control characters. */
const fieldName = (key: string): string => (/^[^\p{Cc}\u2028\u2029]*$/u.test(key) ? key : show(key))

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Why a label name is refused, or undefined. */
function labelNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${show(name)}`
  if (name.trim() === '') return 'must be a non-empty label name'
  // UTF-16 length bounds the code-point count, so most names skip the slower count.
  const n = name.length <= MAX_LABEL_NAME_CHARS ? name.length : charLength(name)
  if (n > MAX_LABEL_NAME_CHARS) return `is ${n} characters; at most ${MAX_LABEL_NAME_CHARS}`
  return undefined
}

// --- One line ---------------------------------------------------------------------------------

/** Everything one line yields; the streaming loop needs more than validateLine returns. */
interface LineFindings {
  problems: string[]
  kinds: ManifestKind[]
  labels: string[]
  boxes: number
  sourceRef?: string
  bucket?: string
}

interface SourceRef {
  ref: string
  bucket: string
}

function checkSourceRef(line: JsonObject, problems: string[]): SourceRef | undefined {
  const value = line['source-ref']
  if (value === undefined) {
    problems.push('source-ref: missing; each line needs "source-ref": "s3://bucket/key"')
    return undefined
  }
  if (typeof value !== 'string') {
    problems.push(`source-ref: must be a string "s3://bucket/key", got ${show(value)}`)
    return undefined
  }
  const m = /^s3:\/\/([^/]*)\/(.*)$/.exec(value)
  if (!m) {
    problems.push(`source-ref: ${show(value)} must be s3://bucket/key`)
    return undefined
  }
  const [, bucket, key] = m
  let ok = true
  const bucketProblem = breaks(bucket, S3_BUCKET)
  if (bucketProblem) {
    problems.push(`source-ref: bucket ${show(bucket)} ${bucketProblem}; ${S3_BUCKET.describe}`)
    ok = false
  }
  const keyProblem = breaks(key, S3_OBJECT_NAME)
  if (keyProblem) {
    problems.push(`source-ref: key ${keyProblem}; ${S3_OBJECT_NAME.describe}`)
    ok = false
  }
  const dot = key.lastIndexOf('.')
  const ext = dot > key.lastIndexOf('/') ? key.slice(dot).toLowerCase() : ''
  if (!IMAGE_EXTENSIONS.includes(ext)) {
    problems.push(
      `source-ref: ${show(value)} must name a ${IMAGE_EXTENSIONS.join(', ')} image (PNG or JPEG only)`
    )
    ok = false
  }
  return ok ? { ref: value, bucket } : undefined
}

/** The optional metadata fields both kinds share. */
function checkCommonMetadata(meta: JsonObject, field: string, problems: string[]): void {
  const confidence = meta['confidence']
  if (
    confidence !== undefined &&
    (typeof confidence !== 'number' || confidence < 0 || confidence > 1)
  ) {
    problems.push(`${field}.confidence: must be a number from 0 to 1, got ${show(confidence)}`)
  }
  const human = meta['human-annotated']
  if (human !== undefined && human !== 'yes' && human !== 'no') {
    problems.push(`${field}.human-annotated: must be "yes" or "no", got ${show(human)}`)
  }
  for (const name of ['creation-date', 'job-name']) {
    const v = meta[name]
    if (v !== undefined && typeof v !== 'string') {
      problems.push(`${field}.${name}: must be a string, got ${show(v)}`)
    }
  }
}

function checkClassification(
  attr: string,
  value: unknown,
  meta: JsonObject,
  problems: string[]
): string | undefined {
  if (!isInteger(value) || value < 0) {
    problems.push(`${attr}: must be an integer class index (0 or more), got ${show(value)}`)
  }
  const name = meta['class-name']
  const nameProblem = labelNameProblem(name)
  if (nameProblem) problems.push(`${attr}-metadata.class-name: ${nameProblem}`)
  return nameProblem ? undefined : (name as string)
}

interface ImageSize {
  width: number
  height: number
}

function checkImageSize(attr: string, value: unknown, problems: string[]): ImageSize | undefined {
  const field = `${attr}.image_size`
  if (!Array.isArray(value) || value.length !== 1 || !isObject(value[0])) {
    problems.push(`${field}: must be an array of one {width, height, depth} object`)
    return undefined
  }
  const size = value[0]
  let ok = true
  for (const side of ['width', 'height']) {
    const v = size[side]
    if (!isInteger(v) || v <= 0) {
      problems.push(`${field}[0].${side}: must be a positive integer, got ${show(v)}`)
      ok = false
    } else if (v < MIN_IMAGE_SIDE || v > MAX_IMAGE_SIDE) {
      problems.push(
        `${field}[0].${side}: ${v} px is outside ${MIN_IMAGE_SIDE}-${MAX_IMAGE_SIDE} px`
      )
    }
  }
  const depth = size['depth']
  if (depth !== 1 && depth !== 3) {
    problems.push(`${field}[0].depth: must be 1 or 3, got ${show(depth)}`)
  }
  if (!ok) return undefined
  const { width, height } = size as { width: number; height: number }
  const ratio = Math.max(width, height) / Math.min(width, height)
  if (ratio > MAX_ASPECT_RATIO) {
    problems.push(`${field}[0]: aspect ratio ${width}x${height} exceeds ${MAX_ASPECT_RATIO}:1`)
  }
  return { width, height }
}

interface Box {
  classId: number
  left: number
  top: number
  width: number
  height: number
}

function checkBox(field: string, value: unknown, problems: string[]): Box | undefined {
  if (!isObject(value)) {
    problems.push(`${field}: must be an object {class_id, left, top, width, height}`)
    return undefined
  }
  let ok = true
  const need = (name: string, min: number, rule: string): void => {
    const v = value[name]
    if (!isInteger(v) || v < min) {
      problems.push(`${field}.${name}: must be ${rule}, got ${show(v)}`)
      ok = false
    }
  }
  need('class_id', 0, 'an integer of 0 or more')
  need('left', 0, 'an integer of 0 or more')
  need('top', 0, 'an integer of 0 or more')
  need('width', 1, 'a positive integer')
  need('height', 1, 'a positive integer')
  if (!ok) return undefined
  const v = value as Record<string, number>
  return { classId: v.class_id, left: v.left, top: v.top, width: v.width, height: v.height }
}

/** Off-frame and too-small checks, which need the image size. */
function checkBoxInImage(field: string, box: Box, image: ImageSize, problems: string[]): void {
  if (box.left + box.width > image.width) {
    problems.push(
      `${field}: left + width = ${box.left + box.width} exceeds the image width ${image.width}`
    )
  }
  if (box.top + box.height > image.height) {
    problems.push(
      `${field}: top + height = ${box.top + box.height} exceeds the image height ${image.height}`
    )
  }
  const longest = Math.max(image.width, image.height)
  const scale = longest > TRAINING_RESIZE_MAX_SIDE ? TRAINING_RESIZE_MAX_SIDE / longest : 1
  if (box.width * scale <= MIN_BOX_SIDE_EXCLUSIVE || box.height * scale <= MIN_BOX_SIDE_EXCLUSIVE) {
    problems.push(
      `${field}: box ${box.width}x${box.height} is too small; each side must exceed ` +
        `${MIN_BOX_SIDE_EXCLUSIVE} px after training scales the image to ${TRAINING_RESIZE_MAX_SIDE} px`
    )
  }
}

/** Returns the label of each valid box. */
function checkDetection(
  attr: string,
  value: unknown,
  meta: JsonObject,
  problems: string[]
): string[] {
  if (!isObject(value)) {
    problems.push(`${attr}: must be an object {image_size, annotations}, got ${show(value)}`)
    return []
  }
  const image = checkImageSize(attr, value['image_size'], problems)
  const annotations = value['annotations']
  if (!Array.isArray(annotations)) {
    problems.push(`${attr}.annotations: must be an array of boxes, got ${show(annotations)}`)
    return []
  }
  if (annotations.length > MAX_BOXES_PER_IMAGE) {
    problems.push(
      `${attr}.annotations: ${annotations.length} boxes; at most ${MAX_BOXES_PER_IMAGE} per image`
    )
  }
  const classMap = meta['class-map']
  if (!isObject(classMap)) {
    problems.push(`${attr}-metadata.class-map: must be an object of class_id -> label name`)
  } else {
    for (const [id, name] of Object.entries(classMap)) {
      const nameProblem = labelNameProblem(name)
      if (nameProblem) problems.push(`${attr}-metadata.class-map[${show(id)}]: ${nameProblem}`)
    }
  }
  const objects = meta['objects']
  if (objects !== undefined) checkObjects(attr, objects, annotations.length, problems)

  const labels: string[] = []
  annotations.forEach((raw, i) => {
    const field = `${attr}.annotations[${i}]`
    const box = checkBox(field, raw, problems)
    if (!box) return
    if (image) checkBoxInImage(field, box, image, problems)
    if (!isObject(classMap)) return
    const name = classMap[String(box.classId)]
    if (name === undefined) {
      problems.push(`${field}.class_id: ${box.classId} has no entry in ${attr}-metadata.class-map`)
    } else if (!labelNameProblem(name)) {
      labels.push(name as string)
    }
  })
  return labels
}

function checkObjects(attr: string, objects: unknown, boxes: number, problems: string[]): void {
  const field = `${attr}-metadata.objects`
  if (!Array.isArray(objects)) {
    problems.push(`${field}: must be an array of {confidence}, got ${show(objects)}`)
    return
  }
  if (objects.length !== boxes) {
    problems.push(`${field}: ${objects.length} entries for ${plural(boxes, 'annotation')}`)
  }
  objects.forEach((o, i) => {
    const c = isObject(o) ? o['confidence'] : undefined
    if (typeof c !== 'number' || c < 0 || c > 1) {
      problems.push(`${field}[${i}].confidence: must be a number from 0 to 1, got ${show(c)}`)
    }
  })
}

/** Label attributes: X with an X-metadata object; orphans on either side are problems. */
function pairAttributes(line: JsonObject, problems: string[]): string[] {
  const keys = Object.keys(line).filter((k) => k !== 'source-ref')
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(line, k)
  const attrs: string[] = []
  for (const k of keys) {
    const base = k.slice(0, -METADATA_SUFFIX.length)
    if (has(k + METADATA_SUFFIX)) {
      attrs.push(k)
    } else if (!k.endsWith(METADATA_SUFFIX)) {
      problems.push(`${fieldName(k)}: label attribute has no "-metadata" object`)
    } else if (!has(base)) {
      problems.push(`${fieldName(k)}: metadata has no ${show(base)} attribute`)
    }
  }
  if (attrs.length === 0) {
    problems.push('line: no label attribute; expected an attribute X with an "X-metadata" object')
  }
  return attrs
}

function inspectLine(
  text: string,
  lineNumber: number,
  bytes = Buffer.byteLength(text, 'utf8')
): LineFindings {
  const found: LineFindings = { problems: [], kinds: [], labels: [], boxes: 0 }
  const { problems } = found
  if (bytes > MAX_LINE_BYTES) {
    problems.push(`line: ${bytes} bytes; one JSON line may hold at most ${MAX_LINE_BYTES}`)
  }
  // Editors on Windows add a BOM; JSON forbids it and the service's parser may refuse it.
  if (lineNumber === 1 && text.startsWith('\uFEFF')) {
    problems.push('line: starts with a byte-order mark; save the manifest as UTF-8 without BOM')
    text = text.slice(1)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    problems.push(`line: not valid JSON (${show((err as Error).message)})`)
    return found
  }
  if (!isObject(parsed)) {
    problems.push(`line: must be a JSON object, got ${show(parsed)}`)
    return found
  }
  const ref = checkSourceRef(parsed, problems)
  found.sourceRef = ref?.ref
  found.bucket = ref?.bucket

  // Classification counts images per label (each name once a line); detection counts boxes.
  const classNames = new Set<string>()
  for (const key of pairAttributes(parsed, problems)) {
    const meta = parsed[key + METADATA_SUFFIX]
    const attr = fieldName(key)
    const field = fieldName(key + METADATA_SUFFIX)
    if (!isObject(meta)) {
      problems.push(`${field}: must be an object, got ${show(meta)}`)
      continue
    }
    checkCommonMetadata(meta, field, problems)
    const type = meta['type']
    if (type === CLASSIFICATION_TYPE) {
      const name = checkClassification(attr, parsed[key], meta, problems)
      if (name !== undefined) classNames.add(name)
      if (!found.kinds.includes('classification')) found.kinds.push('classification')
    } else if (type === DETECTION_TYPE) {
      const boxLabels = checkDetection(attr, parsed[key], meta, problems)
      found.labels.push(...boxLabels)
      found.boxes += boxLabels.length
      if (!found.kinds.includes('detection')) found.kinds.push('detection')
    } else {
      const got = type === undefined ? 'missing' : `unknown type ${show(type)}`
      problems.push(
        `${field}.type: ${got}; must be "${CLASSIFICATION_TYPE}" or "${DETECTION_TYPE}"`
      )
    }
  }
  const distinct = new Set([...classNames, ...found.labels]).size
  if (distinct > MAX_LABELS_PER_IMAGE) {
    problems.push(`line: ${distinct} labels; at most ${MAX_LABELS_PER_IMAGE} per image`)
  }
  found.labels.push(...classNames)
  return found
}

/**
 * One line, for unit tests and the streaming loop: the problems of that line and what it adds
 * to the stats. A line with any problem adds nothing (the service drops or rejects it).
 */
export function validateLine(
  text: string,
  lineNumber: number
): { problems: string[]; kind?: ManifestKind; labels: string[]; boxes: number } {
  if (text.trim() === '') return { problems: [], labels: [], boxes: 0 }
  const found = inspectLine(text, lineNumber)
  if (found.problems.length > 0) return { problems: found.problems, labels: [], boxes: 0 }
  return { problems: [], kind: found.kinds[0], labels: found.labels, boxes: found.boxes }
}

// --- The whole manifest -----------------------------------------------------------------------

interface State {
  cap: number
  problems: ManifestProblem[]
  problemCount: number
  lines: number
  images: number
  boxes: number
  bytes: number
  labels: Map<string, number>
  kinds: ManifestKind[]
  bucket?: { name: string; line: number }
  /** source-ref -> first line. Bounded by MAX_MANIFEST_LINES entries. */
  /** Each source-ref's first line, by hash: 6 MB of typed arrays, not 250,000 strings. */
  refs: RefTable
  reported: Set<string>
}

function addProblem(s: State, line: number, message: string): void {
  s.problemCount++
  if (s.problems.length < s.cap) s.problems.push({ line, message })
}

/** Manifest-wide limits are reported once, at the line that crosses them. */
function addOnce(s: State, key: string, line: number, message: string): void {
  if (s.reported.has(key)) return
  s.reported.add(key)
  addProblem(s, line, message)
}

/**
 * cyrb53 (public domain, bryc): a 53-bit string hash. Two different source-refs among 250,000
 * collide with a chance of about 3.5e-6, which would only report a duplicate that is not one.
 */
function cyrb53(text: string): number {
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
 * An open-addressing hash table of source-ref hashes to the line that first listed them, in two
 * typed arrays sized for the manifest line limit (at most half full): flat memory, no per-entry
 * objects for the garbage collector.
 */
class RefTable {
  private keys?: Float64Array
  private lines?: Uint32Array
  private size = 0
  private static readonly SLOTS = 2 ** 19 // > 2 x MAX_MANIFEST_LINES

  /** The line that listed `hash` first, or undefined after recording it at `line`. */
  firstLine(hash: number, line: number): number | undefined {
    if (this.size >= MAX_MANIFEST_LINES) return undefined
    this.keys ??= new Float64Array(RefTable.SLOTS)
    this.lines ??= new Uint32Array(RefTable.SLOTS)
    const key = hash + 1 // 0 marks an empty slot
    const mask = RefTable.SLOTS - 1
    for (let i = hash % RefTable.SLOTS; ; i = (i + 1) & mask) {
      if (this.keys[i] === 0) {
        this.keys[i] = key
        this.lines[i] = line
        this.size++
        return undefined
      }
      if (this.keys[i] === key) return this.lines[i]
    }
  }
}

/** Problems that need the lines before this one: one bucket, no repeated image. */
function crossLineProblems(s: State, found: LineFindings, lineNumber: number): string[] {
  const problems: string[] = []
  if (found.bucket !== undefined) {
    if (!s.bucket) s.bucket = { name: found.bucket, line: lineNumber }
    else if (s.bucket.name !== found.bucket) {
      problems.push(
        `source-ref: bucket ${show(found.bucket)} differs from ${show(s.bucket.name)} ` +
          `(line ${s.bucket.line}); all images of a dataset must be in one bucket`
      )
    }
  }
  if (found.sourceRef !== undefined) {
    const first = s.refs.firstLine(cyrb53(found.sourceRef), lineNumber)
    if (first !== undefined) {
      problems.push(`source-ref: image already listed at line ${first}; list each image once`)
    }
  }
  return problems
}

/**
 * Blank lines at the very end are taken as no dataset objects; a run of more than this many past
 * the line limit passes it (the guide counts blank lines), so a file of blank lines is not read to
 * its end.
 */
const BLANK_TAIL = 100

function tooManyLines(s: State, lineNumber: number): void {
  const limit = `more than ${MAX_MANIFEST_LINES} lines (blank and invalid lines count)`
  addOnce(s, 'lines', lineNumber, `manifest: ${limit}`)
}

/** The manifest-wide limits of reading (line count, size), reported at the line that passes them. */
function countLine(s: State, lineNumber: number): void {
  s.lines++
  // Blank lines count as dataset objects too, so the limit is on the line number.
  if (lineNumber > MAX_MANIFEST_LINES) tooManyLines(s, lineNumber)
  if (s.bytes > MAX_MANIFEST_BYTES) {
    addOnce(s, 'bytes', lineNumber, `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB)`)
  }
}

/** Reading stops at the first manifest-wide limit passed: nothing after it changes the verdict. */
const limitPassed = (s: State): boolean => s.reported.has('lines') || s.reported.has('bytes')

/** A line too long to keep: measured by the reader, refused without its text. */
function stepLong(s: State, line: LongLine, lineNumber: number): void {
  s.bytes += line.bytes + 1
  const size = `${line.bytes} bytes${line.complete ? '' : ' or more'}`
  addProblem(s, lineNumber, `line: ${size}; one JSON line may hold at most ${MAX_LINE_BYTES}`)
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
  const problems = [...found.problems, ...crossLineProblems(s, found, lineNumber)]
  for (const p of problems) addProblem(s, lineNumber, p)
  if (problems.length > 0) return

  s.images++
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
        `manifest: label ${show(label)} is label ${s.labels.size}; at most ${MAX_LABELS_PER_MANIFEST} per manifest`
      )
    }
  }
}

/** Checks only the end of the stream can make; reported at line 0. */
function finish(s: State): void {
  if (s.images === 0) {
    const seen = s.lines === 0 ? 'it is empty' : `none of its ${plural(s.lines, 'line')} is valid`
    addProblem(s, 0, `manifest: no valid image line (${seen}); at least one is required`)
    return
  }
  // A manifest mixing kinds is allowed; with any boxes the lower detection minimum applies.
  const kind: ManifestKind = s.kinds.includes('detection') ? 'detection' : 'classification'
  if (s.labels.size < MIN_LABELS[kind]) {
    addProblem(
      s,
      0,
      `manifest: ${plural(s.labels.size, 'distinct label')}; a ${kind} manifest needs at least ${MIN_LABELS[kind]}`
    )
  }
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
  const s: State = {
    cap: capOf(options),
    problems: [],
    problemCount: 0,
    lines: 0,
    images: 0,
    boxes: 0,
    bytes: 0,
    labels: new Map(),
    kinds: [],
    refs: new RefTable(),
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
      `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB): ${at}`
    )
  }
  // Whole-manifest checks need the whole manifest: past a limit, the refusal says enough.
  if (!limitPassed(s)) finish(s)
  return {
    problems: s.problems,
    problemCount: s.problemCount,
    stats: {
      lines: s.lines,
      images: s.images,
      // fromEntries defines own properties, so a label named "__proto__" stays a label.
      labels: Object.fromEntries(s.labels),
      boxes: s.boxes,
      kinds: s.kinds
    }
  }
}

/** Labels with fewer images than the guide recommends / requires, for a warning; rarest first. */
export function rareLabels(stats: ManifestStats): { label: string; count: number }[] {
  return Object.entries(stats.labels)
    .filter(([, count]) => count < RECOMMENDED_IMAGES_PER_LABEL)
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => a.count - b.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}
