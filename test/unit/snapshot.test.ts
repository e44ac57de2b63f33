// The evaluation manifest snapshot: lines in the guide's shapes, bounded reading, flips, and the
// way back to the repository manifests' file:line.
import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  diffSnapshots,
  parseSnapshotLine,
  readSnapshot,
  type ImageResult
} from '../../src/results/snapshot.js'
import { locateSources } from '../../src/results/source-lines.js'
import { changedImages, snapshotUri } from '../../src/results/changed-images.js'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'

const details = (flags: Partial<Record<string, boolean>>) => ({
  version: 1,
  'ground-truth-labelling-jobs': ['rekognition-custom-labels-training-job'],
  'is-true-positive': false,
  'is-true-negative': false,
  'is-false-positive': false,
  'is-false-negative': false,
  'is-present-in-ground-truth': true,
  ...flags
})

// im-evaluation-manifest-snapshot-api.md, "For image classification".
const GUIDE_CLASSIFICATION = {
  'source-ref': 's3://test-bucket/dataset/beckham.jpeg',
  'rekognition-custom-labels-training-0': 1,
  'rekognition-custom-labels-training-0-metadata': {
    confidence: 1.0,
    'job-name': 'rekognition-custom-labels-training-job',
    'class-name': 'Football',
    'human-annotated': 'yes',
    'creation-date': '2019-09-06T00:07:25.488243',
    type: 'groundtruth/image-classification'
  },
  'rekognition-custom-labels-evaluation-0': 1,
  'rekognition-custom-labels-evaluation-0-metadata': {
    confidence: 0.95,
    'job-name': 'rekognition-custom-labels-evaluation-job',
    'class-name': 'Football',
    'human-annotated': 'no',
    'creation-date': '2019-09-06T00:07:25.488243',
    type: 'groundtruth/image-classification',
    'rekognition-custom-labels-evaluation-details': details({ 'is-true-positive': true })
  }
}

// The same page, "For object detection".
const box = { class_id: 0, width: 39, top: 409, height: 63, left: 712 }
const size = [{ width: 1024, depth: 3, height: 768 }]
const guideDetection = (second: Record<string, boolean>) => ({
  'source-ref': 's3://test-bucket/dataset/beckham.jpeg',
  'rekognition-custom-labels-training-0': { annotations: [box], image_size: size },
  'rekognition-custom-labels-training-0-metadata': {
    'job-name': 'rekognition-custom-labels-training-job',
    'class-map': { '0': 'Cap' },
    'human-annotated': 'yes',
    objects: [{ confidence: 1.0 }],
    'creation-date': '2019-10-21T22:02:18.432644',
    type: 'groundtruth/object-detection'
  },
  'rekognition-custom-labels-evaluation': {
    annotations: [box, { ...box, class_id: 1 }],
    image_size: size
  },
  'rekognition-custom-labels-evaluation-metadata': {
    confidence: 0.95,
    'job-name': 'rekognition-custom-labels-evaluation-job',
    'class-map': { '0': 'Cap', '1': 'Watch' },
    'human-annotated': 'no',
    objects: [
      {
        confidence: 0.95,
        'rekognition-custom-labels-evaluation-details': details({ 'is-true-positive': true })
      },
      { confidence: 0.61, 'rekognition-custom-labels-evaluation-details': details(second) }
    ],
    'creation-date': '2019-10-21T22:02:18.432644',
    type: 'groundtruth/object-detection'
  }
})

