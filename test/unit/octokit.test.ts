// The bounds of src/github/octokit.ts: one exchange (headers and body), one call with its
// retries, the caller's own signal. Counts calls; asserts no timings.
import { describe, expect, test } from '@jest/globals'
import { githubClient, lazyGitHubClient, timedFetch } from '../../src/github/octokit.js'

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** A fetch whose answer never comes (it only gives up when its signal aborts). */
const never = (calls: string[]): typeof fetch =>
  (async (input: string, init?: RequestInit) => {
    calls.push(String(input))
    return new Promise<Response>((_, reject) =>
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
    )
  }) as typeof fetch

describe('timedFetch', () => {
  test('reads the body inside the timer: headers then a stalled body still time out', async () => {
    const stalled: typeof fetch = async (_input, init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"partial":'))
            init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason))
          }
        }),
        { status: 200 }
      )
    await expect(timedFetch(stalled, 30)('https://x/')).rejects.toThrow(
      'GitHub did not answer within 0 s'
    )
  })

  test('answers without a body (204) pass through', async () => {
    const res = await timedFetch(
      async () => new Response(null, { status: 204 }),
      1_000
    )('https://x/')
    expect(res.status).toBe(204)
  })

  test('a whole answer is handed on with its status and headers', async () => {
    const res = await timedFetch(async () => json({ a: 1 }, 201), 1_000)('https://x/')
    expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([
      201,
      'application/json',
      { a: 1 }
    ])
  })

  test('a caller that has already given up: an AbortError at once, no request', async () => {
    const calls: string[] = []
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    await expect(
      timedFetch(never(calls), 1_000)('https://x/', { signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError', message: 'cancelled' })
    expect(calls).toHaveLength(0)
  })

  test('other failures pass through unchanged', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed')
    }
    await expect(timedFetch(refused, 1_000)('https://x/')).rejects.toThrow('fetch failed')
  })
})

describe('githubClient', () => {
  const client = (f: typeof fetch, over = {}) =>
    githubClient({
      token: 'ghs_t0ken',
      baseUrl: 'https://ghe.example.com/api/v3/',
      log: { debug: () => undefined },
      fetch: f,
      retryBaseMs: 1,
      requestTimeoutMs: 30,
      callBudgetMs: 300,
      ...over
    })

  test('talks to the base URL given, with the token', async () => {
    const seen: [string, Record<string, string>][] = []
    const gh = await client(
      (async (input: string, init?: RequestInit) => {
        seen.push([String(input), init?.headers as Record<string, string>])
        return json({ number: 1, head: { sha: 'abc' } })
      }) as typeof fetch,
      // An answer at once: no bound of the call is under test (a busy machine needs room).
      { requestTimeoutMs: 10_000, callBudgetMs: 10_000 }
    )
    const { data } = await gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })
    expect(data.head.sha).toBe('abc')
    expect(seen[0][0]).toBe('https://ghe.example.com/api/v3/repos/o/r/pulls/1')
    expect(seen[0][1].authorization).toBe('token ghs_t0ken')
  })

  test('a GitHub that never answers: the call ends within its budget, attempts counted', async () => {
    const calls: string[] = []
    // Room for the three 30 ms exchanges even on a busy machine: the retries end it, or the budget.
    const gh = await client(never(calls), { callBudgetMs: 3_000 })
    await expect(gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })).rejects.toThrow(
      /GitHub gave no usable answer within 3 s|GitHub did not answer/
    )
    expect(calls.length).toBeGreaterThanOrEqual(1)
    expect(calls.length).toBeLessThanOrEqual(3)
  })

  test('a caller’s signal ends the call, without retries', async () => {
    const calls: string[] = []
    const controller = new AbortController()
    // The step is cancelled while the first request is under way.
    const cancelling = (async (input: string, init?: RequestInit) => {
      const pending = never(calls)(input, init)
      controller.abort(new Error('step cancelled'))
      return pending
    }) as typeof fetch
    const gh = await client(cancelling, { requestTimeoutMs: 10_000, callBudgetMs: 10_000 })
    const pending = gh.rest.pulls.get({
      owner: 'o',
      repo: 'r',
      pull_number: 1,
      request: { signal: controller.signal }
    })
    await expect(pending).rejects.toThrow('step cancelled')
    expect(calls).toHaveLength(1)
  })

  test('the client is built once, on first use', async () => {
    let built = 0
    const get = lazyGitHubClient({
      token: 't',
      baseUrl: 'https://api.github.com',
      log: { debug: () => undefined },
      fetch: (async () => {
        built++
        return json({})
      }) as typeof fetch
    })
    expect(await get()).toBe(await get())
    expect(built).toBe(0)
  })
})
