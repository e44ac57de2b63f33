// Evaluation a reviewer can act on, end to end: the confusion matrix, the per-label F1 chart, the
// per-label gates, and the test images that flipped against the baseline (mapped to the repository
// manifest's file:line), from the evaluation summary and the evaluation manifest snapshots the
// emulator writes in the guide's shapes. A huge snapshot is read only up to its cap; a missing one
// costs a note.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import type { ConfusionEntry, LabelResult } from '../emulator/types.js'
import { GITHUB_TOKEN, baseInputs, runAction, type RunOptions } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.setGitHubToken(GITHUB_TOKEN)
})
afterAll(() => emu.stop())

const LABELS = ['scratch', 'dent', 'rust-spot']

const label = (name: string, f1: number): LabelResult => ({
  label: name,
  testImages: 4,
  precision: f1,
  recall: f1,
  f1,
  threshold: 0.5
})

const matrix = (rows: Record<string, Record<string, number>>): ConfusionEntry[] =>
  Object.entries(rows).flatMap(([truth, row]) =>
    Object.entries(row).map(([predicted, value]) => ({
      GroundTruthLabel: truth,
      PredictedLabel: predicted,
      Value: value
    }))
  )

const BASE_LABELS = [label('scratch', 0.884), label('dent', 0.9), label('rust-spot', 0.88)]
const NOW_LABELS = [label('scratch', 0.912), label('dent', 0.905), label('rust-spot', 0.64)]
const BASE_MATRIX = matrix({
  scratch: { scratch: 0.9, dent: 0.05, 'rust-spot': 0.05 },
  dent: { scratch: 0.04, dent: 0.96 },
  'rust-spot': { scratch: 0.12, 'rust-spot': 0.88 }
})
const NOW_MATRIX = matrix({
  scratch: { scratch: 0.94, dent: 0.03, 'rust-spot': 0.03 },
  dent: { scratch: 0.04, dent: 0.96 },
  'rust-spot': { scratch: 0.36, 'rust-spot': 0.64 }
})

const classification = (image: string, name: string) =>
  JSON.stringify({
    'source-ref': `s3://acme-images/${image}`,
    defect: LABELS.indexOf(name),
    'defect-metadata': {
      'class-name': name,
      confidence: 1,
      type: 'groundtruth/image-classification',
      'human-annotated': 'yes',
      'creation-date': '2026-11-01T00:00:00',
      'job-name': 'labeling'
    }
  })

const TRAIN = Array.from({ length: 30 }, (_, i) =>
  classification(`train/${i}.jpg`, LABELS[i % 3])
).join('\n')
/** Line i+1 of data/test.manifest is test/i.png. */
const TEST_IMAGES = Array.from({ length: 12 }, (_, i) => ({
  ref: `s3://acme-images/test/${i}.png`,
  truth: LABELS[i % 3]
}))
const TEST = TEST_IMAGES.map((t) =>
  classification(t.ref.slice('s3://acme-images/'.length), t.truth)
)
// A blank line and a comment-free second file: the lines are counted as the validator counts them.
const TEST_FILE = `${TEST.slice(0, 6).join('\n')}\n\n${TEST.slice(6).join('\n')}\n`

const ref = (i: number) => TEST_IMAGES[i].ref

beforeEach(() => {
  projectArn = emu.addProject(`eval-${++n}`)
  emu.clearFaults()
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    f1Score: 0.82,
    summaryShape: 'metrics',
    labels: NOW_LABELS,
    confusion: NOW_MATRIX,
    // test/2.png (rust-spot, line 3) and test/8.png (rust-spot, line 10 after the blank line)
    // are now taken for scratch; test/4.png (dent), wrong before, is right now.
    answers: { [ref(2)]: 'scratch', [ref(8)]: 'scratch' },
    snapshot: undefined,
    snapshotImages: undefined
  })
})

function seedBaseline(extra: Partial<Parameters<Emulator['addVersion']>[1]> = {}): void {
  emu.addVersion(projectArn, {
    name: 'v-base',
    f1Score: 0.888,
    createdAt: new Date(Date.now() - 3_600_000),
    outputBucket: 'acme-training-out',
    labels: BASE_LABELS,
    plan: {
      confusion: BASE_MATRIX,
      snapshotImages: TEST_IMAGES,
      answers: { [ref(4)]: null, [ref(5)]: 'dent' }
    },
    ...extra
  })
}

const run = (inputs: Record<string, string>, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      wait: 'true',
      'poll-interval-seconds': '0.2',
      'training-manifests': 'data/train.manifest',
      'testing-manifests': 'data/test.manifest',
      ...inputs
    },
    files: { 'data/train.manifest': `${TRAIN}\n`, 'data/test.manifest': TEST_FILE },
    ...extra
  })

