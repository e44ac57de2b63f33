import { beforeEach, describe, expect, test } from '@jest/globals'
import {
  type CreateProjectVersionCommandInput,
  type ProjectVersionDescription
} from '@aws-sdk/client-rekognition'
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
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

const rekognition = mockRekognition()
const client = testClient('eu-west-1')

const START_MS = Date.UTC(2026, 10, 27, 13, 0, 0)
const versionArn = (name: string): string =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/${1_700_000_000_000 + name.length}`

/** The project's versions, as the fake DescribeProjectVersions sees them. */
let store: ProjectVersionDescription[]
let log: { info: string[]; warning: string[]; notice: string[] }
let built: string[]
/** The fake clock of the lookups after a failed create. */
let clock: number
/** Tags of each version, by ARN, as ListTagsForResource answers them. */
let tagsOf: Map<string, Record<string, string>>

/** The tags this run sends (buildRequest), and another run's. */
const OUR_TAGS = { 'github:sha': 'abc', 'github:run-id': '42', 'github:run-attempt': '1' }
const THEIR_TAGS = { ...OUR_TAGS, 'github:run-id': '43' }

function addVersion(
  name: string,
  createdMs = START_MS - 86_400_000,
  tags: Record<string, string> = THEIR_TAGS,
  Status: ProjectVersionDescription['Status'] = 'TRAINING_COMPLETED'
): ProjectVersionDescription {
  const v: ProjectVersionDescription = {
    ProjectVersionArn: versionArn(name),
    CreationTimestamp: new Date(createdMs),
    Status
  }
  store.unshift(v)
  tagsOf.set(v.ProjectVersionArn!, tags)
  return v
}

/** An SDK error as the retry middleware leaves it: with the number of attempts made. */
function sdkError(name: string, attempts: number): Error {
  return Object.assign(awsError(name), { $metadata: { httpStatusCode: 400, attempts } })
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
    Tags: OUR_TAGS
  }
}

function options(ifVersionExists: IfVersionExists, versionName = 'v1'): StartOptions {
  return {
    projectArn: PROJECT_ARN,
    versionName,
    ifVersionExists,
    buildRequest,
    log: {
      info: (l) => log.info.push(l),
      warning: (l) => log.warning.push(l),
      notice: (l) => log.notice.push(l)
    },
    now: () => clock,
    sleep: async (ms) => {
      clock += ms
    },
    deadline: START_MS + 3_600_000
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
  clock = START_MS
  tagsOf = new Map()
  log = { info: [], warning: [], notice: [] }
  rekognition.on(ListTagsForResourceCommand).callsFake((input) => {
    const tags = tagsOf.get(input.ResourceArn)
    if (!tags) throw awsError('ResourceNotFoundException')
    return { Tags: tags }
  })
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
    // The base is known to be taken: the search starts at base-2.
    expect(asked[1]).toEqual(Array.from({ length: 10 }, (_, i) => `v1-${i + 2}`))
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
    expect(asked[2]).toEqual(Array.from({ length: 10 }, (_, i) => `v1-${i + 12}`))
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
        addVersion('v1', START_MS + 1_000, OUR_TAGS)
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

  test('ownership ignores clocks: a version stamped hours off with this run’s tags is its own', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS - 3_600_000, OUR_TAGS)
      throw awsError('TimeoutError')
    })
    expect(await startOrReuse(client, options('reuse'))).toMatchObject({ created: true })
  })

  test('ownership ignores clocks: a version stamped after the start with another run’s tags is theirs', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS + 1_000, THEIR_TAGS)
      throw awsError('TimeoutError')
    })
    expect(await startOrReuse(client, options('reuse'))).toMatchObject({ created: false })
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

  test('refused as a duplicate on the first attempt: another run’s, attached to, no tag read', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS + 1_000, OUR_TAGS)
      throw sdkError('ResourceInUseException', 1)
    })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ arn: versionArn('v1'), name: 'v1', created: false })
    expect(log.warning.join('\n')).toContain('created by another run')
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
    expect(rekognition).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 0)
  })

  test('ResourceInUseException after a retry: the tags tell this run’s own version', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS + 1_000, OUR_TAGS)
      throw sdkError('ResourceInUseException', 2)
    })
    const got = await startOrReuse(client, options('fail'))
    expect(got).toMatchObject({ arn: versionArn('v1'), created: true })
    expect(rekognition).toHaveReceivedCommandWith(ListTagsForResourceCommand, {
      ResourceArn: versionArn('v1')
    })
  })

  test('with fail, a version created meanwhile by another run is an error naming it', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS - 3_600_000)
      throw sdkError('ResourceInUseException', 1)
    })
    const err = await rejection(startOrReuse(client, options('fail')))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('created by another run meanwhile')
    expect(err.message).toContain(versionArn('v1'))
    expect(err.message).toContain('if-version-exists is fail')
  })

  test('with new, a lost race moves on to the next free name', async () => {
    let creates = 0
    rekognition.on(CreateProjectVersionCommand).callsFake((input) => {
      if (++creates === 1) {
        addVersion('v1')
        throw sdkError('ResourceInUseException', 1)
      }
      return { ProjectVersionArn: versionArn(input.VersionName) }
    })
    const got = await startOrReuse(client, options('new'))
    expect(got).toMatchObject({ name: 'v1-2', created: true, arn: versionArn('v1-2') })
    expect(built).toEqual(['v1', 'v1-2'])
    expect(log.info.join('\n')).toContain('Version v1 was created by another run meanwhile')
  })

  test('with new, races lost ten times in a row give up', async () => {
    rekognition.on(CreateProjectVersionCommand).callsFake((input) => {
      addVersion(input.VersionName)
      throw sdkError('ResourceInUseException', 1)
    })
    const err = await rejection(startOrReuse(client, options('new')))
    expect(err.message).toMatch(/^Lost 10 races for a free version name/)
  })

  test('tags that cannot be read: attached to with a warning, never a second training', async () => {
    rekognition.on(ListTagsForResourceCommand).rejects(awsError('AccessDeniedException'))
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS, OUR_TAGS)
      throw awsError('TimeoutError')
    })
    const got = await startOrReuse(client, options('new'))
    expect(got).toMatchObject({ name: 'v1', created: false })
    expect(log.warning.join('\n')).toMatch(
      /whether this run or another one started it is unknown .*allow rekognition:ListTagsForResource/
    )
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
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

describe('after a create that may have acted', () => {
  test('lookups that fail are retried until one answers', async () => {
    let describes = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake((input) => {
      if (++describes > 1 && describes <= 4) throw awsError('ThrottlingException')
      return {
        ProjectVersionDescriptions: store.filter((v) =>
          (input.VersionNames ?? []).includes(versionNameOf(v.ProjectVersionArn) ?? '')
        )
      }
    })
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS, OUR_TAGS)
      throw awsError('TimeoutError')
    })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ created: true, arn: versionArn('v1') })
    expect(log.warning.filter((l) => l.startsWith('Looking up version v1 failed'))).toHaveLength(3)
  })

  test('a version not listed at first is found once it shows', async () => {
    let describes = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake(() => {
      describes++
      return { ProjectVersionDescriptions: describes >= 4 ? store : [] }
    })
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS, OUR_TAGS)
      throw awsError('TimeoutError')
    })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ created: true })
    expect(describes).toBe(4)
  })

  test('nothing listed over a minute of lookups: not created, the create error explained', async () => {
    rekognition.on(CreateProjectVersionCommand).rejects(awsError('InternalServerError', 'boom'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err.message).toMatch(/InternalServerError.*boom/)
    expect(err.message).toMatch(/was not listed in \d+ lookups over 1 min/)
    expect(clock - START_MS).toBeGreaterThanOrEqual(60_000)
  })

  test('ResourceInUseException and no such version over a minute: another conflict, explained', async () => {
    rekognition.on(CreateProjectVersionCommand).rejects(sdkError('ResourceInUseException', 1))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err.message).toMatch(/ResourceInUseException.*was not listed in \d+ lookups over 1 min/)
  })

  test('lookups that never answer: named at the deadline', async () => {
    let describes = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake(() => {
      if (++describes > 1) throw awsError('ThrottlingException')
      return { ProjectVersionDescriptions: [] }
    })
    rekognition.on(CreateProjectVersionCommand).rejects(awsError('TimeoutError'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err.message).toMatch(
      /^CreateProjectVersion for v1 failed \(TimeoutError\) and no version of that name could be found before the deadline\. .*a training named v1 goes on/
    )
    expect(clock).toBeGreaterThanOrEqual(START_MS + 3_600_000)
  })

  test('a lookup refused for good ends the search, naming the version', async () => {
    let describes = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake(() => {
      if (++describes > 1) throw awsError('AccessDeniedException', 'no')
      return { ProjectVersionDescriptions: [] }
    })
    rekognition.on(CreateProjectVersionCommand).rejects(awsError('TimeoutError'))
    const err = await rejection(startOrReuse(client, options('reuse')))
    expect(err.message).toMatch(
      /^CreateProjectVersion for v1 failed \(TimeoutError\) and the version could not be looked up: AWS denied rekognition:DescribeProjectVersions/
    )
  })
})

describe('cancels', () => {
  test('a cancel during the request build (the upload) creates nothing', async () => {
    const cancel = new AbortController()
    const err = await rejection(
      startOrReuse(client, {
        ...options('reuse'),
        cancel: cancel.signal,
        buildRequest: (name) => {
          cancel.abort()
          return buildRequest(name)
        }
      })
    )
    expect(err.message).toBe('Cancelled before version v1 was created: no training was started.')
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
  })

  test('no answer by the last chance: one lookup, what it finds is returned', async () => {
    const lastChance = new AbortController()
    const creating: string[] = []
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS, OUR_TAGS)
      lastChance.abort()
      return new Promise(() => undefined)
    })
    const got = await startOrReuse(client, {
      ...options('reuse'),
      lastChance: lastChance.signal,
      onCreating: (name) => creating.push(name)
    })
    expect(got).toMatchObject({ name: 'v1', created: true, arn: versionArn('v1') })
    expect(creating).toEqual(['v1'])
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 2)
  })

  test('no answer by the last chance and nothing found: the error names the version', async () => {
    const lastChance = new AbortController()
    lastChance.abort()
    rekognition.on(CreateProjectVersionCommand).callsFake(() => new Promise(() => undefined))
    const err = await rejection(
      startOrReuse(client, { ...options('reuse'), lastChance: lastChance.signal })
    )
    expect(err.message).toMatch(
      /^Cancelled: CreateProjectVersion for v1 got no answer before the job was stopped, and no version of that name is listed yet\. .*a training named v1 goes on/
    )
  })

  test('a cancel during the lookups after a failed create: one last lookup', async () => {
    const cancel = new AbortController()
    let describes = 0
    rekognition.on(DescribeProjectVersionsCommand).callsFake(() => {
      if (++describes === 2) cancel.abort()
      if (describes === 2) throw awsError('ThrottlingException')
      return { ProjectVersionDescriptions: describes >= 3 ? store : [] }
    })
    rekognition.on(CreateProjectVersionCommand).callsFake(() => {
      addVersion('v1', START_MS, THEIR_TAGS)
      throw awsError('TimeoutError')
    })
    const got = await startOrReuse(client, { ...options('reuse'), cancel: cancel.signal })
    expect(got).toMatchObject({ created: false, arn: versionArn('v1') })
    expect(describes).toBe(3)
  })
})

describe('re-running a failed training (reuse)', () => {
  test('the failed version is retrained under the next free name, with a notice', async () => {
    addVersion('v1', START_MS - 1, THEIR_TAGS, 'TRAINING_FAILED')
    rekognition.on(CreateProjectVersionCommand).resolves({ ProjectVersionArn: versionArn('v1-2') })
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ name: 'v1-2', created: true })
    expect(log.notice[0]).toMatch(/^Version v1 ended TRAINING_FAILED .*training again as v1-2/)
  })

  test('an earlier retraining in progress is attached to', async () => {
    addVersion('v1', START_MS - 2, THEIR_TAGS, 'TRAINING_FAILED')
    addVersion('v1-2', START_MS - 1, THEIR_TAGS, 'TRAINING_FAILED')
    addVersion('v1-3', START_MS, THEIR_TAGS, 'TRAINING_IN_PROGRESS')
    const got = await startOrReuse(client, options('reuse'))
    expect(got).toMatchObject({ name: 'v1-3', created: false, arn: versionArn('v1-3') })
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