describe('parseSnapshotLine', () => {
  test('the guide’s classification example: right, ground truth and answer with confidence', () => {
    expect(parseSnapshotLine(JSON.stringify(GUIDE_CLASSIFICATION))).toEqual({
      ref: 's3://test-bucket/dataset/beckham.jpeg',
      right: true,
      truth: ['Football'],
      predicted: [{ label: 'Football', confidence: 0.95 }]
    })
  })

  test('a false positive or a false negative makes the image wrong; a true negative is not said', () => {
    const line = {
      ...GUIDE_CLASSIFICATION,
      'rekognition-custom-labels-evaluation-0-metadata': {
        ...GUIDE_CLASSIFICATION['rekognition-custom-labels-evaluation-0-metadata'],
        'class-name': 'Tennis',
        confidence: 0.7,
        'rekognition-custom-labels-evaluation-details': details({ 'is-false-positive': true })
      },
      'rekognition-custom-labels-evaluation-1': 1,
      'rekognition-custom-labels-evaluation-1-metadata': {
        'class-name': 'Golf',
        confidence: 0.01,
        'rekognition-custom-labels-evaluation-details': details({ 'is-true-negative': true })
      }
    }
    const r = parseSnapshotLine(JSON.stringify(line))!
    expect(r.right).toBe(false)
    expect(r.predicted).toEqual([{ label: 'Tennis', confidence: 0.7 }])
    const missed = parseSnapshotLine(
      JSON.stringify({
        ...GUIDE_CLASSIFICATION,
        'rekognition-custom-labels-evaluation-0-metadata': {
          ...GUIDE_CLASSIFICATION['rekognition-custom-labels-evaluation-0-metadata'],
          confidence: 0.2,
          'rekognition-custom-labels-evaluation-details': details({ 'is-false-negative': true })
        }
      })
    )!
    expect(missed.right).toBe(false)
    expect(missed.predicted).toEqual([])
  })

  test('the guide’s detection example: boxes through the class-map, flags per object', () => {
    const right = parseSnapshotLine(JSON.stringify(guideDetection({ 'is-true-positive': true })))!
    expect(right).toEqual({
      ref: 's3://test-bucket/dataset/beckham.jpeg',
      right: true,
      truth: ['Cap'],
      predicted: [
        { label: 'Cap', confidence: 0.95 },
        { label: 'Watch', confidence: 0.61 }
      ]
    })
    const wrong = parseSnapshotLine(JSON.stringify(guideDetection({ 'is-false-positive': true })))!
    expect(wrong.right).toBe(false)
  })

  test('lines that are not evaluated images give nothing', () => {
    expect(parseSnapshotLine('not json')).toBeUndefined()
    expect(parseSnapshotLine('[1]')).toBeUndefined()
    expect(parseSnapshotLine('{"source-ref": 7}')).toBeUndefined()
    const { ['rekognition-custom-labels-evaluation-0-metadata']: _, ...groundTruthOnly } =
      GUIDE_CLASSIFICATION
    void _
    expect(parseSnapshotLine(JSON.stringify(groundTruthOnly))).toBeUndefined()
  })
})

const line = (ref: string, right: boolean) =>
  JSON.stringify({
    ...GUIDE_CLASSIFICATION,
    'source-ref': ref,
    'rekognition-custom-labels-evaluation-0-metadata': {
      ...GUIDE_CLASSIFICATION['rekognition-custom-labels-evaluation-0-metadata'],
      'rekognition-custom-labels-evaluation-details': details(
        right ? { 'is-true-positive': true } : { 'is-false-negative': true }
      )
    }
  })

async function* chunksOf(text: string, size: number, pulled: { chunks: number }) {
  for (let i = 0; i < text.length; i += size) {
    pulled.chunks++
    yield Buffer.from(text.slice(i, i + size))
  }
}

