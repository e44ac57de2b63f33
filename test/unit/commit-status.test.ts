import { describe, expect, test } from '@jest/globals'
import {
  StatusKeeper,
  explainStatusError,
  restCommitStatuses,
  statusOf,
  winningClaim,
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

  test('listStatuses reads every status of the commit, newest first', async () => {
    const { api, calls } = fakeApi([json([{ id: 3, state: 'pending', context: 'x' }])])
    const all = await restCommitStatuses(api, 'acme', 'vision').listStatuses(SHA)
    expect(all.map((s) => s.id)).toEqual([3])
    expect(calls[0].url).toBe(
      `https://api.github.test/repos/acme/vision/commits/${SHA}/statuses?per_page=100`
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
        readStatuses: async () => list,
        listStatuses: async () => list
      }
    }
  }

  test('a 403 gives one warning, naming statuses: write, and turns the keeper off', async () => {
    const warnings: string[] = []
    const f = fake(httpError('POST ...: HTTP 403 Resource not accessible', 403))
    const keeper = new StatusKeeper(f.api, 'train-action/defects', {
      warning: (l) => warnings.push(l)
    })
    expect(await keeper.set(SHA, { state: 'pending', description: 'x' })).toBe(false)
    expect(await keeper.set(SHA, { state: 'success', description: 'y' })).toBe(false)
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
    expect(await keeper.set(SHA, { state: 'pending', description: 'x' })).toBe(false)
    expect(keeper.enabled).toBe(true)
    expect(warnings[0]).toBe(
      'Could not set the commit status c: HTTP 502. The training is unaffected.'
    )
  })

  test('a secondary rate limit (403) warns but does not turn the keeper off', async () => {
    const warnings: string[] = []
    const err = httpError('POST ...: HTTP 403 You have exceeded a secondary rate limit', 403)
    const keeper = new StatusKeeper(fake(err).api, 'c', { warning: (l) => warnings.push(l) })
    expect(await keeper.set(SHA, { state: 'pending', description: 'x' })).toBe(false)
    expect(keeper.enabled).toBe(true)
    expect(warnings[0]).toMatch(/GitHub's rate limit \(HTTP 403\)/)
  })

  test('explains a refused token', () => {
    expect(explainStatusError(httpError('x', 401), 'read', 'c')).toContain(
      'GitHub refused the token (HTTP 401)'
    )
  })

  test('read finds this context; set writes under it', async () => {
    const f = fake()
    const keeper = new StatusKeeper(f.api, 'train-action/defects', { warning: () => undefined })
    expect(await keeper.read(SHA)).toBeUndefined()
    expect(await keeper.set(SHA, { state: 'pending', description: 'v1: x' })).toBe(true)
    expect((await keeper.read(SHA))?.description).toBe('v1: x')
    expect(f.written).toEqual([
      { sha: SHA, state: 'pending', description: 'v1: x', context: 'train-action/defects' }
    ])
  })

  test('claim: the first of two claims wins, the second loses', async () => {
    const f = fake()
    const isClaim = (s: SeenStatus) => s.description.includes('claim')
    const a = new StatusKeeper(f.api, 'train-action/defects', { warning: () => undefined })
    const b = new StatusKeeper(f.api, 'train-action/defects', { warning: () => undefined })
    await a.set(SHA, { state: 'pending', description: 'v1: training since' })
    expect(await a.claim(SHA, { description: 'v1: claim A' }, isClaim)).toBe(true)
    expect(await b.claim(SHA, { description: 'v1: claim B' }, isClaim)).toBe(false)
  })
})

describe('winningClaim', () => {
  const isClaim = (s: SeenStatus) => s.description.startsWith('claim')
  const at = (minute: number) => `2026-11-28T01:${String(minute).padStart(2, '0')}:00Z`

  test('the earliest claim since the last other status', () => {
    const statuses = [
      status({ id: 4, description: 'claim C', createdAt: at(3) }),
      status({ id: 3, description: 'claim B', createdAt: at(2) }),
      status({ id: 2, description: 'training since', createdAt: at(1) }),
      status({ id: 1, description: 'claim old', createdAt: at(0) }),
      status({ id: 9, description: 'other context', context: 'ci', createdAt: at(4) })
    ]
    expect(winningClaim(statuses, 'train-action/defects', isClaim)?.id).toBe(3)
  })

  test('a claim older than the TTL (a collector that died) is passed over', () => {
    const statuses = [
      status({ id: 3, description: 'claim new', createdAt: at(30) }),
      status({ id: 2, description: 'claim dead', createdAt: at(5) })
    ]
    expect(winningClaim(statuses, 'train-action/defects', isClaim)?.id).toBe(3)
  })

  test('no claim: no winner', () => {
    expect(winningClaim([status({ description: 'x' })], 'train-action/defects', isClaim)).toBe(
      undefined
    )
  })
})
