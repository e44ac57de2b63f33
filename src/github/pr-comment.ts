// One comment per project on the pull request, found again by its hidden marker and updated in
// place: never a new comment per push.
import {
  GitHubError,
  createComment,
  isTransientGitHub,
  listComments,
  retryPause,
  updateComment,
  type GitHubApi
} from './github-api.js'
import { MAX_ATTEMPTS } from '../aws/retry.js'

export interface CommentTarget {
  api: GitHubApi
  /** owner/name */
  repo: string
  pr: number
  marker: string
}

export interface CommentLog {
  warning(line: string): void
}

export class PrComment {
  private id?: number
  private disabled = false

  constructor(
    private readonly target: CommentTarget,
    private readonly log: CommentLog
  ) {}

  /**
   * Creates or updates the comment; returns its URL, or undefined after a warning. `onlyIfNaming`:
   * update only a comment that already holds this text (a collector updates the comment of its
   * training, never one a newer push took over, and creates none).
   */
  async upsert(body: string, onlyIfNaming?: string): Promise<string | undefined> {
    if (this.disabled) return undefined
    try {
      if (onlyIfNaming !== undefined) {
        const { api, repo, pr, marker } = this.target
        const found = (await listComments(api, repo, pr)).find((c) => c.body?.includes(marker))
        if (!found?.body?.includes(onlyIfNaming)) return undefined
        this.id = found.id
      }
      return await this.write(body)
    } catch (err) {
      this.disabled = true
      this.log.warning(explainCommentError(err))
      return undefined
    }
  }

  private async write(body: string): Promise<string> {
    const { api, repo, pr, marker } = this.target
    for (let attempt = 1; ; attempt++) {
      // Looked up again after a failed create: GitHub may have posted it before the answer was lost.
      if (this.id === undefined) {
        this.id = (await listComments(api, repo, pr)).find((c) => c.body?.includes(marker))?.id
      }
      try {
        const comment =
          this.id === undefined
            ? await createComment(api, repo, pr, body)
            : await updateComment(api, repo, this.id, body)
        this.id = comment.id
        return comment.html_url
      } catch (err) {
        const deleted = this.id !== undefined && err instanceof GitHubError && err.status === 404
        if (attempt >= MAX_ATTEMPTS || !(deleted || isTransientGitHub(err))) throw err
        // Someone deleted the comment: find or post it anew.
        if (deleted) this.id = undefined
        else if (this.id === undefined) await retryPause(api, attempt)
      }
    }
  }
}

export function explainCommentError(err: unknown): string {
  const unaffected = 'The training and its result are unaffected.'
  if (err instanceof GitHubError && (err.status === 403 || err.status === 404)) {
    return `Could not write the PR comment (HTTP ${err.status}): the token needs pull-requests: write; add \`permissions: pull-requests: write\` to the job, or set comment-on-pr: false. ${unaffected}`
  }
  if (err instanceof GitHubError && err.status === 401) {
    return `Could not write the PR comment: GitHub refused the token (HTTP 401); check github-token. ${unaffected}`
  }
  return `Could not write the PR comment: ${(err as Error).message}. ${unaffected}`
}
