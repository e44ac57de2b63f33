// Injected faults: each kind, in each protocol, and their bookkeeping.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import {
  CreateProjectVersionCommand,
  DescribeProjectsCommand,
  RekognitionClient
} from '@aws-sdk/client-rekognition'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Emulator } from '../emulator/server.js'
import { auth, call, credentials, rek, sleep } from '../emulator/testing.js'

let emu: Emulator
let project: string
let n = 0

// Resolved when the emulator logs a line that matches (registered before the request is sent).
const logWaiters: { match: RegExp; resolve: () => void }[] = []
const logged = (match: RegExp): Promise<void> =>
  new Promise<void>((resolve) => logWaiters.push({ match, resolve }))

beforeAll(async () => {
  emu = await Emulator.start({
    log: (line) => {
      for (const w of [...logWaiters]) {
        if (!w.match.test(line)) continue
        logWaiters.splice(logWaiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  emu.addBucket('out-bucket')
  project = emu.addProject('faulty')
})
afterAll(async () => {
  await emu.stop()
})
beforeEach(() => emu.clearFaults())

const create = () => ({
  ProjectArn: project,
  VersionName: `v${++n}`,
  OutputConfig: { S3Bucket: 'out-bucket' }
})
const has = (name: string) => emu.versions(project).some((v) => v.name === name)
const s3Headers = { authorization: auth('s3') }

describe('Rekognition', () => {
  test.each([
    [{ kind: 'throttling' } as const, 400, 'ThrottlingException', 'Rate exceeded'],
    [
      { kind: 'provisioned-throughput' } as const,
      400,
      'ProvisionedThroughputExceededException',
      'rate exceeded'
    ],
    [{ kind: 'limit-exceeded' } as const, 400, 'LimitExceededException', 'limit'],
    [{ kind: 'internal-error' } as const, 500, 'InternalServerError', 'service issue'],
    [{ kind: 'internal-error', status: 503 } as const, 503, 'InternalServerError', 'service issue'],
    [
      { kind: 'expired-token' } as const,
      400,
      'ExpiredTokenException',
      'The security token included in the request is expired'
    ],
    [{ kind: 'not-found' } as const, 400, 'ResourceNotFoundException', 'does not exist']
  ])('%j answers %i %s without acting', async (fault, status, name, message) => {
    emu.injectFault('CreateProjectVersion', fault)
    const body = create()
    const a = await rek(emu, 'CreateProjectVersion', body)
    expect([a.status, a.headers.get('x-amzn-errortype'), a.json.__type, a.json.Code]).toEqual([
      status,
      name,
      name,
      name
    ])
    expect(a.json.Message).toContain(message)
    expect(has(body.VersionName)).toBe(false)
    expect(emu.requestsFor('CreateProjectVersion').at(-1)?.fault).toBe(fault.kind)
    // once only (times defaults to 1)
    expect((await rek(emu, 'CreateProjectVersion', body)).status).toBe(200)
  })

  test('access-denied names the action and the resource', async () => {
    emu.injectFault('DescribeProjectVersions', { kind: 'access-denied' })
    const a = await rek(emu, 'DescribeProjectVersions', { ProjectArn: project })
    expect(a.json.__type).toBe('AccessDeniedException')
    expect(a.json.Message).toContain(
      `User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: rekognition:DescribeProjectVersions on resource: ${project}`
    )
  })

  test('malformed: a 200 that is not JSON, and the SDK fails on it', async () => {
    emu.injectFault('DescribeProjects', { kind: 'malformed' }, 2)
    const a = await rek(emu, 'DescribeProjects', {})
    expect(a.status).toBe(200)
    expect(() => JSON.parse(a.text)).toThrow()
    const client = new RekognitionClient({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 1
    })
    await expect(client.send(new DescribeProjectsCommand({}))).rejects.toThrow()
  })

  test('the SDK retries throttling and succeeds', async () => {
    emu.injectFault('DescribeProjects', { kind: 'throttling' }, 2)
    const before = emu.requestsFor('DescribeProjects').length
    const client = new RekognitionClient({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 3
    })
    const out = await client.send(new DescribeProjectsCommand({}))
    expect(out.ProjectDescriptions?.map((p) => p.ProjectArn)).toContain(project)
    expect(
      emu
        .requestsFor('DescribeProjects')
        .slice(before)
        .map((r) => r.fault)
    ).toEqual(['throttling', 'throttling', undefined])
  })

  test('drop-before: the connection dies and nothing happens', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'drop-before' })
    const body = create()
    await expect(rek(emu, 'CreateProjectVersion', body)).rejects.toThrow()
    expect(has(body.VersionName)).toBe(false)
    expect(emu.requestsFor('CreateProjectVersion').at(-1)).toMatchObject({
      fault: 'drop-before',
      body
    })
  })

  test('drop-after: the version exists though the answer was lost; the SDK retry meets it', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const body = create()
    await expect(rek(emu, 'CreateProjectVersion', body)).rejects.toThrow()
    expect(has(body.VersionName)).toBe(true)

    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const again = create()
    const client = new RekognitionClient({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 3
    })
    await expect(client.send(new CreateProjectVersionCommand(again))).rejects.toMatchObject({
      name: 'ResourceInUseException'
    })
    expect(emu.versions(project).filter((v) => v.name === again.VersionName)).toHaveLength(1)
  })

  test('slow: answers late without holding up other requests', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'slow', delayMs: 1_000 })
    const body = create()
    const started = Date.now()
    let slowDone = false
    const slow = rek(emu, 'CreateProjectVersion', body).then((a) => {
      slowDone = true
      return { a, at: Date.now() }
    })
    await sleep(20)
    const quick = await rek(emu, 'DescribeProjects', {})
    expect(quick.status).toBe(200)
    // Answered while the slow one is still held: the order, not a duration.
    expect(slowDone).toBe(false)
    const { a, at } = await slow
    expect(a.status).toBe(200)
    expect(at - started).toBeGreaterThanOrEqual(990)
    expect(has(body.VersionName)).toBe(true)
  })

  test('slow: a client that gave up is not acted on', async () => {
    // Far apart (30 ms against 1 s), so a loaded machine's event-loop lag cannot swap them.
    emu.injectFault('CreateProjectVersion', { kind: 'slow', delayMs: 1_000 })
    const body = create()
    const notActed = logged(/ CreateProjectVersion .* -> client gone, not acted \[fault slow\]$/)
    await expect(
      rek(emu, 'CreateProjectVersion', body, { signal: AbortSignal.timeout(30) })
    ).rejects.toThrow()
    // Once the delay is over the emulator has decided: it logs that it did not act.
    await notActed
    expect(has(body.VersionName)).toBe(false)
  })

  test('hang: never answers', async () => {
    emu.injectFault('DescribeProjectVersions', { kind: 'hang' })
    const giveUp = new AbortController()
    // Cleared by clearFaults() in beforeEach.
    const arrived = new Promise<void>((resolve) =>
      emu.onRequest('DescribeProjectVersions', () => resolve())
    )
    const asked = rek(
      emu,
      'DescribeProjectVersions',
      { ProjectArn: project },
      { signal: giveUp.signal }
    )
    // Given up only once the emulator holds it (its arrival, not a guess at how long that takes).
    await arrived
    giveUp.abort()
    await expect(asked).rejects.toThrow()
    expect(emu.requestsFor('DescribeProjectVersions').at(-1)?.fault).toBe('hang')
  })

  test("'*' matches any operation; the operation's own faults come first; times; clearFaults", async () => {
    emu.injectFault('*', { kind: 'internal-error' }, 2)
    emu.injectFault('DescribeProjects', { kind: 'throttling' })
    expect((await rek(emu, 'DescribeProjects', {})).json.__type).toBe('ThrottlingException')
    expect((await rek(emu, 'DescribeProjects', {})).json.__type).toBe('InternalServerError')
    expect((await call(emu, 'GET', '/out-bucket/x', { headers: s3Headers })).text).toContain(
      '<Code>InternalError</Code>'
    )
    expect((await rek(emu, 'DescribeProjects', {})).status).toBe(200)
    emu.injectFault('DescribeProjects', { kind: 'throttling' }, 5)
    emu.clearFaults()
    expect((await rek(emu, 'DescribeProjects', {})).status).toBe(200)
  })
})

