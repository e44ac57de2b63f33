// The smoke test: its manifest checked before any AWS call, then each image asked of the running
// model (DetectCustomLabels mocked), throttling retried within its budget on an injected clock.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DetectCustomLabelsCommand, mockRekognition, testClient } from './rekognition-mock.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ActionError } from '../../src/errors.js'
import { parseWorkspacePath } from '../../src/inputs/manifest-refs.js'
import {
  checkSmokeManifest,
  MAX_SMOKE_IMAGES,
  runSmokeTest,
  type SmokeDeps,
  type SmokeImage
} from '../../src/deploy/smoke.js'

const rekognition = mockRekognition()
const client = testClient('eu-west-1')
const ARN = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/version/v1/1'
const awsError = (name: string, httpStatusCode = 400) =>
  Object.assign(new Error(`${name} said no`), { name, $metadata: { httpStatusCode } })

const classLine = (image: string, label: string): string =>
  JSON.stringify({
    'source-ref': `s3://acme-images/${image}`,
    defect: 1,
    'defect-metadata': {
      'class-name': label,
      type: 'groundtruth/image-classification',
      confidence: 1,
      'human-annotated': 'yes',
      'creation-date': '2026-01-01T00:00:00'
    }
  })

let workspace: string
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'smoke-'))
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

function manifest(name: string, lines: string[]) {
  writeFileSync(join(workspace, name), lines.join('\n') + '\n')
  const ref = parseWorkspacePath('smoke-test-manifest', name, workspace)
  if (ref.kind !== 'path') throw new Error('not a path')
  return ref
}

