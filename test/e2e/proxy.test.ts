// Behind a proxy, end to end: the bundle reaches the emulator only through a forward proxy written
// here, under a host name that only the proxy can resolve (`.internal` is reserved for private
// use and never resolves in public DNS), so any call that skips the proxy fails. Rekognition is
// reached over TLS (a CONNECT tunnel; the test's certificate is trusted through
// NODE_EXTRA_CA_CERTS), S3 over plain HTTP (absolute-URI requests, virtual-hosted style), and the
// GitHub API (the PR comment) through Octokit's proxy-aware fetch.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import path from 'node:path'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import { Emulator } from '../emulator/server.js'
import { ForwardProxy } from './forward-proxy.js'
import { GITHUB_TOKEN, ROOT, baseInputs, runAction, type ActionRun } from './harness.js'
import { classificationLines } from '../fixtures/manifest-builders.js'

const HOST = 'emulator.internal'
const TLS_DIR = path.join(ROOT, 'test/fixtures/tls')
const CA = path.join(TLS_DIR, 'emulator.internal.crt')
const BUCKET = 'acme-training-out'

let emu: Emulator
let proxy: ForwardProxy
let tls: TlsServer
let projectArn: string
let n = 0

/** The emulator behind TLS, as the real Rekognition endpoint is: bytes relayed to its port. */
async function tlsFront(port: number): Promise<TlsServer> {
  const server = createTlsServer(
    {
      key: readFileSync(path.join(TLS_DIR, 'emulator.internal.key')),
      cert: readFileSync(CA)
    },
    (socket) => {
      const upstream = connect(port, '127.0.0.1')
      socket.pipe(upstream).pipe(socket)
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    }
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return server
}

beforeAll(async () => {
  emu = await Emulator.start({ hostNames: [HOST] })
  emu.addBucket(BUCKET)
  emu.addBucket('acme-images')
  for (let i = 0; i < 12; i++) {
    emu.putObject('acme-images', `good/${i}.jpg`, JPEG)
    emu.putObject('acme-images', `bad/${i}.jpg`, 'not an image')
  }
  tls = await tlsFront(Number(new URL(emu.url).port))
  proxy = await ForwardProxy.start({ [HOST]: '127.0.0.1' })
})
afterAll(async () => {
  await proxy.stop()
  await new Promise<void>((resolve) => tls.close(() => resolve()))
  await emu.stop()
})
beforeEach(() => {
  projectArn = emu.addProject(`proxied-${++n}`)
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

const rekognitionUrl = () => `https://${HOST}:${(tls.address() as AddressInfo).port}`
const s3Url = () => `http://${HOST}:${new URL(emu.url).port}`

/** The start of a JPEG file: enough for the emulator's training to take it as an image. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0])

const manifest = (folder: string) =>
  classificationLines(folder, 12, { jobName: 'labeling' }).join('\n')

/**
 * A full run: a repository manifest uploaded (S3 PutObject), a training started and waited for
 * (Rekognition), its evaluation summary read (S3 GetObject). `env` sets the proxy variables.
 */
const run = (env: Record<string, string | undefined>, images = 'good'): Promise<ActionRun> =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn, BUCKET),
      'training-manifests': 'datasets/train.manifest',
      'auto-create-testing': 'true',
      wait: 'true',
      'poll-interval-seconds': '0.2'
    },
    files: { 'datasets/train.manifest': `${manifest(images)}\n` },
    env: {
      AWS_ENDPOINT_URL_REKOGNITION: rekognitionUrl(),
      AWS_ENDPOINT_URL_S3: s3Url(),
      NODE_EXTRA_CA_CERTS: CA,
      ...env
    },
    timeoutMs: 90_000
  })

/** This test's AWS requests as the emulator received them. */
const reached = (from: number) =>
  emu.requests
    .slice(from)
    .filter((q) => q.service !== 'github')
    .map((q) => q.operation)

