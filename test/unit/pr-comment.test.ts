// PrComment over the real Octokit client (src/github/octokit.ts) with a stubbed fetch: what is sent
// to GitHub, in which order, and what comes of GitHub's answers. No timing is asserted.
import { beforeEach, describe, expect, test } from '@jest/globals'
import { githubClient } from '../../src/github/octokit.js'
import { COMMENT_MAX_CHARS, PrComment, type CommentTarget } from '../../src/github/pr-comment.js'
import { commentMarker } from '../../src/reporting/report.js'
import { PROJECT_ARN } from './helpers.js'

const TOKEN = 'ghs_s3cr3tT0kenValue'
const BASE = 'https://api.github.com'
const HEAD = 'feedfacecafebeef00112233445566778899aabb'
const MARKER = commentMarker(PROJECT_ARN)
const OTHER_MARKER = commentMarker(
  'arn:aws:rekognition:eu-west-1:123456789012:project/other/1700000000000'
)
const BOT = { login: 'github-actions[bot]', type: 'Bot' }
const USER = { login: 'octocat', type: 'User' }

interface Call {
  method: string
  url: string
  authorization?: string
  body?: { body?: string }
}

type Handler = (call: Call) => Response | Promise<Response>

let calls: Call[]
let warnings: string[]
let debugs: string[]

const log = {
  warning: (line: string) => warnings.push(line),
  debug: (line: string) => debugs.push(line)
}

function target(handler: Handler, over: Partial<CommentTarget> = {}): CommentTarget {
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
  const token = over.token ?? TOKEN
  return {
    client: () =>
      githubClient({
        token,
        baseUrl: BASE,
        log: { debug: (l) => debugs.push(l) },
        fetch: fake as typeof fetch,
        retryBaseMs: 1,
        requestTimeoutMs: 2_000,
        callBudgetMs: 10_000
      }),
    token,
    owner: 'acme',
    repo: 'defects',
    pr: 17,
    marker: MARKER,
    sha: HEAD,
    budgetMs: 20_000,
    ...over
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers }
  })

const htmlUrl = (id: number): string => `https://github.com/acme/defects/pull/17#issuecomment-${id}`
const LIST = `${BASE}/repos/acme/defects/issues/17/comments?per_page=100`
const PULL = `${BASE}/repos/acme/defects/pulls/17`
const pull = (sha = HEAD) => json({ number: 17, state: 'open', head: { sha } })
const comment = (id: number, body: string, user: object = BOT) => ({
  id,
  body,
  html_url: htmlUrl(id),
  user
})

/** A PR conversation on two pages; `mine` comments are on page 2. Posting adds to page 2. */
function conversation(mine: ReturnType<typeof comment>[] = []): Handler {
  let nextId = 900
  const page2 = [comment(21, 'ship it', USER), ...mine]
  return (call) => {
    if (call.method === 'GET' && call.url === PULL) return pull()
    if (call.method === 'GET' && call.url === LIST) {
      return json([comment(11, 'LGTM', USER), comment(12, `${OTHER_MARKER}\nother project`)], 200, {
        link: `<${LIST}&page=2>; rel="next", <${LIST}&page=2>; rel="last"`
      })
    }
    if (call.method === 'GET' && call.url === `${LIST}&page=2`) return json(page2)
    const patch = /\/issues\/comments\/(\d+)$/.exec(call.url)
    if (call.method === 'PATCH' && patch) {
      return json(comment(Number(patch[1]), call.body?.body ?? ''))
    }
    if (call.method === 'POST' && call.url === `${BASE}/repos/acme/defects/issues/17/comments`) {
      const c = comment(nextId++, call.body?.body ?? '')
      page2.push(c)
      return json(c, 201)
    }
    return json({ message: 'Not Found' }, 404)
  }
}

const methods = (): string[] => calls.map((c) => `${c.method} ${c.url.replace(BASE, '')}`)

beforeEach(() => {
  calls = []
  warnings = []
  debugs = []
})

