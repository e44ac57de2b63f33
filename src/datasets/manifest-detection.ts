// An object-detection label attribute: image size, boxes, class map, confidences
// (md-create-manifest-file-object-detection.html).
import {
  ATTRIBUTE_FORMAT,
  METADATA_FORMAT,
  isInteger,
  isObject,
  labelNameProblem,
  plural,
  show,
  type Findings,
  type Found,
  type JsonObject
} from './manifest-common.js'
import {
  MAX_ASPECT_RATIO,
  MAX_BOXES_PER_IMAGE,
  MAX_IMAGE_SIDE,
  MIN_BOX_SIDE_EXCLUSIVE,
  MIN_IMAGE_SIDE,
  TRAINING_RESIZE_MAX_SIDE
} from './manifest-limits.js'

interface ImageSize {
  width: number
  height: number
}

/**
 * md-create-manifest-file-object-detection.html: `image_size` is "a single element array" of
 * width, height and depth. depth: "(Required) The number of channels in the image ... Not
 * currently used by Amazon Rekognition Custom Labels, but a value is required": present and a
 * number (its value is not used, so any number is taken). Sides outside 64-4096 px are ERROR_INVALID_IMAGE_DIMENSION ("reported for
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
  const depth = size['depth']
  if (typeof depth !== 'number' || !Number.isFinite(depth)) {
    const got = depth === undefined ? 'missing' : `got ${show(depth)}`
    f.add(
      ATTRIBUTE_FORMAT,
      `${field}[0].depth: required (not used, but a value is required); ${got}`
    )
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
 * in pixels. A missing or non-number field breaks the attribute's format (an error of the line:
 * tm-debugging-fixing-validation-errors.html lists it among those that stop a line's validation).
 * A negative value is ERROR_INVALID_BOUNDING_BOX ("off frame values ... or contains negative
 * values"), an error of that box only (boxProblems). The guide does not say pixels are whole
 * numbers, so any finite number is taken (the safe reading); class_id maps to a class-map key,
 * so it must be an integer.
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
    }
  }
  if (!ok) return undefined
  const v = value as Record<string, number>
  return { classId: v.class_id, left: v.left, top: v.top, width: v.width, height: v.height }
}

/**
 * What is wrong with one box, if anything: negative or off-frame (ERROR_INVALID_BOUNDING_BOX) or
 * too small (ERROR_BOUNDING_BOX_TOO_SMALL). Each is an error of that box alone:
 * tm-debugging-scope-json-line.html, "if the left value for one of four bounding boxes associated
 * with a label is negative, the model is still trained using the other valid bounding boxes";
 * for ERROR_BOUNDING_BOX_TOO_SMALL, "The error information is added to the annotation object".
 */
function boxProblems(field: string, box: Box, image: ImageSize | undefined): Found[] {
  const out: Found[] = []
  const BAD = 'ERROR_INVALID_BOUNDING_BOX'
  for (const name of ['left', 'top', 'width', 'height'] as const) {
    if (box[name] < 0)
      out.push({ code: BAD, message: `${field}.${name}: must be 0 or more, got ${box[name]}` })
  }
  if (!image || out.length > 0) return out
  if (box.left + box.width > image.width) {
    out.push({
      code: BAD,
      message: `${field}: left + width = ${box.left + box.width} exceeds the image width ${image.width}`
    })
  }
  if (box.top + box.height > image.height) {
    out.push({
      code: BAD,
      message: `${field}: top + height = ${box.top + box.height} exceeds the image height ${image.height}`
    })
  }
  const longest = Math.max(image.width, image.height)
  const scale = longest > TRAINING_RESIZE_MAX_SIDE ? TRAINING_RESIZE_MAX_SIDE / longest : 1
  if (box.width * scale <= MIN_BOX_SIDE_EXCLUSIVE || box.height * scale <= MIN_BOX_SIDE_EXCLUSIVE) {
    out.push({
      code: 'ERROR_BOUNDING_BOX_TOO_SMALL',
      message:
        `${field}: box ${box.width}x${box.height} is too small; each side must exceed ` +
        `${MIN_BOX_SIDE_EXCLUSIVE} px after training scales the image to ${TRAINING_RESIZE_MAX_SIDE} px`
    })
  }
  return out
}

/** Returns the label of each valid box. */
export function checkDetection(
  attr: string,
  value: unknown,
  meta: JsonObject,
  f: Findings
): string[] {
  if (!isObject(value)) {
    f.add(
      ATTRIBUTE_FORMAT,
      `${attr}: must be an object {image_size, annotations}, got ${show(value)}`
    )
    return []
  }
  const image = checkImageSize(attr, value['image_size'], f)
  const annotations = value['annotations']
  if (annotations === undefined) {
    // tm-debugging-json-line-errors.html, WARNING_NO_ATTRIBUTE_ANNOTATIONS: "The annotations array
    // is not present or is not populuated. The JSON Line is valid, but isn't used for training."
    f.warn(
      'WARNING_NO_ATTRIBUTE_ANNOTATIONS',
      `${attr}.annotations: missing; the service ignores this attribute`
    )
    return []
  }
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
  const unusable: Found[] = []
  annotations.forEach((raw, i) => {
    const field = `${attr}.annotations[${i}]`
    const box = checkBox(field, raw, f)
    if (!box) return
    const wrong = boxProblems(field, box, image)
    if (wrong.length > 0) {
      unusable.push(...wrong)
      return
    }
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
  if (unusable.length > 0 && labels.length === 0) {
    // tm-debugging-json-line-errors.html, ERROR_NO_VALID_ANNOTATIONS: "None of the annotation
    // objects in the JSON Line contain valid bounding box information."
    const why = unusable.map((p) => `${p.code}: ${p.message}`).join('; ')
    f.add('ERROR_NO_VALID_ANNOTATIONS', `${attr}.annotations: no usable box (${why})`)
  } else {
    // The line trains on its other boxes: each bad one is a warning.
    for (const p of unusable) f.warn(p.code, `${p.message}; the service trains on the other boxes`)
  }
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
