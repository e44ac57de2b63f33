// Commit statuses: the narrow interface the modes use (set one, read the current one per context),
// the convergent write every finishing step goes through, and the policy around it (a token without
// `statuses: write` gives one warning to a training step, never a failure).
// REST: https://docs.github.com/rest/commits/statuses ("Create a commit status"; "Get the combined
// status for a specific reference": the latest status per context; "List commit statuses for a
// reference": "Statuses are returned in reverse chronological order. The first status in the list
// will be the latest one.").
//
// There is no lock: statuses are append-only and GitHub offers no compare-and-set. So a finishing
// step reads the current status, and writes only when it differs from the one it computed from what
// AWS says; it never writes `pending` over a final status. Two steps racing compute the same
// status, and an identical repeat is harmless.
import { PROXY_REFUSED, proxyRefused } from '../aws/explain.js'
import type { GitHubClient } from './octokit.js'

/** The HTTP status of an Octokit RequestError, if the call got an answer. */
export function httpStatus(err: unknown): number | undefined {
  const e = err as { status?: unknown; response?: unknown } | undefined
  // Octokit gives a request that got no answer (timeout, lost connection) a status 500 of its own,
  // without a response.
  if (typeof e?.status !== 'number' || (e.status === 500 && !e.response)) return undefined
  if ((err as Error).name === 'AbortError') return undefined
  return e.status
}

/** GitHub gave no answer at all (the call's budget ran out, the connection failed, a timeout). */
export function noAnswer(err: unknown): boolean {
  return !(err instanceof GitHubShapeError) && httpStatus(err) === undefined
}

/** An answer that is not of the documented shape (an HTML page, cut-off JSON, a wrong type). */
export class GitHubShapeError extends Error {
  constructor(what: string, data: unknown) {
    const got =
      typeof data === 'string'
        ? `text starting ${JSON.stringify(data.slice(0, 40))}`
        : Array.isArray(data)
          ? 'a list'
          : data === null
            ? 'null'
            : typeof data
    super(`GitHub's answer to ${what} is not of the documented shape (got ${got})`)
    this.name = 'GitHubShapeError'
  }
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success'
const STATES: readonly string[] = ['error', 'failure', 'pending', 'success']

/** A final state: the training's outcome; nothing moves it back to `pending`. */
const isFinal = (state: CommitState): boolean => state !== 'pending'

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
  setStatus(sha: string, status: CommitStatus, signal?: AbortSignal): Promise<void>
  /** The latest status of every context on the commit. Throws on any answer not of GitHub's shape. */
  readStatuses(sha: string, signal?: AbortSignal): Promise<SeenStatus[]>
}

const PER_PAGE = 100
/** Contexts read at most per commit (10 pages of the combined status). */
const MAX_PAGES = 10

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x)

/** One status of GitHub's answer, checked: an answer that is not one is an error, never skipped. */
function seen(s: unknown, what: string): SeenStatus {
  if (!isObject(s) || typeof s.state !== 'string' || !STATES.includes(s.state))
    throw new GitHubShapeError(what, s)
  if (typeof s.context !== 'string') throw new GitHubShapeError(what, s)
  return {
    id: typeof s.id === 'number' ? s.id : 0,
    state: s.state as CommitState,
    description: typeof s.description === 'string' ? s.description : '',
    targetUrl: typeof s.target_url === 'string' ? s.target_url : undefined,
    context: s.context,
    createdAt: typeof s.created_at === 'string' ? s.created_at : undefined
  }
}