describe('PrComment.upsert', () => {
  test('checks the head, finds our comment by marker and author on a later page, updates it', async () => {
    const c = new PrComment(target(conversation([comment(42, `${MARKER}\nold`)])), log)
    const r = await c.upsert(`${MARKER}\nnew report`)
    expect(warnings).toEqual([])
    expect(r).toEqual({ written: true, url: htmlUrl(42) })
    expect(methods()).toEqual([
      'GET /repos/acme/defects/pulls/17',
      'GET /repos/acme/defects/issues/17/comments?per_page=100',
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=2',
      'PATCH /repos/acme/defects/issues/comments/42'
    ])
    expect(calls[3].body).toEqual({ body: `${MARKER}\nnew report` })
    expect(warnings).toEqual([])
  })

  test("creates one when there is none (another project's marker does not count), then checks for a twin", async () => {
    const c = new PrComment(target(conversation()), log)
    expect(await c.upsert(`${MARKER}\nfirst`)).toEqual({ written: true, url: htmlUrl(900) })
    expect(methods()).toEqual([
      'GET /repos/acme/defects/pulls/17',
      'GET /repos/acme/defects/issues/17/comments?per_page=100',
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=2',
      'POST /repos/acme/defects/issues/17/comments',
      'GET /repos/acme/defects/issues/17/comments?per_page=100',
      'GET /repos/acme/defects/issues/17/comments?per_page=100&page=2'
    ])
    expect(calls[3].body).toEqual({ body: `${MARKER}\nfirst` })
  })

  test('a second upsert checks the head and updates the same comment without listing', async () => {
    const c = new PrComment(target(conversation()), log)
    await c.upsert(`${MARKER}\nstarted`)
    calls = []
    expect(await c.upsert(`${MARKER}\ntrained`)).toEqual({ written: true, url: htmlUrl(900) })
    expect(methods()).toEqual([
      'GET /repos/acme/defects/pulls/17',
      'PATCH /repos/acme/defects/issues/comments/900'
    ])
  })

  test('upserts are queued: one started in the background never races the next', async () => {
    const c = new PrComment(target(conversation()), log)
    const [a, b] = await Promise.all([c.upsert(`${MARKER}\na`), c.upsert(`${MARKER}\nb`)])
    expect(a).toEqual(b)
    expect(calls.filter((x) => x.method === 'POST')).toHaveLength(1)
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { body: `${MARKER}\nb` } })
  })

  test('the token goes in the authorization header of every call', async () => {
    const c = new PrComment(target(conversation([comment(42, MARKER)])), log)
    await c.upsert(`${MARKER}\nx`)
    for (const call of calls) expect(call.authorization).toBe(`token ${TOKEN}`)
  })

  test('a body over 65,536 characters is cut to fit, with a note', async () => {
    const c = new PrComment(target(conversation([comment(42, MARKER)])), log)
    const rows = Array.from({ length: 5_000 }, (_, i) => `| label-${i} | ${'x'.repeat(20)} |`)
    await c.upsert(`${MARKER}\n${rows.join('\n')}\n`)
    const sent = calls.at(-1)!.body!.body!
    expect(sent.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(sent.startsWith(`${MARKER}\n| label-0 |`)).toBe(true)
    expect(sent).toContain("Cut to fit GitHub's limit of 65,536 characters")
  })
})

describe('whose comment it is', () => {
  test('a user’s comment quoting the marker is not ours: ours is created beside it', async () => {
    const c = new PrComment(target(conversation([comment(30, `> ${MARKER}`, USER)])), log)
    const r = await c.upsert(`${MARKER}\nreport`)
    expect(r).toEqual({ written: true, url: htmlUrl(900) })
    expect(calls.some((x) => x.url.endsWith('/comments/30'))).toBe(false)
  })

  test('a personal token: GET /user names the login, and only its comments count', async () => {
    const me = { login: 'release-bot-user', type: 'User' }
    const base = conversation([comment(40, MARKER), comment(41, `${MARKER}\nmine`, me)])
    const handler: Handler = (call) => (call.url === `${BASE}/user` ? json(me) : base(call))
    const c = new PrComment(target(handler, { token: 'ghp_personal0000' }), log)
    expect(await c.upsert(`${MARKER}\nx`)).toEqual({ written: true, url: htmlUrl(41) })
    expect(methods()).toContain('GET /user')
  })

  test('GET /user refused (an app’s token without the ghs_ prefix): bots’ comments count', async () => {
    const base = conversation([comment(40, MARKER)])
    const handler: Handler = (call) =>
      call.url === `${BASE}/user`
        ? json({ message: 'Resource not accessible by integration' }, 403)
        : base(call)
    const c = new PrComment(target(handler, { token: 'v1.0123456789abcdef' }), log)
    expect(await c.upsert(`${MARKER}\nx`)).toEqual({ written: true, url: htmlUrl(40) })
    expect(warnings).toEqual([])
  })

  test('the GITHUB_TOKEN (ghs_) is not asked who it is', async () => {
    const c = new PrComment(target(conversation([comment(40, MARKER)])), log)
    await c.upsert(`${MARKER}\nx`)
    expect(methods()).not.toContain('GET /user')
  })
})

