// The collector and every finishing step converge: no lock made of statuses. Collectors racing
// (held and rate-limited writes), a killed collector and later ones, failed writes, a commit GitHub
// does not know, garbage answers, a silent GitHub, a proxy refusing the credentials, long names, an
// unknown status, a looping page token and hostile tags. Counts of requests and statuses, no sleeps.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  HEAD,
  HOUR,
  collector,
  comments,
  emu,
  project,
  projectArn,
  start,
  statuses,
  useCollectFixture
} from './collect-fixture.js'

const OTHER = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00'
const THIRD = 'abad1deaabad1deaabad1deaabad1deaabad1dea'

useCollectFixture('converge')
beforeEach(() => {
  emu.loopListToken(false)
  emu.setPullRequest('acme', 'vision', 17, HEAD)
  emu.setTraining({
    durationMs: 24 * HOUR,
    f1Score: 0.93,
    finalStatus: 'TRAINING_COMPLETED',
    summaryShape: 'metrics',
    checksUntilEnd: undefined,
    inProgressStatus: undefined
  })
})

const reads = (sha: string) =>
  emu.requestsFor('GitHub:GetCombinedStatus').filter((q) => q.path.includes(sha)).length
const statusWrites = (sha = HEAD) =>
  emu.requestsFor('GitHub:CreateStatus').filter((q) => q.path.includes(sha)).length

/** The invariant: no `pending` after a final status, and every final status the same outcome. */
function expectOneOutcome(sha = HEAD): void {
  const all = statuses(sha)
  const first = all.findIndex((s) => s.state !== 'pending')
  expect(first).toBeGreaterThanOrEqual(0)
  for (const s of all.slice(first)) {
    expect(s.state).toBe(all[first].state)
    expect(s.description).toBe(all[first].description)
  }
}

describe('collectors racing converge on one outcome', () => {
  test('three collectors whose status writes are held until all three wrote: one outcome, no pending after it', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const held = emu.hold('GitHub:CreateStatus')
    const runs = Promise.all([collector(), collector(), collector()])
    // Each read the pending status and computed the same outcome before any write landed.
    await held.arrived(3)
    held.release()
    const all = await runs
    expect(all.map((r) => r.code)).toEqual([0, 0, 0])
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success', 'success', 'success'])
    expectOneOutcome()
    expect(comments()).toHaveLength(1)
    expect(comments()[0].body).toContain('Training completed')
    // A fourth run later finds it finished: nothing written.
    const before = statusWrites()
    const later = await collector()
    expect(later.code).toBe(0)
    expect(later.outputs.collected).toBe('0')
    expect(statusWrites()).toBe(before)
  })

  test('a collector rate-limited on its write and one that is not: the same outcome, written at most twice', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.injectFault(
      'GitHub:CreateStatus',
      { kind: 'secondary-rate-limit', status: 403, retryAfterSeconds: 1 },
      1
    )
    const [a, b] = await Promise.all([collector(), collector()])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(statuses().filter((s) => s.state !== 'pending').length).toBeGreaterThanOrEqual(1)
    expect(statuses().filter((s) => s.state !== 'pending').length).toBeLessThanOrEqual(2)
    expectOneOutcome()
    expect(statuses().at(-1)!.state).toBe('success')
  })

  test('a collector SIGKILLed while finishing, then collectors 7 minutes apart (GitHub clock moved): the next one finishes it, the one after writes nothing', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    // Its comment write (which comes before its status write) is held until it is dead.
    const held = emu.hold('GitHub:UpdateComment')
    const dead = await collector({}, { signal: { when: /: finishing it\./, signal: 'SIGKILL' } })
    held.release()
    expect(dead.signal).toBe('SIGKILL')
    expect(statuses().map((s) => s.state)).toEqual(['pending'])

    emu.advanceClock(7 * 60_000)
    const next = await collector()
    expect(next.code).toBe(0)
    expect(next.outputs.collected).toBe('1')
    emu.advanceClock(7 * 60_000)
    const before = statusWrites()
    const after = await collector()
    expect(after.code).toBe(0)
    expect(after.outputs.collected).toBe('0')
    expect(statusWrites()).toBe(before)
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success'])
  })

  test('a waiting step never writes pending over a final status it reads', async () => {
    const name = 'converge-model-1'
    emu.addStatus('acme', 'vision', HEAD, {
      state: 'success',
      description: `${name}: F1 0.930, no gates`,
      context: `train-action/${project}`
    })
    const before = statusWrites()
    const r = await start({ 'version-name': name })
    expect(r.code).toBe(0)
    expect(statuses().map((s) => s.state)).toEqual(['success'])
    expect(statusWrites()).toBe(before)
  })
})

