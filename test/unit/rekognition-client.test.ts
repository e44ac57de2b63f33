// The action's Rekognition client against the SDK's, both talking to the emulator over HTTP: the
// same inputs must send the same bodies and give the same outputs and errors. Then what only the
// action's client is asked for: its retry policies, time bounds, abort, the clock-skew correction
// and the credential chain's fallback.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as Sdk from '@aws-sdk/client-rekognition'
import { RekognitionClient, type RetryPolicy } from '../../src/aws/rekognition/client.js'
import * as Ours from '../../src/aws/rekognition/commands.js'
import {
  defaultCredentials,
  environmentCredentials
} from '../../src/aws/rekognition/credentials.js'
import { Emulator } from '../emulator/server.js'
import { credentials } from '../emulator/testing.js'

let emu: Emulator
let project: string
let trained: string
const region = 'eu-west-1'
const once: RetryPolicy = { maxAttempts: 1, delayMs: () => 0, retryThrottled: false }

function ours(retry: RetryPolicy = once, endpoint?: string, requestTimeoutMs = 5_000) {
  return new RekognitionClient({
    region,
    endpoint: () => new URL(endpoint ?? emu.url),
    credentials: async () => credentials,
    retry,
    transport: { connectionTimeoutMs: 2_000, requestTimeoutMs }
  })
}
const sdk = () =>
  new Sdk.RekognitionClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 })

const strip = ({ $metadata, ...rest }: { $metadata?: unknown }) => ({
  rest,
  status: ($metadata as { httpStatusCode?: number }).httpStatusCode
})

async function failure(p: Promise<unknown>) {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e
  )) as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }
  expect(err).toBeDefined()
  return {
    name: err.name,
    message: err.message,
    fault: err.$fault,
    status: err.$metadata?.httpStatusCode
  }
}

beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('train-out')
  project = emu.addProject('defects')
  trained = emu.addVersion(project, {
    name: 'main-0123456-1',
    status: 'TRAINING_COMPLETED',
    createdAt: new Date(Date.UTC(2026, 10, 1, 8, 0, 0, 250)),
    endedAt: new Date(Date.UTC(2026, 10, 1, 9, 30, 0)),
    f1Score: 0.912,
    billableSeconds: 5400,
    tags: { 'github:repository': 'acme/vision' }
  })
})
afterAll(async () => {
  await emu.stop()
})
afterEach(() => emu.clearFaults())

