// A classification label attribute (md-create-manifest-file-classification.html).
import {
  ATTRIBUTE_FORMAT,
  METADATA_FORMAT,
  isInteger,
  labelNameProblem,
  show,
  type Findings,
  type JsonObject
} from './manifest-common.js'

/**
 * md-create-manifest-file-classification.html: the attribute's value "is not used by Amazon
 * Rekognition Custom Labels and can be any integer value"; `confidence` is required ("a value
 * between 0 and 1 must be supplied"); `class-name` is required.
 */
export function checkClassification(
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
