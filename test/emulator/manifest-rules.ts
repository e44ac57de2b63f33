// The emulator's own reading of the manifests a version trains on, written from the Custom Labels
// guide (not from the action's validator, so the two can disagree): which JSON lines are in error
// (tm-debugging-json-line-errors.html), which errors end the training (tm-debugging-aggregate-errors.html,
// tm-terminal-errors-reference.html), and the files the service writes about it
// (tm-debugging-summary.html, tm-debugging-scope-json-line.html).
import type { Store } from './store.js'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface CodedError {
  code: string
  message: string
}

/** The guide's messages for each code. */
export const MESSAGES: Record<string, string> = {
  ERROR_MISSING_SOURCE_REF: 'The source-ref key is missing.',
  ERROR_INVALID_SOURCE_REF_FORMAT: 'The format of the source-ref value is invalid.',
  ERROR_NO_LABEL_ATTRIBUTES: 'No label attributes found.',
  ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT: 'The format of the label attribute {} is invalid.',
  ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT:
    'The format of the label attribute metadata is invalid.',
  ERROR_NO_VALID_LABEL_ATTRIBUTES: 'No valid label attributes found.',
  ERROR_MISSING_BOUNDING_BOX_CONFIDENCE:
    'One or more bounding boxes has a missing confidence value.',
  ERROR_MISSING_CLASS_MAP_ID: 'One of more class ids is missing from the class map.',
  ERROR_INVALID_JSON_LINE: 'The JSON Line has an invalid format.',
  ERROR_INVALID_IMAGE: 'The image is invalid. Check S3 path and/or image properties.',
  ERROR_INVALID_IMAGE_DIMENSION: 'The image dimension(s) do not conform to allowed dimensions.',
  ERROR_INVALID_BOUNDING_BOX: 'The bounding box has off frame values.',
  ERROR_BOUNDING_BOX_TOO_SMALL: 'The height and width of the bounding box is too small.',
  ERROR_TOO_MANY_BOUNDING_BOXES: 'There are more bounding boxes than the allowed maximum.',
  ERROR_UNSUPPORTED_USE_CASE_TYPE:
    'The use case type of the label attribute metadata is unsupported. Check the type field.',
  ERROR_INVALID_LABEL_NAME_LENGTH: 'The length of a label name is too long.',
  WARNING_UNANNOTATED_RECORD: 'Record is unannotated.',
  WARNING_NO_ANNOTATIONS: 'No annotations were found.',
  WARNING_NO_ATTRIBUTE_ANNOTATIONS: 'No attribute annotations provided.',
  ERROR_NO_VALID_ANNOTATIONS: 'No valid annotations found.',
  ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP:
    'Less than 50% usable label overlap between the training and testing manifest files.',
  ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST: 'The manifest file contains too many invalid rows.',
  ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS:
    'The manifest file contains images from multiple S3 buckets.',
  ERROR_MANIFEST_TOO_FEW_LABELS: 'The manifest file has too few labels.',
  ERROR_MANIFEST_TOO_MANY_LABELS: 'The manifest file has too many labels.',
  ERROR_INSUFFICIENT_LABEL_OVERLAP:
    'Less than 50% label overlap between the training and testing manifest files.'
}

/** tm-terminal-errors-reference.html: manifest file errors, told by StatusMessage alone. */
export const FILE_ERRORS = {
  empty: 'The manifest file is empty.',
  extension: 'The manifest file extension or contents are invalid.',
  size: 'The manifest file size exceeds the maximum supported size.',
  output: 'Unable to write to output S3 bucket.'
} as const

const err = (code: string): CodedError => ({ code, message: MESSAGES[code] ?? code })

export interface CheckedLine {
  /** The line as the validation manifest shows it (errors added). */
  copy: Json
  errors: CodedError[]
  ignored: boolean
  labels: string[]
  bucket?: string
  kind?: 'classification' | 'detection'
}

/** PNG or JPEG by their first bytes (limits.html: "Supported file formats are PNG and JPEG"). */
function isImage(body: Buffer): boolean {
  const png = body
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  const jpeg = body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff
  return png || jpeg
}

