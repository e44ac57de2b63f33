// The node:http fetch Octokit calls GitHub with, against a local server: what Octokit reads of an
// answer, redirects as fetch follows them, aborts, and the run's sockets (the proxy's agents).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { Agent, createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpFetch } from '../../src/github/http-fetch.js'

const seen: { method?: string; url?: string; auth?: string; body: string }[] = []
let server: Server
let base = ''

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => resolve(body))
  })

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body })
      const url = req.url ?? '/'
      if (url === '/json') {
        res.writeHead(201, {
          'content-type': 'application/json',
          'x-ratelimit-remaining': '4999',
          'set-cookie': ['a=1', 'b=2']
        })
        res.end(JSON.stringify({ ok: true, body }))
      } else if (url.startsWith('/moved/')) {
        res.writeHead(Number(url.split('/')[2]), { location: '/json' })
        res.end()
      } else if (url === '/elsewhere') {
        res.writeHead(302, {
          location: url.replace('/elsewhere', `http://localhost:${port()}/json`)
        })
        res.end()
      } else if (url === '/loop') {
        res.writeHead(302, { location: '/loop' })
        res.end()
      } else if (url === '/hang') {
        // never answers
      } else {
        res.writeHead(204)
        res.end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${port()}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
const port = (): number => (server.address() as AddressInfo).port

describe('httpFetch', () => {
  test('status, url, headers (get and iteration), text, json, arrayBuffer; the body is sent', async () => {
    const res = await httpFetch({})(`${base}/json`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{"x":1}'
    })
    expect(res.status).toBe(201)
    expect(res.url).toBe(`${base}/json`)
    expect(res.headers.get('Content-Type')).toBe('application/json')
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'x-ratelimit-remaining': '4999',
      'set-cookie': 'a=1, b=2'
    })
    expect(await res.json()).toEqual({ ok: true, body: '{"x":1}' })
    expect(JSON.parse(Buffer.from(await res.arrayBuffer()).toString())).toMatchObject({ ok: true })
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'token t', body: '{"x":1}' })
  })

  test.each([301, 302, 303, 307, 308])(
    '%i is followed; a POST becomes a GET where fetch does so',
    async (status) => {
      const res = await httpFetch({})(`${base}/moved/${status}`, { method: 'POST', body: 'b' })
      expect(res.status).toBe(201)
      expect(res.url).toBe(`${base}/json`)
      const last = seen.at(-1)!
      expect(last.method).toBe(status === 307 || status === 308 ? 'POST' : 'GET')
      expect(last.body).toBe(status === 307 || status === 308 ? 'b' : '')
    }
  )

  test('the token is not carried to another origin', async () => {
    await httpFetch({})(`${base}/elsewhere`, { headers: { Authorization: 'token secret' } })
    expect(seen.at(-1)).toMatchObject({ url: '/json', auth: undefined })
  })

  test('manual and error redirects, and a loop', async () => {
    const manual = await httpFetch({})(`${base}/moved/302`, { redirect: 'manual' })
    expect(manual.status).toBe(302)
    await expect(httpFetch({})(`${base}/moved/302`, { redirect: 'error' })).rejects.toThrow(
      TypeError
    )
    await expect(httpFetch({})(`${base}/loop`)).rejects.toThrow('fetch failed')
  })

  test('an abort ends a hung exchange with an AbortError; an aborted signal sends nothing', async () => {
    const controller = new AbortController()
    const pending = httpFetch({})(`${base}/hang`, { signal: controller.signal })
    setImmediate(() => controller.abort(new Error('gave up')))
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'gave up' })
    const before = seen.length
    await expect(
      httpFetch({})(`${base}/json`, { signal: AbortSignal.abort() })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen.length).toBe(before)
  })

  test('a refused connection is a TypeError with the cause, as with fetch', async () => {
    await expect(httpFetch({})('http://127.0.0.1:1/')).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ code: 'ECONNREFUSED' })
    })
  })

  test('the run’s sockets carry the request', async () => {
    const agent = new Agent({ keepAlive: true })
    const res = await httpFetch({ httpAgent: agent })(`${base}/none`)
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    // The socket that carried it is back in this agent's pool.
    await new Promise((resolve) => setImmediate(resolve))
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1)
    agent.destroy()
  })
})