describe('the same wire as the SDK', () => {
  const reads = () =>
    [
      ['DescribeProjects', {}],
      ['DescribeProjects', { ProjectNames: ['defects'] }],
      ['DescribeProjectVersions', { ProjectArn: project }],
      [
        'DescribeProjectVersions',
        { ProjectArn: project, VersionNames: ['main-0123456-1'], MaxResults: 1 }
      ],
      ['ListTagsForResource', { ResourceArn: trained }]
    ] as const

  test('reads: equal request bodies, equal outputs (timestamps as Dates)', async () => {
    for (const [operation, input] of reads()) {
      const sdkCommand = new (Sdk[`${operation}Command`] as unknown as new (i: object) => never)(
        input
      )
      const ourCommand = new (
        Ours[`${operation}Command`] as new (
          i: object
        ) => Ours.RekognitionCommand<object, { $metadata?: unknown }>
      )(input)
      const expected = strip(await sdk().send(sdkCommand))
      const sentBySdk = emu.requestsFor(operation).at(-1)?.body
      const got = strip(await ours().send(ourCommand))
      expect(emu.requestsFor(operation).at(-1)?.body).toEqual(sentBySdk)
      expect(got).toEqual(expected)
    }
    const out = await ours().send(new Ours.DescribeProjectVersionsCommand({ ProjectArn: project }))
    expect(out.ProjectVersionDescriptions?.[0].CreationTimestamp).toEqual(
      new Date(Date.UTC(2026, 10, 1, 8, 0, 0, 250))
    )
  })

  test('a create and a tag: the same request as the SDK’s, the same answer shape', async () => {
    const input = (name: string) => ({
      ProjectArn: project,
      VersionName: name,
      OutputConfig: { S3Bucket: 'train-out', S3KeyPrefix: 'out/' },
      Tags: { 'github:sha': '0123456789abcdef0123456789abcdef01234567' },
      VersionDescription: 'data of 2026-12 (retrained)'
    })
    const a = await sdk().send(new Sdk.CreateProjectVersionCommand(input('wire-a')))
    const sentBySdk = emu.requestsFor('CreateProjectVersion').at(-1)?.body as Record<
      string,
      unknown
    >
    const b = await ours().send(new Ours.CreateProjectVersionCommand(input('wire-b')))
    const sent = emu.requestsFor('CreateProjectVersion').at(-1)?.body as Record<string, unknown>
    expect({ ...sent, VersionName: 'x' }).toEqual({ ...sentBySdk, VersionName: 'x' })
    expect(Object.keys(b)).toEqual(Object.keys(a))
    expect(b.ProjectVersionArn).toContain('/version/wire-b/')

    await ours().send(new Ours.TagResourceCommand({ ResourceArn: trained, Tags: { k: 'v' } }))
    const tags = await ours().send(new Ours.ListTagsForResourceCommand({ ResourceArn: trained }))
    expect(tags.Tags).toMatchObject({ k: 'v', 'github:repository': 'acme/vision' })
  })

  test('errors: the same name, message, fault and status as the SDK’s', async () => {
    const missing = `${project.replace('/defects/', '/nothing/')}`
    const cases: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [
        () => sdk().send(new Sdk.DescribeProjectVersionsCommand({ ProjectArn: missing })),
        () => ours().send(new Ours.DescribeProjectVersionsCommand({ ProjectArn: missing }))
      ],
      [
        () => sdk().send(new Sdk.StopProjectVersionCommand({ ProjectVersionArn: trained })),
        () => ours().send(new Ours.StopProjectVersionCommand({ ProjectVersionArn: trained }))
      ],
      [
        () =>
          sdk().send(
            new Sdk.DetectCustomLabelsCommand({
              ProjectVersionArn: trained,
              Image: { S3Object: { Bucket: 'train-out', Name: 'x.jpg' } }
            })
          ),
        () =>
          ours().send(
            new Ours.DetectCustomLabelsCommand({
              ProjectVersionArn: trained,
              Image: { S3Object: { Bucket: 'train-out', Name: 'x.jpg' } }
            })
          )
      ]
    ]
    for (const [theirs, mine] of cases)
      expect(await failure(mine())).toEqual(await failure(theirs()))
    for (const kind of [
      'access-denied',
      'expired-token',
      'throttling',
      'internal-error'
    ] as const) {
      emu.injectFault('DescribeProjects', { kind })
      const expected = await failure(sdk().send(new Sdk.DescribeProjectsCommand({})))
      emu.injectFault('DescribeProjects', { kind })
      expect(await failure(ours().send(new Ours.DescribeProjectsCommand({})))).toEqual(expected)
    }
  })

  test('an answer that is not JSON fails as the SDK’s does: SyntaxError, with the status', async () => {
    emu.injectFault('DescribeProjects', { kind: 'garbage', body: 'html' })
    const err = await failure(ours().send(new Ours.DescribeProjectsCommand({})))
    expect(err).toMatchObject({ name: 'SyntaxError', status: 200 })
    emu.injectFault('DescribeProjects', { kind: 'garbage', body: 'html' })
    expect((await failure(sdk().send(new Sdk.DescribeProjectsCommand({})))).name).toBe(
      'SyntaxError'
    )
  })
})

describe('retries', () => {
  const patient: RetryPolicy = { maxAttempts: 4, delayMs: () => 1, retryThrottled: true }
  const checks: RetryPolicy = { maxAttempts: 2, delayMs: () => 1, retryThrottled: false }

  test('the patient policy rides out throttling and 5xx, and counts its attempts', async () => {
    emu.injectFault('DescribeProjects', { kind: 'throttling' }, 2)
    emu.injectFault('DescribeProjects', { kind: 'internal-error', status: 503 }, 1)
    const out = await ours(patient).send(new Ours.DescribeProjectsCommand({}))
    expect(out.$metadata.attempts).toBe(4)
  })

  test('a status check is never retried when throttled; a 500 gets one more attempt', async () => {
    const before = emu.requestsFor('DescribeProjects').length
    emu.injectFault('DescribeProjects', { kind: 'throttling' }, 1)
    await expect(ours(checks).send(new Ours.DescribeProjectsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { attempts: 1 }
    })
    emu.injectFault('DescribeProjects', { kind: 'internal-error' }, 1)
    const out = await ours(checks).send(new Ours.DescribeProjectsCommand({}))
    expect(out.$metadata.attempts).toBe(2)
    expect(emu.requestsFor('DescribeProjects').length - before).toBe(3)
  })

  test('a client error is not retried, and says it took one attempt', async () => {
    emu.injectFault('DescribeProjects', { kind: 'access-denied' }, 1)
    await expect(ours(patient).send(new Ours.DescribeProjectsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { attempts: 1, httpStatusCode: 400 }
    })
  })

  test('the quota: after 35 retries without a success the client stops retrying', async () => {
    const client = ours({ maxAttempts: 100, delayMs: () => 0, retryThrottled: true })
    emu.injectFault('DescribeProjects', { kind: 'internal-error' }, 40)
    // 500 tokens, 14 a retry: the 36th retry is refused, so 36 attempts in all.
    await expect(client.send(new Ours.DescribeProjectsCommand({}))).rejects.toMatchObject({
      $metadata: { attempts: 36 }
    })
  })
})

