import { beforeEach, describe, expect, test } from '@jest/globals'
import type { GitHubApi } from '../../src/github/github-api.js'
import { PrComment } from '../../src/github/pr-comment.js'
import { commentMarker } from '../../src/reporting/report.js'
import { PROJECT_ARN } from './helpers.js'

const TOKEN = 'ghs_s3cr3tT0kenValue'
const BASE = 'https://api.github.com'
const MARKER = commentMarker(PROJECT_ARN)
const OTHER_MARKER = commentMarker(
  'arn:aws:rekognition:eu-west-1:123456789012:project/other/1700000000000'
)

interface Call {
  method: string
  url: string
  authorization?: string
  body?: unknown
}

type Handler = (call: Call) => Response

let calls: Call[]
let warnings: string[]

function target(handler: Handler): { api: GitHubApi; repo: string; pr: number; marker: string } {
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>
    const call: Call = {
      method: init?.method ?? 'GET',
      url: String(input),
      authorization: headers.authorization,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    }
    calls.push(call)
    return handler(call)
  }
  return {
    api: { baseUrl: BASE, token: TOKEN, fetch: fake as typeof fetch, retryDelayMs: () => 0 },
    repo: 'acme/defects',
    pr: 17,
    marker: MARKER
  }
}

const log = { warning: (line: string) => warnings.push(line) }

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

const htmlUrl = (id: number): string => `https://github.com/acme/defects/pull/17#issuecomment-${id}`
const LIST = `${BASE}/repos/acme/defects/issues/17/comments?per_page=100&page=`

/** A PR conversation: page 1 has other comments, page 2 ours. */
function conversation(ours: boolean): Handler {
  let nextId = 900
  return (call) => {
    if (call.method === 'GET' && call.url === `${LIST}1`) {
      return json(
        [
          { id: 11, body: 'LGTM', html_url: htmlUrl(11) },
          { id: 12, body: `${OTHER_MARKER}\nother project`, html_url: htmlUrl(12) }
        ],
        200,
        { link: `<${LIST}2>; rel="next", <${LIST}2>; rel="last"` }
      )
    }
    if (call.method === 'GET' && call.url === `${LIST}2`) {
      return json(
        ours
          ? [
              { id: 21, body: 'ship it', html_url: htmlUrl(21) },
              { id: 42, body: `${MARKER}\nold report`, html_url: htmlUrl(42) }
            ]
          : [{ id: 21, body: 'ship it', html_url: htmlUrl(21) }],
        200,
        { link: `<${LIST}1>; rel="prev", <${LIST}1>; rel="first"` }
      )
    }
    const patch = /\/issues\/comments\/(\d+)$/.exec(call.url)
    if (call.method === 'PATCH' && patch) {
      const id = Number(patch[1])
      return json({ id, body: (call.body as { body: string }).body, html_url: htmlUrl(id) })
    }
    if (call.method === 'POST' && call.url === `${BASE}/repos/acme/defects/issues/17/comments`) {
      const id = nextId++
      return json({ id, body: (call.body as { body: string }).body, html_url: htmlUrl(id) }, 201)
    }
    return json({ message: 'Not Found' }, 404)
  }
}

const methods = (): string[] => calls.map((c) => `${c.method} ${c.url.replace(BASE, '')}`)

beforeEach(() => {
  calls = []
  warnings = []
})

