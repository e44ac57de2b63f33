// The evaluation's Markdown: the confusion matrix (parsed from both summary shapes), the F1 chart
// and its fallback for many labels, and the flipped test images.
import { describe, expect, test } from '@jest/globals'
import { BAR_CELLS, CHART_MAX_LABELS, bar, f1ChartSection } from '../../src/reporting/charts.js'
import {
  changedImagesSection,
  confusionSection,
  evaluationNotesSection
} from '../../src/reporting/evaluation-sections.js'
import { parseConfusionMatrix, worstConfusions } from '../../src/results/confusion.js'
import { compareLabels } from '../../src/results/evaluation.js'
import type { ChangedImages } from '../../src/results/changed-images.js'
import { evaluationSections, type TrainingReport } from '../../src/reporting/report.js'

// The summary example of im-summary-file-api.md: ConfusionMatrix beside the metrics.
const GUIDE_EXAMPLE = {
  Version: 1,
  AggregatedEvaluationResults: {
    ConfusionMatrix: [
      { GroundTruthLabel: 'CAP', PredictedLabel: 'CAP', Value: 0.9948717948717949 },
      { GroundTruthLabel: 'CAP', PredictedLabel: 'WATCH', Value: 0.008547008547008548 },
      { GroundTruthLabel: 'WATCH', PredictedLabel: 'CAP', Value: 0.1794871794871795 },
      { GroundTruthLabel: 'WATCH', PredictedLabel: 'WATCH', Value: 0.7008547008547008 }
    ],
    F1Score: 0.9726959470546408,
    Precision: 0.9719115848331294,
    Recall: 0.9735042735042735
  }
}

describe('parseConfusionMatrix', () => {
  test('the guide’s example, and the reference’s shape under Metrics', () => {
    const m = parseConfusionMatrix(GUIDE_EXAMPLE)!
    expect(m.labels).toEqual(['CAP', 'WATCH'])
    expect(m.cells).toHaveLength(4)
    const underMetrics = {
      AggregatedEvaluationResults: {
        Metrics: {
          F1Score: 1,
          ConfusionMatrix: GUIDE_EXAMPLE.AggregatedEvaluationResults.ConfusionMatrix
        }
      }
    }
    expect(parseConfusionMatrix(underMetrics)).toEqual(m)
  })

  test('none for detection (no matrix) or an empty one; unusable entries left out or refused', () => {
    expect(parseConfusionMatrix({ AggregatedEvaluationResults: { Metrics: {} } })).toBeUndefined()
    expect(
      parseConfusionMatrix({ AggregatedEvaluationResults: { ConfusionMatrix: [] } })
    ).toBeUndefined()
    expect(() =>
      parseConfusionMatrix({ AggregatedEvaluationResults: { ConfusionMatrix: {} } })
    ).toThrow('ConfusionMatrix is not a list')
    expect(() =>
      parseConfusionMatrix({
        AggregatedEvaluationResults: { ConfusionMatrix: [{ GroundTruthLabel: 'a', Value: 'NaN' }] }
      })
    ).toThrow('no usable ConfusionMatrix entries')
    const partly = parseConfusionMatrix({
      AggregatedEvaluationResults: {
        ConfusionMatrix: [
          { GroundTruthLabel: 'a', PredictedLabel: 'b', Value: 0.2 },
          { GroundTruthLabel: 'a', PredictedLabel: 'a', Value: null }
        ]
      }
    })!
    expect(partly.cells).toEqual([{ truth: 'a', predicted: 'b', value: 0.2 }])
  })
})

const m = (rows: Record<string, Record<string, number>>) =>
  parseConfusionMatrix({
    AggregatedEvaluationResults: {
      ConfusionMatrix: Object.entries(rows).flatMap(([t, r]) =>
        Object.entries(r).map(([p, v]) => ({ GroundTruthLabel: t, PredictedLabel: p, Value: v }))
      )
    }
  })!

