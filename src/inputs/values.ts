// An input's value as a boolean or a decimal number, by one rule for every input. Pure.
import { inputError } from '../errors.js'

/** The YAML 1.2 core schema's booleans, as @actions/core accepts them; nothing else. */
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

export function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw inputError(input, value, 'is not a boolean', 'must be true or false')
}

export interface NumberRule {
  min: number
  max?: number
  /** The lower bound itself is refused (for durations that must be > 0). */
  exclusiveMin?: boolean
}

export function parseNumber(input: string, value: string, r: NumberRule): number {
  const bounds = `${r.exclusiveMin ? '>' : '>='} ${r.min}${r.max === undefined ? '' : ` and <= ${r.max}`}`
  const rule = `must be a decimal number ${bounds}`
  // Plain decimals only: no hex, exponents, Infinity or trailing units that Number() would take.
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(value)) throw inputError(input, value, 'is not a number', rule)
  const n = Number(value)
  const low = r.exclusiveMin ? n <= r.min : n < r.min
  if (low || (r.max !== undefined && n > r.max))
    throw inputError(input, value, 'is out of range', rule)
  return n
}
