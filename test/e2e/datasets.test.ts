// One training and one testing dataset per version, end to end: repository files combined into
// one uploaded manifest, the same manifest listed twice used once, several S3 manifests refused;
// the two datasets checked together; the project's datasets and the bucket's region asked before
// anything is uploaded or paid for.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Emulator } from '../emulator/server.js'
import { ROOT, baseInputs, runAction, type RunOptions } from './harness.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.addBucket('acme-us-out', 'us-east-1')
  emu.addBucket('acme-cape-out', 'af-south-1')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`ds-${++n}`, { datasets: false })
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

const image = (ref: string, label: string) => classificationLine(`s3://acme-images/${ref}`, label)
const lines = (prefix: string, count: number, labels = ['dent', 'scratch']) =>
  Array.from({ length: count }, (_, i) => image(`${prefix}/${i}.jpg`, labels[i % labels.length]))
const TRAIN_A = lines('a', 10).join('\n') + '\n'
const TRAIN_B = lines('b', 6).join('\n') // no final newline: joined on a line boundary anyway
const TEST = lines('t', 6).join('\n') + '\n'

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
const since = (from: number) => emu.requests.slice(from).filter((q) => q.service !== 'github')
const ops = (from: number) => since(from).map((q) => q.operation)

describe('one training and one testing dataset per version', () => {
  test('several repository files are combined into one uploaded .manifest', async () => {
    const r = await run(
      {
        'training-manifests': 'data/a.manifest\ndata/b.jsonl',
        'testing-manifests': 'data/test.manifest'
      },
      { 'data/a.manifest': TRAIN_A, 'data/b.jsonl': TRAIN_B, 'data/test.manifest': TEST }
    )
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    const key = `train-action/${v.name}/training.manifest`
    expect(v.request.TrainingData.Assets).toEqual([
      { GroundTruthManifest: { S3Object: { Bucket: 'acme-training-out', Name: key } } }
    ])
    expect(emu.getObject('acme-training-out', key)?.toString()).toBe(`${TRAIN_A}${TRAIN_B}\n`)
    expect(r.stdout).toContain(
      `Uploaded data/a.manifest + data/b.jsonl to s3://acme-training-out/${key}`
    )
  })

  test('a single file keeps its path, and its key gets the .manifest extension', async () => {
    const r = await run(
      { 'training-manifests': 'data/train.jsonl', 'testing-manifests': 'data/test.manifest' },
      { 'data/train.jsonl': TRAIN_A, 'data/test.manifest': TEST }
    )
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(v.request.TrainingData.Assets[0].GroundTruthManifest.S3Object.Name).toBe(
      `train-action/${v.name}/data/train.jsonl.manifest`
    )
  })

  test('the same manifest listed twice is uploaded and trained once', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'training-manifests': 'data/a.manifest, ./data/a.manifest\ndata/a.manifest',
        'auto-create-testing': 'true'
      },
      { 'data/a.manifest': TRAIN_A }
    )
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(v.request.TrainingData.Assets).toHaveLength(1)
    expect(ops(from).filter((o) => o === 'S3:PutObject')).toHaveLength(1)
  })

  test('two S3 manifests for one dataset are refused with the rule, before any AWS call', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'training-manifests': 's3://acme-data/a.manifest, s3://acme-data/b.manifest',
        'auto-create-testing': 'true'
      },
      {}
    )
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^training-manifests .* lists 2 S3 manifests for one dataset; .*"Maximum number of training datasets in a version of a model is 1"/
      )
    ])
    expect(since(from)).toHaveLength(0)
  })
})