describe('behind a proxy', () => {
  test('control: without a proxy the host name does not resolve, so nothing reaches the emulator', async () => {
    const from = emu.requests.length
    const r = await run({})
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain(HOST)
    expect(reached(from)).toEqual([])
  })

  test('every AWS call goes through HTTPS_PROXY (CONNECT) and HTTP_PROXY (absolute URI)', async () => {
    const from = emu.requests.length
    const seen = proxy.requests.length
    const r = await run({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.outputs['f1-score']).not.toBe('')
    const [v] = emu.versions(projectArn)
    expect(r.outputs['project-version-arn']).toBe(v.arn)
    const ops = reached(from)
    expect(ops).toEqual(
      expect.arrayContaining([
        'DescribeProjects',
        'S3:HeadBucket',
        'DescribeProjectVersions',
        'CreateProjectVersion',
        'S3:PutObject',
        'S3:GetObject'
      ])
    )
    // Rekognition through a tunnel (kept-alive: one CONNECT can carry many calls) ...
    const via = proxy.since(seen)
    const tunnels = via.filter((q) => q.method === 'CONNECT')
    expect(tunnels.length).toBeGreaterThan(0)
    expect(tunnels.every((q) => q.target === new URL(rekognitionUrl()).host)).toBe(true)
    // The SDK's keep-alive is kept: fewer tunnels than calls.
    const rekognitionCalls = emu.requests.slice(from).filter((q) => q.service === 'rekognition')
    expect(tunnels.length).toBeLessThan(rekognitionCalls.length)
    // ... and every S3 call as an absolute URI to the bucket's virtual host.
    const s3Calls = emu.requests.slice(from).filter((q) => q.service === 's3')
    const forwarded = via.filter((q) => q.method !== 'CONNECT')
    expect(forwarded).toHaveLength(s3Calls.length)
    const s3Host = `${BUCKET}.${HOST}:${new URL(emu.url).port}`
    expect(forwarded.map((q) => new URL(q.target).host)).toEqual(forwarded.map(() => s3Host))
    expect(forwarded.map((q) => q.method)).toEqual(expect.arrayContaining(['PUT', 'GET']))
    expect(r.stdout).toContain(`AWS calls go https:// through ${proxy.url} (HTTPS_PROXY)`)
  })

  test('a failed training: its validation results are read through the proxy too', async () => {
    const from = emu.requests.length
    const seen = proxy.requests.length
    // Images the emulator's training cannot use: it fails and writes its validation results.
    const r = await run({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }, 'bad')
    expect(r.outputs.status).toBe('TRAINING_FAILED')
    expect(r.summary).toContain('### Why training failed')
    expect(r.stdout).not.toMatch(/Could not read/)
    const s3Calls = emu.requests.slice(from).filter((q) => q.service === 's3')
    expect(s3Calls.filter((q) => q.operation === 'S3:GetObject').length).toBeGreaterThan(0)
    const forwarded = proxy.since(seen).filter((q) => q.method !== 'CONNECT')
    expect(forwarded).toHaveLength(s3Calls.length)
  })

  test('the lower-case variables win over the upper-case ones, as in curl', async () => {
    const seen = proxy.requests.length
    const r = await run({
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      https_proxy: proxy.url,
      http_proxy: proxy.url
    })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(proxy.since(seen).length).toBeGreaterThan(0)
  })

  test('proxy credentials in the URL are sent to the proxy and never logged', async () => {
    const seen = proxy.requests.length
    const withAuth = proxy.url.replace('http://', 'http://ci-bot:p%40ss-w0rd@')
    const r = await run({ HTTPS_PROXY: withAuth, HTTP_PROXY: withAuth })
    expect(r.code).toBe(0)
    const via = proxy.since(seen)
    expect(via.length).toBeGreaterThan(0)
    const basic = `Basic ${Buffer.from('ci-bot:p@ss-w0rd').toString('base64')}`
    expect(via.map((q) => q.authorization)).toEqual(via.map(() => basic))
    expect(r.stdout + r.stderr).not.toMatch(/p%40ss|p@ss/)
  })

  test('NO_PROXY: a listed host (and the hosts under it) goes out directly (and so fails to resolve here), the proxy sees nothing', async () => {
    const from = emu.requests.length
    const seen = proxy.requests.length
    const r = await run({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: HOST })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain(HOST)
    expect(proxy.since(seen)).toEqual([])
    expect(reached(from)).toEqual([])
  })

  test('NO_PROXY: entries that do not match (another host, another port) leave the proxy in use', async () => {
    const seen = proxy.requests.length
    const r = await run({
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      no_proxy: `example.com, ${HOST}:1, .amazonaws.com`
    })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(proxy.since(seen).length).toBeGreaterThan(0)
  })

  test('a proxy variable that names no usable proxy fails in one line naming it, before any AWS call', async () => {
    const from = emu.requests.length
    const r = await run({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' })
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([
      'HTTPS_PROXY names a socks5 proxy; only http:// and https:// proxies are supported'
    ])
    expect(reached(from)).toEqual([])
  })
})

describe('GitHub calls behind a proxy', () => {
  const HEAD = 'feedfacecafebeef00112233445566778899aabb'
  const prRun = (env: Record<string, string | undefined>) => {
    emu.setPullRequest('acme', 'vision', 17, HEAD)
    return runAction({
      endpoint: emu.url,
      inputs: {
        ...baseInputs(projectArn, BUCKET),
        wait: 'true',
        'poll-interval-seconds': '0.2'
      },
      event: {
        name: 'pull_request',
        payload: {
          pull_request: {
            number: 17,
            head: { sha: HEAD, ref: 'data/more', repo: { full_name: 'acme/vision' } },
            base: { ref: 'main', repo: { full_name: 'acme/vision' } }
          }
        }
      },
      env: {
        GITHUB_SHA: '9999999999999999999999999999999999999999',
        GITHUB_REF: 'refs/pull/17/merge',
        GITHUB_REF_NAME: '17/merge',
        GITHUB_HEAD_REF: 'data/more',
        AWS_ENDPOINT_URL_REKOGNITION: rekognitionUrl(),
        AWS_ENDPOINT_URL_S3: s3Url(),
        GITHUB_API_URL: `http://${HOST}:${new URL(emu.url).port}`,
        NODE_EXTRA_CA_CERTS: CA,
        ...env
      },
      timeoutMs: 90_000
    })
  }
  const prComments = () =>
    emu.comments('acme', 'vision', 17).filter((c) => c.body.includes(projectArn))

  test('the PR comment goes through the proxy too', async () => {
    emu.setGitHubToken(GITHUB_TOKEN)
    const from = emu.requests.length
    const seen = proxy.requests.length
    const r = await prRun({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(prComments()).toHaveLength(1)
    expect(r.outputs['comment-url']).not.toBe('')
    const githubHost = `${HOST}:${new URL(emu.url).port}`
    // GitHub's http:// API URL here: the calls are forwarded as absolute-URI requests (the run's
    // proxy agents, as for the AWS calls); an https:// one would be tunnelled with CONNECT.
    const viaProxy = proxy
      .since(seen)
      .filter((q) => q.method !== 'CONNECT' && new URL(q.target).host === githubHost)
    const github = emu.requests.slice(from).filter((q) => q.service === 'github')
    expect(github.length).toBeGreaterThan(0)
    // Every GitHub call the emulator saw came through the proxy.
    expect(viaProxy.length).toBe(github.length)
    expect(viaProxy.map((q) => new URL(q.target).pathname)).toContain(
      '/repos/acme/vision/issues/17/comments'
    )
  })

  test('NO_PROXY naming the GitHub host: the comment goes out directly, so here it cannot be written', async () => {
    emu.setGitHubToken(GITHUB_TOKEN)
    const r = await prRun({
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: `${HOST}:${new URL(emu.url).port}`
    })
    expect(prComments()).toHaveLength(0)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Could not write the PR comment.*ENOTFOUND emulator\.internal/)
  })
})