const now = m({
  scratch: { scratch: 0.94, dent: 0.06 },
  'rust-spot': { scratch: 0.36, 'rust-spot': 0.64 }
})
const before = m({
  scratch: { scratch: 0.9, dent: 0.1 },
  'rust-spot': { scratch: 0.12, 'rust-spot': 0.88 }
})

describe('confusionSection', () => {
  test('worst confusions first, with the change against the baseline; the matrix with points', () => {
    expect(worstConfusions(now, before, 1)).toEqual([
      { truth: 'rust-spot', predicted: 'scratch', value: 0.36, baseline: 0.12 }
    ])
    expect(confusionSection(now, before, 'v-base')).toBe(
      [
        '### Confusion matrix',
        'Worst confusions:\n\n- **rust-spot** predicted as **scratch** 36% (baseline 12%, +24 points)\n- **scratch** predicted as **dent** 6% (baseline 10%, −4 points)',
        '| Ground truth ↓ / predicted → | scratch | dent | rust-spot |\n| --- | --- | --- | --- |\n| **scratch** | **94%** (+4) | 6% (−4) | · |\n| **rust-spot** | 36% (+24) | · | **64%** (−24) |',
        "Share of each ground-truth label's test images given each predicted label, as the evaluation summary gives it. Changes against `v-base` in points."
      ].join('\n\n')
    )
  })

  test('without a baseline: no changes; many labels: the worst confusions only; none: no section', () => {
    expect(confusionSection(now)).toContain('- **rust-spot** predicted as **scratch** 36%\n')
    expect(confusionSection(now)).not.toContain('points')
    const labels = Array.from({ length: 12 }, (_, i) => `l${i}`)
    const big = m(
      Object.fromEntries(labels.map((l, i) => [l, { [l]: 0.9, [labels[(i + 1) % 12]]: 0.1 }]))
    )
    const section = confusionSection(big)!
    expect(section).not.toContain('| Ground truth')
    expect(section).toContain('12 labels: the whole matrix is in the evaluation summary')
    expect(section.match(/^- /gm)).toHaveLength(5)
    expect(confusionSection(undefined)).toBeUndefined()
    expect(confusionSection(m({ a: { a: 1 }, b: { b: 1 } }))).toContain(
      'No label is predicted as another in the test set.'
    )
  })

  test('label names are inert Markdown', () => {
    const evil = m({ '<img src=x>|@team': { '<img src=x>|@team': 0.5, 'a*b': 0.5 } })
    const s = confusionSection(evil)!
    expect(s).not.toContain('<img')
    expect(s).not.toMatch(/@team/)
  })
})