describe('S3', () => {
  const s3 = () =>
    new S3Client({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1
    })

  test.each([
    [{ kind: 'access-denied' } as const, 403, 'AccessDenied'],
    [{ kind: 'not-found' } as const, 404, 'NoSuchKey'],
    [{ kind: 'expired-token' } as const, 400, 'ExpiredToken'],
    [{ kind: 'throttling' } as const, 503, 'SlowDown'],
    [{ kind: 'internal-error', status: 503 } as const, 503, 'ServiceUnavailable']
  ])('GetObject %j: %i %s as XML', async (fault, status, code) => {
    emu.putObject('out-bucket', 'present.json', '{}')
    emu.injectFault('S3:GetObject', fault)
    const a = await call(emu, 'GET', '/out-bucket/present.json', { headers: s3Headers })
    expect(a.status).toBe(status)
    expect(a.text).toMatch(
      new RegExp(
        `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<Error><Code>${code}</Code><Message>`
      )
    )
  })

  test('the SDK sees access-denied as AccessDenied naming s3:GetObject', async () => {
    emu.putObject('out-bucket', 'secret.json', '{}')
    emu.injectFault('S3:GetObject', { kind: 'access-denied' })
    const err = await s3()
      .send(new GetObjectCommand({ Bucket: 'out-bucket', Key: 'secret.json' }))
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
    expect((err as Error).message).toContain(
      's3:GetObject on resource: "arn:aws:s3:::out-bucket/secret.json"'
    )
  })

  test('malformed, drop-before and drop-after on PutObject', async () => {
    emu.injectFault('S3:GetObject', { kind: 'malformed' })
    emu.putObject('out-bucket', 'real.json', '{"a":1}')
    expect((await call(emu, 'GET', '/out-bucket/real.json', { headers: s3Headers })).text).not.toBe(
      '{"a":1}'
    )

    emu.injectFault('S3:PutObject', { kind: 'drop-before' })
    await expect(
      s3().send(new PutObjectCommand({ Bucket: 'out-bucket', Key: 'lost.txt', Body: 'x' }))
    ).rejects.toThrow()
    expect(emu.getObject('out-bucket', 'lost.txt')).toBeUndefined()

    emu.injectFault('S3:PutObject', { kind: 'drop-after' })
    await expect(
      s3().send(new PutObjectCommand({ Bucket: 'out-bucket', Key: 'kept.txt', Body: 'y' }))
    ).rejects.toThrow()
    expect(emu.getObject('out-bucket', 'kept.txt')?.toString()).toBe('y')
  })
})

