import { describe, expect, test } from '@jest/globals'
import {
  GitHubError,
  createComment,
  listComments,
  updateComment,
  type GitHubApi
} from '../../src/github/github-api.js'
import { MAX_ATTEMPTS } from '../../src/aws/retry.js'

interface Call {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

/** A fake fetch answering from a queue of responses (or errors to throw), recording each call. */
function fakeApi(answers: (Response | Error)[]): {
  api: GitHubApi
  calls: Call[]
  delays: number[]
} {
  const calls: Call[] = []
  const delays: number[] = []
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      body: init?.body as string | undefined
    })
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }
  return {
    api: {
      baseUrl: 'https://api.github.com/',
      token: 'ghs_secret',
      fetch: fake as typeof fetch,
      // No real waiting between retries; record which retries asked for a delay.
      retryDelayMs: (attempt) => {
        delays.push(attempt)
        return 0
      }
    },
    calls,
    delays
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

async function rejection(p: Promise<unknown>): Promise<GitHubError> {
  try {
    await p
  } catch (err) {
    return err as GitHubError
  }
  throw new Error('expected a rejection')
}

describe('requests', () => {
  test('URL, method, headers and JSON body; the token as a Bearer header', async () => {
    const { api, calls } = fakeApi([json({ id: 5, html_url: 'https://github.com/c/5' }, 201)])
    const c = await createComment(api, 'acme/defects', 17, 'hello')
    expect(c).toEqual({ id: 5, html_url: 'https://github.com/c/5' })
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('https://api.github.com/repos/acme/defects/issues/17/comments')
    expect(calls[0].method).toBe('POST')
    expect(calls[0].headers.authorization).toBe('Bearer ghs_secret')
    expect(calls[0].headers.accept).toBe('application/vnd.github+json')
    expect(JSON.parse(calls[0].body ?? '')).toEqual({ body: 'hello' })
  })

  test('updateComment PATCHes the comment by id', async () => {
    const { api, calls } = fakeApi([json({ id: 9, html_url: 'u' })])
    await updateComment(api, 'acme/defects', 9, 'new')
    expect(calls[0].method).toBe('PATCH')
    expect(calls[0].url).toBe('https://api.github.com/repos/acme/defects/issues/comments/9')
    expect(JSON.parse(calls[0].body ?? '')).toEqual({ body: 'new' })
  })

  test('listComments follows rel="next" pages and stops without one', async () => {
    const next = { link: '<https://api.github.com/x?page=2>; rel="next", <...>; rel="last"' }
    const { api, calls } = fakeApi([
      json([{ id: 1, body: 'a', html_url: 'u1' }], 200, next),
      json([{ id: 2, body: 'b', html_url: 'u2' }], 200, {
        link: '<https://api.github.com/x?page=1>; rel="prev"'
      })
    ])
    const all = await listComments(api, 'acme/defects', 17)
    expect(all.map((c) => c.id)).toEqual([1, 2])
    expect(calls.map((c) => c.url)).toEqual([
      'https://api.github.com/repos/acme/defects/issues/17/comments?per_page=100&page=1',
      'https://api.github.com/repos/acme/defects/issues/17/comments?per_page=100&page=2'
    ])
    expect(calls.every((c) => c.method === 'GET' && c.body === undefined)).toBe(true)
  })
})

describe('errors', () => {
  test("the message has the method, the path, the status and GitHub's message", async () => {
    const { api } = fakeApi([json({ message: 'Resource not accessible by integration' }, 403)])
    const err = await rejection(createComment(api, 'acme/defects', 17, 'x'))
    expect(err).toBeInstanceOf(GitHubError)
    expect(err.status).toBe(403)
    expect(err.message).toBe(
      'POST /repos/acme/defects/issues/17/comments: HTTP 403 Resource not accessible by integration'
    )
  })

  test('a body that is not JSON is quoted as it is', async () => {
    const { api } = fakeApi([new Response('Bad credentials', { status: 401 })])
    const err = await rejection(updateComment(api, 'acme/defects', 3, 'x'))
    expect(err.status).toBe(401)
    expect(err.message).toBe(
      'PATCH /repos/acme/defects/issues/comments/3: HTTP 401 Bad credentials'
    )
  })

  test.each([400, 401, 403, 404, 422])('HTTP %i is not retried', async (status) => {
    const { api, calls } = fakeApi([
      json({ message: 'no' }, status),
      json({ id: 1, html_url: 'u' })
    ])
    const err = await rejection(createComment(api, 'acme/defects', 17, 'x'))
    expect(err.status).toBe(status)
    expect(calls).toHaveLength(1)
  })

  test('a 5xx is retried, then the success is returned', async () => {
    const { api, calls } = fakeApi([
      json({ message: 'Server Error' }, 502),
      json({ id: 7, html_url: 'u7' }, 200)
    ])
    const c = await updateComment(api, 'acme/defects', 7, 'x')
    expect(c.id).toBe(7)
    expect(calls).toHaveLength(2)
    expect(calls[1].method).toBe('PATCH')
    expect(calls[1].url).toBe(calls[0].url)
  })

  test('a create is never retried by itself: a lost answer could post twice', async () => {
    const { api, calls } = fakeApi([
      json({ message: 'Server Error' }, 502),
      json({ id: 7, html_url: 'u7' }, 201)
    ])
    const err = await rejection(createComment(api, 'acme/defects', 17, 'x'))
    expect(err.status).toBe(502)
    expect(calls).toHaveLength(1)
  })

  test('429 is retried', async () => {
    const { api, calls } = fakeApi([
      json({ message: 'rate limited' }, 429),
      json([{ id: 1, html_url: 'u' }])
    ])
    const all = await listComments(api, 'acme/defects', 17)
    expect(all.map((c) => c.id)).toEqual([1])
    expect(calls).toHaveLength(2)
  })

  test('a network error is retried', async () => {
    const { api, calls } = fakeApi([new TypeError('fetch failed'), json({ id: 2, html_url: 'u' })])
    const c = await updateComment(api, 'acme/defects', 2, 'x')
    expect(c.id).toBe(2)
    expect(calls).toHaveLength(2)
  })

  test('5xx every time: MAX_ATTEMPTS attempts, then the last error', async () => {
    const answers = Array.from({ length: MAX_ATTEMPTS + 1 }, (_, i) =>
      json({ message: `failure ${i + 1}` }, 500 + (i % 4))
    )
    const { api, calls, delays } = fakeApi(answers)
    const err = await rejection(updateComment(api, 'acme/defects', 17, 'x'))
    expect(calls).toHaveLength(MAX_ATTEMPTS)
    // A delay before each retry, for attempts 1, 2, ... in turn.
    expect(delays.slice(0, MAX_ATTEMPTS - 1)).toEqual(
      Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => i + 1)
    )
    expect(err).toBeInstanceOf(GitHubError)
    expect(err.status).toBe(500 + ((MAX_ATTEMPTS - 1) % 4))
    expect(err.message).toBe(
      `PATCH /repos/acme/defects/issues/comments/17: HTTP ${err.status} failure ${MAX_ATTEMPTS}`
    )
  })
})