function checkClassification(meta: Json, value: unknown, errors: CodedError[]): string | undefined {
  const c = meta.confidence
  const bad =
    typeof c !== 'number' ||
    c < 0 ||
    c > 1 ||
    typeof meta['class-name'] !== 'string' ||
    (meta['human-annotated'] !== 'yes' && meta['human-annotated'] !== 'no') ||
    typeof meta['creation-date'] !== 'string'
  if (!Number.isInteger(value)) errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'))
  if (bad) {
    errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'))
    return undefined
  }
  const name = meta['class-name'] as string
  if ([...name].length > 256) {
    errors.push(err('ERROR_INVALID_LABEL_NAME_LENGTH'))
    return undefined
  }
  return name
}

function checkDetection(
  meta: Json,
  value: unknown,
  errors: CodedError[],
  warnings: CodedError[]
): string[] {
  if (isObject(value) && value.annotations === undefined) {
    // WARNING_NO_ATTRIBUTE_ANNOTATIONS: "The annotations array is not present or is not
    // populuated. The JSON Line is valid, but isn't used for training."
    warnings.push(err('WARNING_NO_ATTRIBUTE_ANNOTATIONS'))
    return []
  }
  if (!isObject(value) || !Array.isArray(value.image_size) || !Array.isArray(value.annotations)) {
    errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'))
    return []
  }
  const size = value.image_size[0] as Json | undefined
  const width = size?.width
  const height = size?.height
  // md-create-manifest-file-object-detection.html: depth "Not currently used ... but a value is
  // required".
  if (typeof width !== 'number' || typeof height !== 'number' || typeof size?.depth !== 'number') {
    errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'))
    return []
  }
  if (
    typeof meta['class-map'] !== 'object' ||
    (meta['human-annotated'] !== 'yes' && meta['human-annotated'] !== 'no') ||
    typeof meta['creation-date'] !== 'string'
  ) {
    errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'))
    return []
  }
  if (Math.min(width, height) < 64 || Math.max(width, height) > 4096) {
    errors.push(err('ERROR_INVALID_IMAGE_DIMENSION'))
  }
  const boxes = value.annotations as Json[]
  const objects = meta.objects
  if (
    !Array.isArray(objects) ||
    objects.length !== boxes.length ||
    objects.some((o) => !isObject(o) || typeof o.confidence !== 'number')
  ) {
    errors.push(err('ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'))
  }
  if (boxes.length > 50) errors.push(err('ERROR_TOO_MANY_BOUNDING_BOXES'))
  if (boxes.length === 0) warnings.push(err('WARNING_NO_ANNOTATIONS'))
  const classMap = meta['class-map'] as Json
  const scale = Math.max(width, height) > 1280 ? 1280 / Math.max(width, height) : 1
  const labels: string[] = []
  for (const box of boxes) {
    const boxErrors: CodedError[] = []
    const { left, top, width: w, height: h, class_id: id } = box as Record<string, number>
    // The JSON line error precedence (tm-debugging-fixing-validation-errors.html) puts a missing
    // class map id with the errors of the whole line.
    if (!Object.hasOwn(classMap, String(id))) errors.push(err('ERROR_MISSING_CLASS_MAP_ID'))
    if (left < 0 || top < 0 || left + w > width || top + h > height)
      boxErrors.push(err('ERROR_INVALID_BOUNDING_BOX'))
    else if (w * scale <= 1 || h * scale <= 1) boxErrors.push(err('ERROR_BOUNDING_BOX_TOO_SMALL'))
    // tm-debugging-scope-json-line.html: "if the left value for one of four bounding boxes ... is
    // negative, the model is still trained using the other valid bounding boxes"; the error is
    // added to the annotation object.
    if (boxErrors.length > 0) box.errors = boxErrors
    else if (Object.hasOwn(classMap, String(id))) labels.push(String(classMap[String(id)]))
  }
  // ERROR_NO_VALID_ANNOTATIONS: "None of the annotation objects in the JSON Line contain valid
  // bounding box information."
  if (boxes.length > 0 && labels.length === 0 && errors.length === 0)
    errors.push(err('ERROR_NO_VALID_ANNOTATIONS'))
  return labels
}

