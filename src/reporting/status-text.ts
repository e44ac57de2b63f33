// What the commit status says: its context, and descriptions of at most 140 characters that name
// the version first, so a reader (and the collector) can tell which training a status is about.
// Pure.
import { createHash } from 'node:crypto'
import type { CommitState } from '../github/commit-status.js'
import type { GateVerdict } from '../results/gates.js'
import type { Outcome } from './report.js'
import { signed } from './report.js'

/** GitHub refuses longer descriptions (422); ENGINEERING.md, "GitHub API". */
export const MAX_DESCRIPTION = 140
const ELLIPSIS = '…'

export function statusContext(projectName: string): string {
  return `train-action/${projectName}`
}

/** The mark of a shortened name: `…#` and the first hex digits of the full name's SHA-256. */
const HASH_DIGITS = 12
const nameHash = (name: string): string =>
  createHash('sha256').update(name).digest('hex').slice(0, HASH_DIGITS)

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

/** Whether a description written by describeVersion is about the version of that (full) name. */
export function namesVersion(description: string, name: string): boolean {
  const colon = description.indexOf(': ')
  if (colon < 0) return false
  const shown = description.slice(0, colon)
  if (shown === name) return true
  const m = /^(.*)\u2026#([0-9a-f]+)$/u.exec(shown)
  return m !== null && m[2] === nameHash(name) && name.startsWith(m[1])
}

const utc = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`

export function pendingDescription(name: string, startedAt: Date): string {
  return describeVersion(name, `training since ${utc(startedAt)}`)
}

export interface FinalStatusInput {
  versionName: string
  outcome: Outcome
  status?: string
  f1?: number
  baselineF1?: number
  gates: GateVerdict[]
}

/** success only when the training completed and every gate passed; failure otherwise. */
export function finalStatus(r: FinalStatusInput): { state: CommitState; description: string } {
  if (r.outcome === 'failed') {
    return {
      state: 'failure',
      description: describeVersion(r.versionName, `${r.status ?? 'training failed'}`)
    }
  }
  if (r.outcome !== 'trained') {
    return {
      state: 'failure',
      description: describeVersion(r.versionName, `${r.status ?? 'unknown status'}, cannot be used`)
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
      description: describeVersion(r.versionName, `${f1}, gate failed: ${failed.join(', ')}`)
    }
  }
  const verdict =
    r.gates.length > 0 ? `gates passed: ${r.gates.map((g) => g.gate).join(', ')}` : 'no gates'
  return { state: 'success', description: describeVersion(r.versionName, `${f1}, ${verdict}`) }
}
