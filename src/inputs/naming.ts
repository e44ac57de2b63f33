// The version name and description, derived from the commit. Pure.
import {
  DESCRIPTION_CHAR,
  VERSION_DESCRIPTION,
  VERSION_NAME,
  VERSION_NAME_CHAR,
  breaks
} from './constraints.js'
import { inputError } from '../errors.js'
import type { RunContext } from '../github/github-context.js'

export const DEFAULT_VERSION_NAME = '{repo}-{short_sha}'
export const TOKENS = [
  'sha',
  'short_sha',
  'repo',
  'ref_name',
  'pr_number',
  'run_id',
  'run_number',
  'run_attempt',
  'timestamp'
] as const
type Token = (typeof TOKENS)[number]

/** Replaces each run of characters that `allowed` refuses with one `-`. */
export function sanitize(value: string, allowed: RegExp, replacement = '-'): string {
  let out = ''
  let replacing = false
  for (const ch of value) {
    if (allowed.test(ch)) {
      out += ch
      replacing = false
    } else if (!replacing) {
      out += replacement
      replacing = true
    }
  }
  return out
}

/** 20261127T132557Z: sortable, and only characters a version name accepts. */
export function compactTimestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

function tokenValue(token: Token, ctx: RunContext, now: Date): string | undefined {
  switch (token) {
    case 'sha':
      return ctx.sha
    case 'short_sha':
      return ctx.sha.slice(0, 12)
    case 'repo':
      return ctx.repo
    case 'ref_name':
      return ctx.refName
    case 'pr_number':
      return ctx.prNumber === undefined ? undefined : String(ctx.prNumber)
    case 'run_id':
      return ctx.runId
    case 'run_number':
      return ctx.runNumber
    case 'run_attempt':
      return ctx.runAttempt
    case 'timestamp':
      return compactTimestamp(now)
  }
}

interface Part {
  text: string
  /** The token the text came from; undefined for the template's own characters. */
  token?: Token
}

function expandParts(
  input: string,
  template: string,
  ctx: RunContext,
  now: Date,
  literal: (part: string) => string
): Part[] {
  const parts: Part[] = []
  let last = 0
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    parts.push({ text: literal(template.slice(last, m.index)) })
    const token = m[1] as Token
    if (!TOKENS.includes(token)) {
      throw inputError(
        input,
        template,
        `uses the unknown token {${m[1]}}`,
        `may use ${TOKENS.map((t) => `{${t}}`).join(' ')}`
      )
    }
    const value = tokenValue(token, ctx, now)
    if (!value) {
      const why =
        token === 'pr_number' ? 'this run is not for a pull request' : 'the runner did not set it'
      throw inputError(
        input,
        template,
        `uses {${token}} but ${why}`,
        'may only use tokens that have a value in this run'
      )
    }
    parts.push({ text: sanitize(value, VERSION_NAME_CHAR), token })
    last = m.index + m[0].length
  }
  parts.push({ text: literal(template.slice(last)) })
  return parts
}

/**
 * Expands `{token}`s in the template given as `input`. Characters from tokens outside
 * `[a-zA-Z0-9_.-]` become `-`; the template's own characters are checked by `literal`, so a typo
 * is reported, not rewritten.
 */
export function expandTokens(
  input: string,
  template: string,
  ctx: RunContext,
  now: Date,
  literal: (part: string) => string = (part) => part
): string {
  return expandParts(input, template, ctx, now, literal)
    .map((p) => p.text)
    .join('')
}

/** The commit tokens: what makes the name the commit's, so never shortened. */
const KEPT: ReadonlySet<Token> = new Set(['sha', 'short_sha'])

/**
 * Shortens token values (the longest first, never the commit's) until the parts fit `max`
 * characters; each keeps at least one character. Returns the parts unchanged when they fit or
 * cannot be made to fit.
 */
export function fitParts<P extends { text: string; token?: Token }>(parts: P[], max: number): P[] {
  const out = parts.map((p) => ({ ...p }))
  let excess = out.reduce((n, p) => n + p.text.length, 0) - max
  while (excess > 0) {
    const cuttable = out.filter((p) => p.token && !KEPT.has(p.token) && p.text.length > 1)
    if (cuttable.length === 0) return parts
    const longest = cuttable.reduce((a, b) => (b.text.length > a.text.length ? b : a))
    const next = Math.max(1, ...cuttable.filter((p) => p !== longest).map((p) => p.text.length))
    // Down to the next longest value (so long values shrink together), or by the excess.
    const cut = Math.min(excess, Math.max(1, longest.text.length - next))
    longest.text = longest.text.slice(0, longest.text.length - cut)
    excess -= cut
  }
  return out
}

export function expandVersionName(template: string, ctx: RunContext, now: Date): string {
  const input = 'version-name'
  const literal = (part: string): string => {
    const problem = part === '' ? undefined : breaks(part, { ...VERSION_NAME, min: 0 })
    if (problem) throw inputError(input, template, problem, VERSION_NAME.describe)
    return part
  }
  // Long branch or repository names are shortened to fit; the commit's SHA is kept whole.
  const out = fitParts(expandParts(input, template, ctx, now, literal), VERSION_NAME.max)
    .map((p) => p.text)
    .join('')
  const problem = breaks(out, VERSION_NAME)
  if (problem) throw inputError(input, out, problem, VERSION_NAME.describe)
  return out
}

/** The version name with `-2`, `-3`, ... appended; kept within the length limit. */
export function numberedName(base: string, n: number): string {
  const suffix = `-${n}`
  return base.slice(0, VERSION_NAME.max - suffix.length) + suffix
}

/** `acme-defects 0123456789ab, run 42 attempt 1 (CI)`: sanitised to the API's character set. */
export function deriveDescription(ctx: RunContext): string {
  const parts = [ctx.repository, ctx.sha.slice(0, 12)].filter(Boolean).join(' ')
  const run = ctx.runId ? `, run ${ctx.runId} attempt ${ctx.runAttempt || '1'}` : ''
  const workflow = ctx.workflow ? ` (${ctx.workflow})` : ''
  const text = sanitize(`${parts || 'train-action'}${run}${workflow}`, DESCRIPTION_CHAR)
  return [...text].slice(0, VERSION_DESCRIPTION.max).join('')
}

export function validateDescription(value: string): string {
  const problem = breaks(value, VERSION_DESCRIPTION)
  if (problem) throw inputError('version-description', value, problem, VERSION_DESCRIPTION.describe)
  return value
}
