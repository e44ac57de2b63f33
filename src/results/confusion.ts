// The confusion matrix of a classification model, from its evaluation summary, and what it says:
// which labels the model mistakes for which, and how that moved against the baseline. Pure.
//
// Shape (Custom Labels developer guide, "Reference: Training results summary file",
// im-summary-file.md, and the example in "Summary file", im-summary-file-api.md):
// `AggregatedEvaluationResults.Metrics.ConfusionMatrix` in the reference, directly under
// `AggregatedEvaluationResults` in the example: a list of {GroundTruthLabel, PredictedLabel, Value}.
// Only classification models have one. The guide does not say how Value is normalised; its example
// reads as the share of a ground-truth label's test images given each predicted label (a row sums
// to about 1), so it is shown as a percentage of that row, as given.

export interface ConfusionCell {
  truth: string
  predicted: string
  value: number
}

export interface ConfusionMatrix {
  /** Ground-truth and predicted labels, in the order first seen. */
  labels: string[]
  cells: ConfusionCell[]
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {}

/**
 * The matrix in a parsed summary; undefined when there is none (object detection, an older
 * summary). Entries that are not {string, string, finite number} are left out; throws when the
 * matrix is there but none of its entries is usable, so the caller can say so.
 */
export function parseConfusionMatrix(summary: unknown): ConfusionMatrix | undefined {
  const aggregate = obj(obj(summary).AggregatedEvaluationResults)
  const list = aggregate.ConfusionMatrix ?? obj(aggregate.Metrics).ConfusionMatrix
  if (list === undefined) return undefined
  if (!Array.isArray(list)) throw new Error('ConfusionMatrix is not a list')
  if (list.length === 0) return undefined
  const cells: ConfusionCell[] = []
  const labels = new Set<string>()
  for (const entry of list) {
    const e = obj(entry)
    const { GroundTruthLabel: truth, PredictedLabel: predicted, Value: value } = e
    if (typeof truth !== 'string' || typeof predicted !== 'string') continue
    if (typeof value !== 'number' || !Number.isFinite(value)) continue
    labels.add(truth).add(predicted)
    cells.push({ truth, predicted, value })
  }
  if (cells.length === 0) throw new Error('no usable ConfusionMatrix entries')
  return { labels: [...labels], cells }
}

const key = (truth: string, predicted: string): string => JSON.stringify([truth, predicted])

export function cellMap(m: ConfusionMatrix): Map<string, number> {
  return new Map(m.cells.map((c) => [key(c.truth, c.predicted), c.value]))
}

export function cellValue(map: Map<string, number>, truth: string, predicted: string) {
  return map.get(key(truth, predicted))
}

export interface Confusion extends ConfusionCell {
  /** The baseline's value for the same pair (0 when the baseline has the labels but no entry). */
  baseline?: number
}

/**
 * The off-diagonal cells (a label predicted as another), largest first, above `min`; with the
 * baseline's value for each when there is a baseline matrix.
 */
export function worstConfusions(
  m: ConfusionMatrix,
  baseline: ConfusionMatrix | undefined,
  count: number,
  min = 0.005
): Confusion[] {
  const before = baseline ? cellMap(baseline) : undefined
  const known = new Set(baseline?.labels ?? [])
  return m.cells
    .filter((c) => c.truth !== c.predicted && c.value >= min)
    .sort((a, b) => b.value - a.value || a.truth.localeCompare(b.truth))
    .slice(0, count)
    .map((c) => {
      if (!before) return { ...c }
      const b = cellValue(before, c.truth, c.predicted)
      // A pair the baseline matrix does not list, between labels it knows, was 0 there.
      const base = b ?? (known.has(c.truth) && known.has(c.predicted) ? 0 : undefined)
      return base === undefined ? { ...c } : { ...c, baseline: base }
    })
}
