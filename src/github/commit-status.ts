// Commit statuses: the narrow interface the modes use (set one, read the latest per context), and
// the policy around it (a token without `statuses: write` gives one warning, never a failure).
// REST: https://docs.github.com/rest/commits/statuses ("Create a commit status", "Get the
// combined status for a specific reference": the latest status per context).
import type { GitHubClient } from './octokit.js'

/** The HTTP status of an Octokit RequestError, if the call got an answer. */
function httpStatus(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status
  return typeof s === 'number' ? s : undefined
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success'

export interface CommitStatus {
  state: CommitState
  description: string
  targetUrl?: string
  context: string
}

export interface SeenStatus extends CommitStatus {
  id: number
  createdAt?: string
}

export interface CommitStatuses {
  setStatus(sha: string, status: CommitStatus): Promise<void>
  /** The latest status of every context on the commit. */
  readStatuses(sha: string): Promise<SeenStatus[]>
  /** The newest statuses of the commit, every one written (newest first, one page of 100). */
  listStatuses(sha: string): Promise<SeenStatus[]>
}

interface StatusJson {
  id?: number
  state?: string
  description?: string | null
  target_url?: string | null
  context?: string
  created_at?: string
}

const PER_PAGE = 100

const seen = (s: StatusJson): SeenStatus => ({
  id: s.id ?? 0,
  state: (s.state ?? 'pending') as CommitState,
  description: s.description ?? '',
  targetUrl: s.target_url ?? undefined,
  context: s.context ?? 'default',
  createdAt: s.created_at
})
/** Contexts read at most per commit (10 pages of the combined status). */
const MAX_PAGES = 10

/** The REST implementation over the action's Octokit (built on first use). */
export function restCommitStatuses(
  client: () => Promise<GitHubClient>,
  owner: string,
  repo: string
): CommitStatuses {
  return {
    async setStatus(sha, s) {
      const gh = await client()
      await gh.rest.repos.createCommitStatus({
        owner,
        repo,
        sha,
        state: s.state,
        description: s.description,
        context: s.context,
        ...(s.targetUrl && { target_url: s.targetUrl })
      })
    },
    async readStatuses(sha) {
      const gh = await client()
      const all: SeenStatus[] = []
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = await gh.rest.repos.getCombinedStatusForRef({
          owner,
          repo,
          ref: sha,
          per_page: PER_PAGE,
          page
        })
        const statuses = (data.statuses ?? []) as StatusJson[]
        all.push(...statuses.map(seen))
        if (statuses.length < PER_PAGE || all.length >= (data.total_count ?? 0)) break
      }
      return all
    },
    async listStatuses(sha) {
      const gh = await client()
      const { data } = await gh.rest.repos.listCommitStatusesForRef({
        owner,
        repo,
        ref: sha,
        per_page: PER_PAGE
      })
      return (data as StatusJson[]).map(seen)
    }
  }
}

/** A claim older than this (by GitHub's clock, against the newest one) is a collector that died. */
export const CLAIM_TTL_MS = 10 * 60_000

/**
 * Which claim wins among those written since the last status that was not a claim: the earliest
 * one still fresh. Statuses are append-only with increasing ids, so every collector that reads
 * after writing its own claim sees the same earliest claim: exactly one goes on.
 */
export function winningClaim(
  statuses: SeenStatus[],
  context: string,
  isClaim: (s: SeenStatus) => boolean,
  ttlMs = CLAIM_TTL_MS
): SeenStatus | undefined {
  const mine = statuses
    .filter((s) => s.context.toLowerCase() === context.toLowerCase())
    .sort((a, b) => b.id - a.id)
  const claims: SeenStatus[] = []
  for (const s of mine) {
    if (!isClaim(s)) break
    claims.push(s)
  }
  if (claims.length === 0) return undefined
  const newest = Date.parse(claims[0].createdAt ?? '') || 0
  const fresh = claims.filter((c) => newest - (Date.parse(c.createdAt ?? '') || 0) <= ttlMs)
  return fresh.at(-1)
}

/** The status of `context` among the latest ones (contexts are case-insensitive on GitHub). */
export function statusOf(statuses: SeenStatus[], context: string): SeenStatus | undefined {
  const wanted = context.toLowerCase()
  return statuses.find((s) => s.context.toLowerCase() === wanted)
}

export interface StatusLog {
  warning(line: string): void
}

/**
 * Writes and reads commit statuses for one context; a refused token gives one warning and turns
 * the keeper off, any other failure a warning: the training is never affected.
 */
export class StatusKeeper {
  private disabled = false

  constructor(
    private readonly api: CommitStatuses,
    readonly context: string,
    private readonly log: StatusLog
  ) {}

  get enabled(): boolean {
    return !this.disabled
  }

  async set(
    sha: string,
    s: { state: CommitState; description: string; targetUrl?: string }
  ): Promise<boolean> {
    if (this.disabled) return false
    try {
      await this.api.setStatus(sha, { ...s, context: this.context })
      return true
    } catch (err) {
      this.warn(err, 'set')
      return false
    }
  }

  /** The latest status of this context on the commit; undefined when there is none. Throws. */
  async read(sha: string): Promise<SeenStatus | undefined> {
    return statusOf(await this.api.readStatuses(sha), this.context)
  }

  /**
   * Claims the right to finish a training: writes `claim` (a pending status unique to this run),
   * reads the statuses back, and answers whether this claim is the winning one.
   */
  async claim(
    sha: string,
    claim: { description: string; targetUrl?: string },
    isClaim: (s: SeenStatus) => boolean
  ): Promise<boolean> {
    if (!(await this.set(sha, { state: 'pending', ...claim }))) return false
    const winner = winningClaim(await this.api.listStatuses(sha), this.context, isClaim)
    return winner?.description === claim.description
  }

  warn(err: unknown, what: 'set' | 'read'): void {
    const status = httpStatus(err)
    const refused = status !== undefined && [401, 403, 404].includes(status) && !rateLimited(err)
    if (refused) this.disabled = true
    this.log.warning(explainStatusError(err, what, this.context))
  }
}

/** GitHub's (secondary) rate limits answer 403 too, with a message that says so. */
const rateLimited = (err: unknown): boolean => /rate limit/i.test((err as Error)?.message ?? '')

export function explainStatusError(err: unknown, what: 'set' | 'read', context: string): string {
  const unaffected = 'The training is unaffected.'
  const verb = what === 'set' ? 'set' : 'read'
  const status = httpStatus(err)
  if (status !== undefined && rateLimited(err)) {
    return `Could not ${verb} the commit status ${context}: GitHub's rate limit (HTTP ${status}); the next step that sees the training will. ${unaffected}`
  }
  if (status === 403 || status === 404) {
    return `Could not ${verb} the commit status ${context} (HTTP ${status}): the token needs statuses: write; add \`permissions: statuses: write\` to the job, or set commit-status: false. ${unaffected}`
  }
  if (status === 401) {
    return `Could not ${verb} the commit status ${context}: GitHub refused the token (HTTP 401); check github-token. ${unaffected}`
  }
  return `Could not ${verb} the commit status ${context}: ${(err as Error)?.message ?? String(err)}. ${unaffected}`
}
