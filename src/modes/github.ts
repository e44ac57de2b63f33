// The GitHub pieces a mode needs, built from the token and the runner's API URL: the PR comment and
// the commit status keeper.
import { backoffDelay } from '../aws/retry.js'
import { restCommitStatuses, StatusKeeper } from '../github/commit-status.js'
import type { GitHubApi } from '../github/github-api.js'
import { PrComment } from '../github/pr-comment.js'
import { commentMarker } from '../reporting/report.js'
import { statusContext } from '../reporting/status-text.js'
import type { ActionIo } from './io.js'

export function githubApi(io: ActionIo, token: string, pollIntervalSeconds: number): GitHubApi {
  return {
    baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    token,
    retryDelayMs: (attempt: number) => backoffDelay(attempt, pollIntervalSeconds * 1000)
  }
}

export interface GitHubSettings {
  repository: string
  projectArn: string
  projectName: string
  githubToken: string
  pollIntervalSeconds: number
}

export function prComment(io: ActionIo, s: GitHubSettings, pr: number): PrComment {
  return new PrComment(
    {
      api: githubApi(io, s.githubToken, s.pollIntervalSeconds),
      repo: s.repository,
      pr,
      marker: commentMarker(s.projectArn)
    },
    io.log
  )
}

/** The keeper of `train-action/<project-name>`, or undefined (with a warning) without a token. */
export function statusKeeper(io: ActionIo, s: GitHubSettings): StatusKeeper | undefined {
  if (!s.githubToken) {
    io.log.warning('commit-status is true but github-token is empty: no commit status.')
    return undefined
  }
  const api = restCommitStatuses(githubApi(io, s.githubToken, s.pollIntervalSeconds), s.repository)
  return new StatusKeeper(api, statusContext(s.projectName), io.log)
}
