import { describe, expect, test } from '@jest/globals'
import {
  compareLabels,
  parseEvaluationSummary,
  type LabelMetrics
} from '../../src/results/evaluation.js'

/** The documented shape: AggregatedEvaluationResults.Metrics and per-label Metrics. */
const DOCUMENTED = {
  Version: 1,
  EvaluationDetails: {
    ProjectVersionArn:
      'arn:aws:rekognition:eu-west-1:123456789012:project/defects/version/v1/1700000000001',
    EvaluationEndTimestamp: '2026-11-27T13:25:57.123Z',
    Labels: ['scratch', 'dent'],
    NumberOfTrainingImages: 120,
    NumberOfTestingImages: 30
  },
  AggregatedEvaluationResults: {
    Metrics: { Precision: 0.91, Recall: 0.88, F1Score: 0.895, AUC: 0.97 }
  },
  LabelEvaluationResults: [
    {
      Label: 'scratch',
      NumberOfTestingImages: 18,
      Metrics: { Threshold: 0.42, Precision: 0.95, Recall: 0.9, F1Score: 0.924 }
    },
    {
      Label: 'dent',
      NumberOfTestingImages: 12,
      Metrics: { Threshold: 0.5, Precision: 0.85, Recall: 0.84, F1Score: 0.845 }
    }
  ]
}

/** The guide's older example: the metrics directly under AggregatedEvaluationResults. */
const FLAT = {
  AggregatedEvaluationResults: {
    Precision: 0.8,
    Recall: 0.7,
    F1Score: 0.746,
    ConfusionMatrix: [{ GroundTruthLabel: 'a', PredictedLabel: 'a', Value: 0.9 }]
  },
  LabelEvaluationResults: [
    { Label: 'a', NumberOfTestingImages: 5, Metrics: { Threshold: 0.3, F1Score: 0.7 } }
  ]
}

describe('parseEvaluationSummary', () => {
  test('the documented shape: aggregate, per-label metrics and image counts', () => {
    const s = parseEvaluationSummary(JSON.stringify(DOCUMENTED))
    expect(s.aggregate).toEqual({ precision: 0.91, recall: 0.88, f1: 0.895 })
    expect(s.labels).toEqual([
      {
        label: 'scratch',
        testImages: 18,
        threshold: 0.42,
        precision: 0.95,
        recall: 0.9,
        f1: 0.924
      },
      { label: 'dent', testImages: 12, threshold: 0.5, precision: 0.85, recall: 0.84, f1: 0.845 }
    ])
    expect(s.trainingImages).toBe(120)
    expect(s.testingImages).toBe(30)
  })

  test('the older flat shape: metrics directly under AggregatedEvaluationResults', () => {
    const s = parseEvaluationSummary(JSON.stringify(FLAT))
    expect(s.aggregate).toEqual({ precision: 0.8, recall: 0.7, f1: 0.746 })
    expect(s.labels).toEqual([
      {
        label: 'a',
        testImages: 5,
        threshold: 0.3,
        precision: undefined,
        recall: undefined,
        f1: 0.7
      }
    ])
    expect(s.trainingImages).toBeUndefined()
    expect(s.testingImages).toBeUndefined()
  })

  test('only AggregatedEvaluationResults: no labels, still a summary', () => {
    const s = parseEvaluationSummary(
      JSON.stringify({ AggregatedEvaluationResults: { F1Score: 0.5 } })
    )
    expect(s.aggregate.f1).toBe(0.5)
    expect(s.labels).toEqual([])
  })

  test('only LabelEvaluationResults: aggregate metrics undefined', () => {
    const s = parseEvaluationSummary(
      JSON.stringify({ LabelEvaluationResults: [{ Label: 'x', Metrics: { F1Score: 0.6 } }] })
    )
    expect(s.aggregate).toEqual({ precision: undefined, recall: undefined, f1: undefined })
    expect(s.labels.map((l) => [l.label, l.f1])).toEqual([['x', 0.6]])
  })

  test('not JSON throws', () => {
    expect(() => parseEvaluationSummary('<Error><Code>AccessDenied</Code></Error>')).toThrow()
    expect(() => parseEvaluationSummary('')).toThrow()
  })

  test.each([
    ['an unrelated object', '{"hello":"world"}'],
    ['an array', '[{"AggregatedEvaluationResults":{}}]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"AggregatedEvaluationResults"']
  ])('unrelated JSON (%s) throws', (_, text) => {
    expect(() => parseEvaluationSummary(text)).toThrow(
      /no AggregatedEvaluationResults or LabelEvaluationResults/
    )
  })

  test('non-numeric values become undefined, not strings or NaN', () => {
    const s = parseEvaluationSummary(
      JSON.stringify({
        EvaluationDetails: { NumberOfTrainingImages: '120', NumberOfTestingImages: null },
        AggregatedEvaluationResults: {
          Metrics: { Precision: '0.9', Recall: null, F1Score: { value: 1 } }
        },
        LabelEvaluationResults: [
          {
            Label: 'a',
            NumberOfTestingImages: 'many',
            Metrics: { Threshold: true, Precision: [0.5], Recall: 'NaN', F1Score: 0.5 }
          }
        ]
      })
    )
    expect(s.aggregate).toEqual({ precision: undefined, recall: undefined, f1: undefined })
    expect(s.labels[0]).toEqual({
      label: 'a',
      testImages: undefined,
      threshold: undefined,
      precision: undefined,
      recall: undefined,
      f1: 0.5
    })
    expect(s.trainingImages).toBeUndefined()
    expect(s.testingImages).toBeUndefined()
  })

  test('a label entry without a string Label still yields a row', () => {
    const s = parseEvaluationSummary(
      JSON.stringify({ LabelEvaluationResults: [{ Label: 7, Metrics: {} }, {}, null] })
    )
    expect(s.labels.map((l) => l.label)).toEqual(['7', '?', '?'])
  })

  test('a non-array LabelEvaluationResults gives no labels', () => {
    const s = parseEvaluationSummary(
      JSON.stringify({ AggregatedEvaluationResults: {}, LabelEvaluationResults: { a: 1 } })
    )
    expect(s.labels).toEqual([])
  })
})