describe('GitHub', () => {
  const list = '/repos/acme/app/issues/7/comments'
  test.each([
    [{ kind: 'access-denied' } as const, 403, 'Resource not accessible by integration'],
    [{ kind: 'not-found' } as const, 404, 'Not Found'],
    [{ kind: 'expired-token' } as const, 401, 'Bad credentials'],
    [{ kind: 'throttling' } as const, 429, 'rate limit'],
    [{ kind: 'internal-error', status: 503 } as const, 503, 'Server Error'],
    [{ kind: 'internal-error', status: 502 } as const, 502, 'Server Error'],
    [{ kind: 'secondary-rate-limit' } as const, 403, 'exceeded a secondary rate limit'],
    [{ kind: 'secondary-rate-limit', status: 429 } as const, 429, 'exceeded a secondary rate limit']
  ])('CreateComment %j: %i', async (fault, status, message) => {
    emu.injectFault('GitHub:CreateComment', fault)
    const a = await call(emu, 'POST', list, { body: JSON.stringify({ body: 'hi' }) })
    expect(a.status).toBe(status)
    expect(a.json.message).toContain(message)
    expect(emu.comments('acme', 'app', 7)).toHaveLength(0)
  })

  test('a secondary rate limit says how long to wait', async () => {
    emu.injectFault('GitHub:GetPull', { kind: 'secondary-rate-limit', retryAfterSeconds: 60 })
    const a = await call(emu, 'GET', '/repos/acme/app/pulls/7')
    expect(a.status).toBe(403)
    expect(a.headers.get('retry-after')).toBe('60')
    expect(a.json.documentation_url).toMatch(/secondary-rate-limits/)
  })

  test('elsewhere a secondary rate limit is the service’s throttling', async () => {
    emu.injectFault('DescribeProjects', { kind: 'secondary-rate-limit' })
    expect((await rek(emu, 'DescribeProjects', {})).json.__type).toContain('ThrottlingException')
    emu.injectFault('S3:GetObject', { kind: 'secondary-rate-limit' })
    expect((await call(emu, 'GET', '/b/k', { headers: s3Headers })).status).toBe(503)
  })

  test('malformed and drop-after', async () => {
    emu.injectFault('GitHub:ListComments', { kind: 'malformed' })
    const a = await call(emu, 'GET', list)
    expect([a.status, a.json]).toEqual([200, undefined])
    emu.injectFault('GitHub:CreateComment', { kind: 'drop-after' })
    await expect(
      call(emu, 'POST', '/repos/acme/app/issues/8/comments', {
        body: JSON.stringify({ body: 'lost answer' })
      })
    ).rejects.toThrow()
    expect(emu.comments('acme', 'app', 8).map((c) => c.body)).toEqual(['lost answer'])
  })
})

