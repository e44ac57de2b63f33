// The per-label quality gates: min-label-f1-score (a floor for every label, or `label=value` lines
// for some) and max-label-f1-drop (no label's F1 may fall more than this below the baseline's).
// Parsing, the tag form a collector reads back, and the verdicts. Pure.
import { TAG_VALUE, breaks } from '../inputs/constraints.js'
import { InputError, inputError } from '../errors.js'
import type { LabelComparison } from './evaluation.js'
import type { GateVerdict } from './gates.js'

export interface LabelFloors {
  /** The floor of every label not named below. */
  all?: number
  /** Floors of named labels, in the order given. */
  labels: [string, number][]
}

const DECIMAL = /^(\d+(\.\d+)?|\.\d+)$/
const RULE = 'must be a number 0-1 (a floor for every label) or label=value lines (0-1 each)'

function floor(input: string, text: string, shown: string): number {
  const n = Number(text)
  if (!DECIMAL.test(text) || n > 1)
    throw inputError(input, shown, text === '' ? 'has no value' : 'is not a number 0-1', RULE)
  return n
}

/**
 * `0.8`, or lines `label=value` (a label may hold `=`: the last one splits); a bare number line
 * among them sets the floor of the others. Blank lines and `#` comments are skipped.
 */
export function parseLabelFloors(input: string, text: string): LabelFloors | undefined {
  const out: LabelFloors = { labels: [] }
  const seen = new Set<string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const eq = line.lastIndexOf('=')
    if (eq < 0) {
      if (out.all !== undefined)
        throw inputError(input, line, 'is a second floor for every label', RULE)
      out.all = floor(input, line, line)
      continue
    }
    const label = line.slice(0, eq).trim()
    if (!label) throw inputError(input, line, 'names no label', RULE)
    if (seen.has(label)) throw inputError(input, line, `names ${label} twice`, RULE)
    seen.add(label)
    out.labels.push([label, floor(input, line.slice(eq + 1).trim(), line)])
  }
  if (out.all === undefined && out.labels.length === 0) return undefined
  return out
}

// The tag form: entries joined by a space; the floor of every label is a bare number, a named
// label `name=value`. A tag value may hold only letters, numbers, spaces and _.:/=+-@ (at most
// 256; CreateProjectVersion's Tags in the service model), so a label with any other character, a
// space or one of `:=/+` is written `b64:<base64 of its UTF-8>=value` (base64 uses A-Za-z0-9+/=).
const PLAIN_LABEL = /^[\p{L}\p{N}_.\-@]+$/u

const encodeLabel = (label: string): string =>
  PLAIN_LABEL.test(label) ? label : `b64:${Buffer.from(label, 'utf8').toString('base64')}`

/** The floors as one tag value; throws an InputError when it cannot be recorded in one tag. */
export function labelFloorsTag(input: string, f: LabelFloors): string {
  const parts = [
    ...(f.all === undefined ? [] : [String(f.all)]),
    ...f.labels.map(([label, value]) => `${encodeLabel(label)}=${value}`)
  ]
  const value = parts.join(' ')
  if (breaks(value, TAG_VALUE)) {
    throw new InputError(
      `${input} takes ${value.length} characters when recorded as a tag on the version, at most ${TAG_VALUE.max}; give fewer label=value lines (or one floor for every label)`
    )
  }
  return value
}

/** The tag value back; throws on anything labelFloorsTag does not write. */
export function parseLabelFloorsTag(tag: string, value: string): LabelFloors {
  const out: LabelFloors = { labels: [] }
  for (const part of value.split(' ').filter(Boolean)) {
    const eq = part.lastIndexOf('=')
    if (eq < 0) {
      out.all = floor(`tag ${tag}`, part, value)
      continue
    }
    const name = part.slice(0, eq)
    const label = name.startsWith('b64:')
      ? Buffer.from(name.slice(4), 'base64').toString('utf8')
      : name
    out.labels.push([label, floor(`tag ${tag}`, part.slice(eq + 1), value)])
  }
  return out
}

export interface LabelGateInput {
  labels?: LabelComparison[]
  /** Why there are no per-label metrics, when there are none. */
  labelsNote?: string
  minLabelF1Score?: LabelFloors
  maxLabelF1Drop?: number
  /** A baseline was found (its per-label metrics are on `labels` when they could be read). */
  baselineFound?: boolean
  /** Why there is no baseline to compare with. */
  baselineMissing?: string
  /** With `auto` and no earlier version, there is nothing to drop from: the gate passes. */
  firstVersion?: boolean
  /** Whether the baseline's per-label metrics could be read. */
  baselineLabelsRead?: boolean
}

const f = (n: number): string => n.toFixed(3)
const usable = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n)
const quoted = (label: string): string => JSON.stringify(label)

