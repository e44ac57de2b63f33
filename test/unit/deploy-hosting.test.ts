// The Rekognition calls of hosting (tag, start, stop, the hosted versions) and the collector's stop
// of expired previews, with the SDK mocked (aws-sdk-client-mock).
import { beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  TagResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import { ActionError } from '../../src/errors.js'
import { stopExpiredPreviews } from '../../src/deploy/expire.js'
import { hostedVersions, startVersion, stopVersion, tagVersion } from '../../src/deploy/hosting.js'
import { DEPLOY_TAGS } from '../../src/deploy/plan.js'
import { PROJECT_ARN, arnOf } from './helpers.js'

const rekognition = mockRekognition()
const client = testClient('eu-west-1')
const awsError = (name: string, message = `${name} said no`, httpStatusCode = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } })
const v = (name: string, Status: string) =>
  ({ ProjectVersionArn: arnOf(name), Status, MinInferenceUnits: 1 }) as ProjectVersionDescription

beforeEach(() => {
  rekognition.reset()
})

describe('tagVersion', () => {
  test('writes the tags in one TagResource; nothing to write sends nothing', async () => {
    rekognition.on(TagResourceCommand).resolves({})
    await tagVersion(client, arnOf('a'), {})
    expect(rekognition.commandCalls(TagResourceCommand)).toHaveLength(0)
    await tagVersion(client, arnOf('a'), { [DEPLOY_TAGS.deployedBy]: 'acme/defects' })
    expect(rekognition.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      ResourceArn: arnOf('a'),
      Tags: { 'train-action:deployed-by': 'acme/defects' }
    })
  })
  test('a refusal is explained and names the action', async () => {
    rekognition.on(TagResourceCommand).rejects(awsError('AccessDeniedException', 'not allowed'))
    const err = await tagVersion(client, arnOf('a'), { k: 'v' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain('rekognition:TagResource')
  })
})

describe('startVersion', () => {
  test('sends the units; max only when given', async () => {
    rekognition.on(StartProjectVersionCommand).resolves({ Status: 'STARTING' })
    expect(await startVersion(client, arnOf('a'), { min: 2, max: 4 })).toEqual({
      kind: 'started',
      status: 'STARTING'
    })
    await startVersion(client, arnOf('a'), { min: 1 })
    const sent = rekognition.commandCalls(StartProjectVersionCommand).map((c) => c.args[0].input)
    expect(sent).toEqual([
      { ProjectVersionArn: arnOf('a'), MinInferenceUnits: 2, MaxInferenceUnits: 4 },
      { ProjectVersionArn: arnOf('a'), MinInferenceUnits: 1 }
    ])
  })
  test('no status in the answer reads as STARTING', async () => {
    rekognition.on(StartProjectVersionCommand).resolves({})
    expect(await startVersion(client, arnOf('a'), { min: 1 })).toEqual({
      kind: 'started',
      status: 'STARTING'
    })
  })
  test('ResourceInUseException is an answer to converge on, not an error', async () => {
    rekognition
      .on(StartProjectVersionCommand)
      .rejects(awsError('ResourceInUseException', 'version is STARTING'))
    expect(await startVersion(client, arnOf('a'), { min: 1 })).toEqual({
      kind: 'in-use',
      message: 'version is STARTING'
    })
  })
  test('LimitExceededException says which limit, what was asked and what to do', async () => {
    rekognition
      .on(StartProjectVersionCommand)
      .rejects(awsError('LimitExceededException', 'too many models'))
    const err = (await startVersion(client, arnOf('a'), { min: 2, max: 5 }).catch(
      (e: unknown) => e
    )) as Error
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toBe(
      `StartProjectVersion refused ${arnOf('a')}: LimitExceededException, a Rekognition limit on running models or inference units in this account and region was reached (asked for 2-5 units). Stop a running model, lower min-inference-units, or ask AWS for a higher quota ("Amazon Rekognition Custom Labels quotas"). AWS said: too many models`
    )
    const one = (await startVersion(client, arnOf('a'), { min: 1 }).catch(
      (e: unknown) => e
    )) as Error
    expect(one.message).toContain('(asked for 1 units)')
  })
  test('any other error is explained', async () => {
    rekognition.on(StartProjectVersionCommand).rejects(awsError('AccessDeniedException'))
    await expect(startVersion(client, arnOf('a'), { min: 1 })).rejects.toThrow(
      'rekognition:StartProjectVersion'
    )
  })
})

describe('stopVersion', () => {
  test('returns the status the service answers, STOPPING when none', async () => {
    rekognition.on(StopProjectVersionCommand).resolvesOnce({ Status: 'STOPPED' }).resolves({})
    expect(await stopVersion(client, arnOf('a'))).toBe('STOPPED')
    expect(await stopVersion(client, arnOf('a'))).toBe('STOPPING')
    expect(rekognition.commandCalls(StopProjectVersionCommand)[0].args[0].input).toEqual({
      ProjectVersionArn: arnOf('a')
    })
  })
  test('a version already stopping converges (ResourceInUseException)', async () => {
    rekognition.on(StopProjectVersionCommand).rejects(awsError('ResourceInUseException'))
    expect(await stopVersion(client, arnOf('a'))).toBe('STOPPING')
  })
  test('any other error is explained', async () => {
    rekognition.on(StopProjectVersionCommand).rejects(awsError('AccessDeniedException'))
    await expect(stopVersion(client, arnOf('a'))).rejects.toThrow('rekognition:StopProjectVersion')
  })
})

describe('hostedVersions', () => {
  test('only STARTING and RUNNING versions, with their tags; a version gone meanwhile is left out', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({
        ProjectVersionDescriptions: [
          v('run', 'RUNNING'),
          v('start', 'STARTING'),
          v('stopped', 'STOPPED'),
          v('gone', 'RUNNING'),
          { Status: 'RUNNING' }
        ]
      })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('run') })
      .resolves({ Tags: { [DEPLOY_TAGS.deployedBy]: 'acme/defects' } })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('start') })
      .resolves({})
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('gone') })
      .rejects(awsError('ResourceNotFoundException', 'gone', 404))
    const hosted = await hostedVersions(client, PROJECT_ARN)
    expect(hosted).toEqual([
      {
        arn: arnOf('run'),
        status: 'RUNNING',
        tags: { [DEPLOY_TAGS.deployedBy]: 'acme/defects' },
        minUnits: 1,
        maxUnits: undefined
      },
      { arn: arnOf('start'), status: 'STARTING', tags: {}, minUnits: 1, maxUnits: undefined }
    ])
    const asked = rekognition.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)
    expect(asked.map((i) => i.ResourceArn)).toEqual([arnOf('run'), arnOf('start'), arnOf('gone')])
  })

  test('a version whose tags this role may not read is listed as running, never as ours', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [v('theirs', 'RUNNING'), v('run', 'RUNNING')] })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('theirs') })
      .rejects(awsError('AccessDeniedException', 'not for you'))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('run') })
      .resolves({ Tags: { [DEPLOY_TAGS.deployedBy]: 'acme/defects' } })
    const hosted = await hostedVersions(client, PROJECT_ARN)
    expect(hosted.map((h) => [h.arn, h.tags])).toEqual([
      [arnOf('theirs'), {}],
      [arnOf('run'), { [DEPLOY_TAGS.deployedBy]: 'acme/defects' }]
    ])
  })
})

