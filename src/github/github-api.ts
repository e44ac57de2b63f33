// The few GitHub REST calls the PR comment needs, over fetch: no client library on the start-up
// path. Bounded in time, with retries for 5xx, rate limits and dropped connections.
import { boundedSignal } from '../aws/abort.js'
import { MAX_ATTEMPTS, backoffDelay } from '../aws/retry.js'

export interface GitHubApi {
  baseUrl: string
  token: string
  fetch?: typeof fetch
  /** ms before retry `attempt` (1-based); by default the SDK calls' full-jitter backoff. */
  retryDelayMs?: (attempt: number) => number
}

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

const TIMEOUT_MS = 15_000

/** Worth another try: a 5xx, a rate limit, or no answer at all (status 0). */
export const isTransientGitHub = (err: unknown): boolean =>
  err instanceof GitHubError && (err.status === 0 || err.status >= 500 || err.status === 429)

export function retryPause(api: GitHubApi, attempt: number): Promise<void> {
  const delay = (api.retryDelayMs ?? ((a: number) => backoffDelay(a, 20_000)))(attempt)
  return new Promise((r) => setTimeout(r, delay))
}

/** One REST call with the client's bounds and retries; non-2xx answers throw GitHubError. */
export async function request(
  api: GitHubApi,
  method: string,
  path: string,
  body?: unknown,
  attempts = MAX_ATTEMPTS
): Promise<Response> {
  const doFetch = api.fetch ?? fetch
  let last: GitHubError | undefined
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const bound = boundedSignal(TIMEOUT_MS)
    try {
      const res = await doFetch(`${api.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${api.token}`,
          'content-type': 'application/json',
          'user-agent': 'train-action',
          'x-github-api-version': '2022-11-28'
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: bound.signal
      })
      if (res.ok) return res
      const text = await res.text().catch(() => '')
      const message = (() => {
        try {
          return (JSON.parse(text) as { message?: string }).message ?? text
        } catch {
          return text
        }
      })()
      last = new GitHubError(`${method} ${path}: HTTP ${res.status} ${message}`.trim(), res.status)
      if (!isTransientGitHub(last)) throw last
    } catch (err) {
      if (err instanceof GitHubError && !isTransientGitHub(err)) throw err
      last =
        err instanceof GitHubError
          ? err
          : new GitHubError(`${method} ${path}: ${(err as Error)?.message ?? String(err)}`, 0)
    } finally {
      bound.done()
    }
    if (attempt < attempts) await retryPause(api, attempt)
  }
  throw last!
}

export interface IssueComment {
  id: number
  body?: string
  html_url: string
}

/** Every comment of the issue or PR, following the Link header's pages. */
export async function listComments(
  api: GitHubApi,
  repo: string,
  issue: number
): Promise<IssueComment[]> {
  const all: IssueComment[] = []
  for (let page = 1; page <= 50; page++) {
    const res = await request(
      api,
      'GET',
      `/repos/${repo}/issues/${issue}/comments?per_page=100&page=${page}`
    )
    all.push(...((await res.json()) as IssueComment[]))
    if (!/rel="next"/.test(res.headers.get('link') ?? '')) break
  }
  return all
}

export async function createComment(
  api: GitHubApi,
  repo: string,
  issue: number,
  body: string
): Promise<IssueComment> {
  // One attempt only: a POST retried after a lost answer could post twice. PrComment retries by
  // looking for its marker first.
  const res = await request(api, 'POST', `/repos/${repo}/issues/${issue}/comments`, { body }, 1)
  return (await res.json()) as IssueComment
}

export async function updateComment(
  api: GitHubApi,
  repo: string,
  id: number,
  body: string
): Promise<IssueComment> {
  const res = await request(api, 'PATCH', `/repos/${repo}/issues/comments/${id}`, { body })
  return (await res.json()) as IssueComment
}
