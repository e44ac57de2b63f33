import { describe, expect, test } from '@jest/globals'
import {
  StatusKeeper,
  explainStatusError,
  restCommitStatuses,
  GitHubShapeError,
  planWrite,
  statusOf,
  type CommitStatuses,
  type SeenStatus
} from '../../src/github/commit-status.js'
import { githubClient, type GitHubClient } from '../../src/github/octokit.js'

interface Call {
  url: string
  method: string
  body?: unknown
}

function fakeApi(answers: Response[]): { api: () => Promise<GitHubClient>; calls: Call[] } {
  const calls: Call[] = []
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: init?.body ? JSON.parse(String(init.body)) : undefined
    })
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    return next
  }
  return {
    api: () =>
      githubClient({
        token: 't',
        baseUrl: 'https://api.github.test',
        log: { debug: () => undefined },
        fetch: fake as typeof fetch,
        retryBaseMs: 1
      }),
    calls
  }
}

/** An error shaped like Octokit's RequestError. */
const httpError = (message: string, status: number): Error =>
  Object.assign(new Error(message), { name: 'HttpError', status })

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const SHA = 'feedfacecafebeef00112233445566778899aabb'

const status = (over: Partial<SeenStatus>): SeenStatus => ({
  id: 1,
  state: 'pending',
  description: '',
  context: 'train-action/defects',
  ...over
})

describe('the REST implementation', () => {
  test('setStatus POSTs state, description, context and target_url', async () => {
    const { api, calls } = fakeApi([json({ id: 1 }, 201)])
    await restCommitStatuses(api, 'acme', 'vision').setStatus(SHA, {
      state: 'pending',
      description: 'v1: training since ...',
      targetUrl: 'https://github.com/acme/vision/actions/runs/1',
      context: 'train-action/defects'
    })
    expect(calls).toMatchObject([
      {
        url: `https://api.github.test/repos/acme/vision/statuses/${SHA}`,
        method: 'POST',
        body: {
          state: 'pending',
          description: 'v1: training since ...',
          context: 'train-action/defects',
          target_url: 'https://github.com/acme/vision/actions/runs/1'
        }
      }
    ])
  })

  test('readStatuses reads the combined status, page after page while pages are full', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({
      id: i,
      state: 'success',
      context: `ci/${i}`
    }))
    const { api, calls } = fakeApi([
      json({ total_count: 101, statuses: full }),
      json({
        total_count: 101,
        statuses: [
          { id: 200, state: 'pending', description: null, context: 'train-action/defects' }
        ]
      })
    ])
    const all = await restCommitStatuses(api, 'acme', 'vision').readStatuses(SHA)
    expect(all).toHaveLength(101)
    expect(calls.map((c) => c.url)).toEqual([
      `https://api.github.test/repos/acme/vision/commits/${SHA}/status?per_page=100&page=1`,
      `https://api.github.test/repos/acme/vision/commits/${SHA}/status?per_page=100&page=2`
    ])
    expect(statusOf(all, 'Train-Action/Defects')).toEqual({
      id: 200,
      state: 'pending',
      description: '',
      targetUrl: undefined,
      context: 'train-action/defects',
      createdAt: undefined
    })
  })

  test.each([
    ['an HTML page', '<!DOCTYPE html><html>Unicorn!</html>'],
    ['cut-off JSON', '{"state":"pending","statuses":[{"id":1,"st'],
    [
      'an object where a list is expected',
      '{"state":"pending","statuses":{"0":{}},"total_count":1}'
    ],
    ['a status that is not one', '{"state":"pending","statuses":[{"id":1}],"total_count":1}']
  ])('readStatuses: %s is a shape error, never "no status"', async (_what, body) => {
    const { api } = fakeApi([
      new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    ])
    await expect(restCommitStatuses(api, 'acme', 'vision').readStatuses(SHA)).rejects.toThrow(
      GitHubShapeError
    )
  })
})

