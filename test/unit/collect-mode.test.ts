// The collect mode with the SDK mocked (aws-sdk-client-mock) and GitHub answered by the emulator
// (commit statuses, pull requests, comments) over loopback HTTP.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  mockRekognition
} from './rekognition-mock.js'
import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { ActionError, InputError } from '../../src/errors.js'
import { collect } from '../../src/modes/collect.js'
import { commentMarker } from '../../src/reporting/report.js'
import { Emulator } from '../emulator/server.js'
import { PROJECT_ARN, arnOf, createInputs, recordingIo } from './helpers.js'

const rekognition = mockRekognition()
const s3 = mockClient(S3Client)
const SHA_A = 'a'.repeat(40)
const SHA_B = 'b'.repeat(40)
const HOUR = 3_600_000

function v(name: string, Status: string, extra: Partial<ProjectVersionDescription> = {}) {
  return {
    ProjectVersionArn: arnOf(name),
    Status,
    CreationTimestamp: new Date(Date.now() - 30 * HOUR),
    ...(Status !== 'TRAINING_IN_PROGRESS' && { TrainingEndTimestamp: new Date(Date.now() - HOUR) }),
    ...extra
  } as ProjectVersionDescription
}

let emu: Emulator
let lines: { level: string; line: string }[]
let outputs: Record<string, string>
let summary: string

const CONTEXT = 'train-action/defects'
const statusesOn = (sha: string) => emu.statuses('acme', 'defects', sha)
const allStatuses = () => [...statusesOn(SHA_A), ...statusesOn(SHA_B)]
const comments = () => emu.comments('acme', 'defects', 17)

const io = (inputs: Record<string, string>) =>
  recordingIo({
    logs: lines,
    outputs,
    onSummary: (markdown) => (summary = markdown),
    getInput: createInputs({
      mode: 'collect',
      'github-token': 'ghs_t',
      'poll-interval-seconds': '0.05',
      ...inputs
    }),
    env: {
      GITHUB_REPOSITORY: 'acme/defects',
      GITHUB_SHA: SHA_A,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_RUN_ID: '555',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: emu.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret'
    }
  })

const tags = (sha: string, extra: Record<string, string> = {}) => ({
  Tags: {
    'github:repository': 'acme/defects',
    'github:sha': sha,
    'github:run-id': '111',
    'github:pr-number': '17',
    ...extra
  }
})

const pending = (sha: string, name: string) =>
  emu.addStatus('acme', 'defects', sha, {
    state: 'pending',
    description: `${name}: training since 2026-11-27 10:00 UTC`,
    context: CONTEXT
  })

const SUMMARY = JSON.stringify({
  AggregatedEvaluationResults: { Metrics: { F1Score: 0.9 } },
  LabelEvaluationResults: [
    { Label: 'scratch', NumberOfTestingImages: 3, Metrics: { F1Score: 0.85 } }
  ]
})

beforeEach(async () => {
  rekognition.reset()
  s3.reset()
  emu = await Emulator.start()
  emu.setGitHubToken('ghs_t')
  emu.setPullRequest('acme', 'defects', 17, SHA_A)
  lines = []
  outputs = {}
  summary = ''
  s3.on(GetObjectCommand).resolves({
    Body: { transformToString: async () => SUMMARY } as unknown as GetObjectCommandOutput['Body'],
    $metadata: {}
  } as GetObjectCommandOutput)
})
afterEach(() => emu.stop())

const completed = (name: string, f1: number) =>
  v(name, 'TRAINING_COMPLETED', {
    EvaluationResult: {
      F1Score: f1,
      Summary: { S3Object: { Bucket: 'out', Name: `${name}.json` } }
    }
  })

