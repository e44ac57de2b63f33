// A dataset of several files, and the training and testing datasets together.
import { describe, expect, test } from '@jest/globals'
import {
  DatasetScope,
  MAX_LABELS_PER_MANIFEST,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_LINES,
  datasetProblems,
  labelOverlapProblem,
  usableLabelOverlapProblem,
  validateManifest,
  type ManifestStats
} from '../../src/datasets/manifest-validator.js'
import { datasetKey, keyProblem, uploadKey } from '../../src/datasets/upload-key.js'
import { joinedLength } from '../../src/aws/s3-upload.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

const line = (ref: string, label: string) => classificationLine(ref, label, { attr: 'c' })
const stats = (
  labels: Record<string, number>,
  kinds: ManifestStats['kinds'] = ['classification'],
  images = 1
) =>
  ({
    lines: images,
    images,
    labels,
    labelImages: labels,
    byKind: Object.fromEntries(kinds.map((k) => [k, labels])),
    boxes: 0,
    kinds
  }) as ManifestStats

describe('DatasetScope: the files of one dataset', () => {
  test('an image listed in two files of a dataset is named with the other file', async () => {
    const scope = new DatasetScope('training')
    await validateManifest([line('s3://bkt/1.jpg', 'x'), line('s3://bkt/2.jpg', 'y')], {
      dataset: scope,
      file: 'a.manifest'
    })
    const second = await validateManifest(
      [line('s3://bkt/3.jpg', 'x'), line('s3://bkt/2.jpg', 'y')],
      {
        dataset: scope,
        file: 'b.manifest'
      }
    )
    expect(second.problems).toEqual([])
    expect(second.warnings).toEqual([
      {
        line: 2,
        message:
          'source-ref: image already listed at a.manifest line 2; the service removes the repeat (list each image once in a dataset)'
      }
    ])
  })

  test('one bucket per dataset, across its files', async () => {
    const scope = new DatasetScope('training')
    await validateManifest([line('s3://bkt-a/1.jpg', 'x')], { dataset: scope, file: 'a.manifest' })
    const r = await validateManifest([line('s3://bkt-b/1.jpg', 'x')], {
      dataset: scope,
      file: 'b.manifest'
    })
    expect(r.problems[0]).toMatchObject({
      code: 'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS',
      message: expect.stringContaining('(a.manifest line 1)')
    })
  })

  test('a file of a dataset is not refused for its own label count', async () => {
    const r = await validateManifest([line('s3://bkt/1.jpg', 'x')], {
      dataset: new DatasetScope('training'),
      file: 'a.manifest'
    })
    expect(r.problems).toEqual([])
  })

  test('an image in both datasets is a warning on the testing line', async () => {
    const training = new DatasetScope('training')
    const testing = new DatasetScope('testing', training)
    await validateManifest([line('s3://bkt/1.jpg', 'x'), line('s3://bkt/2.jpg', 'y')], {
      dataset: training,
      file: 'train.manifest'
    })
    const r = await validateManifest([line('s3://bkt/9.jpg', 'x'), line('s3://bkt/1.jpg', 'x')], {
      dataset: testing,
      file: 'test.manifest'
    })
    expect(r.problems).toEqual([])
    expect(r.warnings).toEqual([
      {
        line: 2,
        message:
          'source-ref: image is also in the training dataset (train.manifest line 1); the guide says the datasets should not overlap (the test results overstate the model)'
      }
    ])
  })
})

describe('datasetProblems: the files together', () => {
  test('limits of one manifest over the combination', () => {
    const two = [stats({ a: 1 }), stats({ b: 1 })]
    const codes = (size: { lines: number; bytes: number }, s = two) =>
      datasetProblems(s, size).map((p) => p.code)
    expect(codes({ lines: 10, bytes: 100 })).toEqual([])
    expect(codes({ lines: MAX_MANIFEST_LINES + 1, bytes: MAX_MANIFEST_BYTES + 1 })).toEqual([
      'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM',
      'ERROR_MANIFEST_SIZE_TOO_LARGE'
    ])
    // One file's limits are its own checks'.
    expect(codes({ lines: MAX_MANIFEST_LINES + 1, bytes: 1 }, [stats({ a: 1, b: 1 })])).toEqual([])
  })

  test('labels counted over the files: too few, too many', () => {
    expect(datasetProblems([stats({ a: 1 }), stats({ a: 2 })], { lines: 2, bytes: 2 })).toEqual([
      {
        code: 'ERROR_MANIFEST_TOO_FEW_LABELS',
        message: 'dataset: 1 distinct label; a classification manifest needs at least 2'
      }
    ])
    expect(datasetProblems([stats({ a: 1 }, ['detection'])], { lines: 1, bytes: 1 })).toEqual([])
    const many = (from: number) =>
      stats(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`l${from + i}`, 1])))
    expect(
      datasetProblems([many(0), many(200)], { lines: 2, bytes: 2 }).map((p) => p.code)
    ).toEqual(['ERROR_MANIFEST_TOO_MANY_LABELS'])
    expect(MAX_LABELS_PER_MANIFEST).toBe(250)
  })
})