describe('concurrent runs and lost answers', () => {
  test('after creating, an older comment of ours (another run’s) is kept and ours deleted', async () => {
    const base = conversation()
    let posted = false
    const handler: Handler = (call) => {
      // The other run posted comment 800 just before us.
      if (call.method === 'POST') posted = true
      if (posted && call.method === 'GET' && call.url === `${LIST}&page=2`) {
        return json([comment(800, `${MARKER}\ntheirs`), comment(900, `${MARKER}\nours`)])
      }
      if (call.method === 'DELETE') return new Response(null, { status: 204 })
      return base(call)
    }
    const c = new PrComment(target(handler), log)
    expect(await c.upsert(`${MARKER}\nours`)).toEqual({ written: true, url: htmlUrl(800) })
    expect(methods().slice(-2)).toEqual([
      'DELETE /repos/acme/defects/issues/comments/900',
      'PATCH /repos/acme/defects/issues/comments/800'
    ])
  })

  test('a create whose answer was lost is found by its marker, not posted twice', async () => {
    const posted: ReturnType<typeof comment>[] = []
    const handler: Handler = (call) => {
      if (call.url === PULL) return pull()
      if (call.method === 'GET') return json(posted)
      if (call.method === 'POST') {
        posted.push(comment(41, call.body?.body ?? ''))
        return json({ message: 'Server Error' }, 502)
      }
      return json(comment(41, call.body?.body ?? ''))
    }
    const c = new PrComment(target(handler), log)
    expect(await c.upsert(`${MARKER}\nresults`)).toEqual({ written: true, url: htmlUrl(41) })
    expect(posted).toHaveLength(1)
    expect(calls.map((x) => x.method)).toEqual(['GET', 'GET', 'POST', 'GET', 'PATCH'])
    expect(warnings).toEqual([])
  })

  test('a comment deleted between two pushes is posted anew, without a warning', async () => {
    let deleted = false
    const handler: Handler = (call) => {
      if (call.url === PULL) return pull()
      if (call.method === 'GET') return json(deleted ? [] : [comment(5, MARKER)])
      if (call.method === 'PATCH')
        return deleted ? json({ message: 'Not Found' }, 404) : json(comment(5, ''))
      return json(comment(6, ''), 201)
    }
    const c = new PrComment(target(handler), log)
    expect(await c.upsert(`${MARKER}\nstarted`)).toEqual({ written: true, url: htmlUrl(5) })
    deleted = true
    expect(await c.upsert(`${MARKER}\nresults`)).toEqual({ written: true, url: htmlUrl(6) })
    expect(warnings).toEqual([])
  })
})

describe('stale runs', () => {
  test('when the PR’s head has moved on, nothing is written and the note says why', async () => {
    const newer = 'abcdef0123456789abcdef0123456789abcdef01'
    const c = new PrComment(
      target((call) => (call.url === PULL ? pull(newer) : json({}, 500))),
      log
    )
    const r = await c.upsert(`${MARKER}\nold results`)
    expect(r).toEqual({
      written: false,
      note: `The PR comment was left alone: this run trained ${HEAD.slice(0, 12)}, but the head of pull request #17 is now ${newer.slice(0, 12)}, and the comment is kept for the head.`
    })
    expect(methods()).toEqual(['GET /repos/acme/defects/pulls/17'])
    expect(warnings).toEqual([])
  })
})