describe('PrComment.upsert', () => {
  test('finds our comment by its marker on a later page and updates it in place', async () => {
    const c = new PrComment(target(conversation(true)), log)
    const url = await c.upsert(`${MARKER}\nnew report`)
    expect(url).toBe(htmlUrl(42))
    expect(methods()).toEqual([
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=1',
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=2',
      'PATCH /repos/acme/defects/issues/comments/42'
    ])
    expect(calls[2].body).toEqual({ body: `${MARKER}\nnew report` })
    expect(calls.some((x) => x.method === 'POST')).toBe(false)
    expect(warnings).toEqual([])
  })

  test("creates a comment when there is none (another project's marker does not count)", async () => {
    const c = new PrComment(target(conversation(false)), log)
    const url = await c.upsert(`${MARKER}\nfirst report`)
    expect(url).toBe(htmlUrl(900))
    expect(methods()).toEqual([
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=1',
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=2',
      'POST /repos/acme/defects/issues/17/comments'
    ])
    expect(calls[2].body).toEqual({ body: `${MARKER}\nfirst report` })
    expect(warnings).toEqual([])
  })

  test('onlyIfNaming: updates only a comment that names the training, and creates none', async () => {
    const ours = new PrComment(target(conversation(true)), log)
    expect(await ours.upsert(`${MARKER}\nnew`, 'old report')).toBe(htmlUrl(42))
    expect(methods().at(-1)).toBe('PATCH /repos/acme/defects/issues/comments/42')
    calls = []
    // A newer push took the comment over: it does not name this training.
    expect(await ours.upsert(`${MARKER}\nnew`, 'arn-of-an-older-version')).toBeUndefined()
    expect(calls.every((c) => c.method === 'GET')).toBe(true)
    calls = []
    const none = new PrComment(target(conversation(false)), log)
    expect(await none.upsert(`${MARKER}\nnew`, 'old report')).toBeUndefined()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect(warnings).toEqual([])
  })

  test('a second upsert updates the same comment without listing again', async () => {
    const c = new PrComment(target(conversation(false)), log)
    expect(await c.upsert(`${MARKER}\nstarted`)).toBe(htmlUrl(900))
    calls = []
    expect(await c.upsert(`${MARKER}\ntrained`)).toBe(htmlUrl(900))
    expect(methods()).toEqual(['PATCH /repos/acme/defects/issues/comments/900'])
    expect(calls[0].body).toEqual({ body: `${MARKER}\ntrained` })
  })

  test('the token is sent as a Bearer header on every call', async () => {
    const c = new PrComment(target(conversation(true)), log)
    await c.upsert(`${MARKER}\nx`)
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) expect(call.authorization).toBe(`Bearer ${TOKEN}`)
  })

  test('403: one warning naming pull-requests: write, then nothing more', async () => {
    const c = new PrComment(
      target(() => json({ message: 'Resource not accessible by integration' }, 403)),
      log
    )
    expect(await c.upsert(`${MARKER}\na`)).toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('pull-requests: write')
    expect(warnings[0]).toContain('HTTP 403')
    expect(warnings[0]).toContain('unaffected')
    expect(warnings[0]).not.toContain(TOKEN)
    const before = calls.length
    expect(await c.upsert(`${MARKER}\nb`)).toBeUndefined()
    expect(await c.upsert(`${MARKER}\nc`)).toBeUndefined()
    expect(calls.length).toBe(before)
    expect(warnings).toHaveLength(1)
  })

  test('403 on the update (listing allowed): the same warning, the step goes on', async () => {
    const base = conversation(true)
    const c = new PrComment(
      target((call) =>
        call.method === 'PATCH' ? json({ message: 'Forbidden' }, 403) : base(call)
      ),
      log
    )
    expect(await c.upsert(`${MARKER}\na`)).toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('pull-requests: write')
    expect(warnings[0]).toContain('unaffected')
  })

  test('401: says GitHub refused the token, check github-token; no token in the text', async () => {
    const c = new PrComment(
      target(() => json({ message: 'Bad credentials' }, 401)),
      log
    )
    expect(await c.upsert(`${MARKER}\na`)).toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('HTTP 401')
    expect(warnings[0]).toContain('github-token')
    expect(warnings[0]).toContain('unaffected')
    expect(warnings[0]).not.toContain('pull-requests: write')
    expect(warnings[0]).not.toContain(TOKEN)
    expect(calls).toHaveLength(1)
  })

  test('another failure: its message, unaffected, no token', async () => {
    const c = new PrComment(
      target(() => json({ message: 'Validation Failed' }, 422)),
      log
    )
    expect(await c.upsert(`${MARKER}\na`)).toBeUndefined()
    expect(warnings).toEqual([
      'Could not write the PR comment: GET /repos/acme/defects/issues/17/comments?per_page=100&page=1: HTTP 422 Validation Failed. The training and its result are unaffected.'
    ])
  })

  test('a server error that outlasts the retries: a warning, no token, no throw', async () => {
    const c = new PrComment(
      target(() => json({ message: 'Server Error' }, 502)),
      log
    )
    await expect(c.upsert(`${MARKER}\na`)).resolves.toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('HTTP 502')
    expect(warnings[0]).toContain('unaffected')
    expect(warnings[0]).not.toContain(TOKEN)
  })
})

describe('idempotent writes', () => {
  beforeEach(() => {
    calls = []
    warnings = []
  })

  test('a create whose answer was lost is found by its marker, not posted twice', async () => {
    const posted: { id: number; body: string }[] = []
    const handler: Handler = (call) => {
      if (call.method === 'GET') {
        return json(posted.map((c) => ({ id: c.id, body: c.body, html_url: htmlUrl(c.id) })))
      }
      if (call.method === 'POST') {
        // GitHub acted, then the answer was lost.
        posted.push({ id: 41, body: (call.body as { body: string }).body })
        return json({ message: 'Server Error' }, 502)
      }
      return json({ id: 41, html_url: htmlUrl(41) })
    }
    const comment = new PrComment(target(handler), log)
    const url = await comment.upsert(`${MARKER}\nresults`)
    expect(url).toBe(htmlUrl(41))
    expect(posted).toHaveLength(1)
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'PATCH'])
    expect(warnings).toEqual([])
  })

  test('a comment deleted between two pushes is posted anew, without a permission warning', async () => {
    let deleted = false
    const handler: Handler = (call) => {
      if (call.method === 'GET')
        return json(deleted ? [] : [{ id: 5, body: MARKER, html_url: htmlUrl(5) }])
      if (call.method === 'PATCH')
        return deleted ? json({ message: 'Not Found' }, 404) : json({ id: 5, html_url: htmlUrl(5) })
      return json({ id: 6, html_url: htmlUrl(6) }, 201)
    }
    const comment = new PrComment(target(handler), log)
    expect(await comment.upsert(`${MARKER}\nstarted`)).toBe(htmlUrl(5))
    deleted = true
    expect(await comment.upsert(`${MARKER}\nresults`)).toBe(htmlUrl(6))
    expect(warnings).toEqual([])
  })
})
