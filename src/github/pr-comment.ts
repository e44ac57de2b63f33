// One comment per project on the pull request, found again by its hidden marker and by being
// written by this token's identity, and updated in place: never a new comment per push, never a
// user's comment that quotes the marker, never a newer run's results replaced by an older run's.
//
// Identity: `GET /user` answers for personal and OAuth tokens, but not for the GITHUB_TOKEN or other
// installation tokens (403 "Resource not accessible by integration",
// https://docs.github.com/rest/users/users#get-the-authenticated-user). Installation tokens are
// known by their `ghs_` prefix (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/)
// and are not asked. Without a login, a comment is ours only if its author is a bot (`type: Bot`:
// github-actions[bot] for the GITHUB_TOKEN, <app>[bot] for an app's token); people are never bots.
// Once we create a comment, its author is our identity exactly, and only that login counts.
//
// Concurrent runs: after creating, the comments are listed again; if another comment of ours
// exists, the oldest is kept, ours is deleted and the kept one is updated, so two runs racing on
// one PR end with one comment.
import { PROXY_REFUSED, proxyRefused } from '../aws/explain.js'
import { COMMENT_MAX_CHARS, commentCutNote, fitText } from './fit.js'
import type { GitHubClient } from './octokit.js'

export { COMMENT_MAX_CHARS }

export interface CommentTarget {
  /** Builds (once) the client; called only when a write is due. */
  client: () => Promise<GitHubClient>
  token: string
  owner: string
  repo: string
  pr: number
  marker: string
  /** The commit this run trained: the comment is left alone when the PR's head has moved on. */
  sha: string
  /** Bounds one upsert, all its calls together. */
  budgetMs: number
  /**
   * Update only a comment of ours that already holds this text, and create none: a collector
   * updates the comment of the training it finished, never one a newer push took over.
   */
  onlyIfNaming?: string
  /** Ends a write early, with the others bounds (a collector's run budget). */
  signal?: AbortSignal
}

export interface CommentLog {
  warning(line: string): void
  debug(line: string): void
}

export type UpsertResult =
  | { written: true; url: string }
  /** `note`: one sentence for the job summary on why the comment was not written. */
  | { written: false; note: string }

interface ApiComment {
  id: number
  body?: string | null
  html_url: string
  user?: { login?: string; type?: string } | null
}

type Identity = { login: string } | { bots: true }

class StaleRun extends Error {}

/** An error from Octokit: a status, and GitHub's message. Octokit gives aborts a status 500 of its own. */
function statusOf(err: unknown): number | undefined {
  if ((err as Error)?.name === 'AbortError') return undefined
  if (((err as Error)?.cause as Error | undefined)?.name === 'TimeoutError') return undefined
  const s = (err as { status?: unknown })?.status
  return typeof s === 'number' ? s : undefined
}

const isNotFound = (err: unknown): boolean => statusOf(err) === 404

