// The GitHub pieces a mode needs: one Octokit per run (built on first use), the PR comment and the
// commit status keeper over it.
import { nameRefusingProxy } from '../aws/proxy-env.js'
import type { Sockets } from '../aws/aws-clients.js'
import { restCommitStatuses, StatusKeeper } from '../github/commit-status.js'
import type { RunContext } from '../github/github-context.js'
import { lazyGitHubClient, type GitHubClient } from '../github/octokit.js'
import { PrComment } from '../github/pr-comment.js'
import { commentMarker } from '../reporting/report.js'
import { statusContext } from '../reporting/status-text.js'
import type { ActionIo } from './io.js'

/**
 * Bounds of the GitHub calls: one HTTP exchange, one call with its retries, one comment write.
 * The last two, the retry waits and the write spacing are waits of the action's own: scaled by
 * io.timing (tests); an exchange's timeout guards against a hung server and is not.
 */
const GITHUB_REQUEST_TIMEOUT_MS = 10_000
const GITHUB_CALL_BUDGET_MS = 20_000
const COMMENT_BUDGET_MS = 30_000
/** Octokit's retry and rate-limit waits are counted in this unit (`retry-after` is in seconds). */
const GITHUB_RETRY_BASE_MS = 1_000

export type LazyGitHub = () => Promise<GitHubClient>

/**
 * `sockets`: the run's (socketsFor), so GitHub calls take the proxy the AWS calls take.
 * `callBudgetMs`: less than the default where a run has a budget of its own (the collector).
 */
export function gitHub(
  io: ActionIo,
  token: string,
  sockets: Sockets,
  callBudgetMs = io.timing.ms(GITHUB_CALL_BUDGET_MS)
): LazyGitHub {
  return lazyGitHubClient({
    token,
    sockets,
    baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    log: { debug: (line) => io.debug(line) },
    requestTimeoutMs: Math.min(GITHUB_REQUEST_TIMEOUT_MS, callBudgetMs),
    callBudgetMs,
    retryBaseMs: io.timing.ms(GITHUB_RETRY_BASE_MS),
    // GitHub asks for a second between writes; a test's emulator does not, and waits nothing.
    writeSpacingMs: io.timing.scale === 1 ? undefined : 0
  })
}

export interface CommentOn {
  pr: number
  /** The commit trained: the comment is left alone once the PR's head has moved on. */
  sha: string
  projectArn: string
  token: string
  /** Update only a comment that already shows this (a collector's write). */
  onlyIfNaming?: string
  /** Bounds one comment write (default 30 s). */
  budgetMs?: number
  /** Ends a comment write early (a collector's run budget). */
  signal?: AbortSignal
}

export function prComment(
  io: ActionIo,
  client: LazyGitHub,
  ctx: Pick<RunContext, 'owner' | 'repo'>,
  c: CommentOn
): PrComment {
  return new PrComment(
    {
      client,
      token: c.token,
      owner: ctx.owner,
      repo: ctx.repo,
      pr: c.pr,
      marker: commentMarker(c.projectArn),
      sha: c.sha,
      budgetMs: c.budgetMs ?? io.timing.ms(COMMENT_BUDGET_MS),
      onlyIfNaming: c.onlyIfNaming,
      signal: c.signal
    },
    {
      warning: (line) => io.log.warning(nameRefusingProxy(line, io.env)),
      debug: (line) => io.debug(line)
    }
  )
}

/** The keeper of `train-action/<project-name>`, or undefined (with a warning) without a token. */
export function statusKeeper(
  io: ActionIo,
  client: LazyGitHub,
  ctx: Pick<RunContext, 'owner' | 'repo'>,
  s: { projectName: string; githubToken: string }
): StatusKeeper | undefined {
  if (!s.githubToken) {
    io.log.warning('commit-status is true but github-token is empty: no commit status.')
    return undefined
  }
  const api = restCommitStatuses(client, ctx.owner, ctx.repo)
  return new StatusKeeper(api, statusContext(s.projectName), {
    warning: (line) => io.log.warning(nameRefusingProxy(line, io.env))
  })
}