/** One JSON line, as the service validates it. */
export function checkLine(store: Store, text: string): CheckedLine {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    // "The JSON Line is replaced with a new JSON Line that contains only the error information."
    const errors = [err('ERROR_INVALID_JSON_LINE')]
    return { copy: { errors }, errors, ignored: false, labels: [] }
  }
  if (!isObject(v)) {
    const errors = [err('ERROR_INVALID_JSON_LINE')]
    return { copy: { errors }, errors, ignored: false, labels: [] }
  }
  const errors: CodedError[] = []
  const warnings: CodedError[] = []
  const ref = v['source-ref']
  let bucket: string | undefined
  if (ref === undefined) errors.push(err('ERROR_MISSING_SOURCE_REF'))
  else if (typeof ref !== 'string' || !/^s3:\/\/[^/]+\/.+/.test(ref))
    errors.push(err('ERROR_INVALID_SOURCE_REF_FORMAT'))
  else {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref)!
    bucket = m[1]
    // The service reads the image itself; images in buckets the emulator does not hold are taken
    // as valid (most tests list images they never upload).
    if (store.buckets.has(m[1])) {
      const object = store.getObject(m[1], m[2])
      if (!object || !isImage(object.body)) errors.push(err('ERROR_INVALID_IMAGE'))
    }
  }
  // A validation manifest's own keys (tm-debugging-scope-json-line.html `errors`; the guide's
  // examples also show `warnings`, `cl-metadata` and `cl-errors`): the guide says to retrain from
  // those files, so they are no label attributes.
  const keys = Object.keys(v).filter(
    (k) => k !== 'source-ref' && !['errors', 'warnings', 'cl-metadata', 'cl-errors'].includes(k)
  )
  const attrs = keys.filter((k) => !k.endsWith('-metadata') && Object.hasOwn(v, `${k}-metadata`))
  const labels: string[] = []
  let kind: CheckedLine['kind']
  if (keys.length === 0) warnings.push(err('WARNING_UNANNOTATED_RECORD'))
  else if (attrs.length === 0 || attrs.length * 2 !== keys.length)
    errors.push(err('ERROR_NO_LABEL_ATTRIBUTES'))
  for (const attr of attrs) {
    const meta = v[`${attr}-metadata`]
    if (!isObject(meta)) {
      errors.push(err('ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'))
      continue
    }
    const attrErrors: CodedError[] = []
    if (meta.type === 'groundtruth/image-classification') {
      kind = 'classification'
      const name = checkClassification(meta, v[attr], attrErrors)
      if (name !== undefined) labels.push(name)
    } else if (meta.type === 'groundtruth/object-detection') {
      kind = 'detection'
      labels.push(...checkDetection(meta, v[attr], attrErrors, warnings))
    } else {
      attrErrors.push(
        err('ERROR_UNSUPPORTED_USE_CASE_TYPE'),
        err('ERROR_NO_VALID_LABEL_ATTRIBUTES')
      )
    }
    if (attrErrors.length > 0) {
      // Errors about the metadata go in the metadata object (tm-debugging-scope-json-line.html).
      meta['cl-errors'] = attrErrors.filter((e) => !/BOUNDING_BOX|CLASS_MAP/.test(e.code))
      errors.push(...attrErrors)
    }
  }
  const copy: Json = { ...v }
  const lineErrors = errors.filter((e) => !attrsHold(v, attrs, e))
  if (lineErrors.length > 0) copy.errors = lineErrors
  if (warnings.length > 0) copy.warnings = warnings
  const unique = [...new Set(errors.map((e) => e.code))].map(err)
  return {
    copy,
    errors: unique,
    ignored: unique.length === 0 && warnings.length > 0 && labels.length === 0,
    labels: unique.length === 0 ? labels : [],
    bucket,
    kind
  }
}

