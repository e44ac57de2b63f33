// The evaluation sections of the job summary and the PR comment: the confusion matrix with its
// worst confusions, and the test images that flipped against the baseline. Each function returns
// one self-contained Markdown section (or undefined), so a comment cut to size can keep or drop
// each on its own. Pure.
import type { ChangedImages } from '../results/changed-images.js'
import {
  cellMap,
  cellValue,
  worstConfusions,
  type Confusion,
  type ConfusionMatrix
} from '../results/confusion.js'
import type { Answer, Flip } from '../results/snapshot.js'
import { code, escapeMarkdown, table } from './markdown.js'

/** Worst confusions named above the matrix. */
const CONFUSIONS_NAMED = 5
/** Labels up to which the whole matrix is drawn; beyond, only the worst confusions are listed. */
const MATRIX_MAX_LABELS = 10

const pct = (v: number): string => `${Math.round(v * 100)}%`
const points = (d: number): string => {
  const p = Math.round(d * 100)
  return p === 0 ? '±0' : `${p > 0 ? '+' : '−'}${Math.abs(p)}`
}

/** "rust-spot predicted as scratch 36% (baseline 12%, +24 points)". */
function confusionText(c: Confusion): string {
  const was =
    c.baseline === undefined
      ? ''
      : ` (baseline ${pct(c.baseline)}, ${points(c.value - c.baseline)} points)`
  return `**${escapeMarkdown(c.truth)}** predicted as **${escapeMarkdown(c.predicted)}** ${pct(c.value)}${was}`
}

function matrixTable(m: ConfusionMatrix, baseline: ConfusionMatrix | undefined): string {
  const now = cellMap(m)
  const before = baseline ? cellMap(baseline) : undefined
  const known = new Set(baseline?.labels ?? [])
  const truths = m.labels.filter((l) => m.cells.some((c) => c.truth === l))
  const predicted = m.labels.filter((l) => m.cells.some((c) => c.predicted === l))
  const header = ['Ground truth ↓ / predicted →', ...predicted.map(escapeMarkdown)]
  const rows = truths.map((t) => [
    `**${escapeMarkdown(t)}**`,
    ...predicted.map((p) => {
      const v = cellValue(now, t, p) ?? 0
      const b = before && known.has(t) && known.has(p) ? (cellValue(before, t, p) ?? 0) : undefined
      const shown = v < 0.005 && t !== p ? '·' : pct(v)
      const cell = t === p ? `**${shown}**` : shown
      const moved = b !== undefined && Math.round((v - b) * 100) !== 0
      return moved ? `${cell} (${points(v - b)})` : cell
    })
  ])
  return table(header, rows)
}

/** The confusion matrix section; undefined without a matrix (object detection has none). */
export function confusionSection(
  m: ConfusionMatrix | undefined,
  baseline?: ConfusionMatrix,
  baselineName?: string
): string | undefined {
  if (!m) return undefined
  const worst = worstConfusions(m, baseline, CONFUSIONS_NAMED)
  const parts = ['### Confusion matrix']
  parts.push(
    worst.length === 0
      ? 'No label is predicted as another in the test set.'
      : `Worst confusions:\n\n${worst.map((c) => `- ${confusionText(c)}`).join('\n')}`
  )
  const labels = new Set([...m.cells.map((c) => c.truth), ...m.cells.map((c) => c.predicted)])
  if (labels.size <= MATRIX_MAX_LABELS) {
    const against = baseline
      ? ` Changes against ${baselineName ? code(baselineName) : 'the baseline'} in points.`
      : ''
    parts.push(
      `${matrixTable(m, baseline)}\n\nShare of each ground-truth label's test images given each predicted label, as the evaluation summary gives it.${against}`
    )
  } else {
    parts.push(
      `${labels.size} labels: the whole matrix is in the evaluation summary (\`AggregatedEvaluationResults\`).`
    )
  }
  return parts.join('\n\n')
}

const answers = (list: Answer[]): string =>
  list.length === 0
    ? 'nothing'
    : list
        .map(
          (a) =>
            `${escapeMarkdown(a.label)}${a.confidence === undefined ? '' : ` ${pct(a.confidence)}`}`
        )
        .join(', ')

function flipRows(flips: Flip[], where: Record<string, string>): string {
  return table(
    ['Image', 'In the repository', 'Ground truth', 'Baseline said', 'Now says'],
    flips.map((f) => [
      code(f.ref),
      where[f.ref] ? code(where[f.ref]) : '–',
      f.after.truth.map(escapeMarkdown).join(', ') || '–',
      answers(f.before.predicted),
      answers(f.after.predicted)
    ])
  )
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** The flipped test images section; undefined when the snapshots were not compared. */
export function changedImagesSection(
  c: ChangedImages | undefined,
  baselineName?: string
): string | undefined {
  if (!c) return undefined
  const against = baselineName ? code(baselineName) : 'the baseline'
  const parts = [`### Test images that changed against ${against}`]
  parts.push(
    `${plural(c.worseCount, 'test image')} went from right to wrong and ${c.betterCount.toLocaleString('en-US')} from wrong to right, of ${plural(c.compared, 'image')} in both test sets.`
  )
  const list = (title: string, flips: Flip[], count: number): void => {
    if (count === 0) return
    const rest = count - flips.length
    parts.push(
      `**${title}**\n\n${flipRows(flips, c.where)}${rest > 0 ? `\n\n…and ${plural(rest, 'more image')}.` : ''}`
    )
  }
  list('Right → wrong', c.worse, c.worseCount)
  list('Wrong → right', c.better, c.betterCount)
  for (const [whose, s] of [
    ['this version', c.current],
    ['the baseline', c.baseline]
  ] as const) {
    if (s.cut)
      parts.push(
        `> The evaluation manifest snapshot of ${whose} was read up to the limit (${s.cut}; ${plural(s.images, 'image')} read): images past it were not compared.`
      )
  }
  return parts.join('\n\n')
}

/** Parts of the evaluation that could not be shown, and why. */
export function evaluationNotesSection(notes: string[] | undefined): string | undefined {
  if (!notes || notes.length === 0) return undefined
  return notes.map((n) => `> ℹ️ ${escapeMarkdown(n)}`).join('\n>\n')
}
