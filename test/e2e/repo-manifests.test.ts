// Manifests kept in the repository, end to end: checked line by line before anything is uploaded
// or trained, uploaded to the emulator's S3 under a key naming the version, then trained on.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Emulator } from '../emulator/server.js'
import { baseInputs, runAction, type RunOptions } from './harness.js'
import { classificationLine, detectionLine, type Box } from '../fixtures/manifest-builders.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`repo-${++n}`)
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

const classification = (image: string, label: string, index: number) =>
  classificationLine(`s3://acme-images/${image}`, label, { index, jobName: 'labeling' })
const detection = (image: string, boxes: Box[]) =>
  detectionLine(`s3://acme-images/${image}`, boxes, { jobName: 'boxes' })

const TRAIN = Array.from({ length: 30 }, (_, i) =>
  classification(`train/${i}.jpg`, i % 2 ? 'scratch' : 'dent', i % 2)
).join('\n')
const TEST = Array.from({ length: 12 }, (_, i) =>
  classification(`test/${i}.png`, i % 2 ? 'scratch' : 'dent', i % 2)
).join('\n')

const run = (
  inputs: Record<string, string>,
  files: Record<string, string>,
  extra: Partial<RunOptions> = {}
) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), ...inputs },
    files,
    ...extra
  })

/** Requests to AWS since `from`. */
const since = (from: number) => emu.requests.slice(from).filter((q) => q.service !== 'github')