describe('the keeper', () => {
  function fake(fail?: Error): { api: CommitStatuses; written: unknown[]; list: SeenStatus[] } {
    const written: unknown[] = []
    const list: SeenStatus[] = []
    return {
      written,
      list,
      api: {
        setStatus: async (sha, s) => {
          if (fail) throw fail
          written.push({ sha, ...s })
          list.unshift(
            status({
              id: list.length + 1,
              state: s.state,
              description: s.description,
              context: s.context,
              createdAt: '2026-11-28T01:00:00Z'
            })
          )
        },
        readStatuses: async () => list
      }
    }
  }

  test('a 403 gives one warning, naming statuses: write, and turns the keeper off', async () => {
    const warnings: string[] = []
    const f = fake(httpError('POST ...: HTTP 403 Resource not accessible', 403))
    const keeper = new StatusKeeper(f.api, 'train-action/defects', {
      warning: (l) => warnings.push(l)
    })
    expect(await keeper.converge(SHA, { state: 'pending', description: 'x' })).toBeUndefined()
    expect(await keeper.converge(SHA, { state: 'success', description: 'y' })).toBeUndefined()
    expect(keeper.enabled).toBe(false)
    expect(warnings).toEqual([
      'Could not set the commit status train-action/defects (HTTP 403): the token needs statuses: write; add `permissions: statuses: write` to the job, or set commit-status: false. The training is unaffected.'
    ])
  })

  test('another failure warns but keeps the keeper on', async () => {
    const warnings: string[] = []
    const keeper = new StatusKeeper(fake(httpError('HTTP 502', 502)).api, 'c', {
      warning: (l) => warnings.push(l)
    })
    expect(await keeper.converge(SHA, { state: 'pending', description: 'x' })).toBeUndefined()
    expect(keeper.enabled).toBe(true)
    expect(warnings[0]).toBe(
      'Could not set the commit status c: HTTP 502. The training is unaffected.'
    )
  })

  test('a secondary rate limit (403) warns but does not turn the keeper off', async () => {
    const warnings: string[] = []
    const err = httpError('POST ...: HTTP 403 You have exceeded a secondary rate limit', 403)
    const keeper = new StatusKeeper(fake(err).api, 'c', { warning: (l) => warnings.push(l) })
    expect(await keeper.converge(SHA, { state: 'pending', description: 'x' })).toBeUndefined()
    expect(keeper.enabled).toBe(true)
    expect(warnings[0]).toMatch(/GitHub's rate limit \(HTTP 403\)/)
  })

  test('explains a refused token', () => {
    expect(explainStatusError(httpError('x', 401), 'read', 'c')).toContain(
      'GitHub refused the token (HTTP 401)'
    )
  })

  test('read finds this context; converge writes under it, once, and never pending over a final status', async () => {
    const f = fake()
    const keeper = new StatusKeeper(f.api, 'train-action/defects', { warning: () => undefined })
    expect(await keeper.read(SHA)).toBeUndefined()
    expect((await keeper.converge(SHA, { state: 'pending', description: 'v1: x' }))?.plan).toBe(
      'write'
    )
    expect((await keeper.read(SHA))?.description).toBe('v1: x')
    expect((await keeper.converge(SHA, { state: 'pending', description: 'v1: x' }))?.plan).toBe(
      'same'
    )
    await keeper.converge(SHA, { state: 'success', description: 'v1: done' })
    expect((await keeper.converge(SHA, { state: 'pending', description: 'v1: x' }))?.plan).toBe(
      'final-kept'
    )
    expect(f.written).toEqual([
      { sha: SHA, state: 'pending', description: 'v1: x', context: 'train-action/defects' },
      { sha: SHA, state: 'success', description: 'v1: done', context: 'train-action/defects' }
    ])
  })
})

describe('planWrite: converge, never lock', () => {
  const pending = { state: 'pending' as const, description: 'v1: training since x' }
  const success = { state: 'success' as const, description: 'v1: F1 0.9, no gates' }
  const failure = { state: 'failure' as const, description: 'v1: TRAINING_FAILED' }
  test('nothing yet: write', () => expect(planWrite(undefined, pending)).toBe('write'))
  test('the same status again: not written', () => {
    expect(planWrite(success, success)).toBe('same')
    expect(planWrite(pending, pending)).toBe('same')
  })
  test('pending never goes over a final status', () => {
    expect(planWrite(success, pending)).toBe('final-kept')
    expect(planWrite(failure, pending)).toBe('final-kept')
    expect(planWrite({ state: 'error', description: 'x' }, pending)).toBe('final-kept')
  })
  test('a final status goes over pending, and over another final one (a training step re-run)', () => {
    expect(planWrite(pending, success)).toBe('write')
    expect(planWrite(failure, success)).toBe('write')
  })
})