describe('readSnapshot', () => {
  const limits = { maxLines: 5, maxBytes: 1e9, maxLineBytes: 10_000 }

  test('stops at the line cap and pulls no more of the source', async () => {
    const text = Array.from({ length: 50 }, (_, i) => line(`s3://b/${i}.jpg`, true)).join('\n')
    const pulled = { chunks: 0 }
    const r = await readSnapshot(chunksOf(text, 100, pulled), limits)
    expect(r.lines).toBe(5)
    expect(r.images.size).toBe(5)
    expect(r.cut).toBe('stopped after 5 lines')
    // Counted as taken from the source: whole 100-byte chunks up to the sixth line.
    const sixLines = Array.from({ length: 6 }, (_, i) => line(`s3://b/${i}.jpg`, true)).join('\n')
    expect(r.bytes).toBe(Math.ceil((sixLines.length + 1) / 100) * 100)
    // Six lines' worth of 100-byte chunks, not the whole text.
    expect(pulled.chunks).toBeLessThan(Math.ceil(text.length / 100) / 5)
  })

  test('stops at the byte cap; long lines are skipped and counted', async () => {
    const long = `{"source-ref": "s3://b/x.jpg", "pad": "${'x'.repeat(20_000)}"}`
    const text = [line('s3://b/0.jpg', true), long, ...Array(100).fill(line('s3://b/1.jpg', false))]
    const capped = { maxLines: 1e6, maxBytes: 30_000, maxLineBytes: 10_000 }
    const r = await readSnapshot(Readable.from([text.join('\n')]), capped)
    expect(r.skipped).toBe(1)
    expect(r.cut).toBe(`stopped after ${(30_000 / 1024 / 1024).toLocaleString('en-US')} MiB`)
    expect(r.bytes).toBe(30_001)
    expect([...r.images.keys()]).toEqual(['s3://b/0.jpg', 's3://b/1.jpg'])
  })

  test('reads a whole small snapshot: blank lines ignored, junk counted', async () => {
    const text = `${line('s3://b/0.jpg', true)}\n\nnot json\n${line('s3://b/1.jpg', false)}\n`
    const r = await readSnapshot(Readable.from([text]), limits)
    expect(r.cut).toBeUndefined()
    expect(r.images.size).toBe(2)
    expect(r.skipped).toBe(1)
  })
})

const img = (ref: string, right: boolean): [string, ImageResult] => [
  ref,
  { ref, right, truth: ['a'], predicted: [] }
]

describe('diffSnapshots', () => {
  test('right to wrong and back, only images in both, at most `keep` listed of each', () => {
    const before = new Map([
      img('1', true),
      img('2', true),
      img('3', false),
      img('4', true),
      img('5', true)
    ])
    const now = new Map([
      img('1', false),
      img('2', false),
      img('3', true),
      img('5', true),
      img('9', false)
    ])
    const d = diffSnapshots(now, before, 1)
    expect(d.compared).toBe(4)
    expect(d.worseCount).toBe(2)
    expect(d.worse.map((f) => f.ref)).toEqual(['1'])
    expect(d.betterCount).toBe(1)
    expect(d.better.map((f) => f.ref)).toEqual(['3'])
  })
})

describe('locateSources', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'source-lines-'))
  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, name)
    writeFileSync(file, lines.join('\r\n'))
    return file
  }
  const ref = (n: number) => JSON.stringify({ 'source-ref': `s3://b/${n}.jpg` })

  test('testing files first, then training; line numbers as the validator counts them', async () => {
    const test1 = write('test.manifest', [ref(1), '', 'junk', ref(2)])
    const train = write('train.manifest', [ref(2), ref(3)])
    const found = await locateSources(new Set(['s3://b/2.jpg', 's3://b/3.jpg', 's3://b/7.jpg']), [
      { dataset: 'training', relative: 'data/train.manifest', file: train },
      { dataset: 'testing', relative: 'data/test.manifest', file: test1 }
    ])
    expect(Object.fromEntries(found)).toEqual({
      's3://b/2.jpg': 'data/test.manifest:4',
      's3://b/3.jpg': 'data/train.manifest:2'
    })
  })
})

describe('changedImages', () => {
  const d = (key: string): ProjectVersionDescription => ({
    TestingDataResult: {
      Output: { Assets: [{ GroundTruthManifest: { S3Object: { Bucket: 'out', Name: key } } }] }
    }
  })

  test('a snapshot that cannot be read is a note naming it, not an error', async () => {
    const deps = {
      readChunks: (uri: string): AsyncIterable<Uint8Array> => {
        if (uri.endsWith('base')) throw Object.assign(new Error('denied'), { name: 'AccessDenied' })
        return Readable.from([Buffer.from(line('s3://b/1.jpg', true))])
      }
    }
    const r = await changedImages(deps, d('now'), d('base'), 'v1')
    expect(r.changed).toBeUndefined()
    expect(r.note).toBe(
      'The evaluation manifest snapshot of baseline v1 is unavailable (AccessDenied): allow s3:GetObject on arn:aws:s3:::out/* to read it. s3://out/base'
    )
    expect(snapshotUri({})).toBeUndefined()
    expect((await changedImages(deps, {}, d('base'), 'v1')).note).toBe(
      'No evaluation manifest snapshot for this version.'
    )
  })
})
