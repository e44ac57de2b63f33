// What the service wrote about a failed training's data, in the shapes the guide documents:
// the manifest summary (tm-debugging-summary.html: `statistics.training` / `statistics.testing`
// and top-level `errors`) and the validation manifests, copies of the datasets with `errors` added
// where a line, a label attribute, its metadata or a box is wrong (tm-debugging-scope-json-line.html;
// the ERROR_UNSUPPORTED_USE_CASE_TYPE example in tm-debugging-json-line-errors.html spells the
// arrays `cl-errors`). Pure.

export interface CodedError {
  code: string
  message: string
}

export interface DatasetStatistics {
  useCase?: string
  total?: number
  valid?: number
  invalid?: number
  ignored?: number
  errors: CodedError[]
}

export interface ManifestSummary {
  errors: CodedError[]
  training?: DatasetStatistics
  testing?: DatasetStatistics
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

function codedErrors(v: unknown): CodedError[] {
  if (!Array.isArray(v)) return []
  return v.flatMap((e) =>
    isObject(e) && typeof e.code === 'string'
      ? [{ code: e.code, message: typeof e.message === 'string' ? e.message : '' }]
      : []
  )
}

function statistics(v: unknown): DatasetStatistics | undefined {
  if (!isObject(v)) return undefined
  return {
    useCase: typeof v.use_case === 'string' ? v.use_case : undefined,
    total: num(v.total_json_lines),
    valid: num(v.valid_json_lines),
    invalid: num(v.invalid_json_lines),
    ignored: num(v.ignored_json_lines),
    errors: codedErrors(v.errors)
  }
}

/** manifest_summary.json; throws on text that is not a JSON object. */
export function parseManifestSummary(text: string): ManifestSummary {
  const v: unknown = JSON.parse(text)
  if (!isObject(v)) throw new Error('the manifest summary is not a JSON object')
  const stats = isObject(v.statistics) ? v.statistics : {}
  return {
    errors: codedErrors(v.errors),
    training: statistics(stats.training),
    testing: statistics(stats.testing)
  }
}

/** Every error a validation-manifest line carries, wherever the guide puts them. */
export function lineErrors(text: string): CodedError[] {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return []
  }
  const found: CodedError[] = []
  const visit = (node: unknown, depth: number): void => {
    if (depth > 4) return
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1)
      return
    }
    if (!isObject(node)) return
    for (const [key, value] of Object.entries(node)) {
      if (key === 'errors' || key === 'cl-errors') found.push(...codedErrors(value))
      else visit(value, depth + 1)
    }
  }
  visit(v, 0)
  return found
}

export interface LineError extends CodedError {
  /** 1-based line of the validation manifest (= the line of the manifest trained on). */
  line: number
}

/** Counts per code and the first lines in error, fed one line at a time. */
export class ErrorTally {
  readonly counts = new Map<string, number>()
  readonly first: LineError[] = []
  lines = 0
  constructor(private readonly keep: number) {}

  add(text: string, line: number): void {
    const errors = lineErrors(text)
    if (errors.length === 0) return
    this.lines++
    for (const e of errors) {
      this.counts.set(e.code, (this.counts.get(e.code) ?? 0) + 1)
      if (this.first.length < this.keep) this.first.push({ ...e, line })
    }
  }
}

/** `CODE ×n` pairs, most frequent first. */
export function countsText(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ')
}
