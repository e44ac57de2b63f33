// Request validation as the service does it: wrong JSON types are SerializationException;
// length, range, pattern and required-member problems are all collected into one
// ValidationException worded like Coral's ("1 validation error detected: Value 'x' at
// 'versionName' failed to satisfy constraint: Member must ...").
import { ServiceError } from './wire.js'

export interface Pattern {
  /** As the service model spells it (shown in the message). */
  text: string
  re: RegExp
}

export type Shape =
  | { type: 'string'; min?: number; max?: number; pattern?: Pattern }
  | { type: 'integer' | 'float'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'list'; member: Shape; min?: number; max?: number }
  | { type: 'map'; key: Shape; value: Shape; min?: number; max?: number }
  | { type: 'structure'; members: Record<string, Shape>; required?: string[] }

/** Whole-string match, as the service's Java matcher does. */
export function pattern(text: string, flags = ''): Pattern {
  return { text, re: new RegExp(`^(?:${text})$`, flags) }
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'null'
  if (typeof value === 'string') return `'${value}'`
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${k}=${String(v)}`
    )
    return `{${entries.join(', ')}}`
  }
  return String(value)
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'Start of list'
  if (value !== null && typeof value === 'object') return 'Start of structure or map'
  return typeof value === 'string'
    ? 'STRING_VALUE'
    : typeof value === 'boolean'
      ? 'BOOLEAN_VALUE'
      : 'NUMBER_VALUE'
}

function serialization(value: unknown, expected: string): ServiceError {
  const found = typeName(value)
  const message = found.startsWith('Start of')
    ? `${found} found where not expected`
    : `${found} can not be converted to ${expected}`
  return new ServiceError('SerializationException', message)
}

/** Constraint messages of a value that has the right JSON type. */
function lengthProblems(length: number, min?: number, max?: number, what = 'length'): string[] {
  const out: string[] = []
  if (min !== undefined && length < min)
    out.push(`Member must have ${what} greater than or equal to ${min}`)
  if (max !== undefined && length > max)
    out.push(`Member must have ${what} less than or equal to ${max}`)
  return out
}

/** Checks `value` against `shape`; appends "Value ... at 'path' ..." lines to `errors`. */
function check(shape: Shape, value: unknown, path: string, errors: string[]): void {
  const fail = (problems: string[]) => {
    for (const p of problems)
      errors.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${p}`)
  }
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') throw serialization(value, 'String')
      const problems = lengthProblems([...value].length, shape.min, shape.max)
      if (shape.pattern && !shape.pattern.re.test(value)) {
        problems.push(`Member must satisfy regular expression pattern: ${shape.pattern.text}`)
      }
      return fail(problems)
    }
    case 'integer':
    case 'float': {
      if (typeof value !== 'number' || (shape.type === 'integer' && !Number.isInteger(value))) {
        throw serialization(value, shape.type === 'integer' ? 'Integer' : 'Float')
      }
      return fail(lengthProblems(value, shape.min, shape.max, 'value'))
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(value, 'Boolean')
      return
    case 'list': {
      if (!Array.isArray(value)) throw serialization(value, 'List')
      fail(lengthProblems(value.length, shape.min, shape.max))
      value.forEach((item, i) => {
        if (item !== null) check(shape.member, item, `${path}.${i + 1}.member`, errors)
      })
      return
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw serialization(value, 'Map')
      const entries = Object.entries(value as Record<string, unknown>)
      fail(lengthProblems(entries.length, shape.min, shape.max))
      // Coral reports map keys and values as one constraint on the whole map.
      for (const [part, sub, pick] of [
        ['keys', shape.key, (e: [string, unknown]) => e[0]],
        ['value', shape.value, (e: [string, unknown]) => e[1]]
      ] as const) {
        const inner: string[] = []
        for (const entry of entries) {
          const v = pick(entry)
          if (v === null) continue
          const found: string[] = []
          check(sub, v, path, found)
          for (const f of found) {
            const p = f.slice(f.indexOf('constraint: ') + 'constraint: '.length)
            if (!inner.includes(p)) inner.push(p)
          }
        }
        if (inner.length > 0) {
          const label = part === 'keys' ? 'Map keys' : 'Map value'
          fail([`${label} must satisfy constraint: [${inner.join(', ')}]`])
        }
      }
      return
    }
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw serialization(value, 'Structure')
      }
      const record = value as Record<string, unknown>
      for (const [name, member] of Object.entries(shape.members)) {
        const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name)
        const v = record[name]
        if (v === undefined || v === null) {
          if (shape.required?.includes(name)) {
            errors.push(
              `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`
            )
          }
          continue
        }
        check(member, v, memberPath, errors)
      }
      // Unknown members are ignored, as the JSON protocols do.
      return
    }
  }
}

/** Throws SerializationException or ValidationException; returns the body typed as given. */
export function validate<T>(shape: Shape, body: unknown): T {
  const errors: string[] = []
  check(shape, body ?? {}, '', errors)
  if (errors.length > 0) {
    const n = errors.length
    const head = `${n} validation error${n === 1 ? '' : 's'} detected: `
    throw new ServiceError('ValidationException', head + errors.join('; '))
  }
  return (body ?? {}) as T
}
