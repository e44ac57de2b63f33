// The evaluation summary file the service writes: per-label and aggregate metrics. Pure.
// Two shapes exist (REKOGNITION.md): AggregatedEvaluationResults.Metrics {...} as documented, and
// the guide's older example with the metrics directly under AggregatedEvaluationResults.

export interface Metrics {
  precision?: number
  recall?: number
  f1?: number
}

export interface LabelMetrics extends Metrics {
  label: string
  testImages?: number
  threshold?: number
}

export interface EvaluationSummary {
  aggregate: Metrics
  labels: LabelMetrics[]
  trainingImages?: number
  testingImages?: number
}

type Json = Record<string, unknown>

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined
const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {}

function metrics(source: Json): Metrics {
  const m = obj(source.Metrics)
  const from = Object.keys(m).length > 0 ? m : source
  return { precision: num(from.Precision), recall: num(from.Recall), f1: num(from.F1Score) }
}

/** Throws when the text is not an evaluation summary at all. */
export function parseEvaluationSummary(text: string): EvaluationSummary {
  return evaluationSummaryOf(JSON.parse(text))
}

/** The same, from the summary already parsed (its confusion matrix is read from it too). */
export function evaluationSummaryOf(json: unknown): EvaluationSummary {
  const root = obj(json)
  if (!('AggregatedEvaluationResults' in root) && !('LabelEvaluationResults' in root)) {
    throw new Error('no AggregatedEvaluationResults or LabelEvaluationResults in it')
  }
  const labels = Array.isArray(root.LabelEvaluationResults) ? root.LabelEvaluationResults : []
  const details = obj(root.EvaluationDetails)
  return {
    aggregate: metrics(obj(root.AggregatedEvaluationResults)),
    labels: labels.map((entry) => {
      const e = obj(entry)
      const m = obj(e.Metrics)
      return {
        label: typeof e.Label === 'string' ? e.Label : String(e.Label ?? '?'),
        testImages: num(e.NumberOfTestingImages),
        threshold: num(m.Threshold),
        ...metrics(e)
      }
    }),
    trainingImages: num(details.NumberOfTrainingImages),
    testingImages: num(details.NumberOfTestingImages)
  }
}

export interface LabelComparison extends LabelMetrics {
  /** F1 minus the baseline's for the same label; undefined when either is missing. */
  f1Delta?: number
  /** The baseline's F1 for the same label. */
  baselineF1?: number
  /** The label is new (not in the baseline). */
  added?: boolean
}

/** Per-label F1 deltas against the baseline's summary; labels the baseline lacked are marked. */
export function compareLabels(
  current: LabelMetrics[],
  baseline: LabelMetrics[] | undefined
): LabelComparison[] {
  const before = new Map((baseline ?? []).map((l) => [l.label, l]))
  return current.map((l) => {
    const b = before.get(l.label)
    if (!baseline) return { ...l }
    if (!b) return { ...l, added: true }
    const f1Delta = l.f1 !== undefined && b.f1 !== undefined ? l.f1 - b.f1 : undefined
    return { ...l, f1Delta, baselineF1: b.f1 }
  })
}
