import { beforeEach, describe, expect, test } from '@jest/globals'
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  RekognitionClient,
  type CreateProjectVersionCommandInput,
  type ProjectVersionDescription
} from '@aws-sdk/client-rekognition'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { ActionError } from '../../src/errors.js'
import type { IfVersionExists } from '../../src/inputs/inputs.js'
import {
  findFreeName,
  startOrReuse,
  versionNameOf,
  type StartOptions
} from '../../src/training/versions.js'
import { PROJECT_ARN } from './helpers.js'

const rekognition = mockClient(RekognitionClient)
const client = new RekognitionClient({ region: 'eu-west-1' })

const START_MS = Date.UTC(2026, 10, 27, 13, 0, 0)
const versionArn = (name: string): string =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/${1_700_000_000_000 + name.length}`

/** The project's versions, as the fake DescribeProjectVersions sees them. */
let store: ProjectVersionDescription[]
let log: { info: string[]; warning: string[] }
let built: string[]

function addVersion(name: string, createdMs = START_MS - 86_400_000): ProjectVersionDescription {
  const v: ProjectVersionDescription = {
    ProjectVersionArn: versionArn(name),
    CreationTimestamp: new Date(createdMs),
    Status: 'TRAINING_COMPLETED'
  }
  store.unshift(v)
  return v
}

function awsError(name: string, message = name): Error {
  const err = new Error(message)
  err.name = name
  return err
}

function buildRequest(name: string): CreateProjectVersionCommandInput {
  built.push(name)
  return {
    ProjectArn: PROJECT_ARN,
    VersionName: name,
    OutputConfig: { S3Bucket: 'acme-training-out' },
    Tags: { 'github:sha': 'abc' }
  }
}

function options(ifVersionExists: IfVersionExists, versionName = 'v1'): StartOptions {
  return {
    projectArn: PROJECT_ARN,
    versionName,
    ifVersionExists,
    buildRequest,
    log: { info: (l) => log.info.push(l), warning: (l) => log.warning.push(l) },
    now: () => START_MS
  }
}

/** Every VersionNames list the action asked for. */
const askedNames = (): string[][] =>
  rekognition
    .commandCalls(DescribeProjectVersionsCommand)
    .map((c) => c.args[0].input.VersionNames ?? [])

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

beforeEach(() => {
  rekognition.reset()
  store = []
  built = []
  log = { info: [], warning: [] }
  rekognition.on(DescribeProjectVersionsCommand).callsFake((input) => {
    const names: string[] = input.VersionNames ?? []
    return {
      ProjectVersionDescriptions: store.filter((v) =>
        names.includes(versionNameOf(v.ProjectVersionArn) ?? '')
      )
    }
  })
})

describe('versionNameOf', () => {
  test('reads the name from a version ARN', () => {
    expect(versionNameOf(versionArn('defects-0123.a_b'))).toBe('defects-0123.a_b')
    expect(versionNameOf(PROJECT_ARN)).toBeUndefined()
    expect(versionNameOf(undefined)).toBeUndefined()
  })
})

describe('startOrReuse', () => {
  test('first training: nothing found, one create with the built request', async () => {
    rekognition.on(CreateProjectVersionCommand).resolves({ ProjectVersionArn: versionArn('v1') })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toEqual({ arn: versionArn('v1'), name: 'v1', created: true })
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      VersionNames: ['v1']
    })
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
    expect(rekognition).toHaveReceivedCommandWith(CreateProjectVersionCommand, buildRequest('v1'))
    expect(built).toEqual(['v1', 'v1'])
  })

  test('reuse: an existing version is attached to, no create', async () => {
    const existing = addVersion('v1')
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toEqual({
      arn: versionArn('v1'),
      name: 'v1',
      created: false,
      description: existing
    })
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
    expect(built).toEqual([])
    expect(log.info.join('\n')).toContain('already exists (TRAINING_COMPLETED)')
  })

  test('reuse picks the version of that exact name', async () => {
    addVersion('v1')
    store.push({ ProjectVersionArn: versionArn('other'), Status: 'TRAINING_FAILED' })
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [...store].reverse() })
    const got = await startOrReuse(client, options('reuse'))
    expect(got.arn).toBe(versionArn('v1'))
  })

  test('fail: an existing version is an ActionError naming if-version-exists, no create', async () => {
    addVersion('v1')
    const err = await rejection(startOrReuse(client, options('fail')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('if-version-exists is fail')
    expect(err.message).toContain(versionArn('v1'))
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
  })

  test('new: base and base-2 taken, base-3 is created', async () => {
    addVersion('v1')
    addVersion('v1-2')
    rekognition.on(CreateProjectVersionCommand).resolves({ ProjectVersionArn: versionArn('v1-3') })
    const got = await startOrReuse(client, options('new'))
    expect(got).toEqual({ arn: versionArn('v1-3'), name: 'v1-3', created: true })
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
    expect(rekognition).toHaveReceivedCommandWith(CreateProjectVersionCommand, {
      VersionName: 'v1-3'
    })
    expect(built).toEqual(['v1-3'])
    const asked = askedNames()
    expect(asked[0]).toEqual(['v1'])
    expect(asked[1]).toEqual(['v1', ...Array.from({ length: 9 }, (_, i) => `v1-${i + 2}`)])
    for (const names of asked) expect(names.length).toBeLessThanOrEqual(10)
    expect(log.info.join('\n')).toContain('training as v1-3')
  })

  test('new: names are asked for in batches of at most 10', async () => {
    addVersion('v1')
    for (let n = 2; n <= 13; n++) addVersion(`v1-${n}`)
    rekognition.on(CreateProjectVersionCommand).resolves({ ProjectVersionArn: versionArn('v1-14') })
    const got = await startOrReuse(client, options('new'))
    expect(got.name).toBe('v1-14')
    const asked = askedNames()
    expect(asked).toHaveLength(3)
    for (const names of asked) {
      expect(names.length).toBeGreaterThanOrEqual(1)
      expect(names.length).toBeLessThanOrEqual(10)
    }
    expect(asked[2]).toEqual(Array.from({ length: 10 }, (_, i) => `v1-${i + 11}`))
  })

  test('new: no existing version creates the base name', async () => {
    rekognition.on(CreateProjectVersionCommand).resolves({ ProjectVersionArn: versionArn('v1') })
    const got = await startOrReuse(client, options('new'))
    expect(got).toMatchObject({ name: 'v1', created: true })
    expect(askedNames()).toEqual([['v1']])
  })

  test.each([
    [
      'a dropped connection',
      Object.assign(awsError('TimeoutError', 'socket hang up'), { code: 'ECONNRESET' })
    ],
    [
      'ResourceInUseException',
      awsError('ResourceInUseException', 'The version name already exists')
    ],
    [
      'a 500',
      Object.assign(awsError('InternalServerError'), { $metadata: { httpStatusCode: 500 } })
    ]
  ])(
    'lost response (%s): the version made by this run is found, no second create',
    async (_label, err) => {
      rekognition.on(CreateProjectVersionCommand).callsFake(() => {
        // The service acted; the answer never arrived.
        addVersion('v1', START_MS + 1_000)
        throw err
      })
      const got = await startOrReuse(client, options('reuse'))
      expect(got).toMatchObject({ arn: versionArn('v1'), name: 'v1', created: true })
      expect(got.description?.ProjectVersionArn).toBe(versionArn('v1'))
      expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
      expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 2)
      expect(log.info.join('\n')).toContain(`answered ${err.name}`)
    }
  )

  test('a version stamped slightly before the start (clock skew) is still this run’s', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS - 60_000)
      throw awsError('TimeoutError')
    })
    expect(await startOrReuse(client, options('reuse'))).toMatchObject({ created: true })
  })

  test('create fails and nothing is found: the explained error', async () => {
    rekognition
      .on(CreateProjectVersionCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized to perform this action'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('allow rekognition:CreateProjectVersion')
    expect(err.message).toContain('User is not authorized')
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
  })

  test('create fails and the lookup fails too: the create error is the one explained', async () => {
    let calls = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake(() => {
      if (++calls > 1) throw awsError('ThrottlingException')
      return { ProjectVersionDescriptions: [] }
    })
    rekognition
      .on(CreateProjectVersionCommand)
      .rejects(awsError('InvalidParameterException', 'Bad manifest'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('InvalidParameterException')
    expect(err.message).toContain('Bad manifest')
  })

  test('a version older than the start (another run) is attached to, created false', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS - 3_600_000)
      throw awsError('ResourceInUseException')
    })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ arn: versionArn('v1'), name: 'v1', created: false })
    expect(log.warning.join('\n')).toContain('created by another run')
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
  })

  test('with fail, a version created meanwhile by someone else is an error', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS - 3_600_000)
      throw awsError('ResourceInUseException')
    })
    const err = await rejection(startOrReuse(client, options('fail')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('created by someone else')
    expect(err.message).toContain('if-version-exists is fail')
  })

  test('the first lookup failing is explained and nothing is created', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .rejects(awsError('ResourceNotFoundException', 'Project not found'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain(
      `${PROJECT_ARN} was not found (rekognition:DescribeProjectVersions)`
    )
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
  })
})

describe('findFreeName', () => {
  test('numbered names stay within 255 characters', async () => {
    const base = 'v'.repeat(255)
    addVersion(base)
    const free = await findFreeName(client, PROJECT_ARN, base)
    expect(free).toHaveLength(255)
    expect(free.endsWith('-2')).toBe(true)
  })

  test('gives up with an ActionError after 1000 names', async () => {
    rekognition.on(DescribeProjectVersionsCommand).callsFake((input) => ({
      ProjectVersionDescriptions: (input.VersionNames ?? []).map((n: string) => ({
        ProjectVersionArn: versionArn(n)
      }))
    }))
    const err = await rejection(findFreeName(client, PROJECT_ARN, 'v1'))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('No free version name')
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 100)
  })
})
