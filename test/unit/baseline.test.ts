import { beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import 'aws-sdk-client-mock-jest'
import {
  MAX_PAGES,
  MAX_TAG_READS,
  autoScope,
  findBaseline,
  type BaselineScope
} from '../../src/results/baseline.js'
import { versionNameOf } from '../../src/training/versions.js'
import { ActionError } from '../../src/errors.js'
import { PROJECT_ARN, prContext, runContext } from './helpers.js'

const versionNameOfArn = (v: { ProjectVersionArn?: string } | undefined) =>
  versionNameOf(v?.ProjectVersionArn)

const rekognition = mockRekognition()
const client = testClient('eu-west-1')

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

const MAIN: BaselineScope = { ref: 'refs/heads/main', whose: 'the PR’s base branch', before: false }
const SCOPE = MAIN

/** A completed version created `minutes` after a fixed origin. */
function at(name: string, minutes: number, f1?: number, status = 'TRAINING_COMPLETED') {
  return {
    ...version(name, f1, status),
    CreationTimestamp: new Date(Date.UTC(2026, 0, 1) + minutes * 60_000)
  }
}

function tagged(tags: Record<string, Record<string, string>>) {
  rekognition.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => {
    const name = Object.keys(tags).find((n) => input.ResourceArn === versionArn(n))
    return { Tags: name === undefined ? {} : tags[name] }
  })
}

const tagCalls = () =>
  rekognition.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.ResourceArn)

describe('autoScope', () => {
  test('pull-request runs: the base branch, any time', () => {
    expect(autoScope(prContext({ baseRef: 'release/1.x' }))).toEqual({
      ref: 'refs/heads/release/1.x',
      whose: 'the PR’s base branch',
      before: false
    })
  })
  test('other runs: the same ref, before this version', () => {
    expect(autoScope(runContext({ ref: 'refs/heads/fix/#12' }))).toEqual({
      ref: 'refs/heads/fix/-12',
      whose: 'this run’s ref',
      before: true
    })
  })
})