describe('the evaluation in the job summary', () => {
  test('confusion matrix, F1 chart, flipped images with file:line, per-label gates passing', async () => {
    seedBaseline()
    const r = await run({
      'baseline-version': 'v-base',
      'max-label-f1-drop': '0.3',
      'min-label-f1-score': '0.6\nscratch=0.9'
    })
    expect(r.code).toBe(0)
    const s = r.summary

    // The worst confusion, with its change against the baseline's matrix.
    expect(s).toContain('### Confusion matrix')
    expect(s).toContain('- **rust-spot** predicted as **scratch** 36% (baseline 12%, +24 points)')
    expect(s).toMatch(/\| Ground truth ↓ \/ predicted → \| scratch \| dent \| rust-spot \|/)
    expect(s).toContain('| **rust-spot** | 36% (+24) | · | **64%** (−24) |')

    // The chart: largest drop first, bars and numbers for both versions.
    const chart = s.slice(s.indexOf('### Per-label F1'))
    expect(chart).toMatch(/^### Per-label F1 \(largest drop first\)/)
    const rows = chart.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Label'))
    expect(rows[1]).toBe(
      '| rust-spot | `████████████▊░░░░░░░` 0.640 | `█████████████████▋░░` 0.880 | ▼ −0.240 |'
    )
    expect(rows[2]).toMatch(/^\| dent \| .* 0\.905 \| .* 0\.900 \| ▲ \+0\.005 \|$/)
    expect(rows[3]).toMatch(/^\| scratch \| .* 0\.912 \| .* 0\.884 \| ▲ \+0\.028 \|$/)

    // Flipped test images, each at its line in the repository's manifest.
    expect(s).toContain('### Test images that changed against `v-base`')
    expect(s).toContain(
      '2 test images went from right to wrong and 2 from wrong to right, of 12 images in both test sets.'
    )
    expect(s).toContain(
      '| `s3://acme-images/test/2.png` | `data/test.manifest:3` | rust-spot | rust-spot 95% | scratch 88% |'
    )
    expect(s).toContain(
      '| `s3://acme-images/test/8.png` | `data/test.manifest:10` | rust-spot | rust-spot 95% | scratch 88% |'
    )
    expect(s).toContain(
      '| `s3://acme-images/test/4.png` | `data/test.manifest:5` | dent | nothing | dent 95% |'
    )
    expect(s).toContain(
      '| `s3://acme-images/test/5.png` | `data/test.manifest:6` | rust-spot | dent 88% | rust-spot 95% |'
    )

    // Both gates, passing, and recorded on the version for a collector.
    expect(s).toMatch(
      /✅ `min-label-f1-score`: 3 labels at or above their floor; lowest "rust-spot" F1 0\.640/
    )
    expect(s).toMatch(/✅ `max-label-f1-drop`: largest drop "rust-spot" 0\.240, within 0\.300/)
    const [v] = emu.versions(projectArn).filter((x) => x.name !== 'v-base')
    expect(v.tags['train-action:max-label-f1-drop']).toBe('0.3')
    expect(v.tags['train-action:min-label-f1-score']).toBe('0.6 scratch=0.9')
    expect(r.stdout).toMatch(
      /Test images against the baseline: 2 right to wrong, 2 wrong to right, of 12 in both/
    )
  })

  test('max-label-f1-drop fails naming each label that dropped too far, with its numbers', async () => {
    seedBaseline()
    const r = await run({ 'baseline-version': 'v-base', 'max-label-f1-drop': '0.05' })
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toContain(
      'Quality gate max-label-f1-drop failed: 1 label dropped too far: "rust-spot" F1 0.640 dropped 0.240 from 0.880, more than 0.050 by 0.190'
    )
    expect(r.summary).toContain('❌ `max-label-f1-drop`')
  })

  test('min-label-f1-score lines fail naming each label under its floor', async () => {
    seedBaseline()
    const r = await run({
      'baseline-version': 'v-base',
      'min-label-f1-score': 'rust-spot=0.7\nscratch=0.95\ndent=0.5'
    })
    expect(r.code).toBe(1)
    expect(r.errors.at(-1)).toContain(
      'Quality gate min-label-f1-score failed: 2 labels below the floor: "rust-spot" F1 0.640 < 0.700 by 0.060; "scratch" F1 0.912 < 0.950 by 0.038'
    )
  })

  test('the PR comment carries the matrix, the chart and the flipped images', async () => {
    // No repository manifests here: the images are shown by source-ref alone.
    emu.setTraining({ answers: { 's3://emulator-test-images/rust-spot/0002.jpg': 'scratch' } })
    emu.addVersion(projectArn, {
      name: 'v-main',
      f1Score: 0.888,
      createdAt: new Date(Date.now() - 3_600_000),
      outputBucket: 'acme-training-out',
      labels: BASE_LABELS,
      plan: { confusion: BASE_MATRIX },
      tags: { 'github:ref': 'refs/heads/main', 'github:repository': 'acme/vision' }
    })
    const head = 'feedfacecafebeef00112233445566778899aabb'
    emu.setPullRequest('acme', 'vision', 21, head)
    const r = await runAction({
      endpoint: emu.url,
      inputs: {
        ...baseInputs(projectArn),
        wait: 'true',
        'poll-interval-seconds': '0.2',
        'baseline-version': 'auto'
      },
      event: {
        name: 'pull_request',
        payload: {
          pull_request: {
            number: 21,
            head: { sha: head, ref: 'relabel', repo: { full_name: 'acme/vision' } },
            base: { ref: 'main', repo: { full_name: 'acme/vision' } }
          }
        }
      },
      env: {
        GITHUB_SHA: '9'.repeat(40),
        GITHUB_REF: 'refs/pull/21/merge',
        GITHUB_REF_NAME: '21/merge',
        GITHUB_HEAD_REF: 'relabel',
        GITHUB_BASE_REF: 'main'
      }
    })
    expect(r.code).toBe(0)
    const [comment] = emu.comments('acme', 'vision', 21).filter((c) => c.body.includes(projectArn))
    expect(comment.body).toContain(
      '- **rust-spot** predicted as **scratch** 36% (baseline 12%, +24 points)'
    )
    expect(comment.body).toContain('### Per-label F1 (largest drop first)')
    expect(comment.body).toContain('| rust-spot | `████████████▊░░░░░░░` 0.640 |')
    expect(comment.body).toContain(
      '1 test image went from right to wrong and 0 from wrong to right, of 12 images in both test sets.'
    )
    expect(comment.body).toContain(
      '| `s3://emulator-test-images/rust-spot/0002.jpg` | – | rust-spot | rust-spot 95% | scratch 88% |'
    )
  })
})

describe('per-label gate inputs', () => {
  test.each([
    [
      'min-label-f1-score',
      'scratch=1.5',
      /^min-label-f1-score "scratch=1\.5" is not a number 0-1; it must be a number 0-1/
    ],
    ['min-label-f1-score', 'high', /^min-label-f1-score "high" is not a number 0-1/],
    [
      'max-label-f1-drop',
      '2',
      /^max-label-f1-drop "2" is out of range; it must be a decimal number >= 0 and <= 1/
    ]
  ])('%s %p fails before any AWS call', async (input, value, message) => {
    const from = emu.requests.length
    const r = await run({ 'baseline-version': 'auto', [input]: value })
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(message)
    expect(emu.requests.slice(from).filter((q) => q.service !== 'github')).toHaveLength(0)
  })

  test('max-label-f1-drop needs a baseline-version', async () => {
    const from = emu.requests.length
    const r = await run({ 'max-label-f1-drop': '0.1' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toBe(
      'max-label-f1-drop is set but baseline-version is empty; give baseline-version (auto or a version name) to compare against'
    )
    expect(emu.requests.slice(from).filter((q) => q.service !== 'github')).toHaveLength(0)
  })
})

describe('snapshots that are large or missing', () => {
  test('a huge snapshot is read only up to its cap of 100,000 lines', async () => {
    seedBaseline()
    // 150,000 compact lines in the guide's shape: the first 12 are the repository's test images
    // (test/2.png now wrong), then images the baseline never saw.
    const lines: string[] = []
    const compact = (r: string, truth: string, said: string) =>
      JSON.stringify({
        'source-ref': r,
        gt: 1,
        'gt-metadata': { 'class-name': truth },
        ev: 1,
        'ev-metadata': {
          'class-name': said,
          confidence: 0.9,
          'rekognition-custom-labels-evaluation-details': {
            'is-true-positive': said === truth,
            'is-false-positive': said !== truth
          }
        }
      })
    TEST_IMAGES.forEach((t, i) =>
      lines.push(compact(t.ref, t.truth, i === 2 ? 'scratch' : t.truth))
    )
    for (let i = lines.length; i < 150_000; i++)
      lines.push(compact(`s3://acme-images/extra/${i}.png`, 'dent', 'dent'))
    const text = `${lines.join('\n')}\n`
    emu.setTraining({ snapshot: text })
    const r = await run({ 'baseline-version': 'v-base' }, { timeoutMs: 90_000 })
    expect(r.code).toBe(0)
    const read = /snapshot read: (\d+) lines, (\d+) bytes, stopped after 100,000 lines/.exec(
      r.stdout
    )
    expect(read).not.toBeNull()
    const [lineCount, bytes] = [Number(read![1]), Number(read![2])]
    expect(lineCount).toBe(100_000)
    // Bytes taken from the download: the first 100,000 lines and the rest of a chunk, far less
    // than the object (150,000 lines).
    expect(bytes).toBeGreaterThanOrEqual(
      Buffer.byteLength(`${lines.slice(0, 100_000).join('\n')}\n`)
    )
    expect(bytes).toBeLessThan(Buffer.byteLength(text) * 0.7)
    expect(r.summary).toContain(
      'The evaluation manifest snapshot of this version was read up to the limit (stopped after 100,000 lines; 100,000 images read): images past it were not compared.'
    )
    expect(r.summary).toContain('1 test image went from right to wrong')
    expect(r.summary).toContain('`data/test.manifest:3`')
  })

  test('a missing snapshot gives a note, and the rest of the evaluation stands', async () => {
    seedBaseline()
    emu.setTraining({ snapshot: 'missing' })
    const r = await run({ 'baseline-version': 'v-base', 'max-label-f1-drop': '0.3' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::notice::The evaluation manifest snapshot of this version is unavailable \(NoSuchKey\): it could not be read\. s3:\/\/acme-training-out\//
    )
    expect(r.summary).toContain(
      'ℹ️ The evaluation manifest snapshot of this version is unavailable'
    )
    expect(r.summary).not.toContain('### Test images that changed')
    expect(r.summary).toContain('### Confusion matrix')
    expect(r.summary).toContain('✅ `max-label-f1-drop`')
  })

  test('an object detection model (no matrix) and an unusable matrix give no failed step', async () => {
    seedBaseline({ plan: { confusion: undefined, snapshotImages: TEST_IMAGES } })
    emu.setTraining({
      confusion: [{ GroundTruthLabel: 1, PredictedLabel: null, Value: 'x' }] as never
    })
    const r = await run({ 'baseline-version': 'v-base' })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      '::notice::The confusion matrix of this version is unusable (no usable ConfusionMatrix entries).'
    )
    expect(r.summary).toContain('ℹ️ The confusion matrix of this version is unusable')
    expect(r.summary).not.toContain('### Confusion matrix')
    expect(r.summary).toContain('### Per-label F1')
  })
})

describe('a training finished by mode: collect', () => {
  test('applies the per-label gates its starting step recorded on the version', async () => {
    const HEAD = 'feedfacecafebeef00112233445566778899aabb'
    const HOUR = 3_600_000
    seedBaseline()
    emu.setTraining({ durationMs: 24 * HOUR })
    emu.setPullRequest('acme', 'vision', 17, HEAD)
    const started = await run(
      {
        wait: 'false',
        'baseline-version': 'v-base',
        'max-label-f1-drop': '0.05',
        'min-label-f1-score': 'rust-spot=0.7'
      },
      {
        event: {
          name: 'pull_request',
          payload: {
            pull_request: {
              number: 17,
              head: { sha: HEAD, ref: 'relabel', repo: { full_name: 'acme/vision' } },
              base: { ref: 'main', repo: { full_name: 'acme/vision' } }
            }
          }
        },
        env: {
          GITHUB_SHA: '9'.repeat(40),
          GITHUB_REF: 'refs/pull/17/merge',
          GITHUB_HEAD_REF: 'relabel'
        }
      }
    )
    expect(started.code).toBe(0)
    expect(started.outputs.status).toBe('TRAINING_IN_PROGRESS')

    emu.advanceClock(25 * HOUR)
    const c = await runAction({
      endpoint: emu.url,
      inputs: { 'project-arn': projectArn, mode: 'collect', 'poll-interval-seconds': '0.2' },
      event: { name: 'schedule', payload: { schedule: '*/15 * * * *' } },
      env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000777', GITHUB_HEAD_REF: '' }
    })
    expect(c.code).toBe(0)
    expect(c.outputs.collected).toBe('1')
    expect(c.stdout).toMatch(
      /::warning::vision-\w+: quality gate max-label-f1-drop failed: 1 label dropped too far: "rust-spot" F1 0\.640 dropped 0\.240 from 0\.880/
    )
    expect(c.stdout).toMatch(
      /quality gate min-label-f1-score failed: 1 label below the floor: "rust-spot" F1 0\.640 < 0\.700 by 0\.060/
    )
    const status = emu
      .statuses('acme', 'vision', HEAD)
      .filter((s) => s.context === `train-action/${projectArn.split('/')[1]}`)
      .at(-1)!
    expect(status.state).toBe('failure')
    expect(status.description).toMatch(/gate failed: min-label-f1-score, max-label-f1-drop$/)
    const [comment] = emu.comments('acme', 'vision', 17).filter((x) => x.body.includes(projectArn))
    expect(comment.body).toContain('❌ `max-label-f1-drop`')
    // No workspace in the collector: the flipped images are shown by source-ref alone.
    expect(comment.body).toContain('| `s3://acme-images/test/2.png` | – | rust-spot |')
  })
})