describe('mode: collect', () => {
  test('finishes an ended pending training with its recorded gate; one still training stays pending', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: [completed('pr-a', 0.85)], NextToken: 'p2' })
      .resolves({ ProjectVersionDescriptions: [v('pr-b', 'TRAINING_IN_PROGRESS')] })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('pr-a') })
      .resolves(tags(SHA_A, { 'train-action:min-f1-score': '0.9' }))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('pr-b') })
      .resolves(tags(SHA_B))
    pending(SHA_A, 'pr-a')
    pending(SHA_B, 'pr-b')
    emu.addComment(
      'acme',
      'defects',
      17,
      `${commentMarker(PROJECT_ARN)}\nstarted ${arnOf('pr-a')}`,
      'github-actions[bot]'
    )

    await collect(io({}), new AbortController().signal)

    expect(outputs).toEqual({ collected: '1', pending: '1' })
    const onA = statusesOn(SHA_A)
    // No claim: the outcome goes straight over the starting step's pending, linking that run.
    expect(onA.map((s) => s.state)).toEqual(['pending', 'failure'])
    expect(onA[1].description).toBe('pr-a: F1 0.850, gate failed: min-f1-score')
    expect(onA[1].targetUrl).toBe('https://github.com/acme/defects/actions/runs/111')
    expect(statusesOn(SHA_B)).toHaveLength(1)
    expect(comments()[0].body).toContain('❌ `min-f1-score`')
    expect(comments()[0].body).toContain('/actions/runs/111')
    expect(summary).toContain('Collector: 1 collected, 1 still training')
    expect(summary).toContain('pr-b (`bbbbbbbbbbbb`): still training')
    expect(lines).toContainEqual({
      level: 'warning',
      line: 'pr-a: quality gate min-f1-score failed: F1 0.850 is below min-f1-score 0.900 by 0.050'
    })
  })

  test('leaves alone: other repositories, statuses naming another version, finished ones', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({
        ProjectVersionDescriptions: [
          completed('mine', 0.9),
          completed('theirs', 0.9),
          completed('older', 0.9)
        ]
      })
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('mine') })
      .resolves(tags(SHA_A))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('older') })
      .resolves(tags(SHA_B))
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf('theirs') })
      .resolves({ Tags: { 'github:repository': 'someone/else', 'github:sha': SHA_A } })
    emu.addStatus('acme', 'defects', SHA_A, {
      state: 'success',
      description: 'mine: F1 0.900, no gates',
      context: CONTEXT
    })
    pending(SHA_B, 'newer-retrain')
    await collect(io({}), new AbortController().signal)
    expect(outputs).toEqual({ collected: '0', pending: '0' })
    expect(allStatuses()).toHaveLength(2)
  })

  test('a failed training gives failure', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({
        ProjectVersionDescriptions: [v('f', 'TRAINING_FAILED', { StatusMessage: 'bad manifest' })]
      })
      .on(ListTagsForResourceCommand)
      .resolves(tags(SHA_A))
    pending(SHA_A, 'f')
    await collect(io({ 'comment-on-pr': 'false' }), new AbortController().signal)
    expect(statusesOn(SHA_A).at(-1)).toMatchObject({
      state: 'failure',
      description: 'f: TRAINING_FAILED'
    })
    expect(
      lines.some(
        (l) =>
          l.level === 'warning' && l.line.startsWith('f: Training TRAINING_FAILED: bad manifest')
      )
    ).toBe(true)
  })

  test('a token without statuses: write: one warning, and the step fails saying so', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [completed('a', 0.9)] })
      .on(ListTagsForResourceCommand)
      .resolves(tags(SHA_A))
    pending(SHA_A, 'a')
    emu.denyStatusWrites(true)
    await expect(collect(io({}), new AbortController().signal)).rejects.toThrow(
      '1 training(s) could not be collected and stay as they are: a: the token cannot read or write commit statuses (HTTP 403); it needs statuses: write'
    )
    expect(lines.filter((l) => l.level === 'warning')).toHaveLength(1)
    expect(lines.find((l) => l.level === 'warning')?.line).toContain('statuses: write')
  })

  test('an unreadable recorded gate leaves the training pending and fails the step', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [completed('a', 0.9)] })
      .on(ListTagsForResourceCommand)
      .resolves(tags(SHA_A, { 'train-action:min-f1-score': 'high' }))
    pending(SHA_A, 'a')
    await expect(collect(io({}), new AbortController().signal)).rejects.toThrow(ActionError)
    // Nothing written: the next run finds it as the starting step left it.
    expect(allStatuses()).toHaveLength(1)
    expect(
      lines.some((l) => l.line.startsWith('Not collected: a: tag train-action:min-f1-score'))
    ).toBe(true)
  })

  test('no token is refused before any AWS call; commit-status: false only stops expired previews', async () => {
    await expect(collect(io({ 'github-token': '' }), new AbortController().signal)).rejects.toThrow(
      InputError
    )
    expect(rekognition.calls()).toHaveLength(0)
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [completed('a', 0.9)] })
    await collect(io({ 'commit-status': 'false' }), new AbortController().signal)
    expect(outputs).toEqual({ collected: '0', pending: '0' })
    // One listing (previews are found by their tags, and none is up); no commit status touched.
    expect(rekognition.commandCalls(DescribeProjectVersionsCommand)).toHaveLength(1)
    expect(rekognition.commandCalls(ListTagsForResourceCommand)).toHaveLength(0)
    expect(allStatuses()).toHaveLength(0)
  })

  test('a version deleted between the listing and its tag read is passed over', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [completed('gone', 0.9)] })
      .on(ListTagsForResourceCommand)
      .rejects(
        Object.assign(new Error('no such version'), {
          name: 'ResourceNotFoundException',
          $metadata: {}
        })
      )
    await collect(io({}), new AbortController().signal)
    expect(outputs).toEqual({ collected: '0', pending: '0' })
  })

  test('AccessDenied on ListTagsForResource names the action', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [completed('a', 0.9)] })
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} }))
    await expect(collect(io({}), new AbortController().signal)).rejects.toThrow(
      /AWS denied rekognition:ListTagsForResource/
    )
  })
})