export class PrComment {
  private id?: number
  private identity?: Identity
  /** Set after a failure: no more calls this run (one warning, bounded cost). */
  private stopped?: string
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly target: CommentTarget,
    private readonly log: CommentLog
  ) {}

  /**
   * Creates or updates the comment. Never throws: a failure is one warning, and the training is
   * unaffected. Calls are queued, so a write started in the background and a later one never race.
   */
  upsert(body: string): Promise<UpsertResult> {
    const next = this.queue.then(() => this.attempt(body))
    this.queue = next.catch(() => undefined)
    return next
  }

  private async attempt(body: string): Promise<UpsertResult> {
    if (this.stopped) return { written: false, note: this.stopped }
    const { budgetMs } = this.target
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new Error(`the PR comment took longer than ${budgetMs / 1000} s`)),
      budgetMs
    )
    const outer = this.target.signal
    const onOuter = (): void => controller.abort(outer?.reason)
    if (outer?.aborted) onOuter()
    outer?.addEventListener('abort', onOuter, { once: true })
    try {
      const url = await this.write(
        await this.target.client(),
        fitText(body, COMMENT_MAX_CHARS, 'chars', (limit) => `${commentCutNote(limit)}\n`),
        controller.signal
      )
      return { written: true, url }
    } catch (err) {
      if (err instanceof StaleRun) {
        this.log.debug(err.message)
        return { written: false, note: err.message }
      }
      const line = explainCommentError(err, this.target)
      this.log.warning(line)
      this.stopped = 'The PR comment could not be written (see the warning in the log).'
      return { written: false, note: this.stopped }
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuter)
    }
  }

  private async write(gh: GitHubClient, body: string, signal: AbortSignal): Promise<string> {
    const { owner, repo, pr, sha } = this.target
    const request = { signal }
    const { data: pull } = await gh.rest.pulls.get({ owner, repo, pull_number: pr, request })
    const head = pull.head?.sha
    if (head && sha && head !== sha) {
      throw new StaleRun(
        `The PR comment was left alone: this run trained ${sha.slice(0, 12)}, but the head of pull request #${pr} is now ${head.slice(0, 12)}, and the comment is kept for the head.`
      )
    }
    this.identity ??= await this.whoAmI(gh, signal)
    const naming = this.target.onlyIfNaming
    if (naming !== undefined) {
      const found = (await this.ours(gh, signal))[0]
      if (!found?.body?.includes(naming)) {
        throw new StaleRun(
          `The PR comment was left alone: ${found ? 'it now shows another training' : 'the step that started the training wrote none'}.`
        )
      }
      this.id = found.id
    }
    for (let attempt = 1; ; attempt++) {
      if (this.id === undefined) this.id = (await this.ours(gh, signal))[0]?.id
      if (this.id !== undefined) {
        try {
          const { data } = await gh.rest.issues.updateComment({
            owner,
            repo,
            comment_id: this.id,
            body,
            request
          })
          return data.html_url
        } catch (err) {
          // Deleted since we found it: find or post it anew (once).
          if (!isNotFound(err) || attempt >= 3) throw err
          this.id = undefined
          continue
        }
      }
      let created: ApiComment
      try {
        // Never retried blindly: a POST retried after a lost answer could post twice. A failed
        // create is followed by a new look for the marker instead.
        ;({ data: created } = await gh.rest.issues.createComment({
          owner,
          repo,
          issue_number: pr,
          body,
          request: { signal, retries: 0 }
        }))
      } catch (err) {
        const status = statusOf(err)
        const mayHavePosted = status === undefined || status >= 500
        if (!mayHavePosted || attempt >= 3 || signal.aborted) throw err
        this.log.debug(
          `Creating the PR comment failed (${(err as Error).message}); looking for it before trying again.`
        )
        continue
      }
      const login = created.user?.login
      if (login) this.identity = { login }
      return this.settle(gh, created, body, signal)
    }
  }

  /** After a create: if another run's comment of ours exists too, keep the oldest. */
  private async settle(
    gh: GitHubClient,
    created: ApiComment,
    body: string,
    signal: AbortSignal
  ): Promise<string> {
    const { owner, repo } = this.target
    const oldest = (await this.ours(gh, signal))[0]
    if (!oldest || oldest.id === created.id) {
      this.id = created.id
      return created.html_url
    }
    this.log.debug(
      `Another run posted this project's comment too (${oldest.id}); keeping that one and deleting ${created.id}.`
    )
    try {
      await gh.rest.issues.deleteComment({
        owner,
        repo,
        comment_id: created.id,
        request: { signal }
      })
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
    this.id = oldest.id
    const { data } = await gh.rest.issues.updateComment({
      owner,
      repo,
      comment_id: oldest.id,
      body,
      request: { signal }
    })
    return data.html_url
  }

  /** Our comments on the PR (marker and identity), oldest first. */
  private async ours(gh: GitHubClient, signal: AbortSignal): Promise<ApiComment[]> {
    const { owner, repo, pr, marker } = this.target
    const all: ApiComment[] = []
    // 30 pages of 100: a bounded read of even the longest PR conversation.
    let pages = 0
    for await (const page of gh.paginate.iterator(gh.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pr,
      per_page: 100,
      request: { signal }
    })) {
      // Checked at the edge: an answer that is not a list is an error, never "no comment yet".
      if (!Array.isArray(page.data) || !page.data.every((c) => typeof c?.id === 'number'))
        throw new Error("GitHub's list of comments is not of the documented shape")
      all.push(...(page.data as ApiComment[]))
      if (++pages >= 30) break
    }
    return all.filter((c) => c.body?.includes(marker) && this.isMine(c)).sort((a, b) => a.id - b.id)
  }

  private isMine(c: ApiComment): boolean {
    const id = this.identity
    if (!id) return false
    if ('login' in id) return c.user?.login === id.login
    return c.user?.type === 'Bot'
  }

  private async whoAmI(gh: GitHubClient, signal: AbortSignal): Promise<Identity> {
    if (this.target.token.startsWith('ghs_')) return { bots: true }
    try {
      const { data } = await gh.rest.users.getAuthenticated({ request: { signal } })
      return { login: data.login }
    } catch (err) {
      if (statusOf(err) === 401 || signal.aborted) throw err
      this.log.debug(
        `GET /user did not name the token's user (${(err as Error).message}): the comment is looked for among bots' comments.`
      )
      return { bots: true }
    }
  }
}

export function explainCommentError(
  err: unknown,
  where: { owner: string; repo: string; pr: number }
): string {
  const unaffected = 'The training and its result are unaffected.'
  const status = statusOf(err)
  const message = (err as Error)?.message ?? String(err)
  const pr = `pull request #${where.pr} of ${where.owner}/${where.repo}`
  if (/\bsecondary rate\b|rate limit/i.test(message) && (status === 403 || status === 429)) {
    return `Could not write the PR comment: GitHub's rate limit (HTTP ${status}) asked to wait longer than this step gives the comment; it is left for the next run. ${unaffected}`
  }
  if (status === 407 || proxyRefused(err)) {
    return `Could not write the PR comment: ${PROXY_REFUSED}. ${unaffected}`
  }
  if (status === 404) {
    return `Could not write the PR comment: ${pr} was not found (HTTP 404); it is gone, or the token cannot see the repository. ${unaffected}`
  }
  if (status === 403) {
    return `Could not write the PR comment (HTTP 403): the token needs pull-requests: write; add \`permissions: pull-requests: write\` to the job, or set comment-on-pr: false. ${unaffected}`
  }
  if (status === 401) {
    return `Could not write the PR comment: GitHub refused the token (HTTP 401); check github-token. ${unaffected}`
  }
  const http = status !== undefined && status >= 400 ? ` (HTTP ${status})` : ''
  return `Could not write the PR comment${http}: ${message.replace(/\.$/, '')}. ${unaffected}`
}