describe('bounds', () => {
  test('an attempt that gets no answer is a TimeoutError after requestTimeoutMs', async () => {
    emu.injectFault('DescribeProjects', { kind: 'hang' }, 1)
    await expect(
      ours(once, undefined, 200).send(new Ours.DescribeProjectsCommand({}))
    ).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  test('an abort stops the call at once with an AbortError, retries included', async () => {
    emu.injectFault('DescribeProjects', { kind: 'hang' }, 1)
    const controller = new AbortController()
    const call = ours({ maxAttempts: 5, delayMs: () => 0, retryThrottled: true }).send(
      new Ours.DescribeProjectsCommand({}),
      { abortSignal: controller.signal }
    )
    controller.abort(new Error('cancelled'))
    await expect(call).rejects.toMatchObject({ name: 'AbortError', $metadata: { attempts: 1 } })
  })
})

describe('the clock', () => {
  test('a server time 5 minutes off moves the signing clock and the call is retried', async () => {
    const ahead = Date.now() + 3_600_000
    const dates: string[] = []
    const agents: string[] = []
    let calls = 0
    const server = http.createServer((req, res) => {
      dates.push(String(req.headers['x-amz-date']))
      agents.push(String(req.headers['user-agent']))
      calls += 1
      req.resume()
      req.on('end', () => {
        res.setHeader('date', new Date(ahead).toUTCString())
        res.setHeader('content-type', 'application/x-amz-json-1.1')
        if (calls === 1) {
          res.statusCode = 400
          res.end(
            JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired' })
          )
        } else res.end('{"ProjectDescriptions":[]}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const out = await ours({ maxAttempts: 3, delayMs: () => 0, retryThrottled: true }, url).send(
        new Ours.DescribeProjectsCommand({})
      )
      expect(out.$metadata.attempts).toBe(2)
      const hourOf = (amz: string) => Number(amz.slice(9, 11))
      expect(hourOf(dates[1])).toBe(new Date(ahead).getUTCHours())
      // CloudTrail shows the caller as the action.
      expect(agents).toEqual(['train-action', 'train-action'])
    } finally {
      server.close()
    }
  })
})

describe('credentials', () => {
  test('the environment’s keys, unless AWS_PROFILE is set (then the profile wins, as in the SDK)', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' }
    expect(environmentCredentials(keys)).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
      sessionToken: 't'
    })
    expect(environmentCredentials({ ...keys, AWS_PROFILE: 'ci' })).toBeUndefined()
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID' })).toBeUndefined()
  })

  test('without keys, the SDK’s chain is loaded: a profile in a shared credentials file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'creds-'))
    writeFileSync(
      path.join(dir, 'credentials'),
      '[ci]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = fromfile\n'
    )
    writeFileSync(path.join(dir, 'config'), '[profile ci]\nregion = eu-west-1\n')
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_PROFILE: 'ci',
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_CONFIG_FILE: path.join(dir, 'config')
    })
    try {
      const provider = defaultCredentials(process.env, region)
      await expect(provider()).resolves.toMatchObject({
        accessKeyId: 'AKIDFROMFILE',
        secretAccessKey: 'fromfile'
      })
    } finally {
      for (const key of ['AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'])
        if (saved[key] === undefined) delete process.env[key]
        else process.env[key] = saved[key]
    }
  })
})
