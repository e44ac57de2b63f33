// Helpers every part of the manifest validator shares: JSON checks, message formatting, the
// collector of a line's problems and warnings, and the fields both manifest kinds carry.
import { charLength } from '../inputs/constraints.js'
import { MAX_LABEL_NAME_CHARS, type ManifestCode } from './manifest-limits.js'

export type JsonObject = Record<string, unknown>

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/** A value as it may appear in a one-line message: JSON, shortened, no line separators. */
export function show(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(/[\u2028\u2029]/g, ' ')
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** A JSON key as a field name in a message: as is, unless it holds control characters. */
export const fieldName = (key: string): string =>
  /^[^\p{Cc}\u2028\u2029]*$/u.test(key) ? key : show(key)

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** One problem of a line: the guide's code (when it has one) and what is wrong. */
export interface Found {
  code?: ManifestCode
  message: string
}

/** Collects a line's problems (refused) and documented warnings (the line is only ignored). */
export class Findings {
  readonly problems: Found[] = []
  readonly warnings: Found[] = []
  add(code: ManifestCode | undefined, message: string): void {
    this.problems.push({ code, message })
  }
  warn(code: ManifestCode | undefined, message: string): void {
    this.warnings.push({ code, message })
  }
}

export const METADATA_FORMAT = 'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'
export const ATTRIBUTE_FORMAT = 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'

/**
 * Fields both kinds require (md-create-manifest-file-classification.html and
 * md-create-manifest-file-object-detection.html): `human-annotated` ("yes" or "no") and
 * `creation-date`; `job-name` is optional. A wrong one is ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT.
 */
export function checkCommonMetadata(meta: JsonObject, field: string, f: Findings): void {
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
export function labelNameProblem(name: unknown): Found | undefined {
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
