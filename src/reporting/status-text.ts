// What the commit status says: its context, and descriptions of at most 140 characters that name
// the version first, so a reader (and the collector) can tell which training a status is about.
// Pure.
import { createHash } from 'node:crypto'
import type { CommitState } from '../github/commit-status.js'
import type { GateVerdict } from '../results/gates.js'
import type { Outcome } from './report.js'
import { signed } from './markdown.js'

/**
 * GitHub refuses longer descriptions (422 "description is too long (maximum is 140 characters)",
 * https://github.com/zalando/zappr/issues/378); the REST reference for commit statuses
 * (https://docs.github.com/en/rest/commits/statuses) names no limit.
 */
export const MAX_DESCRIPTION = 140
const ELLIPSIS = '…'

/**
 * GitHub refuses longer contexts (422, https://github.com/runatlantis/atlantis/issues/2506); the
 * REST reference names no limit.
 */
export const MAX_CONTEXT = 255
const CONTEXT_PREFIX = 'train-action/'

/** The mark of a shortened name: `…#` and the first hex digits of the full name's SHA-256. */
const HASH_DIGITS = 12
const nameHash = (name: string): string =>
  createHash('sha256').update(name).digest('hex').slice(0, HASH_DIGITS)

/**
 * `train-action/<project-name>`, the one context of a project for every mode (train, collect). A
 * project name can be 255 characters (the ARN's pattern), too long for GitHub's 255: such a name
 * is cut and ends with `~` and 12 hex of the SHA-256 of the full name, so the context stays stable
 * (a pure function of the name) and two long names that share a prefix get different contexts.
 */
export function statusContext(projectName: string): string {
  const full = `${CONTEXT_PREFIX}${projectName}`
  if ([...full].length <= MAX_CONTEXT) return full
  const hash = nameHash(projectName)
  const room = MAX_CONTEXT - CONTEXT_PREFIX.length - hash.length - 1
  return `${CONTEXT_PREFIX}${[...projectName].slice(0, room).join('')}~${hash}`
}

/**
 * `<name>: <tail>`, the name shortened (never the tail) so the whole fits in 140 characters. A
 * shortened name keeps a hash of the full one (`prefix…#1a2b3c4d5e6f`), so a reader can still tell
 * which version it is by its full name, never by a prefix two long names may share.
 */
export function describeVersion(name: string, tail: string): string {
  const room = MAX_DESCRIPTION - [...tail].length - 2
  const mark = `${ELLIPSIS}#${nameHash(name)}`
  const shown =
    name.length <= room ? name : `${name.slice(0, Math.max(1, room - mark.length))}${mark}`
  return [...`${shown}: ${tail}`].slice(0, MAX_DESCRIPTION).join('')
}

/** A version trained for another commit, reused here: `same data as <name>, trained for <sha>`. */
export interface SameData {
  /** The commit the version was trained for (its `github:sha` tag). */
  sha: string
}

const SAME_DATA = 'same data as '
const TRAINED_FOR = /, trained for [0-9a-f]{1,40}$/

/** The short form of a commit in a status description. */
const shortSha = (sha: string): string => sha.slice(0, 7)

/**
 * describeVersion for a status on a commit whose data a version of another commit was trained on:
 * `same data as <name>, trained for <sha7>: <tail>`, the name shortened to fit 140 characters.
 */
export function describeReused(name: string, sameData: SameData | undefined, tail: string): string {
  if (!sameData) return describeVersion(name, tail)
  const tag = `, trained for ${shortSha(sameData.sha)}`
  const room = MAX_DESCRIPTION - [...tail].length - 2 - SAME_DATA.length - tag.length
  const mark = `${ELLIPSIS}#${nameHash(name)}`
  const shown =
    name.length <= room ? name : `${name.slice(0, Math.max(1, room - mark.length))}${mark}`
  return [...`${SAME_DATA}${shown}${tag}: ${tail}`].slice(0, MAX_DESCRIPTION).join('')
}

/**
 * Whether a description written by describeVersion (or describeReused) is about the version of
 * that (full) name.
 */
export function namesVersion(description: string, name: string): boolean {
  const colon = description.indexOf(': ')
  if (colon < 0) return false
  let shown = description.slice(0, colon)
  if (shown.startsWith(SAME_DATA) && TRAINED_FOR.test(shown))
    shown = shown.slice(SAME_DATA.length).replace(TRAINED_FOR, '')
  if (shown === name) return true
  const m = /^(.*)\u2026#([0-9a-f]+)$/u.exec(shown)
  return m !== null && m[2] === nameHash(name) && name.startsWith(m[1])
}

const utc = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`

export function pendingDescription(name: string, startedAt: Date, sameData?: SameData): string {
  return describeReused(name, sameData, `training since ${utc(startedAt)}`)
}

export interface FinalStatusInput {
  versionName: string
  outcome: Outcome
  status?: string
  f1?: number
  baselineF1?: number
  gates: GateVerdict[]
  /** The version was trained for another commit with the same data. */
  sameData?: SameData
}

/** success only when the training completed and every gate passed; failure otherwise. */
export function finalStatus(r: FinalStatusInput): { state: CommitState; description: string } {
  if (r.outcome === 'failed') {
    return {
      state: 'failure',
      description: describeReused(r.versionName, r.sameData, `${r.status ?? 'training failed'}`)
    }
  }
  if (r.outcome !== 'trained') {
    return {
      state: 'failure',
      description: describeReused(
        r.versionName,
        r.sameData,
        `${r.status ?? 'unknown status'}, cannot be used`
      )
    }
  }
  const f1 =
    r.f1 === undefined
      ? 'no F1'
      : `F1 ${r.f1.toFixed(3)}${r.baselineF1 === undefined ? '' : ` (${signed(r.f1 - r.baselineF1).replace('−', '-')} vs baseline)`}`
  const failed = r.gates.filter((g) => !g.passed).map((g) => g.gate)
  if (failed.length > 0) {
    return {
      state: 'failure',
      description: describeReused(
        r.versionName,
        r.sameData,
        `${f1}, gate failed: ${failed.join(', ')}`
      )
    }
  }
  const verdict =
    r.gates.length > 0 ? `gates passed: ${r.gates.map((g) => g.gate).join(', ')}` : 'no gates'
  return {
    state: 'success',
    description: describeReused(r.versionName, r.sameData, `${f1}, ${verdict}`)
  }
}
