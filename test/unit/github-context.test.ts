import { describe, expect, test } from '@jest/globals'
import { readRunContext } from '../../src/github/github-context.js'

const MERGE_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const HEAD_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'

const baseEnv = {
  GITHUB_REPOSITORY: 'acme/defects',
  GITHUB_SHA: MERGE_SHA,
  GITHUB_WORKFLOW: 'CI',
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_ACTOR: 'octocat',
  GITHUB_SERVER_URL: 'https://ghe.example.com',
  GITHUB_WORKSPACE: '/home/runner/work/defects/defects'
}

const prPayload = { pull_request: { number: 17, head: { sha: HEAD_SHA, ref: 'feature/x' } } }

describe('readRunContext', () => {
  test('a push: GITHUB_SHA, GITHUB_REF_NAME, no PR number', () => {
    const ctx = readRunContext(
      {
        ...baseEnv,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_HEAD_REF: ''
      },
      { ref: 'refs/heads/main', head_commit: { id: MERGE_SHA } }
    )
    expect(ctx).toEqual({
      repository: 'acme/defects',
      owner: 'acme',
      repo: 'defects',
      sha: MERGE_SHA,
      eventSha: MERGE_SHA,
      ref: 'refs/heads/main',
      refName: 'main',
      workflow: 'CI',
      runId: '987654321',
      runNumber: '42',
      runAttempt: '2',
      actor: 'octocat',
      eventName: 'push',
      prNumber: undefined,
      fromFork: false,
      serverUrl: 'https://ghe.example.com',
      workspace: '/home/runner/work/defects/defects'
    })
  })

  test('a pull_request: the head commit, the head branch and the PR number', () => {
    const ctx = readRunContext(
      {
        ...baseEnv,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/17/merge',
        GITHUB_REF_NAME: '17/merge',
        GITHUB_HEAD_REF: 'feature/x'
      },
      prPayload
    )
    expect(ctx.sha).toBe(HEAD_SHA)
    expect(ctx.sha).not.toBe(MERGE_SHA)
    expect(ctx.refName).toBe('feature/x')
    expect(ctx.ref).toBe('refs/pull/17/merge')
    expect(ctx.prNumber).toBe(17)
  })

  test('pull_request_target reads the PR too', () => {
    const ctx = readRunContext(
      { ...baseEnv, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_HEAD_REF: 'feature/x' },
      prPayload
    )
    expect(ctx.sha).toBe(HEAD_SHA)
    expect(ctx.prNumber).toBe(17)
  })

  test('the head ref from the payload when GITHUB_HEAD_REF is missing', () => {
    const ctx = readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: 'pull_request' }, prPayload)
    expect(ctx.refName).toBe('feature/x')
  })

  test('a PR-shaped payload on another event is ignored', () => {
    const ctx = readRunContext(
      { ...baseEnv, GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF_NAME: 'main' },
      prPayload
    )
    expect(ctx.sha).toBe(MERGE_SHA)
    expect(ctx.refName).toBe('main')
    expect(ctx.prNumber).toBeUndefined()
  })

  test('a pull_request without a head sha falls back to GITHUB_SHA', () => {
    const ctx = readRunContext({ ...baseEnv, GITHUB_EVENT_NAME: 'pull_request' }, {})
    expect(ctx.sha).toBe(MERGE_SHA)
    expect(ctx.prNumber).toBeUndefined()
  })

  test('an empty environment gives empty strings and the defaults', () => {
    const ctx = readRunContext({}, undefined)
    expect(ctx).toMatchObject({
      repository: '',
      owner: '',
      repo: '',
      sha: '',
      refName: '',
      serverUrl: 'https://github.com',
      workspace: '.'
    })
  })
})