describe('failures are per training, counted, and fail the run', () => {
  test('a status write that fails: a warning naming the training, exit 1; the next run finishes it', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.injectFault('GitHub:CreateStatus', { kind: 'internal-error', status: 502 }, 3)
    const r = await collector()
    expect(r.code).toBe(1)
    expect(r.outputs.collected).toBe('0')
    expect(r.stdout).toMatch(/::warning::Not collected: .*: GitHub: /)
    expect(r.errors.join('\n')).toMatch(/^1 training\(s\) could not be collected/)
    expect(statuses().map((s) => s.state)).toEqual(['pending'])
    const again = await collector()
    expect(again.code).toBe(0)
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success'])
  })

  test('a commit GitHub does not know (404): named, the other commit is finished, exit 1', async () => {
    emu.setPullRequest('acme', 'vision', 17, OTHER)
    expect((await start({}, OTHER)).code).toBe(0)
    emu.setPullRequest('acme', 'vision', 17, HEAD)
    expect((await start({}, HEAD)).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.forgetCommit(OTHER)
    const r = await collector()
    expect(r.code).toBe(1)
    expect(r.outputs.collected).toBe('1')
    expect(r.stdout).toContain(`GitHub does not know commit ${OTHER} (HTTP 404)`)
    expect(r.errors.join('\n')).toMatch(/^1 training\(s\) could not be collected/)
    expect(r.summary).toContain('1 not collected')
    expect(statuses(HEAD).at(-1)!.state).toBe('success')
    // The token is not blamed: the other commit's status was read and written.
    expect(r.stdout).not.toContain('the token needs statuses: write')
  })

  test.each(['html', 'truncated', 'wrong-type'] as const)(
    'a status read answered with %s garbage is a GitHub error for that commit: exit 1, no crash, still pending',
    async (body) => {
      expect((await start()).code).toBe(0)
      emu.advanceClock(25 * HOUR)
      emu.injectFault('GitHub:GetCombinedStatus', { kind: 'garbage', body }, 1)
      const r = await collector()
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/::warning::Not collected: .*not of the documented shape/)
      expect(r.stdout).not.toContain('Unexpected error')
      expect(statuses().map((s) => s.state)).toEqual(['pending'])
    }
  )

  test('a version whose tags cannot be read (tag-scoped policy): named, the others go on, exit 1', async () => {
    expect((await start()).code).toBe(0)
    emu.addVersion(projectArn, {
      name: 'hidden-tags',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.9,
      createdAt: new Date(Date.now() - 2 * HOUR),
      tags: { 'github:repository': 'acme/vision', 'github:sha': OTHER }
    })
    emu.advanceClock(25 * HOUR)
    // The tags are read newest first: the started training's, then hidden-tags'.
    const started = emu.versions(projectArn).find((v) => v.name !== 'hidden-tags')!
    emu.onRequest('ListTagsForResource', (q) => {
      if (JSON.stringify(q.body).includes(started.arn))
        emu.injectFault('ListTagsForResource', { kind: 'access-denied' }, 1)
    })
    const r = await collector()
    expect(r.code).toBe(1)
    expect(r.outputs.collected).toBe('1')
    expect(r.stdout).toMatch(
      /::warning::Not collected: hidden-tags: its tags could not be read: AWS denied rekognition:ListTagsForResource/
    )
    expect(statuses().at(-1)!.state).toBe('success')
  })

  test('a GitHub that stops answering: one call budget, not one per commit; every training reported, exit 1', async () => {
    for (const sha of [HEAD, OTHER, THIRD]) {
      emu.setPullRequest('acme', 'vision', 17, sha)
      expect((await start({ 'comment-on-pr': 'false' }, sha)).code).toBe(0)
    }
    emu.advanceClock(25 * HOUR)
    emu.injectFault('GitHub:GetCombinedStatus', { kind: 'hang' }, 20)
    const before = [HEAD, OTHER, THIRD].map(reads)
    // A budget of 0.5 min gives each GitHub call 3 s.
    const r = await collector({ 'collect-timeout-minutes': '0.5', 'comment-on-pr': 'false' })
    expect(r.code).toBe(1)
    const after = [HEAD, OTHER, THIRD].map(reads)
    const asked = after.map((a, i) => a - before[i])
    // One commit was asked (its exchange may be retried once within the call); the others not.
    expect(asked.filter((x) => x > 0)).toHaveLength(1)
    expect(asked.reduce((a, b) => a + b)).toBeLessThanOrEqual(2)
    expect(r.errors.join('\n')).toMatch(/^3 training\(s\) could not be collected/)
    expect(r.stdout.match(/::warning::Not collected: /g)).toHaveLength(3)
    expect(r.stdout).toMatch(/not tried: GitHub gave no answer/)
  })

  test('the run budget: what is left when it runs out is reported as not collected', async () => {
    expect((await start()).code).toBe(0)
    emu.setPullRequest('acme', 'vision', 17, OTHER)
    expect((await start({}, OTHER)).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const held = emu.hold('ListTagsForResource')
    const r = await collector({ 'collect-timeout-minutes': '0.05' })
    held.release()
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toMatch(/^2 training\(s\) could not be collected/)
    expect(r.stdout).toContain("the run's budget (collect-timeout-minutes: 0.05) ran out")
    expect(statuses(HEAD).map((s) => s.state)).toEqual(['pending'])
  })
})

