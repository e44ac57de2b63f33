import { beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import 'aws-sdk-client-mock-jest'
import { parseInputs, type ActionInputs } from '../../src/inputs/inputs.js'
import { gatherResults, type ResultDeps } from '../../src/results/results.js'
import { createInputs, NOW, PROJECT_ARN, runContext } from './helpers.js'

const rekognition = mockRekognition()
const client = testClient('eu-west-1')

const BUCKET = 'acme-training-out'
const versionArn = (name: string): string =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/1700000000001`
const summaryKey = (name: string): string => `out/${name}/EvaluationResultSummary-defects.json`
const summaryUri = (name: string): string => `s3://${BUCKET}/${summaryKey(name)}`

function version(name: string, f1?: number, withSummary = true): ProjectVersionDescription {
  return {
    ProjectVersionArn: versionArn(name),
    Status: 'TRAINING_COMPLETED',
    EvaluationResult: {
      F1Score: f1,
      ...(withSummary ? { Summary: { S3Object: { Bucket: BUCKET, Name: summaryKey(name) } } } : {})
    }
  }
}

function summary(labels: Record<string, number>): string {
  return JSON.stringify({
    AggregatedEvaluationResults: { Metrics: { F1Score: 0.9 } },
    LabelEvaluationResults: Object.entries(labels).map(([Label, F1Score]) => ({
      Label,
      NumberOfTestingImages: 10,
      Metrics: { Threshold: 0.5, Precision: F1Score, Recall: F1Score, F1Score }
    }))
  })
}

function inputs(overrides: Record<string, string> = {}): ActionInputs {
  return parseInputs(createInputs(overrides), runContext(), NOW)
}

let files: Record<string, string | Error>
let read: string[]
let warnings: string[]
let notices: string[]

const deps = (): ResultDeps => ({
  client,
  readText: async (uri) => {
    read.push(uri)
    const f = files[uri]
    if (f === undefined)
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' })
    if (f instanceof Error) throw f
    return f
  },
  warning: (line) => warnings.push(line),
  notice: (line) => notices.push(line)
})

const SCOPE = { ref: 'refs/heads/main', whose: 'the PR’s base branch', before: false }
const REASON = 'the newest completed version trained from the PR’s base branch, refs/heads/main'
const gather = (d: ResultDeps, i: ActionInputs, name: string, v: ProjectVersionDescription) =>
  gatherResults(d, i, name, v, SCOPE)

function accessDenied(): Error {
  const err = new Error('Access Denied')
  err.name = 'AccessDenied'
  return Object.assign(err, { $metadata: { httpStatusCode: 403 } })
}

beforeEach(() => {
  rekognition.reset()
  rekognition.on(ListTagsForResourceCommand).resolves({ Tags: { 'github:ref': 'refs/heads/main' } })
  notices = []
  files = {}
  read = []
  warnings = []
})

describe('gatherResults', () => {
  test('labels from the summary; no baseline, no gates', async () => {
    files[summaryUri('v2')] = summary({ scratch: 0.92, dent: 0.81 })
    const out = await gather(deps(), inputs(), 'v2', version('v2', 0.9))
    expect(out.labels?.map((l) => [l.label, l.f1, l.threshold, l.testImages])).toEqual([
      ['scratch', 0.92, 0.5, 10],
      ['dent', 0.81, 0.5, 10]
    ])
    expect(out.labels?.every((l) => l.f1Delta === undefined && !l.added)).toBe(true)
    expect(out.labelsNote).toBeUndefined()
    expect(out.baseline).toBeUndefined()
    expect(out.gates).toEqual([])
    expect(read).toEqual([summaryUri('v2')])
    expect(warnings).toEqual([])
    expect(rekognition).not.toHaveReceivedAnyCommand()
  })

  test("the baseline's labels are read for per-label deltas; gates judged", async () => {
    files[summaryUri('v2')] = summary({ scratch: 0.92, dent: 0.81, rust: 0.7 })
    files[summaryUri('v1')] = summary({ scratch: 0.9, dent: 0.85 })
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v2', 0.9), version('v1', 0.95)]
    })
    const out = await gather(
      deps(),
      inputs({ 'baseline-version': 'auto', 'max-f1-drop': '0.02', 'min-f1-score': '0.8' }),
      'v2',
      version('v2', 0.9)
    )
    expect(read).toEqual([summaryUri('v2'), summaryUri('v1')])
    expect(out.baseline).toEqual({ name: 'v1', arn: versionArn('v1'), f1: 0.95, reason: REASON })
    const byLabel = Object.fromEntries((out.labels ?? []).map((l) => [l.label, l]))
    expect(byLabel.scratch.f1Delta).toBeCloseTo(0.02, 10)
    expect(byLabel.dent.f1Delta).toBeCloseTo(-0.04, 10)
    expect(byLabel.rust.added).toBe(true)
    expect(out.gates.map((g) => [g.gate, g.passed])).toEqual([
      ['min-f1-score', true],
      ['max-f1-drop', false]
    ])
    expect(out.gates[1].detail).toContain("dropped 0.050 from the baseline's 0.950")
    expect(warnings).toEqual([])
  })

  test('an unreadable summary (AccessDenied): a warning naming s3:GetObject, a note, gates still judged', async () => {
    files[summaryUri('v2')] = accessDenied()
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v1', 0.88)]
    })
    const out = await gather(
      deps(),
      inputs({ 'baseline-version': 'auto', 'max-f1-drop': '0.05', 'min-f1-score': '0.95' }),
      'v2',
      version('v2', 0.9)
    )
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`s3:GetObject on arn:aws:s3:::${BUCKET}/*`)
    expect(warnings[0]).toContain('AccessDenied')
    expect(warnings[0]).toContain(summaryUri('v2'))
    expect(out.labels).toBeUndefined()
    expect(out.labelsNote).toBe(warnings[0])
    // The baseline's summary is not read when there is nothing to compare it with.
    expect(read).toEqual([summaryUri('v2')])
    expect(out.baseline).toEqual({ name: 'v1', arn: versionArn('v1'), f1: 0.88, reason: REASON })
    // Gates from the version's own F1 (0.9), not from the unreadable summary.
    expect(out.gates).toEqual([
      {
        gate: 'min-f1-score',
        passed: false,
        detail: 'F1 0.900 is below min-f1-score 0.950 by 0.050'
      },
      {
        gate: 'max-f1-drop',
        passed: true,
        detail: 'F1 0.900 vs baseline 0.880: gain 0.020, within 0.050'
      }
    ])
  })

  test('a "Forbidden" error is also recognised as a permission problem', async () => {
    files[summaryUri('v2')] = Object.assign(new Error('Forbidden'), { name: 'Unknown' })
    const out = await gather(deps(), inputs(), 'v2', version('v2', 0.9))
    expect(out.labelsNote).toContain(`allow s3:GetObject on arn:aws:s3:::${BUCKET}/*`)
  })

  test('another read error: a warning without the IAM hint', async () => {
    files[summaryUri('v2')] = 'not json'
    const out = await gather(deps(), inputs(), 'v2', version('v2', 0.9))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('it could not be read')
    expect(warnings[0]).not.toContain('s3:GetObject')
    expect(out.labelsNote).toBe(warnings[0])
  })

  test('an unreadable baseline summary: a warning, labels without deltas', async () => {
    files[summaryUri('v2')] = summary({ scratch: 0.92 })
    files[summaryUri('v1')] = accessDenied()
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v1', 0.88)]
    })
    const out = await gather(deps(), inputs({ 'baseline-version': 'v1' }), 'v2', version('v2', 0.9))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('baseline v1')
    expect(warnings[0]).toContain(`s3:GetObject on arn:aws:s3:::${BUCKET}/*`)
    expect(out.labelsNote).toBeUndefined()
    expect(out.labels).toEqual([
      { label: 'scratch', testImages: 10, threshold: 0.5, precision: 0.92, recall: 0.92, f1: 0.92 }
    ])
  })

  test('no evaluation summary: a note, nothing read, no warning', async () => {
    const out = await gather(
      deps(),
      inputs({ 'min-f1-score': '0.5' }),
      'v2',
      version('v2', 0.9, false)
    )
    expect(out.labels).toBeUndefined()
    expect(out.labelsNote).toBe('No evaluation summary for this version.')
    expect(read).toEqual([])
    expect(warnings).toEqual([])
    expect(out.gates.map((g) => g.passed)).toEqual([true])
  })

  test('auto baseline on the first version: max-f1-drop passes, the note says why', async () => {
    files[summaryUri('v1')] = summary({ a: 0.5 })
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [version('v1', 0.5)]
    })
    const out = await gather(
      deps(),
      inputs({ 'baseline-version': 'auto', 'max-f1-drop': '0.01' }),
      'v1',
      version('v1', 0.5)
    )
    expect(out.baseline).toBeUndefined()
    expect(out.baselineNote).toBe('no other completed version of the project')
    expect(out.gates).toEqual([
      {
        gate: 'max-f1-drop',
        passed: true,
        detail: 'no other completed version of the project: nothing to drop from'
      }
    ])
  })

  test('a named baseline that is missing: max-f1-drop fails with the reason', async () => {
    files[summaryUri('v2')] = summary({ a: 0.5 })
    rekognition.on(DescribeProjectVersionsCommand).resolves({ ProjectVersionDescriptions: [] })
    const out = await gather(
      deps(),
      inputs({ 'baseline-version': 'v0', 'max-f1-drop': '0.01' }),
      'v2',
      version('v2', 0.5)
    )
    expect(out.baselineNote).toBe('baseline-version v0 is not in the project')
    expect(out.gates).toEqual([
      {
        gate: 'max-f1-drop',
        passed: false,
        detail: 'no baseline F1 to compare with: baseline-version v0 is not in the project'
      }
    ])
  })
})