describe('failures are one warning each, and then no more calls', () => {
  const failing = async (handler: Handler) => {
    const c = new PrComment(target(handler), log)
    const r = await c.upsert(`${MARKER}\na`)
    expect(r).toEqual({
      written: false,
      note: 'The PR comment could not be written (see the warning in the log).'
    })
    const before = calls.length
    expect((await c.upsert(`${MARKER}\nb`)).written).toBe(false)
    expect(calls.length).toBe(before)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('unaffected')
    expect(warnings[0]).not.toContain(TOKEN)
    return warnings[0]
  }

  test('403: the permission', async () => {
    const w = await failing(() => json({ message: 'Resource not accessible by integration' }, 403))
    expect(w).toContain('(HTTP 403): the token needs pull-requests: write')
    expect(calls).toHaveLength(1)
  })

  test('404: the pull request is gone', async () => {
    const w = await failing(() => json({ message: 'Not Found' }, 404))
    expect(w).toBe(
      'Could not write the PR comment: pull request #17 of acme/defects was not found (HTTP 404); it is gone, or the token cannot see the repository. The training and its result are unaffected.'
    )
  })

  test('401: the token', async () => {
    const w = await failing(() => json({ message: 'Bad credentials' }, 401))
    expect(w).toContain('GitHub refused the token (HTTP 401); check github-token')
  })

  test('422: GitHub’s message and status', async () => {
    const w = await failing(() => json({ message: 'Validation Failed' }, 422))
    expect(w).toMatch(/^Could not write the PR comment \(HTTP 422\): Validation Failed/)
  })

  test('a 502 that outlasts the retries: three calls, not ten or a hundred', async () => {
    const w = await failing(() => json({ message: 'Server Error' }, 502))
    expect(w).toMatch(/^Could not write the PR comment \(HTTP 502\): Server Error/)
    expect(calls).toHaveLength(3)
  })

  test('a GitHub that never answers: the call times out, is retried within its budget, then gives up', async () => {
    const hang: Handler = (call) =>
      new Promise<Response>(() => {
        void call
      })
    const c = new PrComment(
      {
        ...target(hang),
        client: () =>
          githubClient({
            token: TOKEN,
            baseUrl: BASE,
            log: { debug: () => undefined },
            fetch: (async (input: string, init?: RequestInit) => {
              calls.push({ method: init?.method ?? 'GET', url: String(input) })
              return new Promise<Response>((_, reject) =>
                init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
              )
            }) as typeof fetch,
            retryBaseMs: 1,
            requestTimeoutMs: 50,
            callBudgetMs: 400
          })
      },
      log
    )
    expect((await c.upsert(`${MARKER}\na`)).written).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Could not write the PR comment: (GET \/repos\/{owner}\/{repo}\/pulls\/{pull_number}: GitHub gave no usable answer within 0.4 s|GitHub did not answer within 0.1 s)\. The training/
    )
    expect(calls.length).toBeGreaterThanOrEqual(1)
    expect(calls.length).toBeLessThanOrEqual(3)
  })
})

describe('rate limits', () => {
  test('a secondary rate limit with retry-after is waited out and retried', async () => {
    const base = conversation([comment(42, MARKER)])
    let limited = false
    const handler: Handler = (call) => {
      if (call.method === 'PATCH' && !limited) {
        limited = true
        return json(
          { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' },
          403,
          { 'retry-after': '3' }
        )
      }
      return base(call)
    }
    const c = new PrComment(target(handler), log)
    expect(await c.upsert(`${MARKER}\nx`)).toEqual({ written: true, url: htmlUrl(42) })
    expect(calls.filter((x) => x.method === 'PATCH')).toHaveLength(2)
    expect(debugs.some((l) => /secondary rate limit .* retry-after 3 s; waiting/.test(l))).toBe(
      true
    )
  })

  test('a retry-after beyond the call’s budget is not waited for: a rate-limit warning', async () => {
    const c = new PrComment(
      target(() =>
        json({ message: 'You have exceeded a secondary rate limit.' }, 429, {
          'retry-after': '100000'
        })
      ),
      log
    )
    expect((await c.upsert(`${MARKER}\nx`)).written).toBe(false)
    expect(calls).toHaveLength(1)
    expect(warnings[0]).toMatch(/GitHub's rate limit \(HTTP 429\) asked to wait longer/)
  })
})

describe('onlyIfNaming (a collector’s write)', () => {
  test('updates only a comment of ours that names the training, and creates none', async () => {
    const ours = new PrComment(
      target(conversation([comment(42, `${MARKER}\nstarted arn:v1`)]), { onlyIfNaming: 'arn:v1' }),
      log
    )
    expect(await ours.upsert(`${MARKER}\ndone`)).toEqual({ written: true, url: htmlUrl(42) })
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH' })

    calls = []
    const newer = new PrComment(
      target(conversation([comment(42, `${MARKER}\nstarted arn:v2`)]), { onlyIfNaming: 'arn:v1' }),
      log
    )
    expect(await newer.upsert(`${MARKER}\ndone`)).toEqual({
      written: false,
      note: 'The PR comment was left alone: it now shows another training.'
    })
    expect(calls.every((c) => c.method === 'GET')).toBe(true)

    calls = []
    const none = new PrComment(target(conversation(), { onlyIfNaming: 'arn:v1' }), log)
    expect(await none.upsert(`${MARKER}\ndone`)).toMatchObject({ written: false })
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect(warnings).toEqual([])
  })
})