describe('the F1 chart', () => {
  test('bars of eighth blocks, padded with light shade to a fixed width', () => {
    expect(bar(1)).toBe('█'.repeat(BAR_CELLS))
    expect(bar(0)).toBe('░'.repeat(BAR_CELLS))
    expect(bar(0.64)).toBe('████████████▊░░░░░░░')
    expect(bar(0.5 + 1 / 160)).toBe('██████████▏░░░░░░░░░')
    expect(bar(NaN)).toBe('░'.repeat(BAR_CELLS))
    for (const v of [0.001, 0.333, 0.999]) expect([...bar(v)]).toHaveLength(BAR_CELLS)
  })

  test('against the baseline: largest drop first, both bars, the change', () => {
    const labels = compareLabels(
      [
        { label: 'scratch', f1: 0.912 },
        { label: 'rust-spot', f1: 0.64 },
        { label: 'new', f1: 0.7 }
      ],
      [
        { label: 'scratch', f1: 0.884 },
        { label: 'rust-spot', f1: 0.88 }
      ]
    )
    expect(f1ChartSection(labels, 'v-base')).toBe(
      [
        '### Per-label F1 (largest drop first)',
        '',
        '| Label | F1, this version | F1, baseline v-base | Change |',
        '| --- | --- | --- | --- |',
        '| rust-spot | `████████████▊░░░░░░░` 0.640 | `█████████████████▋░░` 0.880 | ▼ −0.240 |',
        '| scratch | `██████████████████▎░` 0.912 | `█████████████████▋░░` 0.884 | ▲ +0.028 |',
        '| new | `██████████████░░░░░░` 0.700 | – | new |'
      ].join('\n')
    )
  })

  test('many labels: the worst are charted and the rest counted', () => {
    const labels = Array.from({ length: 40 }, (_, i) => ({ label: `l${i}`, f1: 0.5 + i / 100 }))
    const s = f1ChartSection(labels)!
    expect(s).toMatch(/^### Per-label F1 \(lowest first\)/)
    const rows = s.split('\n').filter((l) => /^\| l\d/.test(l))
    expect(rows).toHaveLength(CHART_MAX_LABELS)
    expect(rows[0]).toMatch(/^\| l0 \|/)
    expect(s).toContain(
      '15 more labels not charted (the 25 shown are the lowest scores); every label is in the per-label table.'
    )
    expect(f1ChartSection([])).toBeUndefined()
  })
})

const flip = (ref: string, truth: string, was: string | undefined, now: string | undefined) => ({
  ref,
  before: {
    ref,
    right: was === truth,
    truth: [truth],
    predicted: was ? [{ label: was, confidence: 0.9 }] : []
  },
  after: {
    ref,
    right: now === truth,
    truth: [truth],
    predicted: now ? [{ label: now, confidence: 0.8 }] : []
  }
})

describe('changedImagesSection', () => {
  const changed: ChangedImages = {
    worse: [flip('s3://b/1.jpg', 'rust-spot', 'rust-spot', 'scratch')],
    worseCount: 31,
    better: [flip('s3://b/2.jpg', 'dent', undefined, 'dent')],
    betterCount: 1,
    compared: 1200,
    where: { 's3://b/1.jpg': 'data/test.manifest:7' },
    current: { lines: 100_000, bytes: 1, images: 100_000, cut: 'stopped after 100,000 lines' },
    baseline: { lines: 1200, bytes: 1, images: 1200 }
  }

  test('counts, the listed images with file:line, the rest counted, a cut snapshot said', () => {
    expect(changedImagesSection(changed, 'v-base')).toBe(
      [
        '### Test images that changed against `v-base`',
        '31 test images went from right to wrong and 1 from wrong to right, of 1,200 images in both test sets.',
        '**Right → wrong**\n\n| Image | In the repository | Ground truth | Baseline said | Now says |\n| --- | --- | --- | --- | --- |\n| `s3://b/1.jpg` | `data/test.manifest:7` | rust-spot | rust-spot 90% | scratch 80% |\n\n…and 30 more images.',
        '**Wrong → right**\n\n| Image | In the repository | Ground truth | Baseline said | Now says |\n| --- | --- | --- | --- | --- |\n| `s3://b/2.jpg` | – | dent | nothing | dent 80% |',
        '> The evaluation manifest snapshot of this version was read up to the limit (stopped after 100,000 lines; 100,000 images read): images past it were not compared.'
      ].join('\n\n')
    )
    expect(changedImagesSection(undefined)).toBeUndefined()
  })

  test('the report lists the sections in order, notes last', () => {
    const r = {
      labels: [{ label: 'a', f1: 0.5 }],
      baseline: { name: 'v-base', arn: 'x', f1: 0.5 },
      confusion: now,
      changedImages: changed,
      evaluationNotes: ['The evaluation manifest snapshot of this version is unavailable (x).']
    } as unknown as TrainingReport
    const sections = evaluationSections(r)
    expect(sections.map((s) => s.text.split('\n')[0])).toEqual([
      '### Per-label F1 (largest drop first)',
      '### Confusion matrix',
      '### Test images that changed against `v-base`',
      '> ℹ️ The evaluation manifest snapshot of this version is unavailable &#40;x&#41;.'
    ])
    expect(evaluationNotesSection([])).toBeUndefined()
  })
})
