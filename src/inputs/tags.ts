// Tags on the version: the defaults that tie it to the commit, merged with the user's. Pure.
import {
  MAX_TAGS,
  RESERVED_TAG_PREFIX,
  TAG_CHAR,
  TAG_KEY,
  TAG_VALUE,
  breaks
} from './constraints.js'
import { InputError, inputError } from '../errors.js'
import type { RunContext } from '../github/github-context.js'
import { sanitize } from './naming.js'
import { labelFloorsTag, type LabelFloors } from '../results/label-gates.js'

export type Tags = Record<string, string>

/** Tags the action writes for itself: the gates the starting step was given, read back by `mode: collect`. */
export const ACTION_TAG_PREFIX = 'train-action:'
export const GATE_TAGS = {
  minF1Score: 'train-action:min-f1-score',
  maxF1Drop: 'train-action:max-f1-drop',
  minLabelF1Score: 'train-action:min-label-f1-score',
  maxLabelF1Drop: 'train-action:max-label-f1-drop',
  baselineVersion: 'train-action:baseline-version',
  /** The PR's base branch, for `baseline-version: auto` seen by a collector (a scheduled run). */
  baseRef: 'train-action:base-ref'
} as const

/** The fingerprint of the training data (src/training/fingerprint.ts), for reuse by data. */
export const DATA_SHA256_TAG = 'train-action:data-sha256'

export interface RecordedGates {
  minF1Score?: number
  maxF1Drop?: number
  minLabelF1Score?: LabelFloors
  maxLabelF1Drop?: number
  baselineVersion?: string
  baseRef?: string
}

/** The gates as tags; values are validated inputs (decimals, `auto`, version names, encoded label floors), all within TAG_VALUE. */
export function gateTags(g: RecordedGates): Tags {
  const tags: Tags = {}
  if (g.minF1Score !== undefined) tags[GATE_TAGS.minF1Score] = String(g.minF1Score)
  if (g.maxF1Drop !== undefined) tags[GATE_TAGS.maxF1Drop] = String(g.maxF1Drop)
  // Label floors are encoded to fit a tag value (label-gates.ts); too long ones are refused there.
  if (g.minLabelF1Score)
    tags[GATE_TAGS.minLabelF1Score] = labelFloorsTag('min-label-f1-score', g.minLabelF1Score)
  if (g.maxLabelF1Drop !== undefined) tags[GATE_TAGS.maxLabelF1Drop] = String(g.maxLabelF1Drop)
  if (g.baselineVersion !== undefined) tags[GATE_TAGS.baselineVersion] = g.baselineVersion
  if (g.baselineVersion === 'auto' && g.baseRef)
    tags[GATE_TAGS.baseRef] = sanitizeTagValue(g.baseRef)
  return tags
}

/** Values from GitHub (branch and workflow names) are made acceptable, never refused. */
export function sanitizeTagValue(value: string): string {
  return [...sanitize(value, TAG_CHAR)].slice(0, TAG_VALUE.max).join('')
}

export function defaultTags(ctx: RunContext): Tags {
  const tags: Tags = {
    'github:repository': ctx.repository,
    'github:sha': ctx.sha,
    'github:ref': ctx.ref,
    'github:workflow': ctx.workflow,
    'github:run-id': ctx.runId,
    'github:run-attempt': ctx.runAttempt,
    'github:actor': ctx.actor
  }
  if (ctx.prNumber !== undefined) tags['github:pr-number'] = String(ctx.prNumber)
  const out: Tags = {}
  for (const [key, value] of Object.entries(tags)) {
    // Repository and commit always; the rest only when the runner gave them.
    if (value || key === 'github:repository' || key === 'github:sha')
      out[key] = sanitizeTagValue(value)
  }
  return out
}

/** `key=value` per line; blank lines and `#` comments skipped; values validated, not rewritten. */
export function parseUserTags(text: string): Tags {
  const tags: Tags = {}
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const where = `tags line ${i + 1}`
    const eq = line.indexOf('=')
    if (eq < 0) throw inputError(where, line, 'has no "="', 'must be key=value')
    const key = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    const keyProblem = breaks(key, TAG_KEY)
    if (keyProblem) throw inputError(`${where} key`, key, keyProblem, TAG_KEY.describe)
    if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
      throw inputError(
        `${where} key`,
        key,
        'starts with "aws:"',
        'may not use the prefix reserved for AWS'
      )
    }
    if (key.toLowerCase().startsWith(ACTION_TAG_PREFIX)) {
      throw inputError(
        `${where} key`,
        key,
        `starts with "${ACTION_TAG_PREFIX}"`,
        'may not use the prefix the action keeps for the gates it records'
      )
    }
    const valueProblem = breaks(value, TAG_VALUE)
    if (valueProblem) throw inputError(`${where} value`, value, valueProblem, TAG_VALUE.describe)
    if (key in tags) throw inputError(`${where} key`, key, 'is given twice', 'each key once')
    tags[key] = value
  })
  return tags
}

/** The user's tags win over the defaults; the service takes at most 200, `reserved` of them the action's own. */
export function mergeTags(defaults: Tags, user: Tags, reserved = 0): Tags {
  const merged = { ...defaults, ...user }
  const n = Object.keys(merged).length + reserved
  if (n > MAX_TAGS) {
    const defaultsKept = Object.keys(defaults).filter((k) => !(k in user)).length
    throw new InputError(
      `tags gives ${Object.keys(user).length} tags, ${n} with the ${defaultsKept + reserved} default tags; at most ${MAX_TAGS} tags in all`
    )
  }
  return merged
}