describe('stopExpiredPreviews', () => {
  const NOW = Date.UTC(2026, 11, 7, 12, 0, 0)
  const mine = (stopAfter: string, pr = '17') => ({
    Tags: {
      [DEPLOY_TAGS.deployedBy]: 'acme/defects',
      [DEPLOY_TAGS.pr]: pr,
      [DEPLOY_TAGS.stopAfter]: stopAfter
    }
  })
  let log: { info: string[]; warning: string[] }
  const sink = () => ({
    info: (l: string) => log.info.push(l),
    warning: (l: string) => log.warning.push(l)
  })
  beforeEach(() => {
    log = { info: [], warning: [] }
  })

  test('stops only this repository’s previews past their stop time', async () => {
    rekognition
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('due') })
      .resolves(mine('2026-12-07T11:59:00Z'))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('later') })
      .resolves(mine('2026-12-07T12:30:00Z'))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('theirs') })
      .resolves({
        Tags: {
          [DEPLOY_TAGS.deployedBy]: 'someone/else',
          [DEPLOY_TAGS.stopAfter]: '2026-12-07T11:00:00Z'
        }
      })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('unreadable') })
      .rejects(awsError('AccessDeniedException', 'no tags for you'))
      .on(StopProjectVersionCommand)
      .resolves({ Status: 'STOPPING' })
    const r = await stopExpiredPreviews(
      client,
      [
        v('due', 'RUNNING'),
        v('later', 'RUNNING'),
        v('theirs', 'RUNNING'),
        v('unreadable', 'STARTING'),
        v('stopped', 'STOPPED')
      ],
      'acme/defects',
      NOW,
      sink()
    )
    expect(r).toEqual({
      stopped: [arnOf('due')],
      summary: 'Stopped 1 preview deployment(s) past their stop-after-minutes: `due`.',
      problems: []
    })
    expect(rekognition.commandCalls(StopProjectVersionCommand).map((c) => c.args[0].input)).toEqual(
      [{ ProjectVersionArn: arnOf('due') }]
    )
    // A version that is not RUNNING or STARTING is not even read.
    expect(
      rekognition.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.ResourceArn)
    ).not.toContain(arnOf('stopped'))
    expect(log.info).toEqual([
      `Stopped ${arnOf('due')}: its stop time 2026-12-07T11:59:00Z has passed.`
    ])
    expect(log.warning).toHaveLength(1)
    expect(log.warning[0]).toMatch(
      new RegExp(`^Could not read the tags of ${arnOf('unreadable').replace(/[/.]/g, '\\$&')}: `)
    )
  })

  test('nothing due: no stop, an empty summary', async () => {
    rekognition.on(ListTagsForResourceCommand).resolves(mine('2026-12-07T13:00:00Z'))
    const r = await stopExpiredPreviews(client, [v('a', 'RUNNING')], 'acme/defects', NOW, sink())
    expect(r).toEqual({ stopped: [], summary: '', problems: [] })
    expect(rekognition.commandCalls(StopProjectVersionCommand)).toHaveLength(0)
  })

  test('a preview that cannot be stopped is a problem (it goes on costing)', async () => {
    rekognition
      .on(ListTagsForResourceCommand)
      .resolves(mine('2026-12-07T11:00:00Z'))
      .on(StopProjectVersionCommand, { ProjectVersionArn: arnOf('b') })
      .rejects(awsError('AccessDeniedException', 'denied'))
      .on(StopProjectVersionCommand, { ProjectVersionArn: arnOf('a') })
      .resolves({})
    const r = await stopExpiredPreviews(
      client,
      [v('a', 'RUNNING'), v('b', 'RUNNING')],
      'acme/defects',
      NOW,
      sink()
    )
    expect(r.stopped).toEqual([arnOf('a')])
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toMatch(/^arn:.*\/version\/b\/1: .*rekognition:StopProjectVersion/)
    expect(log.warning[0]).toContain(`Could not stop ${arnOf('b')}`)
  })

  test('a cancel stops reading the tags', async () => {
    const ac = new AbortController()
    ac.abort()
    rekognition.on(ListTagsForResourceCommand).resolves(mine('2026-12-07T11:00:00Z'))
    const r = await stopExpiredPreviews(
      client,
      [v('a', 'RUNNING')],
      'acme/defects',
      NOW,
      sink(),
      ac.signal
    )
    expect(r.stopped).toEqual([])
    expect(rekognition.commandCalls(ListTagsForResourceCommand)).toHaveLength(0)
  })
})
