import { beforeEach, describe, expect, test } from '@jest/globals'
import {
  DescribeProjectVersionsCommand,
  RekognitionClient,
  type ProjectVersionDescription
} from '@aws-sdk/client-rekognition'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { findBaseline } from '../../src/results/baseline.js'
import { ActionError } from '../../src/errors.js'
import { PROJECT_ARN } from './helpers.js'

const rekognition = mockClient(RekognitionClient)
const client = new RekognitionClient({ region: 'eu-west-1' })

const versionArn = (name: string): string =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/1700000000${name.length}`

function version(
  name: string,
  f1?: number,
  status = 'TRAINING_COMPLETED'
): ProjectVersionDescription {
  return {
    ProjectVersionArn: versionArn(name),
    Status: status as ProjectVersionDescription['Status'],
    ...(f1 === undefined ? {} : { EvaluationResult: { F1Score: f1 } })
  }
}

function awsError(name: string, message = name): Error {
  const err = new Error(message)
  err.name = name
  return err
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

const calls = () =>
  rekognition.commandCalls(DescribeProjectVersionsCommand).map((c) => c.args[0].input)

beforeEach(() => {
  rekognition.reset()
})

describe('findBaseline auto', () => {
  test('pages through NextToken until another version with an F1 is found', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand, { NextToken: undefined })
      .resolves({
        ProjectVersionDescriptions: [version('current', 0.99), version('running')],
        NextToken: 'page-2'
      })
      .on(DescribeProjectVersionsCommand, { NextToken: 'page-2' })
      .resolves({
        ProjectVersionDescriptions: [version('failed', undefined, 'TRAINING_FAILED')],
        NextToken: 'page-3'
      })
      .on(DescribeProjectVersionsCommand, { NextToken: 'page-3' })
      .resolves({
        ProjectVersionDescriptions: [version('older', 0.8), version('oldest', 0.95)],
        NextToken: 'page-4'
      })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', 'current')
    // Newest first: the first match wins, even though an older one scores higher.
    expect(out.baseline?.ProjectVersionArn).toBe(versionArn('older'))
    expect(out.missing).toBeUndefined()
    expect(out.firstVersion).toBeUndefined()
    expect(calls()).toEqual([
      { ProjectArn: PROJECT_ARN, NextToken: undefined },
      { ProjectArn: PROJECT_ARN, NextToken: 'page-2' },
      { ProjectArn: PROJECT_ARN, NextToken: 'page-3' }
    ])
  })

  test('never picks the version being trained, even when it has an F1', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('current', 0.99), version('prev', 0.7)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', 'current')
    expect(out.baseline?.ProjectVersionArn).toBe(versionArn('prev'))
  })

  test('an F1 of 0 still counts as an F1', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('zero', 0)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', 'current')
    expect(out.baseline?.ProjectVersionArn).toBe(versionArn('zero'))
  })

  test('no other version with an F1: firstVersion, with the reason', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand, { NextToken: undefined })
      .resolves({
        ProjectVersionDescriptions: [version('current', 0.9), version('a')],
        NextToken: 't2'
      })
      .on(DescribeProjectVersionsCommand, { NextToken: 't2' })
      .resolves({ ProjectVersionDescriptions: [version('b', undefined, 'TRAINING_FAILED')] })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', 'current')
    expect(out).toEqual({
      firstVersion: true,
      missing: 'no other version of the project has an F1 score'
    })
    expect(calls()).toHaveLength(2)
  })

  test('an empty project: firstVersion', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({})
    const out = await findBaseline(client, PROJECT_ARN, 'auto', 'current')
    expect(out.firstVersion).toBe(true)
    expect(out.baseline).toBeUndefined()
  })

  test('AccessDenied becomes an ActionError naming rekognition:DescribeProjectVersions', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized'))
    const err = await rejection(findBaseline(client, PROJECT_ARN, 'auto', 'current'))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('rekognition:DescribeProjectVersions')
    expect(err.message).toContain(PROJECT_ARN)
    expect(err.message).toContain('User is not authorized')
  })
})

describe('findBaseline by name', () => {
  test('found, with an F1: it is the baseline; asked for by name', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7', 0.91)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', 'v8')
    expect(out).toEqual({ baseline: version('v7', 0.91) })
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      VersionNames: ['v7']
    })
  })

  test('the answer is matched by name, not taken blindly', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7-2', 0.5), version('v7', 0.91)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', 'v8')
    expect(out.baseline?.ProjectVersionArn).toBe(versionArn('v7'))
  })

  test('missing: says it is not in the project', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [] })
    const out = await findBaseline(client, PROJECT_ARN, 'v0', 'v8')
    expect(out).toEqual({ missing: 'baseline-version v0 is not in the project' })
    expect(out.firstVersion).toBeUndefined()
  })

  test('without an F1: says so, with its status', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7', undefined, 'TRAINING_FAILED')]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', 'v8')
    expect(out).toEqual({ missing: 'baseline-version v7 has no F1 score (TRAINING_FAILED)' })
  })

  test('equal to the current name: no AWS call, a reason', async () => {
    const out = await findBaseline(client, PROJECT_ARN, 'v8', 'v8')
    expect(out).toEqual({ missing: 'baseline-version v8 is the version being trained' })
    expect(rekognition).not.toHaveReceivedAnyCommand()
  })

  test('AccessDenied becomes an ActionError naming rekognition:DescribeProjectVersions', async () => {
    rekognition.on(DescribeProjectVersionsCommand).rejects(awsError('AccessDeniedException'))
    const err = await rejection(findBaseline(client, PROJECT_ARN, 'v7', 'v8'))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toMatch(/AWS denied rekognition:DescribeProjectVersions/)
  })
})
