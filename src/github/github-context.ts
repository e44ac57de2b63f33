// What the action knows about the workflow run, read from the runner's variables and the event
// payload. Pure: the edge passes in process.env and the parsed payload.

export interface RunContext {
  /** owner/name */
  repository: string
  owner: string
  repo: string
  /** The commit trained: the PR head on pull_request events, else GITHUB_SHA. */
  sha: string
  ref: string
  /** Branch or tag name; the PR's head branch on pull_request events. */
  refName: string
  workflow: string
  runId: string
  runNumber: string
  runAttempt: string
  actor: string
  eventName: string
  prNumber?: number
  /** A pull request from another repository: the workflow gets no secrets. */
  fromFork: boolean
  serverUrl: string
  workspace: string
}

type Env = Record<string, string | undefined>

interface PullRequestPayload {
  pull_request?: {
    number?: number
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null }
    base?: { repo?: { full_name?: string } }
  }
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review'])

export function readRunContext(env: Env, payload: unknown): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner = '', repo = ''] = repository.split('/')
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const pr = PR_EVENTS.has(eventName) ? (payload as PullRequestPayload)?.pull_request : undefined
  return {
    repository,
    owner,
    repo,
    sha: pr?.head?.sha ?? env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    refName: (pr ? (env.GITHUB_HEAD_REF ?? pr.head?.ref) : undefined) ?? env.GITHUB_REF_NAME ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    eventName,
    prNumber: typeof pr?.number === 'number' ? pr.number : undefined,
    // head.repo is null for a deleted fork: still not this repository.
    fromFork:
      pr?.head?.repo !== undefined &&
      pr.head.repo?.full_name !== (pr.base?.repo?.full_name ?? repository),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? '.'
  }
}