describe('compareLabels', () => {
  const current: LabelMetrics[] = [
    { label: 'scratch', f1: 0.9 },
    { label: 'dent', f1: 0.7 },
    { label: 'rust', f1: 0.6 },
    { label: 'chip' }
  ]
  const baseline: LabelMetrics[] = [
    { label: 'scratch', f1: 0.85 },
    { label: 'dent', f1: 0.75 },
    { label: 'chip', f1: 0.5 },
    { label: 'gone', f1: 0.99 }
  ]

  test('F1 deltas per label; added for labels the baseline lacks', () => {
    const out = compareLabels(current, baseline)
    expect(out.map((l) => l.label)).toEqual(['scratch', 'dent', 'rust', 'chip'])
    expect(out[0].f1Delta).toBeCloseTo(0.05, 10)
    expect(out[0].added).toBeUndefined()
    expect(out[1].f1Delta).toBeCloseTo(-0.05, 10)
    expect(out[2]).toEqual({ label: 'rust', f1: 0.6, added: true })
    expect(out[2].f1Delta).toBeUndefined()
    // A missing F1 on either side: no delta, and not "added".
    expect(out[3].f1Delta).toBeUndefined()
    expect(out[3].added).toBeUndefined()
  })

  test('labels only in the baseline are not reported', () => {
    expect(compareLabels(current, baseline).some((l) => l.label === 'gone')).toBe(false)
  })

  test('a baseline label without F1 gives no delta', () => {
    const out = compareLabels([{ label: 'a', f1: 0.5 }], [{ label: 'a' }])
    expect(out).toEqual([{ label: 'a', f1: 0.5, f1Delta: undefined }])
  })

  test('without a baseline: no deltas, nothing marked added', () => {
    const out = compareLabels(current, undefined)
    expect(out).toEqual(current)
    for (const l of out) {
      expect(l.f1Delta).toBeUndefined()
      expect(l.added).toBeUndefined()
    }
  })

  test('an empty baseline marks every label added', () => {
    expect(compareLabels(current, []).every((l) => l.added === true)).toBe(true)
  })

  test('the inputs are not mutated', () => {
    const copy = structuredClone(current)
    compareLabels(current, baseline)
    expect(current).toEqual(copy)
  })
})