describe('findBaseline auto', () => {
  test('orders by CreationTimestamp itself and takes the newest from the base branch', async () => {
    // Listed oldest first and across pages: the service documents no order.
    rekognition
      .on(DescribeProjectVersionsCommand, { NextToken: undefined })
      .resolves({
        ProjectVersionDescriptions: [at('main-old', 1, 0.99), at('pr-other', 50, 0.5)],
        NextToken: 'page-2'
      })
      .on(DescribeProjectVersionsCommand, { NextToken: 'page-2' })
      .resolves({
        ProjectVersionDescriptions: [
          at('main-new', 30, 0.8),
          at('current', 60, 0.9),
          at('main-failed', 55, undefined, 'TRAINING_FAILED')
        ]
      })
    tagged({
      'main-old': { 'github:ref': 'refs/heads/main' },
      'main-new': { 'github:ref': 'refs/heads/main' },
      'pr-other': { 'github:ref': 'refs/pull/9/merge' }
    })
    const out = await findBaseline(
      client,
      PROJECT_ARN,
      'auto',
      { name: 'current', createdAt: new Date(Date.UTC(2026, 0, 1) + 60 * 60_000) },
      MAIN
    )
    expect(versionNameOfArn(out.baseline)).toBe('main-new')
    expect(out.reason).toBe(
      'the newest completed version trained from the PR’s base branch, refs/heads/main'
    )
    // Newest first, stopping at the first match: the other PR's version, then main-new.
    expect(tagCalls()).toEqual([versionArn('pr-other'), versionArn('main-new')])
    expect(calls()).toEqual([
      { ProjectArn: PROJECT_ARN, MaxResults: 100, NextToken: undefined },
      { ProjectArn: PROJECT_ARN, MaxResults: 100, NextToken: 'page-2' }
    ])
  })

  test('other events: the same ref, created before this version only', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('later', 90, 0.7), at('earlier', 10, 0.8)]
    })
    tagged({
      later: { 'github:ref': 'refs/heads/dev' },
      earlier: { 'github:ref': 'refs/heads/dev' }
    })
    const scope: BaselineScope = { ref: 'refs/heads/dev', whose: 'this run’s ref', before: true }
    const out = await findBaseline(
      client,
      PROJECT_ARN,
      'auto',
      { name: 'current', createdAt: new Date(Date.UTC(2026, 0, 1) + 60 * 60_000) },
      scope
    )
    expect(versionNameOfArn(out.baseline)).toBe('earlier')
    expect(out.reason).toContain('before this one')
    expect(tagCalls()).toEqual([versionArn('earlier')])
  })

  test('versions without a github:ref tag are the fallback, with a notice', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('manual-old', 1, 0.7), at('manual', 5, 0.8), at('pr', 9, 0.9)]
    })
    tagged({ pr: { 'github:ref': 'refs/pull/3/merge' }, manual: { team: 'vision' } })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(versionNameOfArn(out.baseline)).toBe('manual')
    expect(out.reason).toBe(
      'no completed version is tagged github:ref refs/heads/main among the newest 3; fallback: the newest completed version without a github:ref tag, trained outside CI'
    )
    expect(out.notice).toBe(`Baseline manual: ${out.reason}.`)
  })

  test('only other lines of work: nothing to compare with yet (firstVersion)', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('pr', 9, 0.9)]
    })
    tagged({ pr: { 'github:ref': 'refs/pull/3/merge' } })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(out).toEqual({
      firstVersion: true,
      missing:
        'no completed version is tagged github:ref refs/heads/main among the newest 1: nothing from the PR’s base branch to compare with'
    })
  })

  test(`reads the tags of at most ${MAX_TAG_READS} versions`, async () => {
    const many = Array.from({ length: MAX_TAG_READS + 10 }, (_, i) => at(`pr-${i}`, i, 0.5))
    rekognition.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: many })
    tagged(
      Object.fromEntries(many.map((_, i) => [`pr-${i}`, { 'github:ref': 'refs/pull/1/merge' }]))
    )
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(out.firstVersion).toBe(true)
    expect(tagCalls()).toHaveLength(MAX_TAG_READS)
    expect(tagCalls()[0]).toBe(versionArn(`pr-${MAX_TAG_READS + 9}`))
  })

  test('stops reading once the pages, newest first as documented, hold the newest candidates', async () => {
    const page = (from: number) =>
      Array.from({ length: 100 }, (_, i) => at(`v${from - i}`, from - i, 0.5))
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: page(1000), NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: page(900), NextToken: 't2' })
    tagged({ v990: { 'github:ref': 'refs/heads/main' } })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(versionNameOfArn(out.baseline)).toBe('v990')
    expect(calls()).toHaveLength(1)
  })

  test('pages out of the documented order: every page is read, and sorted here', async () => {
    const page = (from: number, n = 100) =>
      Array.from({ length: n }, (_, i) => at(`v${from - i}`, from - i, 0.5))
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: page(900, 10), NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: page(1000) })
    tagged({ v990: { 'github:ref': 'refs/heads/main' }, v900: { 'github:ref': 'refs/heads/main' } })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(versionNameOfArn(out.baseline)).toBe('v990')
    expect(calls()).toHaveLength(2)
  })

  test(`reads at most ${MAX_PAGES} pages`, async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [], NextToken: 'more' })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(calls()).toHaveLength(MAX_PAGES)
    expect(out).toEqual({
      firstVersion: true,
      missing: `no other completed version of the project among the newest ${MAX_PAGES * 100} versions read`
    })
  })

  test('never picks the version being trained; failed and unscored versions do not count', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [
        at('current', 9, 0.99),
        at('running', 8),
        at('failed', 7, undefined, 'TRAINING_FAILED')
      ]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(out).toEqual({
      firstVersion: true,
      missing: 'no other completed version of the project'
    })
    expect(tagCalls()).toEqual([])
  })

  test('a deployed (RUNNING) version and an F1 of 0 count as completed', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('zero', 9, 0, 'RUNNING')]
    })
    tagged({ zero: { 'github:ref': 'refs/heads/main' } })
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(versionNameOfArn(out.baseline)).toBe('zero')
  })

  test('with no version before this one on other events: firstVersion, saying so', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('later', 90, 0.7)]
    })
    const out = await findBaseline(
      client,
      PROJECT_ARN,
      'auto',
      { name: 'current', createdAt: new Date(Date.UTC(2026, 0, 1)) },
      { ref: 'refs/heads/main', whose: 'this run’s ref', before: true }
    )
    expect(out).toEqual({
      firstVersion: true,
      missing: 'no completed version of the project was created before this one'
    })
  })

  test('tags that cannot be read: no baseline, a warning naming rekognition:ListTagsForResource', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [at('v1', 1, 0.9)]
    })
    rekognition
      .on(ListTagsForResourceCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized'))
    const out = await findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    expect(out.baseline).toBeUndefined()
    expect(out.firstVersion).toBeUndefined()
    expect(out.missing).toMatch(/AWS denied rekognition:ListTagsForResource/)
    expect(out.warning).toBe(out.missing)
  })

  test('AccessDenied on the list becomes an ActionError naming rekognition:DescribeProjectVersions', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized'))
    const err = await rejection(
      findBaseline(client, PROJECT_ARN, 'auto', { name: 'current' }, MAIN)
    )
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('rekognition:DescribeProjectVersions')
    expect(err.message).toContain(PROJECT_ARN)
  })
})

describe('findBaseline by name', () => {
  test('found, with an F1: it is the baseline; asked for by name', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7', 0.91)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', { name: 'v8' }, SCOPE)
    expect(out).toEqual({ baseline: version('v7', 0.91), reason: 'named by baseline-version' })
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      VersionNames: ['v7']
    })
  })

  test('the answer is matched by name, not taken blindly', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7-2', 0.5), version('v7', 0.91)]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', { name: 'v8' }, SCOPE)
    expect(out.baseline?.ProjectVersionArn).toBe(versionArn('v7'))
  })

  test('missing: says it is not in the project', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [] })
    const out = await findBaseline(client, PROJECT_ARN, 'v0', { name: 'v8' }, SCOPE)
    expect(out).toEqual({ missing: 'baseline-version v0 is not in the project' })
    expect(out.firstVersion).toBeUndefined()
  })

  test('without an F1: says so, with its status', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v7', undefined, 'TRAINING_FAILED')]
    })
    const out = await findBaseline(client, PROJECT_ARN, 'v7', { name: 'v8' }, SCOPE)
    expect(out).toEqual({ missing: 'baseline-version v7 has no F1 score (TRAINING_FAILED)' })
  })

  test('equal to the current name: no AWS call, a reason', async () => {
    const out = await findBaseline(client, PROJECT_ARN, 'v8', { name: 'v8' }, SCOPE)
    expect(out).toEqual({ missing: 'baseline-version v8 is the version being trained' })
    expect(rekognition).not.toHaveReceivedAnyCommand()
  })

  test('AccessDenied becomes an ActionError naming rekognition:DescribeProjectVersions', async () => {
    rekognition.on(DescribeProjectVersionsCommand).rejects(awsError('AccessDeniedException'))
    const err = await rejection(findBaseline(client, PROJECT_ARN, 'v7', { name: 'v8' }, SCOPE))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toMatch(/AWS denied rekognition:DescribeProjectVersions/)
  })
})
