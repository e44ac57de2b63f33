// The proxy routers with real sockets: a local origin reached only through the test's forward
// proxy (which alone resolves `origin.internal`).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { handlerOptions, socketsFor } from '../../src/aws/aws-clients.js'
import { HttpRouter, HttpsRouter, Routes, proxyAgents } from '../../src/aws/proxy-agent.js'
import { ForwardProxy } from '../e2e/forward-proxy.js'

const TLS = path.resolve(import.meta.dirname, '../fixtures/tls')
const cert = readFileSync(path.join(TLS, 'emulator.internal.crt'))

let proxy: ForwardProxy
let plain: http.Server
let secure: https.Server
const seen: string[] = []

const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
  seen.push(`${req.method} ${req.headers.host} ${req.url}`)
  res.end('hello')
}

beforeAll(async () => {
  proxy = await ForwardProxy.start({ 'emulator.internal': '127.0.0.1' })
  plain = http.createServer(answer)
  secure = https.createServer(
    { key: readFileSync(path.join(TLS, 'emulator.internal.key')), cert },
    answer
  )
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()))
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', () => r()))
})
afterAll(async () => {
  await proxy.stop()
  plain.closeAllConnections()
  secure.closeAllConnections()
  await new Promise<void>((r) => plain.close(() => r()))
  await new Promise<void>((r) => secure.close(() => r()))
})

const port = (s: http.Server) => (s.address() as AddressInfo).port

function get(
  mod: typeof http | typeof https,
  url: string,
  agent: http.Agent,
  extra: https.RequestOptions = {}
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { agent, ...extra }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve(body))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('through the proxy', () => {
  test('http:// targets: absolute-URI requests, also on a kept-alive socket', async () => {
    const from = proxy.requests.length
    const { httpAgent } = proxyAgents({ HTTP_PROXY: proxy.url })
    const url = `http://emulator.internal:${port(plain)}`
    expect(await get(http, `${url}/one`, httpAgent)).toBe('hello')
    expect(await get(http, `${url}/two?x=1`, httpAgent)).toBe('hello')
    expect(proxy.since(from).map((q) => `${q.method} ${q.target}`)).toEqual([
      `GET ${url}/one`,
      `GET ${url}/two?x=1`
    ])
    httpAgent.destroy()
  })

  test('https:// targets: one CONNECT tunnel, reused by the next request', async () => {
    const from = proxy.requests.length
    const { httpsAgent } = proxyAgents({ HTTPS_PROXY: proxy.url })
    const url = `https://emulator.internal:${port(secure)}`
    expect(await get(https, `${url}/a`, httpsAgent, { ca: cert })).toBe('hello')
    expect(await get(https, `${url}/b`, httpsAgent, { ca: cert })).toBe('hello')
    expect(proxy.since(from)).toEqual([
      { method: 'CONNECT', target: `emulator.internal:${port(secure)}`, authorization: undefined }
    ])
    expect(seen.slice(-2)).toEqual([
      `GET emulator.internal:${port(secure)} /a`,
      `GET emulator.internal:${port(secure)} /b`
    ])
    httpsAgent.destroy()
  })
})

describe('Routes', () => {
  const env = {
    HTTPS_PROXY: 'http://p1:3128',
    HTTP_PROXY: 'http://p2:3128',
    NO_PROXY: 'direct.example'
  }

  test('picks a tunnel for https, a forwarder for http, and reuses them', () => {
    const tls = new Routes(env, true)
    const a = tls.agentFor('rekognition.eu-west-1.amazonaws.com', 443)
    expect(a).toBeInstanceOf(HttpsProxyAgent)
    expect(tls.agentFor('s3.eu-west-1.amazonaws.com', 443)).toBe(a)
    const plainRoutes = new Routes(env, false)
    expect(plainRoutes.agentFor('emulator.internal', 9000)).toBeInstanceOf(HttpProxyAgent)
    tls.destroy()
    plainRoutes.destroy()
  })

  test('NO_PROXY hosts, their subdomains and loopback go out directly', () => {
    const tls = new Routes(env, true)
    const direct = tls.agentFor('direct.example', 443)
    expect(direct).toBeInstanceOf(https.Agent)
    expect(direct).not.toBeInstanceOf(HttpsProxyAgent)
    expect(tls.agentFor('b.direct.example', 443)).toBe(direct)
    expect(tls.agentFor('127.0.0.1', 8443)).toBe(direct)
    expect(tls.proxyOf('::1', 443)).toBeUndefined()
    expect(tls.proxyOf('fd00::1', 443)?.href).toBe('http://p1:3128/')
    tls.destroy()
  })
})

describe('the SDK request handler', () => {
  test('without a proxy variable: the SDK keeps its own agents, nothing is loaded', async () => {
    expect(await socketsFor({ NO_PROXY: '*', PATH: '/bin' })).toEqual({})
    expect(handlerOptions(30_000, {})).toEqual({
      connectionTimeout: 10_000,
      requestTimeout: 30_000
    })
  })

  test('with one: routers for both schemes, with the same timeouts and socket settings', async () => {
    const sockets = await socketsFor({ https_proxy: 'http://p1:3128' })
    expect(sockets.httpAgent).toBeInstanceOf(HttpRouter)
    expect(sockets.httpsAgent).toBeInstanceOf(HttpsRouter)
    expect(sockets.httpsAgent).toMatchObject({ keepAlive: true, maxSockets: 50 })
    expect(handlerOptions(60_000, sockets)).toMatchObject({
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
      httpAgent: sockets.httpAgent,
      httpsAgent: sockets.httpsAgent
    })
    sockets.httpAgent!.destroy()
    sockets.httpsAgent!.destroy()
  })
})

describe('every AWS client of src/', () => {
  // A client built anywhere else would get the SDK's own agents and skip the proxy.
  test("is built by aws-clients.ts or s3-client.ts, which take the run's sockets", () => {
    const src = path.resolve(import.meta.dirname, '../../src')
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts')
    )
    const builders = files.filter((f) =>
      /new (S3|Rekognition)Client\(|new \w+Client\(\{/.test(readFileSync(path.join(src, f), 'utf8'))
    )
    expect(builders.sort()).toEqual([
      path.join('aws', 'aws-clients.ts'),
      path.join('aws', 's3-client.ts')
    ])
  })
})