describe('what the collector matches and reports', () => {
  test('two long names sharing their first 200 characters on one commit: the newest is finished, by its full name', async () => {
    const stem = `m${'x'.repeat(199)}`
    emu.setTraining({ finalStatus: 'TRAINING_FAILED' })
    expect((await start({ 'version-name': `${stem}-a` })).code).toBe(0)
    emu.setTraining({ finalStatus: 'TRAINING_COMPLETED' })
    expect((await start({ 'version-name': `${stem}-b` })).code).toBe(0)
    const pendingB = statuses().at(-1)!.description ?? ''
    emu.advanceClock(25 * HOUR)
    const r = await collector()
    expect(r.code).toBe(0)
    expect(r.outputs.collected).toBe('1')
    const last = statuses().at(-1)!
    expect(last.state).toBe('success')
    // The same hash of the full name as the pending status of -b.
    const hash = (d: string) => /…#([0-9a-f]{12}): /.exec(d)?.[1]
    expect(hash(last.description ?? '')).toBe(hash(pendingB))
    expect(hash(pendingB)).toBeDefined()
    expect(last.description).toMatch(/…#[0-9a-f]{12}: F1 0\.930/)
  })

  test('an unknown Status stays pending, as the wait of a training step does', async () => {
    emu.setTraining({ inProgressStatus: 'TRAINING_PAUSED' })
    expect((await start()).code).toBe(0)
    const before = statusWrites()
    const r = await collector()
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ collected: '0', pending: '1' })
    expect(r.summary).toContain('TRAINING_PAUSED')
    expect(statusWrites()).toBe(before)
    expect(statuses().map((s) => s.state)).toEqual(['pending'])
  })

  test('a page token that comes back again: the listing stops with a warning, versions counted once', async () => {
    for (let i = 0; i < 120; i++) {
      emu.addVersion(projectArn, {
        name: `old-${i}`,
        status: 'TRAINING_COMPLETED',
        createdAt: new Date(Date.now() - (10 + i) * 24 * HOUR)
      })
    }
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.loopListToken(true)
    const lists = emu
      .requestsFor('DescribeProjectVersions')
      .filter((q) => JSON.stringify(q.body).includes(project)).length
    const r = await collector()
    emu.loopListToken(false)
    expect(r.stdout).toMatch(/::warning::DescribeProjectVersions gave page token .* a second time/)
    expect(r.stdout).toContain('121 versions in')
    expect(
      emu
        .requestsFor('DescribeProjectVersions')
        .filter((q) => JSON.stringify(q.body).includes(project)).length - lists
    ).toBe(2)
    expect(r.outputs.collected).toBe('1')
  })

  test('one report per training in the summary when its PR comment is not written (PR gone)', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.removePullRequest('acme', 'vision', 17)
    const r = await collector()
    expect(r.code).toBe(0)
    expect(r.summary.match(/## ✅ Training completed/g)).toHaveLength(1)
  })

  test('hostile tags: a run id that is not a number makes no link; a github:sha that is not a SHA is named and not used', async () => {
    const evil = 'https://evil.example/'
    emu.addVersion(projectArn, {
      name: 'hostile-run-id',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.9,
      tags: {
        'github:repository': 'acme/vision',
        'github:sha': HEAD,
        'github:run-id': `1 ${evil}`
      }
    })
    emu.addStatus('acme', 'vision', HEAD, {
      state: 'pending',
      description: 'hostile-run-id: training since 2026-12-01 10:00 UTC',
      context: `train-action/${project}`
    })
    emu.addVersion(projectArn, {
      name: 'hostile-sha',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.9,
      tags: { 'github:repository': 'acme/vision', 'github:sha': '../../../user' }
    })
    const r = await collector({ 'comment-on-pr': 'false' })
    expect(r.code).toBe(1)
    expect(r.outputs.collected).toBe('1')
    // The tag is shown as code in the tags table, never as a link.
    expect(r.summary).not.toContain('](https://evil.example')
    expect(r.summary).not.toMatch(/actions\/runs\/1[^0-9]/)
    expect(statuses().at(-1)).toMatchObject({ state: 'success', targetUrl: null })
    expect(r.stdout).toMatch(
      /Not collected: hostile-sha: its tag github:sha .* is not a commit SHA/
    )
    expect(emu.requests.some((q) => q.path.includes('..') || q.path.includes('/user/'))).toBe(false)
  })
})