describe('labelOverlapProblem', () => {
  test('(common labels)/(training labels) of at least 50%', () => {
    const train = [stats({ a: 1, b: 1, c: 1, d: 1 })]
    expect(labelOverlapProblem(train, [stats({ a: 1, b: 1 })])).toBeUndefined()
    expect(labelOverlapProblem(train, [stats({ a: 1, z: 1 })])).toMatchObject({
      code: 'ERROR_INSUFFICIENT_LABEL_OVERLAP',
      message: expect.stringContaining('1 of the 4 training labels (25%)')
    })
    expect(labelOverlapProblem([], [stats({ a: 1 })])).toBeUndefined()
  })
})

describe('quotas (limits.html)', () => {
  const size = { lines: 1, bytes: 1 }
  test('a testing dataset has at most 1,000 images per label', () => {
    const test = [stats({ a: 1000, b: 1 }), stats({ a: 1 })]
    expect(datasetProblems(test, size, { dataset: 'testing' })).toEqual([
      {
        message: expect.stringMatching(
          /^dataset: 1 label of the testing dataset has more than 1000 images: "a" \(1001\)/
        )
      }
    ])
    expect(datasetProblems([stats({ a: 1000, b: 1 })], size, { dataset: 'testing' })).toEqual([])
    expect(datasetProblems(test, size, { dataset: 'training' })).toEqual([])
  })

  test('Mumbai and London: 28,000 training and 7,000 testing images', () => {
    const many = (n: number) => [stats({ a: 1, b: 1 }, ['classification'], n)]
    const at = (region: string, dataset: 'training' | 'testing', n: number) =>
      datasetProblems(many(n), size, { dataset, region }).map((p) => p.message)
    expect(at('eu-west-2', 'training', 28_000)).toEqual([])
    expect(at('eu-west-2', 'training', 28_001)[0]).toMatch(
      /28001 training images; in Europe \(London\) \(eu-west-2\) a training dataset may have at most 28000/
    )
    expect(at('ap-south-1', 'testing', 7_001)[0]).toMatch(/at most 7000/)
    expect(at('eu-west-1', 'training', 200_000)).toEqual([])
  })
})

describe('usableLabelOverlapProblem: one format is trained', () => {
  test('classification training lines with detection testing lines: refused', () => {
    const train = [stats({ a: 1, b: 1 }, ['classification'])]
    const test = [stats({ a: 1, b: 1 }, ['detection'])]
    expect(labelOverlapProblem(train, test)).toBeUndefined()
    expect(usableLabelOverlapProblem(train, test)).toMatchObject({
      code: 'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP'
    })
  })

  test('the same format on both sides, or a format that overlaps: accepted', () => {
    const train = [stats({ a: 1, b: 1 }, ['classification'])]
    expect(usableLabelOverlapProblem(train, [stats({ a: 1 }, ['classification'])])).toBeUndefined()
    const mixed = [stats({ a: 1, b: 1 }, ['classification', 'detection'])]
    expect(usableLabelOverlapProblem(mixed, [stats({ a: 1 }, ['detection'])])).toBeUndefined()
  })
})

describe('upload keys', () => {
  test('one file keeps its path; several are <dataset>.manifest; always .manifest', () => {
    expect(uploadKey('p/', 'v', 'data\\a.manifest')).toBe('p/train-action/v/data/a.manifest')
    expect(datasetKey('p/', 'v', 'training', ['data/a.manifest'])).toBe(
      'p/train-action/v/data/a.manifest'
    )
    expect(datasetKey('', 'v', 'testing', ['a.jsonl', 'b.manifest'])).toBe(
      'train-action/v/testing.manifest'
    )
    expect(datasetKey('', 'v', 'training', ['train'])).toBe('train-action/v/train.manifest')
  })

  test('S3 keys are at most 1,024 bytes of UTF-8', () => {
    expect(keyProblem('k'.repeat(1024))).toBeUndefined()
    expect(keyProblem('é'.repeat(513))).toMatch(/would be 1026 bytes; S3 allows at most 1024/)
  })

  test('joined files: a newline is added after a file that lacks one', () => {
    expect(
      joinedLength([
        { path: 'a', size: 10, newline: true },
        { path: 'b', size: 5, newline: false }
      ])
    ).toBe(16)
  })
})
