// The service's own constraints (Rekognition service model, CreateProjectVersion and
// DescribeProjectVersions). The SDK checks none of them, so the action does, before any call.

export interface TextRule {
  min: number
  max: number
  pattern: RegExp
  /** How the rule reads in an error message. */
  describe: string
}

const rule = (min: number, max: number, pattern: RegExp, shown: string): TextRule => ({
  min,
  max,
  pattern,
  describe: `must match ${shown} (${min}-${max} chars)`
})

export const PROJECT_ARN = rule(
  20,
  2048,
  /^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.-]{1,255}\/[0-9]+$/,
  'arn:<partition>:rekognition:<region>:<12-digit account>:project/<name>/<digits>'
)
export const VERSION_NAME = rule(1, 255, /^[a-zA-Z0-9_.-]+$/, '[a-zA-Z0-9_.-]+')
export const S3_BUCKET = rule(3, 255, /^[0-9A-Za-z.\-_]+$/, '[0-9A-Za-z.-_]+')
export const S3_KEY_PREFIX = rule(0, 1024, /^[\s\S]*$/, 'any characters')
export const S3_OBJECT_NAME = rule(1, 1024, /^[\s\S]+$/, 'any characters')
export const S3_OBJECT_VERSION = rule(1, 1024, /^[\s\S]+$/, 'any characters')
export const KMS_KEY_ID = rule(
  1,
  2048,
  /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$/,
  '[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]*'
)
export const VERSION_DESCRIPTION = rule(
  1,
  255,
  /^[a-zA-Z0-9-_. ()':,;?]+$/,
  "[a-zA-Z0-9-_. ()':,;?]+"
)
// Tag keys and values: Unicode letters, separators, numbers and _.:/=+-@ only.
export const TAG_KEY = rule(
  1,
  128,
  /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  '[\\p{L}\\p{Z}\\p{N}_.:/=+-@]+'
)
export const TAG_VALUE = rule(
  0,
  256,
  /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  '[\\p{L}\\p{Z}\\p{N}_.:/=+-@]*'
)
export const MAX_TAGS = 200
export const RESERVED_TAG_PREFIX = 'aws:'
/** Characters a tag value may hold; anything else is replaced when sanitising. */
export const TAG_CHAR = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u
export const VERSION_NAME_CHAR = /[a-zA-Z0-9_.-]/
export const DESCRIPTION_CHAR = /[a-zA-Z0-9\-_. ()':,;?]/
// Region codes: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ...
export const REGION = rule(
  9,
  30,
  /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  '<area>-<place>-<digit>, e.g. eu-west-1'
)

/** Length in characters as the service counts them (code points, not UTF-16 units). */
export const charLength = (s: string): number => [...s].length

/** Returns why `value` breaks `r`, or undefined when it is fine. */
export function breaks(value: string, r: TextRule): string | undefined {
  const n = charLength(value)
  if (n < r.min) return n === 0 ? 'is empty' : `is too short (${n} chars)`
  if (n > r.max) return `is too long (${n} chars)`
  if (!r.pattern.test(value)) return 'has characters outside the allowed set'
  return undefined
}