describe('readRunContext: refs, bases and workflow_run', () => {
  const TIP = 'cccccccccccccccccccccccccccccccccccccccc'
  const prEnv = (event: string) => ({
    ...baseEnv,
    GITHUB_EVENT_NAME: event,
    GITHUB_REF: 'refs/pull/17/merge',
    GITHUB_REF_NAME: '17/merge',
    GITHUB_HEAD_REF: 'feature/x',
    GITHUB_BASE_REF: 'main'
  })
  const full = {
    pull_request: {
      number: 17,
      head: { sha: HEAD_SHA, ref: 'feature/x', repo: { full_name: 'acme/defects' } },
      base: { ref: 'release', repo: { full_name: 'acme/defects' } }
    }
  }

  test('pull_request: the base branch from GITHUB_BASE_REF, the merge ref kept', () => {
    const ctx = readRunContext(prEnv('pull_request'), full)
    expect(ctx).toMatchObject({ baseRef: 'main', ref: 'refs/pull/17/merge', eventSha: MERGE_SHA })
  })

  test('pull_request_review: empty GITHUB_HEAD_REF/BASE_REF fall back to the payload', () => {
    const ctx = readRunContext(
      { ...prEnv('pull_request_review'), GITHUB_HEAD_REF: '', GITHUB_BASE_REF: '' },
      full
    )
    expect(ctx).toMatchObject({ refName: 'feature/x', baseRef: 'release', sha: HEAD_SHA })
  })

  test('pull_request_target: tagged with the PR, not the base branch it runs on', () => {
    const ctx = readRunContext(
      { ...prEnv('pull_request_target'), GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
      full
    )
    expect(ctx).toMatchObject({ ref: 'refs/pull/17/head', sha: HEAD_SHA, baseRef: 'main' })
  })

  const wrEnv = {
    ...baseEnv,
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_SHA: TIP,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: ''
  }

  test('workflow_run of a PR: head_sha, the PR, its base; not the default branch tip', () => {
    const ctx = readRunContext(wrEnv, {
      workflow_run: {
        event: 'pull_request',
        head_sha: HEAD_SHA,
        head_branch: 'feature/x',
        head_repository: { full_name: 'acme/defects' },
        pull_requests: [{ number: 17, head: { ref: 'feature/x' }, base: { ref: 'release' } }]
      },
      repository: { full_name: 'acme/defects', default_branch: 'main' }
    })
    expect(ctx).toMatchObject({
      sha: HEAD_SHA,
      eventSha: TIP,
      prNumber: 17,
      ref: 'refs/pull/17/head',
      refName: 'feature/x',
      baseRef: 'release',
      fromFork: false
    })
  })

  test('workflow_run of a fork PR (GitHub gives no pull_requests): a fork, the default branch as base', () => {
    const ctx = readRunContext(wrEnv, {
      workflow_run: {
        event: 'pull_request',
        head_sha: HEAD_SHA,
        head_branch: 'main',
        head_repository: { full_name: 'someone/defects' },
        pull_requests: []
      },
      repository: { full_name: 'acme/defects', default_branch: 'trunk' }
    })
    expect(ctx).toMatchObject({
      sha: HEAD_SHA,
      prNumber: undefined,
      fromFork: true,
      ref: 'someone/defects:refs/heads/main',
      refName: 'main',
      baseRef: 'trunk'
    })
  })

  test('workflow_run of a push: the branch, no base', () => {
    const ctx = readRunContext(wrEnv, {
      workflow_run: {
        event: 'push',
        head_sha: HEAD_SHA,
        head_branch: 'dev',
        head_repository: { full_name: 'acme/defects' },
        pull_requests: []
      }
    })
    expect(ctx).toMatchObject({ sha: HEAD_SHA, ref: 'refs/heads/dev', baseRef: undefined })
  })

  test('workflow_run with an empty payload: the runner variables', () => {
    const ctx = readRunContext(wrEnv, {})
    expect(ctx).toMatchObject({
      sha: TIP,
      ref: 'refs/heads/main',
      refName: 'main',
      fromFork: false
    })
  })
})
