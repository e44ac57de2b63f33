// The per-label F1 chart: bars of block characters in a table, this version against the baseline.
// Pure: returns Markdown.
//
// Why not a Mermaid `xychart-beta` bar chart: GitHub renders Mermaid only where its web view runs
// it (the mail and notifications of a PR comment show the source), xychart draws several bar
// series at the same x position, one hiding the other (mermaid-js/mermaid#7392), and it carries no
// numbers on its bars. Block characters render in every view, keep the numbers beside the bars,
// and need nothing but text; with eighth blocks a 20-cell bar resolves 1/160 of the F1 scale.
import type { LabelComparison } from '../results/evaluation.js'
import { escapeMarkdown, signed, table } from './markdown.js'

/** Cells of a bar for F1 1.0. */
export const BAR_CELLS = 20
/** More labels than this: the chart shows the ones that moved (or scored) worst, and counts the rest. */
export const CHART_MAX_LABELS = 25

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
const FULL = '█'
const EMPTY = '░'

/** A bar for a value 0-1: full blocks, one partial block, light shade for the rest. */
export function bar(value: number, cells = BAR_CELLS): string {
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0))
  const eighths = Math.round(v * cells * 8)
  const full = Math.floor(eighths / 8)
  const part = EIGHTHS[eighths % 8]
  const used = full + (part ? 1 : 0)
  return FULL.repeat(full) + part + EMPTY.repeat(cells - used)
}

const score = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(3)

function change(l: LabelComparison): string {
  if (l.added) return 'new'
  if (l.f1Delta === undefined) return '–'
  // Under half a thousandth is shown as no change: the scores are given to three places.
  if (Math.abs(l.f1Delta) < 0.0005) return '='
  return `${l.f1Delta < 0 ? '▼' : '▲'} ${signed(l.f1Delta)}`
}

const barCell = (f1: number | undefined): string =>
  f1 === undefined || !Number.isFinite(f1) ? '–' : `\`${bar(f1)}\` ${score(f1)}`

/**
 * Which labels the chart shows: all of them up to CHART_MAX_LABELS; beyond, the largest drops
 * (with a baseline) or the lowest scores (without), so what a reviewer must see is never cut.
 */
function chartLabels(labels: LabelComparison[], compared: boolean): LabelComparison[] {
  const ranked = [...labels].sort((a, b) =>
    compared
      ? (a.f1Delta ?? Infinity) - (b.f1Delta ?? Infinity) || a.label.localeCompare(b.label)
      : (a.f1 ?? Infinity) - (b.f1 ?? Infinity) || a.label.localeCompare(b.label)
  )
  return ranked.slice(0, CHART_MAX_LABELS)
}

/** The chart section; undefined without per-label F1 scores. */
export function f1ChartSection(
  labels: LabelComparison[] | undefined,
  baselineName?: string
): string | undefined {
  if (!labels || labels.length === 0) return undefined
  const compared = baselineName !== undefined
  const shown = chartLabels(labels, compared)
  const header = compared
    ? ['Label', 'F1, this version', `F1, baseline ${escapeMarkdown(baselineName)}`, 'Change']
    : ['Label', 'F1']
  const rows = shown.map((l) =>
    compared
      ? [escapeMarkdown(l.label), barCell(l.f1), barCell(l.baselineF1), change(l)]
      : [escapeMarkdown(l.label), barCell(l.f1)]
  )
  const order = compared ? 'largest drop first' : 'lowest first'
  const rest = labels.length - shown.length
  const more =
    rest > 0
      ? `\n\n${rest} more label${rest === 1 ? '' : 's'} not charted (the ${shown.length} shown are the ${compared ? 'largest drops' : 'lowest scores'}); every label is in the per-label table.`
      : ''
  return `### Per-label F1 (${order})\n\n${table(header, rows)}${more}`
}
