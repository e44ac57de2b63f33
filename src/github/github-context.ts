// What the action knows about the workflow run, read from the runner's variables and the event
// payload. Pure: the edge passes in process.env and the parsed payload.
//
// Which commit a run is about (GitHub, "Events that trigger workflows"): GITHUB_SHA is the merge
// commit on pull_request, the base branch's tip on pull_request_target, and the default branch's
// tip on workflow_run; the PR head is pull_request.head.sha, and on workflow_run the triggering
// run's commit is workflow_run.head_sha (its PRs in workflow_run.pull_requests, which GitHub
// leaves empty for pull requests from forks). The runner sets GITHUB_HEAD_REF/GITHUB_BASE_REF to
// "" outside pull_request/pull_request_target, so an empty value means "not given".
//
// Why not @actions/github's `context`: the package exports it only from its main entry, which
// loads Octokit (kept off the start-up path, imported only when a GitHub call is due), and it is
// built once from process.env when that module loads, where this reads the environment it is
// given. It also keeps the run ids as numbers (NaN when unset) and knows none of the rules above
// (which commit, which ref, which PR), which is most of what this module does.

export interface RunContext {
  /** owner/name */
  repository: string
  owner: string
  repo: string
  /** The commit trained: the PR head on pull-request events, workflow_run.head_sha on workflow_run, else GITHUB_SHA. */
  sha: string
  /** GITHUB_SHA as the runner set it (the merge commit on pull_request). */
  eventSha: string
  /**
   * The ref the version is tagged with (`github:ref`): GITHUB_REF, except where that names another
   * line of work than the commit trained (pull_request_target: the base branch; workflow_run: the
   * default branch): there the PR's `refs/pull/<n>/head` or the triggering run's branch.
   */
  ref: string
  /** Branch or tag name; the PR's head branch on pull-request events. */
  refName: string
  /** The PR's base branch (name, no refs/heads/) on pull-request events and workflow_run runs of a PR. */
  baseRef?: string
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

interface Repo {
  full_name?: string
}

interface PullRequestPayload {
  pull_request?: {
    number?: number
    head?: { sha?: string; ref?: string; repo?: Repo | null }
    base?: { ref?: string; repo?: Repo }
  }
}

interface WorkflowRunPayload {
  workflow_run?: {
    head_sha?: string
    head_branch?: string | null
    event?: string
    head_repository?: Repo | null
    pull_requests?: { number?: number; head?: { ref?: string }; base?: { ref?: string } }[]
  }
  repository?: { full_name?: string; default_branch?: string }
}

/**
 * merge_group (GitHub, "Events that trigger workflows", merge_group: GITHUB_SHA is the SHA of the
 * merge group, GITHUB_REF its ref; the webhook payload's merge_group carries head_sha, head_ref
 * `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`, base_sha and base_ref `refs/heads/<base>`).
 */
interface MergeGroupPayload {
  merge_group?: { head_sha?: string; head_ref?: string; base_ref?: string }
}

export const PR_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment'
])

/** The first non-empty value: the runner gives "" for variables that do not apply. */
const first = (...values: (string | null | undefined)[]): string =>
  values.find((v): v is string => typeof v === 'string' && v !== '') ?? ''

const optional = (value: string): string | undefined => (value === '' ? undefined : value)

interface EventFacts {
  sha: string
  ref: string
  refName: string
  baseRef?: string
  prNumber?: number
  fromFork: boolean
}

function pullRequestFacts(env: Env, payload: unknown, repository: string): EventFacts | undefined {
  const pr = (payload as PullRequestPayload | undefined)?.pull_request
  if (!pr) return undefined
  const prNumber = typeof pr.number === 'number' ? pr.number : undefined
  const envRef = env.GITHUB_REF ?? ''
  return {
    sha: first(pr.head?.sha, env.GITHUB_SHA),
    // pull_request_target runs on the base branch: tag the PR, never the base branch, with it.
    ref:
      envRef.startsWith('refs/pull/') || prNumber === undefined
        ? envRef
        : `refs/pull/${prNumber}/head`,
    refName: first(env.GITHUB_HEAD_REF, pr.head?.ref, env.GITHUB_REF_NAME),
    baseRef: optional(first(env.GITHUB_BASE_REF, pr.base?.ref)),
    prNumber,
    // head.repo is null for a deleted fork: still not this repository.
    fromFork:
      pr.head?.repo !== undefined &&
      pr.head.repo?.full_name !== (pr.base?.repo?.full_name ?? repository)
  }
}

function workflowRunFacts(env: Env, payload: unknown, repository: string): EventFacts {
  const p = (payload ?? {}) as WorkflowRunPayload
  const run = p.workflow_run ?? {}
  const pr = run.pull_requests?.[0]
  const prNumber = typeof pr?.number === 'number' ? pr.number : undefined
  const headRepo = run.head_repository?.full_name
  const fromFork = run.head_repository !== undefined && headRepo !== repository
  const branch = first(run.head_branch, pr?.head?.ref)
  // The triggering run's line of work, never the default branch this run is on: a fork's branch
  // is named with its repository so that a fork's `main` is not taken for this one's.
  let ref = env.GITHUB_REF ?? ''
  if (prNumber !== undefined) ref = `refs/pull/${prNumber}/head`
  else if (branch)
    ref = fromFork ? `${headRepo ?? 'fork'}:refs/heads/${branch}` : `refs/heads/${branch}`
  const ofPullRequest = PR_EVENTS.has(run.event ?? '') || prNumber !== undefined
  return {
    sha: first(run.head_sha, env.GITHUB_SHA),
    ref,
    refName: first(branch, env.GITHUB_REF_NAME),
    // GitHub gives no PR for a fork's run: its base is then taken to be the default branch.
    baseRef: ofPullRequest
      ? optional(first(pr?.base?.ref, p.repository?.default_branch))
      : undefined,
    prNumber,
    fromFork
  }
}

/** The merge group's own commit and ref; its base branch for `baseline-version: auto`. */
function mergeGroupFacts(env: Env, payload: unknown): EventFacts {
  const group = (payload as MergeGroupPayload | undefined)?.merge_group ?? {}
  const ref = first(env.GITHUB_REF, group.head_ref)
  return {
    sha: first(env.GITHUB_SHA, group.head_sha),
    ref,
    refName: first(env.GITHUB_REF_NAME, ref.replace(/^refs\/heads\//, '')),
    baseRef: optional(first(group.base_ref).replace(/^refs\/heads\//, '')),
    fromFork: false
  }
}

export function readRunContext(env: Env, payload: unknown): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner = '', repo = ''] = repository.split('/')
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const facts: EventFacts = (PR_EVENTS.has(eventName)
    ? pullRequestFacts(env, payload, repository)
    : eventName === 'workflow_run'
      ? workflowRunFacts(env, payload, repository)
      : eventName === 'merge_group'
        ? mergeGroupFacts(env, payload)
        : undefined) ?? {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    refName: env.GITHUB_REF_NAME ?? '',
    fromFork: false
  }
  return {
    repository,
    owner,
    repo,
    ...facts,
    eventSha: env.GITHUB_SHA ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    eventName,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? '.'
  }
}