describe('a waiting step', () => {
  test('GitHub calls never eat a short wait: with the status calls held, the wait still checks and sees the end', async () => {
    emu.setTraining({ durationMs: undefined, checksUntilEnd: 1 })
    const held = emu.hold('GitHub:GetCombinedStatus')
    const r = await start(
      { wait: 'true', 'wait-timeout-minutes': '0.1', 'comment-on-pr': 'false' },
      HEAD,
      {
        onLog: (out) => {
          if (out.includes('Status: TRAINING_COMPLETED')) held.release()
        }
      }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success'])
  })
})

describe('a proxy that answers 407', () => {
  let proxy: Server
  let proxyUrl: string
  const sockets = new Set<Socket>()
  beforeAll(async () => {
    // RFC 9110 15.5.8: 407 Proxy Authentication Required, to plain requests and CONNECT alike.
    proxy = createServer((_req, res) => {
      res.writeHead(407, {
        'proxy-authenticate': 'Basic realm="corp"',
        'content-type': 'text/html'
      })
      res.end('<html><body>407 Proxy Authentication Required</body></html>')
    })
    proxy.on('connection', (s: Socket) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    proxy.on('connect', (_req, socket: Socket) => {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n'
      )
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => proxy.close(() => resolve()))
  })

  const withCredentials = () => proxyUrl.replace('http://', 'http://ci-user:Pr0xyS3cret@')

  test('AWS calls: "the proxy refused the credentials", the proxy named without its credentials', async () => {
    const port = new URL(emu.url).port
    const r = await collector(
      {},
      {
        env: {
          AWS_ENDPOINT_URL_REKOGNITION: `http://aws.corp.internal:${port}`,
          HTTP_PROXY: withCredentials(),
          HTTPS_PROXY: withCredentials()
        }
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain('the proxy refused the credentials (HTTP 407')
    expect(r.errors.join('\n')).toContain(`[proxy: ${proxyUrl} (HTTPS_PROXY)`)
    expect(r.stdout).not.toContain('Pr0xyS3cret')
    expect(r.stdout).not.toMatch(/UnknownError|JSON/)
  })

  test('GitHub calls: the same message, and the training is reported not collected', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const port = new URL(emu.url).port
    const r = await collector(
      {},
      {
        env: {
          GITHUB_API_URL: `http://github.corp.internal:${port}`,
          HTTP_PROXY: withCredentials(),
          HTTPS_PROXY: withCredentials()
        }
      }
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::warning::Not collected: .*the proxy refused the credentials/)
    expect(r.stdout).toContain(`[proxy: ${proxyUrl} (HTTPS_PROXY)`)
    expect(r.stdout).not.toContain('Pr0xyS3cret')
    expect(statuses().map((s) => s.state)).toEqual(['pending'])
  })
})