/** Whether an error already sits inside the line (in a metadata object or a box). */
function attrsHold(v: Json, attrs: string[], e: CodedError): boolean {
  return attrs.some((a) => {
    const meta = v[`${a}-metadata`]
    if (isObject(meta) && Array.isArray(meta['cl-errors']) && meta['cl-errors'].includes(e))
      return true
    const value = v[a]
    return (
      isObject(value) &&
      Array.isArray(value.annotations) &&
      value.annotations.some((b) => isObject(b) && Array.isArray(b.errors) && b.errors.includes(e))
    )
  })
}

export interface DatasetCheck {
  lines: CheckedLine[]
  errors: CodedError[]
  statistics: Json
  labels: Set<string>
}

/** One dataset's lines and its manifest content errors (tm-debugging-aggregate-errors.html). */
export function checkDataset(store: Store, text: string): DatasetCheck {
  // "Blank/invalid lines are also counted as dataset objects" (validation rules): a blank line
  // keeps its place in the validation copy, so its line numbers are the manifest's; the guide
  // does not say more about blank lines, so here they are ignored lines.
  const rows = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
  const lines = rows.map((l) =>
    l.trim() === '' ? { copy: {}, errors: [], ignored: true, labels: [] } : checkLine(store, l)
  )
  const invalid = lines.filter((l) => l.errors.length > 0).length
  const ignored = lines.filter((l) => l.ignored).length
  const valid = lines.length - invalid - ignored
  const labels = new Set(lines.flatMap((l) => l.labels))
  const kinds = new Set(lines.flatMap((l) => (l.kind ? [l.kind] : [])))
  const errors: CodedError[] = []
  // md-create-manifest-file-validation-rules.html: the 20% invalidity rule.
  if (invalid > 0.2 * (lines.length - ignored))
    errors.push(err('ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'))
  if (new Set(lines.flatMap((l) => (l.bucket ? [l.bucket] : []))).size > 1)
    errors.push(err('ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS'))
  if (labels.size < (kinds.has('detection') ? 1 : 2))
    errors.push(err('ERROR_MANIFEST_TOO_FEW_LABELS'))
  if (labels.size > 250) errors.push(err('ERROR_MANIFEST_TOO_MANY_LABELS'))
  const indices = lines.flatMap((l, i) => (l.errors.length > 0 ? [i + 1] : []))
  return {
    lines,
    errors,
    labels,
    statistics: {
      use_case:
        kinds.size === 1
          ? kinds.has('detection')
            ? 'OBJECT_LOCALIZATION'
            : 'IMAGE_LEVEL_LABELS'
          : 'NOT_DETERMINED',
      total_json_lines: lines.length,
      valid_json_lines: valid,
      invalid_json_lines: invalid,
      ignored_json_lines: ignored,
      error_json_line_indices: indices,
      errors
    }
  }
}

/**
 * tm-debugging-aggregate-errors.html, ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP: the service
 * "chooses to create a model that detects image-level labels, or a model that detects object
 * locations" from the training lines and "doesn't use valid JSON records for JSON Lines that are
 * not in the chosen model format". The guide does not say how it chooses: here, the format of
 * most valid training lines.
 */
export function usableOverlapError(
  training: DatasetCheck,
  testing: DatasetCheck
): CodedError | undefined {
  const count = (kind: string) =>
    training.lines.filter((l) => l.kind === kind && l.labels.length > 0).length
  const chosen = count('detection') > count('classification') ? 'detection' : 'classification'
  const usable = (d: DatasetCheck) =>
    new Set(d.lines.filter((l) => l.kind === chosen).flatMap((l) => l.labels))
  const train = usable(training)
  const test = usable(testing)
  if (train.size === 0) return undefined
  const common = [...train].filter((l) => test.has(l)).length
  return common / train.size < 0.5 ? err('ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP') : undefined
}

/** "Overlaps are (common labels between test and train)/(train labels)", at least 50%. */
export function overlapError(
  training: DatasetCheck,
  testing: DatasetCheck
): CodedError | undefined {
  if (training.labels.size === 0) return undefined
  const common = [...training.labels].filter((l) => testing.labels.has(l)).length
  return common / training.labels.size < 0.5 ? err('ERROR_INSUFFICIENT_LABEL_OVERLAP') : undefined
}