describe('the training and testing datasets together, before any AWS call', () => {
  test('an image in both is a warning on its testing line (the guide raises no error); it trains', async () => {
    const test = [...lines('t', 5), image('a/3.jpg', 'scratch')].join('\n')
    const r = await run(
      { 'training-manifests': 'data/a.manifest', 'testing-manifests': 'data/test.manifest' },
      { 'data/a.manifest': TRAIN_A, 'data/test.manifest': test }
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::data\/test\.manifest line 6: source-ref: image is also in the training dataset \(data\/a\.manifest line 4\)/
    )
    expect(r.outputs['project-version-arn']).not.toBe('')
  })

  test('below 50% label overlap is refused (ERROR_INSUFFICIENT_LABEL_OVERLAP)', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'training-manifests': 'data/train.manifest',
        'testing-manifests': 'data/test.manifest'
      },
      {
        'data/train.manifest': lines('a', 12, ['dent', 'scratch', 'crack']).join('\n'),
        'data/test.manifest': lines('t', 4, ['dent', 'rust']).join('\n')
      }
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error file=data\/test\.manifest,line=1::ERROR_INSUFFICIENT_LABEL_OVERLAP: datasets: 1 of the 3 training labels \(33%25\)/
    )
    expect(since(from)).toHaveLength(0)
  })

  test('labels are counted over a dataset’s files together', async () => {
    // Each file alone has one label; the dataset has two: valid.
    const r = await run(
      {
        'training-manifests': 'data/dent.manifest, data/scratch.manifest',
        'auto-create-testing': 'true',
        'dry-run': 'true'
      },
      {
        'data/dent.manifest': lines('d', 5, ['dent']).join('\n'),
        'data/scratch.manifest': lines('s', 5, ['scratch']).join('\n')
      }
    )
    expect(r.code).toBe(0)
  })
})

describe('before anything is uploaded or paid for', () => {
  test('a project with datasets is not trained from manifests', async () => {
    projectArn = emu.addProject(`with-datasets-${n}`, { datasets: true })
    const from = emu.requests.length
    const r = await run(
      { 'training-manifests': 'data/a.manifest', 'auto-create-testing': 'true' },
      { 'data/a.manifest': TRAIN_A }
    )
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toMatch(
      /^The project .* has datasets \(TRAIN, TEST\): its versions train on them, and AWS refuses training-manifests\/testing-manifests/
    )
    expect(ops(from)).toEqual(['DescribeProjects'])
  })

  test('a project without datasets needs manifests', async () => {
    const from = emu.requests.length
    const r = await run({}, {})
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toMatch(
      /^The project .* has no datasets, so there is nothing to train on/
    )
    expect(ops(from)).toEqual(['DescribeProjects'])
  })

  test('an output bucket in another region is refused before the upload', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'output-bucket': 'acme-us-out',
        'training-manifests': 'data/a.manifest',
        'auto-create-testing': 'true'
      },
      { 'data/a.manifest': TRAIN_A }
    )
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toMatch(
      /^output-bucket "acme-us-out" is in us-east-1, but the project is in eu-west-1/
    )
    // HeadBucket's x-amz-bucket-region (on the redirect S3 answers from another region).
    expect(ops(from)).toEqual(['DescribeProjects', 'S3:HeadBucket'])
  })

  test('an output bucket in an opt-in region (GetBucketLocation refused across it) is refused too', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'output-bucket': 'acme-cape-out',
        'training-manifests': 'data/a.manifest',
        'auto-create-testing': 'true'
      },
      { 'data/a.manifest': TRAIN_A }
    )
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toMatch(
      /^output-bucket "acme-cape-out" is in af-south-1, but the project is in eu-west-1/
    )
    expect(ops(from)).toEqual(['DescribeProjects', 'S3:HeadBucket'])
  })

  test('an upload key over 1,024 bytes is refused before any AWS call', async () => {
    const from = emu.requests.length
    const r = await run(
      {
        'output-prefix': `${'p'.repeat(1000)}/`,
        'training-manifests': 'data/a.manifest',
        'auto-create-testing': 'true'
      },
      { 'data/a.manifest': TRAIN_A }
    )
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toMatch(
      /^training-manifests: the manifest's S3 key would be \d+ bytes; S3 allows at most 1024/
    )
    expect(since(from)).toHaveLength(0)
  })

  test('the documented minimal policy names every permission the checks use', () => {
    const readme = readFileSync(path.join(ROOT, 'docs/iam.md'), 'utf8')
    for (const action of ['rekognition:DescribeProjects', 's3:GetBucketLocation', 's3:GetObject'])
      expect(readme).toContain(`"${action}"`)
  })
})