/** The REST implementation over the action's Octokit (built on first use). */
export function restCommitStatuses(
  client: () => Promise<GitHubClient>,
  owner: string,
  repo: string
): CommitStatuses {
  return {
    async setStatus(sha, s, signal) {
      const gh = await client()
      await gh.rest.repos.createCommitStatus({
        owner,
        repo,
        sha,
        state: s.state,
        description: s.description,
        context: s.context,
        ...(s.targetUrl && { target_url: s.targetUrl }),
        ...(signal && { request: { signal } })
      })
    },
    async readStatuses(sha, signal) {
      const gh = await client()
      const all: SeenStatus[] = []
      const what = `the combined status of ${sha}`
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = (await gh.rest.repos.getCombinedStatusForRef({
          owner,
          repo,
          ref: sha,
          per_page: PER_PAGE,
          page,
          ...(signal && { request: { signal } })
        })) as { data: unknown }
        // Validated at the edge: an HTML page or cut-off JSON (Octokit hands over the text) or a
        // `statuses` that is not a list is a GitHub error for this commit, never "nothing to do".
        if (!isObject(data) || !Array.isArray(data.statuses)) throw new GitHubShapeError(what, data)
        const statuses = data.statuses.map((s) => seen(s, what))
        all.push(...statuses)
        const total = typeof data.total_count === 'number' ? data.total_count : 0
        if (statuses.length < PER_PAGE || all.length >= total) break
      }
      return all
    }
  }
}

/** The status of `context` among the latest ones (contexts are case-insensitive on GitHub). */
export function statusOf(statuses: SeenStatus[], context: string): SeenStatus | undefined {
  const wanted = context.toLowerCase()
  return statuses.find((s) => s.context.toLowerCase() === wanted)
}

export type WritePlan = 'write' | 'same' | 'final-kept'

/**
 * Whether to write `desired` over the commit's current status. Pure. An identical status is not
 * written again (the link it carries does not count: two finishers may be different runs); a
 * `pending` never goes over a final status.
 */
export function planWrite(
  current: Pick<SeenStatus, 'state' | 'description'> | undefined,
  desired: { state: CommitState; description: string }
): WritePlan {
  if (!current) return 'write'
  if (current.state === desired.state && current.description === desired.description) return 'same'
  if (desired.state === 'pending' && isFinal(current.state)) return 'final-kept'
  return 'write'
}

export interface StatusLog {
  warning(line: string): void
}

export interface Converged {
  plan: WritePlan
  /** The status read before deciding. */
  current?: SeenStatus
}

/**
 * Reads and writes commit statuses for one context. `set` and `converge` of a training step never
 * throw: a refused token gives one warning and turns the keeper off, any other failure a warning.
 * The collector uses `read` and `write`, which throw, and counts each failure per training.
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

  /** The latest status of this context on the commit; undefined when there is none. Throws. */
  async read(sha: string, signal?: AbortSignal): Promise<SeenStatus | undefined> {
    return statusOf(await this.api.readStatuses(sha, signal), this.context)
  }

  /** Writes the status. Throws. */
  async write(
    sha: string,
    s: { state: CommitState; description: string; targetUrl?: string },
    signal?: AbortSignal
  ): Promise<void> {
    await this.api.setStatus(sha, { ...s, context: this.context }, signal)
  }

  /**
   * The convergent write: reads the current status and writes `desired` only if planWrite says so.
   * Undefined when it failed (one warning; the training is unaffected).
   */
  async converge(
    sha: string,
    desired: { state: CommitState; description: string; targetUrl?: string },
    signal?: AbortSignal
  ): Promise<Converged | undefined> {
    if (this.disabled) return undefined
    let what: 'read' | 'set' = 'read'
    try {
      const current = await this.read(sha, signal)
      const plan = planWrite(current, desired)
      what = 'set'
      if (plan === 'write') await this.write(sha, desired, signal)
      return { plan, current }
    } catch (err) {
      this.warn(err, what)
      return undefined
    }
  }

  warn(err: unknown, what: 'set' | 'read'): void {
    const status = httpStatus(err)
    const refused = status !== undefined && [401, 403, 404].includes(status) && !rateLimited(err)
    if (refused) this.disabled = true
    this.log.warning(explainStatusError(err, what, this.context))
  }
}

/** GitHub's (secondary) rate limits answer 403 too, with a message that says so. */
export const rateLimited = (err: unknown): boolean =>
  /rate limit/i.test((err as Error)?.message ?? '')

export function explainStatusError(err: unknown, what: 'set' | 'read', context: string): string {
  const unaffected = 'The training is unaffected.'
  const verb = what === 'set' ? 'set' : 'read'
  const status = httpStatus(err)
  if (proxyRefused(err)) {
    return `Could not ${verb} the commit status ${context}: ${PROXY_REFUSED}. ${unaffected}`
  }
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
