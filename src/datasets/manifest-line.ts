// One JSON line of a manifest: its shape (JSON, source-ref, label attributes and their metadata),
// each attribute checked by its kind. Pure.
import { S3_BUCKET, S3_OBJECT_NAME, breaks, charLength } from '../inputs/constraints.js'
import { checkClassification } from './manifest-classification.js'
import {
  METADATA_FORMAT,
  Findings,
  checkCommonMetadata,
  fieldName,
  isObject,
  show,
  type Found,
  type JsonObject
} from './manifest-common.js'
import { checkDetection } from './manifest-detection.js'
import {
  MAX_LABELS_PER_IMAGE,
  MAX_LINE_CHARS,
  type ManifestCode,
  type ManifestKind
} from './manifest-limits.js'

const CLASSIFICATION_TYPE = 'groundtruth/image-classification'
const DETECTION_TYPE = 'groundtruth/object-detection'
const METADATA_SUFFIX = '-metadata'

/**
 * Keys a validation manifest adds at the top of a line: tm-debugging-scope-json-line.html
 * (`errors`, and `warnings` in the WARNING_NO_ANNOTATIONS example of tm-debugging-json-line-errors.html)
 * and the ERROR_UNSUPPORTED_USE_CASE_TYPE example there (`cl-metadata`, `cl-errors`).
 * tm-debugging-fixing-validation-errors.html: "Retrain the model using the validation manifest
 * files as the training and testing datasets", so a line carrying them is a line to train on.
 */
const VALIDATION_KEYS: ReadonlySet<string> = new Set([
  'errors',
  'warnings',
  'cl-metadata',
  'cl-errors'
])

/** Everything one line yields; the streaming loop needs more than validateLine returns. */
export interface LineFindings {
  problems: Found[]
  warnings: Found[]
  kinds: ManifestKind[]
  labels: string[]
  /** Per kind, the labels its attributes carry (each once). */
  byKind: Partial<Record<ManifestKind, string[]>>
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

/** Label attributes: X with an X-metadata object; orphans on either side are problems. */
function pairAttributes(line: JsonObject, f: Findings): string[] {
  const keys = Object.keys(line).filter((k) => k !== 'source-ref' && !VALIDATION_KEYS.has(k))
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

export function inspectLine(
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
    byKind: {},
    boxes: 0
  }
  // debugging-datasets-terminal-errors.html ("Terminal content errors", no code): "The maximum
  // length is 100,000 characters". A line of at most that many bytes holds no more characters.
  const chars = bytes <= MAX_LINE_CHARS ? bytes : charLength(text)
  if (chars > MAX_LINE_CHARS) {
    f.add(undefined, `line: ${chars} characters; one JSON line may hold at most ${MAX_LINE_CHARS}`)
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
      if (name !== undefined) (found.byKind.classification ??= []).push(name)
      if (!found.kinds.includes('classification')) found.kinds.push('classification')
    } else if (type === DETECTION_TYPE) {
      checkCommonMetadata(meta, field, f)
      const boxLabels = checkDetection(attr, parsed[key], meta, f)
      found.labels.push(...boxLabels)
      found.boxes += boxLabels.length
      if (boxLabels.length > 0) (found.byKind.detection ??= []).push(...boxLabels)
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
  for (const k of found.kinds) found.byKind[k] = [...new Set(found.byKind[k] ?? [])]
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