test('stop() closes hung connections promptly', async () => {
  const local = await Emulator.start()
  local.injectFault('*', { kind: 'hang' }, 3)
  local.injectFault('DescribeProjects', { kind: 'slow', delayMs: 60000 })
  const pending = [
    rek(local, 'DescribeProjects', {}),
    call(local, 'GET', '/b/k', { headers: s3Headers }),
    call(local, 'GET', '/repos/a/b/issues/1/comments'),
    rek(local, 'DescribeProjects', {})
  ].map((p) =>
    p.then(
      () => 'answered',
      () => 'failed'
    )
  )
  // All four held by the emulator before it stops: a count, not a guess at how long that takes.
  for (let i = 0; i < 1_000 && local.requests.length < 4; i++) await sleep(10)
  const started = Date.now()
  await local.stop()
  expect(Date.now() - started).toBeLessThan(1000)
  expect(await Promise.all(pending)).toEqual(['failed', 'failed', 'failed', 'failed'])
  expect(local.requests.map((r) => r.fault).sort()).toEqual(['hang', 'hang', 'hang', 'slow'])
})

describe('faults for ownership, consistency and odd answers', () => {
  test('late: the service acts at once, the answer comes after the delay', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'late', delayMs: 1_000 })
    const body = create()
    let answered = false
    const answer = rek(emu, 'CreateProjectVersion', body).then((a) => {
      answered = true
      return a
    })
    // Acted on as soon as it arrived, and the answer still to come: an order, not a duration.
    for (let i = 0; i < 1_000 && !has(body.VersionName); i++) await sleep(5)
    expect(has(body.VersionName)).toBe(true)
    expect(answered).toBe(false)
    const a = await answer
    expect(a.status).toBe(200)
    expect(a.json.ProjectVersionArn).toContain(`/version/${body.VersionName}/`)
  })

  test('holdUntil: requests wait for each other, then act in arrival order', async () => {
    emu.holdUntil('CreateProjectVersion', 2)
    const body = create()
    const first = rek(emu, 'CreateProjectVersion', body)
    await sleep(100)
    expect(has(body.VersionName)).toBe(false)
    const second = rek(emu, 'CreateProjectVersion', body)
    const [a, b] = await Promise.all([first, second])
    expect(a.status).toBe(200)
    expect(b.json.__type).toBe('ResourceInUseException')
  })

  test('onRequest: called on arrival; clearFaults removes it', async () => {
    const seen: string[] = []
    emu.onRequest('DescribeProjects', (q) => seen.push(q.operation))
    await rek(emu, 'DescribeProjects', {})
    emu.clearFaults()
    await rek(emu, 'DescribeProjects', {})
    expect(seen).toEqual(['DescribeProjects'])
  })

  test('hiddenForDescribes: a new version is left out of the next N answers', async () => {
    emu.setTraining({ hiddenForDescribes: 2 })
    try {
      const body = create()
      await rek(emu, 'CreateProjectVersion', body)
      const look = () =>
        rek(emu, 'DescribeProjectVersions', {
          ProjectArn: project,
          VersionNames: [body.VersionName]
        })
      expect((await look()).json.ProjectVersionDescriptions).toHaveLength(0)
      expect((await look()).json.ProjectVersionDescriptions).toHaveLength(0)
      expect((await look()).json.ProjectVersionDescriptions).toHaveLength(1)
    } finally {
      emu.setTraining({ hiddenForDescribes: 0 })
    }
  })

  test('inProgressStatus and non-finite F1 scores go on the wire as the JSON protocol writes them', async () => {
    emu.setTraining({ inProgressStatus: 'TRAINING_PAUSED', checksUntilEnd: 1, f1Score: Infinity })
    try {
      const body = create()
      await rek(emu, 'CreateProjectVersion', body)
      const look = () =>
        rek(emu, 'DescribeProjectVersions', {
          ProjectArn: project,
          VersionNames: [body.VersionName]
        })
      expect((await look()).json.ProjectVersionDescriptions[0].Status).toBe('TRAINING_PAUSED')
      const ended = await look()
      expect(ended.text).toContain('"F1Score":"Infinity"')
      expect(ended.json.ProjectVersionDescriptions[0].Status).toBe('TRAINING_COMPLETED')
    } finally {
      emu.setTraining({ inProgressStatus: undefined, checksUntilEnd: 2, f1Score: 0.912 })
    }
  })

  test('setClockSkew: versions are stamped by the service’s clock', async () => {
    emu.setClockSkew(-600_000)
    try {
      const body = create()
      await rek(emu, 'CreateProjectVersion', body)
      const v = emu.versions(project).find((x) => x.name === body.VersionName)!
      expect(Date.now() - v.createdAt.getTime()).toBeGreaterThanOrEqual(599_000)
    } finally {
      emu.setClockSkew(0)
    }
  })
})