/** At most this many labels named in one verdict; the rest counted. */
const NAMED = 20

function listed(items: string[]): string {
  const shown = items.slice(0, NAMED).join('; ')
  return items.length > NAMED ? `${shown}; and ${items.length - NAMED} more` : shown
}

function minLabelVerdict(g: LabelGateInput, floors: LabelFloors): GateVerdict {
  const gate = 'min-label-f1-score'
  if (!g.labels || g.labels.length === 0)
    return {
      gate,
      passed: false,
      detail: `no per-label F1 scores to compare: ${g.labelsNote ?? 'the evaluation summary lists no labels'}`
    }
  const named = new Map(floors.labels)
  const byLabel = new Map(g.labels.map((l) => [l.label, l]))
  const failures: string[] = []
  let checked = 0
  const check = (label: string, min: number): void => {
    checked++
    const l = byLabel.get(label)
    if (!l) failures.push(`${quoted(label)} has no F1 in this version's results (floor ${f(min)})`)
    else if (!usable(l.f1))
      failures.push(`${quoted(label)} F1 ${String(l.f1)} is not a finite number (floor ${f(min)})`)
    else if (l.f1 < min)
      failures.push(`${quoted(label)} F1 ${f(l.f1)} < ${f(min)} by ${f(min - l.f1)}`)
  }
  for (const [label, min] of floors.labels) check(label, min)
  if (floors.all !== undefined)
    for (const l of g.labels) if (!named.has(l.label)) check(l.label, floors.all)
  if (failures.length > 0)
    return {
      gate,
      passed: false,
      detail: `${failures.length} label${failures.length === 1 ? '' : 's'} below the floor: ${listed(failures)}`
    }
  const lowest = g.labels
    .filter((l) => usable(l.f1))
    .sort((a, b) => a.f1! - b.f1!)
    .at(0)
  return {
    gate,
    passed: true,
    detail: `${checked} label${checked === 1 ? '' : 's'} at or above their floor${lowest ? `; lowest ${quoted(lowest.label)} F1 ${f(lowest.f1!)}` : ''}`
  }
}

function dropVerdict(g: LabelGateInput, maxDrop: number): GateVerdict {
  const gate = 'max-label-f1-drop'
  if (!g.baselineFound) {
    return g.firstVersion
      ? {
          gate,
          passed: true,
          detail: `${g.baselineMissing ?? 'no earlier version'}: nothing to drop from`
        }
      : {
          gate,
          passed: false,
          detail: `no baseline to compare per-label F1 with: ${g.baselineMissing ?? 'not found'}`
        }
  }
  if (!g.labels || g.labels.length === 0)
    return {
      gate,
      passed: false,
      detail: `no per-label F1 scores to compare: ${g.labelsNote ?? 'the evaluation summary lists no labels'}`
    }
  if (!g.baselineLabelsRead)
    return {
      gate,
      passed: false,
      detail:
        "the baseline's per-label F1 scores could not be read, so no label's drop can be checked"
    }
  const failures: string[] = []
  const added: string[] = []
  let worst: { label: string; drop: number } | undefined
  for (const l of g.labels) {
    if (l.added) {
      added.push(quoted(l.label))
      continue
    }
    if (!usable(l.f1) || !usable(l.baselineF1)) {
      failures.push(
        `${quoted(l.label)} F1 ${String(l.f1)} vs baseline ${String(l.baselineF1)}: not comparable`
      )
      continue
    }
    const drop = l.baselineF1 - l.f1
    if (!worst || drop > worst.drop) worst = { label: l.label, drop }
    if (drop > maxDrop + 1e-12)
      failures.push(
        `${quoted(l.label)} F1 ${f(l.f1)} dropped ${f(drop)} from ${f(l.baselineF1)}, more than ${f(maxDrop)} by ${f(drop - maxDrop)}`
      )
  }
  const extra = added.length > 0 ? ` (new, not compared: ${listed(added)})` : ''
  if (failures.length > 0)
    return {
      gate,
      passed: false,
      detail: `${failures.length} label${failures.length === 1 ? '' : 's'} dropped too far: ${listed(failures)}${extra}`
    }
  const largest =
    worst && worst.drop > 0
      ? `largest drop ${quoted(worst.label)} ${f(worst.drop)}`
      : 'no label dropped'
  return { gate, passed: true, detail: `${largest}, within ${f(maxDrop)}${extra}` }
}

export function evaluateLabelGates(g: LabelGateInput): GateVerdict[] {
  const out: GateVerdict[] = []
  if (g.minLabelF1Score) out.push(minLabelVerdict(g, g.minLabelF1Score))
  if (g.maxLabelF1Drop !== undefined) out.push(dropVerdict(g, g.maxLabelF1Drop))
  return out
}
