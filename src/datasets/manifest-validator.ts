// Validates a SageMaker Ground Truth manifest (JSON Lines, one image a line) the way Amazon
// Rekognition Custom Labels will, so a broken dataset fails a PR in seconds instead of after an
// hour of paid training. Pure: no I/O; the caller streams the lines in (e.g. readline).
import { S3_BUCKET, S3_OBJECT_NAME, breaks, charLength } from '../inputs/constraints.js'

const GUIDE = 'https://docs.aws.amazon.com/rekognition/latest/customlabels-dg'
/** Pages the limits below come from, for messages and for the next reader. */
export const SOURCES = {
  limits: `${GUIDE}/limits.html`,
  rules: `${GUIDE}/md-create-manifest-file-validation-rules.html`,
  datasetErrors: `${GUIDE}/debugging-datasets-terminal-errors.html`,
  lineErrors: `${GUIDE}/tm-debugging-json-line-errors.html`,
  classification: `${GUIDE}/md-create-manifest-file-classification.html`,
  detection: `${GUIDE}/md-create-manifest-file-object-detection.html`,
  images: `${GUIDE}/md-prepare-images.html`,
  aggregateErrors: `${GUIDE}/tm-debugging-aggregate-errors.html`,
  fileErrors: `${GUIDE}/tm-terminal-errors-reference.html`,
  lineScope: `${GUIDE}/tm-debugging-scope-json-line.html`
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
// limits.html: "Supported file formats are PNG and JPEG image formats". The service reads the
// image's real format (tm-debugging-json-line-errors.html, ERROR_INVALID_IMAGE: "The file
// referenced by source-ref is not a valid image"), not the key's extension, and a manifest cannot
// show the bytes: no rule on the key's extension here (a PNG at `a.img` is valid).
/** tm-debugging-json-line-errors.html, ERROR_INVALID_LABEL_NAME_LENGTH: 256 characters. */
export const MAX_LABEL_NAME_CHARS = 256

const CLASSIFICATION_TYPE = 'groundtruth/image-classification'
const DETECTION_TYPE = 'groundtruth/object-detection'
const METADATA_SUFFIX = '-metadata'

// --- API --------------------------------------------------------------------------------------

export type ManifestKind = 'classification' | 'detection'
/**
 * The error codes the guide documents for what a problem is (tm-debugging-json-line-errors.html,
 * tm-debugging-aggregate-errors.html, tm-terminal-errors-reference.html,
 * debugging-datasets-terminal-errors.html). Problems the guide names without a code have none.
 */
export type ManifestCode =
  | 'ERROR_MISSING_SOURCE_REF'
  | 'ERROR_INVALID_SOURCE_REF_FORMAT'
  | 'ERROR_NO_LABEL_ATTRIBUTES'
  | 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'
  | 'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'
  | 'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'
  | 'ERROR_MISSING_CLASS_MAP_ID'
  | 'ERROR_INVALID_JSON_LINE'
  | 'ERROR_INVALID_IMAGE'
  | 'ERROR_INVALID_IMAGE_DIMENSION'
  | 'ERROR_INVALID_BOUNDING_BOX'
  | 'ERROR_BOUNDING_BOX_TOO_SMALL'
  | 'ERROR_TOO_MANY_BOUNDING_BOXES'
  | 'ERROR_UNSUPPORTED_USE_CASE_TYPE'
  | 'ERROR_INVALID_LABEL_NAME_LENGTH'
  | 'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS'
  | 'ERROR_MANIFEST_TOO_FEW_LABELS'
  | 'ERROR_MANIFEST_TOO_MANY_LABELS'
  | 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'
  | 'ERROR_EMPTY_MANIFEST'
  | 'ERROR_MANIFEST_SIZE_TOO_LARGE'
  | 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
  | 'ERROR_INSUFFICIENT_LABEL_OVERLAP'
  | 'WARNING_UNANNOTATED_RECORD'
  | 'WARNING_NO_ANNOTATIONS'
export interface ManifestProblem {
  /** 1-based; 0 for a problem of the whole manifest found at the end. */
  line: number
  message: string
  /** The guide's code for it, when the guide gives one. */
  code?: ManifestCode
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
  /**
   * Documented warnings (the service ignores the line, tm-debugging-scope-json-line.html: "count
   * as ignored JSON lines"): reported, never refused. Capped like the problems.
   */
  warnings: ManifestProblem[]
  warningCount: number
  stats: ManifestStats
  /** Lines read, blank ones included (the service counts them too). */
  lineCount: number
}
export interface ValidateOptions {
  /** Keep at most this many problems in `problems` (default 100); all are still counted. */
  maxProblems?: number
  /**
   * The dataset this file belongs to, shared by every file of it (several repository files are
   * combined into one manifest), so an image or a bucket is checked across the files.
   */
  dataset?: DatasetScope
  /** This file's name, for messages that point at a line of another file. */
  file?: string
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

// --- One line ---------------------------------------------------------------------------------

/** One problem of a line: the guide's code (when it has one) and what is wrong. */
export interface Found {
  code?: ManifestCode
  message: string
}

/** Collects a line's problems (refused) and documented warnings (the line is only ignored). */
class Findings {
  readonly problems: Found[] = []
  readonly warnings: Found[] = []
  add(code: ManifestCode | undefined, message: string): void {
    this.problems.push({ code, message })
  }
  warn(code: ManifestCode, message: string): void {
    this.warnings.push({ code, message })
  }
}

/** Everything one line yields; the streaming loop needs more than validateLine returns. */
interface LineFindings {
  problems: Found[]
  warnings: Found[]
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

// tm-debugging-json-line-errors.html: ERROR_MISSING_SOURCE_REF ("The source-ref key is missing"),
// ERROR_INVALID_SOURCE_REF_FORMAT (the value is not "s3://bucket/path/image").
function checkSourceRef(line: JsonObject, f: Findings): SourceRef | undefined {
  const value = line['source-ref']
  const FORMAT = 'ERROR_INVALID_SOURCE_REF_FORMAT'
  if (value === undefined) {
    f.add(
      'ERROR_MISSING_SOURCE_REF',
      'source-ref: missing; each line needs "source-ref": "s3://bucket/key"'
    )
    return undefined
  }
  if (typeof value !== 'string') {
    f.add(FORMAT, `source-ref: must be a string "s3://bucket/key", got ${show(value)}`)
    return undefined
  }
  const m = /^s3:\/\/([^/]*)\/(.*)$/.exec(value)
  if (!m) {
    f.add(FORMAT, `source-ref: ${show(value)} must be s3://bucket/key`)
    return undefined
  }
  const [, bucket, key] = m
  let ok = true
  const bucketProblem = breaks(bucket, S3_BUCKET)
  if (bucketProblem) {
    f.add(FORMAT, `source-ref: bucket ${show(bucket)} ${bucketProblem}; ${S3_BUCKET.describe}`)
    ok = false
  }
  const keyProblem = breaks(key, S3_OBJECT_NAME)
  if (keyProblem) {
    f.add(FORMAT, `source-ref: key ${keyProblem}; ${S3_OBJECT_NAME.describe}`)
    ok = false
  }
  return ok ? { ref: value, bucket } : undefined
}

const METADATA_FORMAT = 'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'
const ATTRIBUTE_FORMAT = 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'

/**
 * Fields both kinds require (md-create-manifest-file-classification.html and
 * md-create-manifest-file-object-detection.html): `human-annotated` ("yes" or "no") and
 * `creation-date`; `job-name` is optional. A wrong one is ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT.
 */
function checkCommonMetadata(meta: JsonObject, field: string, f: Findings): void {
  const human = meta['human-annotated']
  if (human !== 'yes' && human !== 'no') {
    const got = human === undefined ? 'missing' : `got ${show(human)}`
    f.add(METADATA_FORMAT, `${field}.human-annotated: required, "yes" or "no"; ${got}`)
  }
  const date = meta['creation-date']
  if (typeof date !== 'string' || date.trim() === '') {
    const got = date === undefined ? 'missing' : `got ${show(date)}`
    f.add(METADATA_FORMAT, `${field}.creation-date: required, the UTC date and time; ${got}`)
  }
  const job = meta['job-name']
  if (job !== undefined && typeof job !== 'string') {
    f.add(METADATA_FORMAT, `${field}.job-name: must be a string, got ${show(job)}`)
  }
}

/** Why a label name is refused, with its code, or undefined. */
function labelNameProblem(name: unknown): Found | undefined {
  if (typeof name !== 'string')
    return { code: METADATA_FORMAT, message: `must be a string, got ${show(name)}` }
  if (name.trim() === '')
    return { code: METADATA_FORMAT, message: 'must be a non-empty label name' }
  // UTF-16 length bounds the code-point count, so most names skip the slower count.
  const n = name.length <= MAX_LABEL_NAME_CHARS ? name.length : charLength(name)
  if (n > MAX_LABEL_NAME_CHARS) {
    // tm-debugging-json-line-errors.html, ERROR_INVALID_LABEL_NAME_LENGTH.
    return {
      code: 'ERROR_INVALID_LABEL_NAME_LENGTH',
      message: `is ${n} characters; at most ${MAX_LABEL_NAME_CHARS}`
    }
  }
  return undefined
}

/**
 * md-create-manifest-file-classification.html: the attribute's value "is not used by Amazon
 * Rekognition Custom Labels and can be any integer value"; `confidence` is required ("a value
 * between 0 and 1 must be supplied"); `class-name` is required.
 */
function checkClassification(
  attr: string,
  value: unknown,
  meta: JsonObject,
  f: Findings
): string | undefined {
  if (!isInteger(value)) {
    f.add(ATTRIBUTE_FORMAT, `${attr}: must be an integer (any value), got ${show(value)}`)
  }
  const confidence = meta['confidence']
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
    const got = confidence === undefined ? 'missing' : `got ${show(confidence)}`
    f.add(METADATA_FORMAT, `${attr}-metadata.confidence: required, a number from 0 to 1; ${got}`)
  }
  const name = meta['class-name']
  const nameProblem = labelNameProblem(name)
  if (nameProblem) f.add(nameProblem.code, `${attr}-metadata.class-name: ${nameProblem.message}`)
  return nameProblem ? undefined : (name as string)
}

interface ImageSize {
  width: number
  height: number
}

/**
 * md-create-manifest-file-object-detection.html: `image_size` is "a single element array" of
 * width, height and depth. `depth` is "Not currently used by Amazon Rekognition Custom Labels":
 * not checked here. Sides outside 64-4096 px are ERROR_INVALID_IMAGE_DIMENSION ("reported for
 * images with bounding boxes"); an aspect ratio over 20:1 is one of ERROR_INVALID_IMAGE's causes.
 */
function checkImageSize(attr: string, value: unknown, f: Findings): ImageSize | undefined {
  const field = `${attr}.image_size`
  if (!Array.isArray(value) || value.length !== 1 || !isObject(value[0])) {
    f.add(ATTRIBUTE_FORMAT, `${field}: must be an array of one {width, height, depth} object`)
    return undefined
  }
  const size = value[0]
  let ok = true
  for (const side of ['width', 'height']) {
    const v = size[side]
    if (!isInteger(v) || v <= 0) {
      f.add(ATTRIBUTE_FORMAT, `${field}[0].${side}: must be a positive integer, got ${show(v)}`)
      ok = false
    } else if (v < MIN_IMAGE_SIDE || v > MAX_IMAGE_SIDE) {
      f.add(
        'ERROR_INVALID_IMAGE_DIMENSION',
        `${field}[0].${side}: ${v} px is outside ${MIN_IMAGE_SIDE}-${MAX_IMAGE_SIDE} px`
      )
    }
  }
  if (!ok) return undefined
  const { width, height } = size as { width: number; height: number }
  const ratio = Math.max(width, height) / Math.min(width, height)
  if (ratio > MAX_ASPECT_RATIO) {
    f.add(
      'ERROR_INVALID_IMAGE',
      `${field}[0]: aspect ratio ${width}x${height} exceeds ${MAX_ASPECT_RATIO}:1`
    )
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

/**
 * md-create-manifest-file-object-detection.html: class_id, top, left, width, height are required,
 * in pixels. A missing or non-number field breaks the attribute's format; a negative value is
 * ERROR_INVALID_BOUNDING_BOX ("off frame values ... or contains negative values"). The guide does
 * not say pixels are whole numbers, so any finite number is taken (the safe reading); class_id
 * maps to a class-map key, so it must be an integer.
 */
function checkBox(field: string, value: unknown, f: Findings): Box | undefined {
  if (!isObject(value)) {
    f.add(ATTRIBUTE_FORMAT, `${field}: must be an object {class_id, left, top, width, height}`)
    return undefined
  }
  let ok = true
  if (!isInteger(value['class_id'])) {
    f.add(ATTRIBUTE_FORMAT, `${field}.class_id: must be an integer, got ${show(value['class_id'])}`)
    ok = false
  }
  for (const name of ['left', 'top', 'width', 'height']) {
    const v = value[name]
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      f.add(ATTRIBUTE_FORMAT, `${field}.${name}: required, a number of pixels; got ${show(v)}`)
      ok = false
    } else if (v < 0) {
      f.add('ERROR_INVALID_BOUNDING_BOX', `${field}.${name}: must be 0 or more, got ${show(v)}`)
      ok = false
    }
  }
  if (!ok) return undefined
  const v = value as Record<string, number>
  return { classId: v.class_id, left: v.left, top: v.top, width: v.width, height: v.height }
}

/** Off-frame (ERROR_INVALID_BOUNDING_BOX) and too-small (ERROR_BOUNDING_BOX_TOO_SMALL) boxes. */
function checkBoxInImage(field: string, box: Box, image: ImageSize, f: Findings): void {
  if (box.left + box.width > image.width) {
    f.add(
      'ERROR_INVALID_BOUNDING_BOX',
      `${field}: left + width = ${box.left + box.width} exceeds the image width ${image.width}`
    )
  }
  if (box.top + box.height > image.height) {
    f.add(
      'ERROR_INVALID_BOUNDING_BOX',
      `${field}: top + height = ${box.top + box.height} exceeds the image height ${image.height}`
    )
  }
  const longest = Math.max(image.width, image.height)
  const scale = longest > TRAINING_RESIZE_MAX_SIDE ? TRAINING_RESIZE_MAX_SIDE / longest : 1
  if (box.width * scale <= MIN_BOX_SIDE_EXCLUSIVE || box.height * scale <= MIN_BOX_SIDE_EXCLUSIVE) {
    f.add(
      'ERROR_BOUNDING_BOX_TOO_SMALL',
      `${field}: box ${box.width}x${box.height} is too small; each side must exceed ` +
        `${MIN_BOX_SIDE_EXCLUSIVE} px after training scales the image to ${TRAINING_RESIZE_MAX_SIDE} px`
    )
  }
}

/** Returns the label of each valid box. */
function checkDetection(attr: string, value: unknown, meta: JsonObject, f: Findings): string[] {
  if (!isObject(value)) {
    f.add(
      ATTRIBUTE_FORMAT,
      `${attr}: must be an object {image_size, annotations}, got ${show(value)}`
    )
    return []
  }
  const image = checkImageSize(attr, value['image_size'], f)
  const annotations = value['annotations']
  if (!Array.isArray(annotations)) {
    f.add(
      ATTRIBUTE_FORMAT,
      `${attr}.annotations: must be an array of boxes, got ${show(annotations)}`
    )
    return []
  }
  if (annotations.length > MAX_BOXES_PER_IMAGE) {
    f.add(
      'ERROR_TOO_MANY_BOUNDING_BOXES',
      `${attr}.annotations: ${annotations.length} boxes; at most ${MAX_BOXES_PER_IMAGE} per image`
    )
  }
  const classMap = meta['class-map']
  if (!isObject(classMap)) {
    f.add(
      METADATA_FORMAT,
      `${attr}-metadata.class-map: required, an object of class_id -> label name`
    )
  } else {
    for (const [id, name] of Object.entries(classMap)) {
      const p = labelNameProblem(name)
      if (p) f.add(p.code, `${attr}-metadata.class-map[${show(id)}]: ${p.message}`)
    }
  }
  checkObjects(attr, meta['objects'], annotations.length, f)
  if (annotations.length === 0) {
    // tm-debugging-json-line-errors.html, WARNING_NO_ANNOTATIONS: "The JSON Line is valid, but
    // isn't used for training".
    f.warn('WARNING_NO_ANNOTATIONS', `${attr}.annotations: no boxes; the service ignores this line`)
  }

  const labels: string[] = []
  annotations.forEach((raw, i) => {
    const field = `${attr}.annotations[${i}]`
    const box = checkBox(field, raw, f)
    if (!box) return
    if (image) checkBoxInImage(field, box, image, f)
    if (!isObject(classMap)) return
    const name = Object.hasOwn(classMap, String(box.classId))
      ? classMap[String(box.classId)]
      : undefined
    if (name === undefined) {
      f.add(
        'ERROR_MISSING_CLASS_MAP_ID',
        `${field}.class_id: ${box.classId} has no entry in ${attr}-metadata.class-map`
      )
    } else if (!labelNameProblem(name)) {
      labels.push(name as string)
    }
  })
  return labels
}

/**
 * md-create-manifest-file-object-detection.html: `objects` is required, "Maps to the annotations
 * array by index"; tm-debugging-json-line-errors.html, ERROR_MISSING_BOUNDING_BOX_CONFIDENCE: the
 * `objects` array must hold "the same number of confidence keys as there are objects in the
 * annotations array". The confidence "isn't used", so any number is taken.
 */
function checkObjects(attr: string, objects: unknown, boxes: number, f: Findings): void {
  const field = `${attr}-metadata.objects`
  const CODE = 'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'
  if (!Array.isArray(objects)) {
    const got = objects === undefined ? 'missing' : `got ${show(objects)}`
    f.add(CODE, `${field}: required, one {confidence} per annotation; ${got}`)
    return
  }
  if (objects.length !== boxes) {
    f.add(
      CODE,
      `${field}: ${objects.length} entries for ${plural(boxes, 'annotation')}; one {confidence} each`
    )
  }
  objects.forEach((o, i) => {
    const c = isObject(o) ? o['confidence'] : undefined
    if (typeof c !== 'number' || !Number.isFinite(c)) {
      f.add(CODE, `${field}[${i}].confidence: required, a number; got ${show(c)}`)
    }
  })
}

/** Label attributes: X with an X-metadata object; orphans on either side are problems. */
function pairAttributes(line: JsonObject, f: Findings): string[] {
  const keys = Object.keys(line).filter((k) => k !== 'source-ref')
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(line, k)
  const attrs: string[] = []
  // tm-debugging-json-line-errors.html, ERROR_NO_LABEL_ATTRIBUTES: "The label attribute or the
  // label attribute -metadata key name (or both) is invalid or missing".
  for (const k of keys) {
    const base = k.slice(0, -METADATA_SUFFIX.length)
    if (has(k + METADATA_SUFFIX)) {
      attrs.push(k)
    } else if (!k.endsWith(METADATA_SUFFIX)) {
      f.add(
        'ERROR_NO_LABEL_ATTRIBUTES',
        `${fieldName(k)}: label attribute has no "-metadata" object`
      )
    } else if (!has(base)) {
      f.add('ERROR_NO_LABEL_ATTRIBUTES', `${fieldName(k)}: metadata has no ${show(base)} attribute`)
    }
  }
  if (attrs.length === 0 && keys.length === 0) {
    // WARNING_UNANNOTATED_RECORD: a line with only its source-ref "isn't used for training".
    f.warn('WARNING_UNANNOTATED_RECORD', 'line: no label; the service ignores this image')
  } else if (attrs.length === 0) {
    f.add(
      'ERROR_NO_LABEL_ATTRIBUTES',
      'line: no label attribute; expected an attribute X with an "X-metadata" object'
    )
  }
  return attrs
}

function inspectLine(
  text: string,
  lineNumber: number,
  bytes = Buffer.byteLength(text, 'utf8')
): LineFindings {
  const f = new Findings()
  const found: LineFindings = {
    problems: f.problems,
    warnings: f.warnings,
    kinds: [],
    labels: [],
    boxes: 0
  }
  if (bytes > MAX_LINE_BYTES) {
    // debugging-datasets-terminal-errors.html ("Terminal content errors", no code).
    f.add(undefined, `line: ${bytes} bytes; one JSON line may hold at most ${MAX_LINE_BYTES}`)
  }
  // Editors on Windows add a BOM; JSON forbids it and the service's parser may refuse it.
  if (lineNumber === 1 && text.startsWith('\uFEFF')) {
    f.add(undefined, 'line: starts with a byte-order mark; save the manifest as UTF-8 without BOM')
    text = text.slice(1)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    f.add('ERROR_INVALID_JSON_LINE', `line: not valid JSON (${show((err as Error).message)})`)
    return found
  }
  if (!isObject(parsed)) {
    f.add('ERROR_INVALID_JSON_LINE', `line: must be a JSON object, got ${show(parsed)}`)
    return found
  }
  const ref = checkSourceRef(parsed, f)
  found.sourceRef = ref?.ref
  found.bucket = ref?.bucket

  // Classification counts images per label (each name once a line); detection counts boxes.
  const classNames = new Set<string>()
  for (const key of pairAttributes(parsed, f)) {
    const meta = parsed[key + METADATA_SUFFIX]
    const attr = fieldName(key)
    const field = fieldName(key + METADATA_SUFFIX)
    if (!isObject(meta)) {
      f.add(METADATA_FORMAT, `${field}: must be an object, got ${show(meta)}`)
      continue
    }
    const type = meta['type']
    if (type === CLASSIFICATION_TYPE) {
      checkCommonMetadata(meta, field, f)
      const name = checkClassification(attr, parsed[key], meta, f)
      if (name !== undefined) classNames.add(name)
      if (!found.kinds.includes('classification')) found.kinds.push('classification')
    } else if (type === DETECTION_TYPE) {
      checkCommonMetadata(meta, field, f)
      const boxLabels = checkDetection(attr, parsed[key], meta, f)
      found.labels.push(...boxLabels)
      found.boxes += boxLabels.length
      if (!found.kinds.includes('detection')) found.kinds.push('detection')
    } else if (type === undefined) {
      f.add(
        METADATA_FORMAT,
        `${field}.type: missing; must be "${CLASSIFICATION_TYPE}" or "${DETECTION_TYPE}"`
      )
    } else {
      // tm-debugging-json-line-errors.html, ERROR_UNSUPPORTED_USE_CASE_TYPE.
      f.add(
        'ERROR_UNSUPPORTED_USE_CASE_TYPE',
        `${field}.type: unknown type ${show(type)}; must be "${CLASSIFICATION_TYPE}" or "${DETECTION_TYPE}"`
      )
    }
  }
  const distinct = new Set([...classNames, ...found.labels]).size
  if (distinct > MAX_LABELS_PER_IMAGE) {
    // limits.html: "Maximum number of labels per image is 50" (no code of its own).
    f.add(undefined, `line: ${distinct} labels; at most ${MAX_LABELS_PER_IMAGE} per image`)
  }
  found.labels.push(...classNames)
  return found
}

/**
 * One line, for unit tests and the streaming loop: the problems of that line (their codes beside
 * them, in order), its documented warnings, and what it adds to the stats. A line with any problem
 * adds nothing (the service drops or rejects it).
 */
export function validateLine(
  text: string,
  lineNumber: number
): {
  problems: string[]
  codes: (ManifestCode | undefined)[]
  warnings: string[]
  kind?: ManifestKind
  labels: string[]
  boxes: number
} {
  if (text.trim() === '') return { problems: [], codes: [], warnings: [], labels: [], boxes: 0 }
  const found = inspectLine(text, lineNumber)
  const problems = found.problems.map((p) => p.message)
  const codes = found.problems.map((p) => p.code)
  const warnings = found.warnings.map((w) => w.message)
  if (problems.length > 0) return { problems, codes, warnings, labels: [], boxes: 0 }
  return {
    problems,
    codes,
    warnings,
    kind: found.kinds[0],
    labels: found.labels,
    boxes: found.boxes
  }
}

// --- The whole manifest -----------------------------------------------------------------------

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

function addWarning(s: State, line: number, message: string, code: ManifestCode): void {
  s.warningCount++
  if (s.warnings.length < s.cap) s.warnings.push({ line, message, code })
}

/** Manifest-wide limits are reported once, at the line that crosses them. */
function addOnce(s: State, key: string, line: number, message: string, code: ManifestCode): void {
  if (s.reported.has(key)) return
  s.reported.add(key)
  addProblem(s, line, message, code)
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

/** Problems that need the lines before this one: one bucket, no repeated image. */
function crossLineProblems(s: State, found: LineFindings, lineNumber: number): Found[] {
  const problems: Found[] = []
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
      problems.push({
        message: `source-ref: image already listed at ${scope.where(first.file, first.line, s.file)}; list each image once in a dataset`
      })
    }
    const other = scope.other
    const there = other?.refs.find(hash)
    if (other && there) {
      problems.push({
        message: `source-ref: image is also in the ${other.name} dataset (${other.where(there.file, there.line, -1)}); an image may not be in both the training and the testing dataset`
      })
    }
  }
  return problems
}

function step(s: State, text: string, lineNumber: number): void {
  const bytes = Buffer.byteLength(text, 'utf8')
  s.bytes += bytes + 1
  if (text.trim() === '') return
  s.lines++
  // Blank lines count as dataset objects too, so the limit is on the line number.
  if (lineNumber > MAX_MANIFEST_LINES) {
    addOnce(
      s,
      'lines',
      lineNumber,
      `manifest: more than ${MAX_MANIFEST_LINES} lines (blank and invalid lines count)`,
      'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
    )
  }
  if (s.bytes > MAX_MANIFEST_BYTES) {
    addOnce(
      s,
      'bytes',
      lineNumber,
      `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB)`,
      'ERROR_MANIFEST_SIZE_TOO_LARGE'
    )
  }
  const found = inspectLine(text, lineNumber, bytes)
  const problems = [...found.problems, ...crossLineProblems(s, found, lineNumber)]
  for (const p of problems) addProblem(s, lineNumber, p.message, p.code)
  if (problems.length > 0) return
  for (const w of found.warnings) addWarning(s, lineNumber, w.message, w.code!)
  // An ignored line (a documented warning with nothing to train on) is no image of the dataset.
  if (found.warnings.length > 0 && found.labels.length === 0) return

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

/** limits.html: at least 2 labels for classification, 1 for detection ("Object Location"). */
function labelCountProblem(labels: number, kinds: ManifestKind[]): Found | undefined {
  // A manifest mixing kinds is allowed; with any boxes the lower detection minimum applies.
  const kind: ManifestKind = kinds.includes('detection') ? 'detection' : 'classification'
  if (labels >= MIN_LABELS[kind]) return undefined
  return {
    code: 'ERROR_MANIFEST_TOO_FEW_LABELS',
    message: `manifest: ${plural(labels, 'distinct label')}; a ${kind} manifest needs at least ${MIN_LABELS[kind]}`
  }
}

function capOf(options: ValidateOptions): number {
  const n = options.maxProblems
  return n === undefined || !Number.isFinite(n) ? 100 : Math.max(0, Math.floor(n))
}

/** Streams lines: pass e.g. readline's async iterator over a file. Never holds the whole file in memory. */
export async function validateManifest(
  lines: AsyncIterable<string> | Iterable<string>,
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
    kinds: [],
    scope,
    file: scope.files.length - 1,
    partOfDataset: options.dataset !== undefined,
    reported: new Set()
  }
  let lineNumber = 0
  for await (const text of lines) step(s, text, ++lineNumber)
  finish(s)
  return {
    problems: s.problems,
    problemCount: s.problemCount,
    warnings: s.warnings,
    warningCount: s.warningCount,
    lineCount: lineNumber,
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

// --- A dataset of several files, and the two datasets together ---------------------------------

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
  size: { lines: number; bytes: number }
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

/** Labels with fewer images than the guide recommends / requires, for a warning; rarest first. */
export function rareLabels(stats: ManifestStats): { label: string; count: number }[] {
  return Object.entries(stats.labels)
    .filter(([, count]) => count < RECOMMENDED_IMAGES_PER_LABEL)
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => a.count - b.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}