describe('repository manifests', () => {
  test('are uploaded under the prefix at a key naming the version, and trained on', async () => {
    const r = await run(
      {
        'training-manifests': 'datasets/train.manifest',
        'auto-create-testing': 'true',
        'output-prefix': 'ci/'
      },
      { 'datasets/train.manifest': `${TRAIN}\n` }
    )
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    const key = `ci/train-action/${v.name}/datasets/train.manifest`
    expect(emu.getObject('acme-training-out', key)?.toString()).toBe(`${TRAIN}\n`)
    expect(v.request.TrainingData).toEqual({
      Assets: [{ GroundTruthManifest: { S3Object: { Bucket: 'acme-training-out', Name: key } } }]
    })
    expect(v.request.TestingData).toEqual({ AutoCreate: true })
    expect(r.summary).toContain('### Manifests')
    expect(r.summary).toMatch(
      /\| `datasets\/train\.manifest` \| 30 \| 0 \| dent \(15\), scratch \(15\) \|/
    )
  })

  test('training and testing manifests, with object detection boxes counted', async () => {
    const boxes = Array.from({ length: 12 }, (_, i) =>
      detection(`d/${i}.jpg`, [
        { left: 10, top: 10, width: 50, height: 40 },
        { left: 100, top: 100, width: 60, height: 60 }
      ])
    ).join('\n')
    // Testing in the same format: the service trains one format and ignores the other's lines
    // (ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP otherwise, refused below).
    const testBoxes = Array.from({ length: 4 }, (_, i) =>
      detection(`t/${i}.jpg`, [{ left: 10, top: 10, width: 50, height: 40 }])
    ).join('\n')
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'testing-manifests': 'data/test.manifest' },
      { 'data/train.manifest': boxes, 'data/test.manifest': testBoxes }
    )
    expect(r.code).toBe(0)
    const mixed = await run(
      { 'training-manifests': 'data/train.manifest', 'testing-manifests': 'data/test.manifest' },
      { 'data/train.manifest': boxes, 'data/test.manifest': TEST }
    )
    expect(mixed.code).toBe(1)
    expect(mixed.stdout).toMatch(
      /::error file=data\/test\.manifest,line=1::ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP: /
    )
    const [v] = emu.versions(projectArn)
    expect(v.request.TrainingData.Assets[0].GroundTruthManifest.S3Object.Name).toBe(
      `train-action/${v.name}/data/train.manifest`
    )
    expect(v.request.TestingData.Assets[0].GroundTruthManifest.S3Object.Name).toBe(
      `train-action/${v.name}/data/test.manifest`
    )
    expect(r.summary).toMatch(/\| `data\/train\.manifest` \| 12 \| 24 \| scratch \(24\) \|/)
  })

  test('a broken manifest: every bad line annotated on its file and line, nothing uploaded or trained', async () => {
    const from = emu.requests.length
    const lines = TRAIN.split('\n')
    lines[2] =
      '{"source-ref": "s3://acme-images/x.gif", "defect": 0, "defect-metadata": {"class-name": "dent", "type": "groundtruth/image-classification"}}'
    lines[6] = 'not json'
    lines[9] = detection('bad.jpg', [{ left: 600, top: 10, width: 100, height: 40 }])
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'auto-create-testing': 'true' },
      { 'data/train.manifest': lines.join('\n') }
    )
    expect(r.code).toBe(1)
    const annotations = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error file=data/train.manifest,line='))
    const annotated = annotations.map((l) => Number(/line=(\d+)/.exec(l)![1]))
    expect([...new Set(annotated)]).toEqual([3, 7, 10])
    expect(r.errors.at(-1)).toMatch(
      /^training-manifests: \d+ problems in data\/train\.manifest .*nothing was uploaded or trained/
    )
    expect(since(from)).toHaveLength(0)
    expect(
      emu.objects('acme-training-out').filter((o) => o.key.includes(projectArn.split('/')[1]))
    ).toEqual([])
  })

  test('rare labels are warned about in the log and the summary', async () => {
    const few = [...TRAIN.split('\n'), classification('rare.jpg', 'crack', 2)].join('\n')
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'auto-create-testing': 'true' },
      { 'data/train.manifest': few }
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::data\/train\.manifest: label "crack" has only 1 images/)
    expect(r.summary).toContain('crack has only 1')
  })

  test('dry-run checks repository manifests with no AWS call and no credentials', async () => {
    const before = emu.requests.length
    const bad = await run(
      {
        'training-manifests': 'data/train.manifest',
        'auto-create-testing': 'true',
        'dry-run': 'true'
      },
      { 'data/train.manifest': 'not json\n' },
      {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SESSION_TOKEN: undefined
        }
      }
    )
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('::error file=data/train.manifest,line=1::')
    const good = await run(
      {
        'training-manifests': 'data/train.manifest',
        'auto-create-testing': 'true',
        'dry-run': 'true'
      },
      { 'data/train.manifest': TRAIN },
      {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SESSION_TOKEN: undefined
        }
      }
    )
    expect(good.code).toBe(0)
    expect(good.summary).toContain('### Manifests')
    expect(emu.requests.length).toBe(before)
  })

  test('a path outside the workspace, or a link leading out of it, is refused', async () => {
    const from = emu.requests.length
    const outside = await run(
      { 'training-manifests': '../elsewhere.manifest', 'auto-create-testing': 'true' },
      {}
    )
    expect(outside.code).toBe(1)
    expect(outside.errors[0]).toMatch(
      /^training-manifests "\.\.\/elsewhere\.manifest" is outside the workspace/
    )
    const missing = await run(
      { 'training-manifests': 'data/none.manifest', 'auto-create-testing': 'true' },
      {}
    )
    expect(missing.errors[0]).toMatch(/^training-manifests "data\/none\.manifest" does not exist/)
    const linked = await run(
      { 'training-manifests': 'data/link.manifest', 'auto-create-testing': 'true' },
      {},
      {
        prepare: (ws) => {
          const secret = path.join(ws, '..', `${path.basename(ws)}-secret.manifest`)
          writeFileSync(secret, TRAIN)
          mkdirSync(path.join(ws, 'data'), { recursive: true })
          symlinkSync(secret, path.join(ws, 'data', 'link.manifest'))
        }
      }
    )
    expect(linked.code).toBe(1)
    expect(linked.errors[0]).toMatch(
      /^training-manifests "data\/link\.manifest" leads outside the workspace through a link/
    )
    expect(since(from)).toHaveLength(0)
  })
})