describe('checkSmokeManifest', () => {
  test('returns each image with its bucket, key, labels and line', async () => {
    const notes: unknown[] = []
    const images = await checkSmokeManifest(
      manifest('ok.manifest', [classLine('a.jpg', 'scratch'), '', classLine('b/c.jpg', 'dent')]),
      workspace,
      (...a) => notes.push(a)
    )
    expect(images).toEqual([
      {
        image: 's3://acme-images/a.jpg',
        bucket: 'acme-images',
        key: 'a.jpg',
        expected: ['scratch'],
        line: 1
      },
      {
        image: 's3://acme-images/b/c.jpg',
        bucket: 'acme-images',
        key: 'b/c.jpg',
        expected: ['dent'],
        line: 3
      }
    ])
    expect(notes).toEqual([])
  })
  test('a bad line is annotated on its line and fails before any AWS call', async () => {
    const notes: [string, string, number][] = []
    const err = (await checkSmokeManifest(
      manifest('bad.manifest', [classLine('a.jpg', 'scratch'), '{"no-source": 1}']),
      workspace,
      (m, f, l) => notes.push([m, f, l])
    ).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toMatch(
      /^smoke-test-manifest: (\d+) problem\(s\) in bad\.manifest \(annotated on each line\)\. First: line 2: ERROR_MISSING_SOURCE_REF/
    )
    const count = Number(/(\d+) problem/.exec(err.message)?.[1])
    // Every problem annotated, on the line it is on (line 1 is fine).
    expect(notes).toHaveLength(count)
    expect(notes.every(([, file, line]) => file === 'bad.manifest' && line === 2)).toBe(true)
    expect(notes[0][0]).toContain('source-ref')
  })
  test('a manifest with no image is refused', async () => {
    await expect(
      checkSmokeManifest(manifest('empty.manifest', ['']), workspace, () => undefined)
    ).rejects.toThrow(ActionError)
  })
  test(`more than ${MAX_SMOKE_IMAGES} images are refused (each is a paid call)`, async () => {
    const lines = Array.from({ length: MAX_SMOKE_IMAGES + 1 }, (_, i) =>
      classLine(`${i}.jpg`, 'scratch')
    )
    await expect(
      checkSmokeManifest(manifest('big.manifest', lines), workspace, () => undefined)
    ).rejects.toThrow(
      `smoke-test-manifest: big.manifest has ${MAX_SMOKE_IMAGES + 1} images; a smoke test takes at most ${MAX_SMOKE_IMAGES}`
    )
  })
})

describe('runSmokeTest', () => {
  const img = (key: string, expected: string[]): SmokeImage => ({
    image: `s3://acme-images/${key}`,
    bucket: 'acme-images',
    key,
    expected,
    line: 1
  })
  let clock: number
  let slept: number[]
  let infos: string[]
  const deps = (over: Partial<SmokeDeps> = {}): SmokeDeps => ({
    client,
    sleep: async (ms) => {
      slept.push(ms)
      clock += ms
    },
    now: () => clock,
    maxDelayMs: 2_000,
    budgetMs: 120_000,
    cancel: new AbortController().signal,
    info: (l) => infos.push(l),
    ...over
  })
  beforeEach(() => {
    rekognition.reset()
    clock = 1_000_000
    slept = []
    infos = []
  })

  test('asks the model about each image, one at a time, and keeps its answers', async () => {
    rekognition
      .on(DetectCustomLabelsCommand, {
        Image: { S3Object: { Bucket: 'acme-images', Name: 'a.jpg' } }
      })
      .resolves({ CustomLabels: [{ Name: 'scratch', Confidence: 97.5 }, {}] })
      .on(DetectCustomLabelsCommand, {
        Image: { S3Object: { Bucket: 'acme-images', Name: 'b.jpg' } }
      })
      .resolves({})
    const answers = await runSmokeTest(deps(), ARN, [
      img('a.jpg', ['scratch']),
      img('b.jpg', ['dent'])
    ])
    expect(answers).toEqual([
      {
        image: 's3://acme-images/a.jpg',
        expected: ['scratch'],
        answered: [
          { name: 'scratch', confidence: 97.5 },
          { name: '', confidence: 0 }
        ]
      },
      { image: 's3://acme-images/b.jpg', expected: ['dent'], answered: [] }
    ])
    expect(rekognition.commandCalls(DetectCustomLabelsCommand).map((c) => c.args[0].input)).toEqual(
      [
        {
          ProjectVersionArn: ARN,
          Image: { S3Object: { Bucket: 'acme-images', Name: 'a.jpg' } }
        },
        {
          ProjectVersionArn: ARN,
          Image: { S3Object: { Bucket: 'acme-images', Name: 'b.jpg' } }
        }
      ]
    )
    expect(slept).toEqual([])
  })

  test('throttling is retried with a growing delay capped by maxDelayMs', async () => {
    rekognition
      .on(DetectCustomLabelsCommand)
      .rejectsOnce(awsError('ProvisionedThroughputExceededException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .resolves({ CustomLabels: [{ Name: 'scratch', Confidence: 90 }] })
    const answers = await runSmokeTest(deps({ maxDelayMs: 1_500 }), ARN, [
      img('a.jpg', ['scratch'])
    ])
    expect(answers[0]).toEqual({
      image: 's3://acme-images/a.jpg',
      expected: ['scratch'],
      answered: [{ name: 'scratch', confidence: 90 }]
    })
    expect(slept).toEqual([500, 1000, 1500])
    expect(infos[0]).toBe(
      'DetectCustomLabels s3://acme-images/a.jpg: ProvisionedThroughputExceededException; trying again in 500 ms'
    )
    expect(rekognition.commandCalls(DetectCustomLabelsCommand)).toHaveLength(4)
  })

  test('after six tries the image counts as wrong, with the error', async () => {
    rekognition.on(DetectCustomLabelsCommand).rejects(awsError('ThrottlingException'))
    const [a] = await runSmokeTest(deps(), ARN, [img('a.jpg', ['scratch'])])
    expect(rekognition.commandCalls(DetectCustomLabelsCommand)).toHaveLength(6)
    expect(slept).toHaveLength(5)
    expect(a.answered).toEqual([])
    expect(a.error).toMatch(/^ThrottlingException: /)
  })

  test('the throttling budget is shared by the whole test and bounds each wait', async () => {
    rekognition.on(DetectCustomLabelsCommand).rejects(awsError('ThrottlingException'))
    const answers = await runSmokeTest(deps({ budgetMs: 700, maxDelayMs: 10_000 }), ARN, [
      img('a.jpg', ['x']),
      img('b.jpg', ['x'])
    ])
    // 500 ms, then the 200 ms left; then nothing is left for the second image.
    expect(slept).toEqual([500, 200])
    expect(answers.map((a) => a.error?.split(':')[0])).toEqual([
      'ThrottlingException',
      'ThrottlingException'
    ])
    expect(rekognition.commandCalls(DetectCustomLabelsCommand)).toHaveLength(4)
  })

  test('a permission error fails the step: it is not the model’s fault', async () => {
    rekognition.on(DetectCustomLabelsCommand).rejects(awsError('AccessDeniedException'))
    const err = await runSmokeTest(deps(), ARN, [img('a.jpg', ['x'])]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain('rekognition:DetectCustomLabels')
    expect(slept).toEqual([])
  })

  test('a cancel asks no further image', async () => {
    const ac = new AbortController()
    rekognition.on(DetectCustomLabelsCommand).callsFake(() => {
      ac.abort()
      return { CustomLabels: [] }
    })
    const answers = await runSmokeTest(deps({ cancel: ac.signal }), ARN, [
      img('a.jpg', []),
      img('b.jpg', [])
    ])
    expect(answers).toHaveLength(1)
    expect(rekognition.commandCalls(DetectCustomLabelsCommand)).toHaveLength(1)
  })
})
