// The job summary and the PR comment: what was trained, how it went, how it compares, what it
// cost, and whether the gates passed. Pure: returns Markdown.
import { versionConsoleUrl } from './console-link.js'
import { formatDuration } from '../inputs/duration.js'
import type { BaselineInfo } from '../results/baseline.js'
import type { LabelComparison } from '../results/evaluation.js'
import type { GateVerdict } from '../results/gates.js'
import { COMMENT_MAX_CHARS, commentCutNote, fitSections, type Section } from '../github/fit.js'
import { code, escapeMarkdown, signed, table } from './markdown.js'
import type { Tags } from '../inputs/tags.js'
import type { FailureExplanation } from '../training/failure.js'
import type { ConfusionMatrix } from '../results/confusion.js'
import type { ChangedImages } from '../results/changed-images.js'
import { f1ChartSection } from './charts.js'
import {
  changedImagesSection,
  confusionSection,
  evaluationNotesSection
} from './evaluation-sections.js'

export type Outcome = 'started' | 'trained' | 'failed' | 'timeout' | 'cancelled' | 'unusable'

/** A repository manifest as checked before training. */
export interface ManifestInfo {
  file: string
  images: number
  boxes: number
  labels: Record<string, number>
  rare: { label: string; count: number }[]
}

export interface TrainingReport {
  outcome: Outcome
  region: string
  projectName: string
  projectArn: string
  versionName: string
  arn: string
  created: boolean
  status?: string
  statusMessage?: string
  f1Score?: number
  billableSeconds?: number
  pricePerHour: number
  evaluationSummaryUri?: string
  tags: Tags
  /** Per-label metrics, with deltas when a baseline was compared. */
  labels?: LabelComparison[]
  /** Why per-label metrics are missing, when they are. */
  labelsNote?: string
  baseline?: BaselineInfo
  baselineNote?: string
  gates?: GateVerdict[]
  /** One sentence on what to do next (timeouts, cancels, failures). */
  advice?: string
  commit?: string
  runUrl?: string
  manifests?: ManifestInfo[]
  /** What the service wrote about the data of a failed training. */
  failure?: FailureExplanation
  /** Classification: the confusion matrix, and the baseline's. */
  confusion?: ConfusionMatrix
  baselineConfusion?: ConfusionMatrix
  /** Test images that flipped against the baseline. */
  changedImages?: ChangedImages
  /** Why a part of the evaluation is missing. */
  evaluationNotes?: string[]
  data?: DataInfo
}

/** The training data: its fingerprint, and the version reused for it. */
export interface DataInfo {
  sha256?: string
  fromDatasets: boolean
  /** Reused (if-data-unchanged: reuse): the version trained on the same data for another commit. */
  sameDataAs?: { name: string; sha: string }
}

function dataRow(d: DataInfo): string {
  if (d.fromDatasets)
    return "the project's own datasets: no fingerprint, so if-data-unchanged does not apply"
  if (!d.sha256) return 'no fingerprint (a manifest could not be read): trained as given'
  const same = d.sameDataAs
    ? `same data as ${code(d.sameDataAs.name)}, trained for ${code(d.sameDataAs.sha.slice(0, 12))}: no new training; `
    : ''
  return `${same}data-sha256 ${code(d.sha256)}`
}

const HEADLINE: Record<Outcome, string> = {
  started: '🚀 Training started',
  trained: '✅ Training completed',
  failed: '❌ Training failed',
  timeout: '⏱️ Still training when the wait ended',
  cancelled: '⏹️ Job cancelled; the training goes on in AWS',
  unusable: '⚠️ The version cannot be used'
}

/** USD, at the given hourly price, from the seconds AWS bills. */
export function trainingCost(billableSeconds: number, pricePerHour: number): number {
  return (billableSeconds / 3600) * pricePerHour
}

export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`
}

const score = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(3))
const delta = (n: number | undefined): string => (n === undefined ? '' : ` (${signed(n)})`)

export function f1Delta(r: Pick<TrainingReport, 'f1Score' | 'baseline'>): number | undefined {
  return r.f1Score !== undefined && r.baseline ? r.f1Score - r.baseline.f1 : undefined
}

function overviewRows(r: TrainingReport): string[][] {
  const rows: string[][] = [
    [
      'Version',
      `${code(r.versionName)} (${r.created ? 'started by this run' : 'existing version, reused'})`
    ]
  ]
  if (r.commit) rows.push(['Commit', code(r.commit)])
  if (r.data) rows.push(['Training data', dataRow(r.data)])
  rows.push(['ARN', code(r.arn)], ['Status', r.status ? code(r.status) : 'unknown'])
  if (r.statusMessage) rows.push(['Message', escapeMarkdown(r.statusMessage)])
  if (r.f1Score !== undefined) rows.push(['F1 score', `${score(r.f1Score)}${delta(f1Delta(r))}`])
  if (r.baseline) {
    const why = r.baseline.reason ? `: ${escapeMarkdown(r.baseline.reason)}` : ''
    rows.push(['Baseline', `${code(r.baseline.name)}, F1 ${score(r.baseline.f1)}${why}`])
  } else if (r.baselineNote) {
    rows.push(['Baseline', escapeMarkdown(r.baselineNote)])
  }
  if (r.billableSeconds !== undefined) {
    const cost = formatUsd(trainingCost(r.billableSeconds, r.pricePerHour))
    rows.push([
      'Training time',
      `${formatDuration(r.billableSeconds * 1000)} billed, about ${cost} at ${formatUsd(r.pricePerHour)}/h`
    ])
  }
  if (r.evaluationSummaryUri) rows.push(['Evaluation summary', code(r.evaluationSummaryUri)])
  const links = [`[AWS console](${versionConsoleUrl(r.region, r.projectName, r.versionName)})`]
  if (r.runUrl) links.push(`[workflow run](${r.runUrl})`)
  rows.push(['Links', links.join(' · ')])
  return rows
}

function labelTable(r: TrainingReport): string | undefined {
  if (!r.labels || r.labels.length === 0)
    return r.labelsNote ? `> ${escapeMarkdown(r.labelsNote)}` : undefined
  const compared = r.baseline !== undefined
  const header = [
    'Label',
    'Test images',
    'Precision',
    'Recall',
    'F1',
    ...(compared ? ['Δ F1'] : []),
    'Threshold'
  ]
  const rows = r.labels.map((l) => [
    escapeMarkdown(l.label),
    l.testImages === undefined ? '–' : String(l.testImages),
    score(l.precision),
    score(l.recall),
    score(l.f1),
    ...(compared ? [l.added ? 'new' : l.f1Delta === undefined ? '–' : signed(l.f1Delta)] : []),
    score(l.threshold)
  ])
  return `### Per-label metrics\n\n${table(header, rows)}`
}

function gateList(gates: GateVerdict[] | undefined): string | undefined {
  if (!gates || gates.length === 0) return undefined
  const lines = gates.map(
    (g) => `- ${g.passed ? '✅' : '❌'} \`${g.gate}\`: ${escapeMarkdown(g.detail)}`
  )
  return `### Quality gates\n\n${lines.join('\n')}`
}

export function manifestTable(manifests: ManifestInfo[] | undefined): string | undefined {
  if (!manifests || manifests.length === 0) return undefined
  const rows = manifests.map((m) => [
    code(m.file),
    String(m.images),
    String(m.boxes),
    Object.entries(m.labels)
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => `${escapeMarkdown(label)} (${n})`)
      .join(', ')
  ])
  const rare = manifests.flatMap((m) =>
    m.rare.map(
      (r) =>
        `- ⚠️ ${code(m.file)}: ${escapeMarkdown(r.label)} has only ${r.count}; at least 10 train better`
    )
  )
  const parts = [`### Manifests\n\n${table(['Manifest', 'Images', 'Boxes', 'Labels'], rows)}`]
  if (rare.length > 0) parts.push(rare.join('\n'))
  return parts.join('\n\n')
}

/** Lines in error listed in the summary and the comment (the log and annotations have more). */
const FAILED_LINES_SHOWN = 10

export function failureSection(f: FailureExplanation | undefined): string | undefined {
  if (!f) return undefined
  const parts: string[] = []
  if (f.errors.length > 0) {
    const where = (e: FailureExplanation['errors'][number]) =>
      e.dataset ? ` (${e.dataset} data)` : ''
    parts.push(
      f.errors
        .map(
          (e) =>
            `- ${code(e.code)}${where(e)}: ${escapeMarkdown(e.hint ? `${e.message} ${e.hint}` : e.message)}`
        )
        .join('\n')
    )
  }
  const rows = f.datasets.map((d) => [
    d.dataset,
    d.statistics?.total === undefined ? '–' : String(d.statistics.total),
    d.statistics?.valid === undefined ? '–' : String(d.statistics.valid),
    String(d.statistics?.invalid ?? d.linesInError),
    d.counts.length === 0 ? '–' : d.counts.map(([c, n]) => `${code(c)} ×${n}`).join(', ')
  ])
  if (rows.length > 0) {
    parts.push(table(['Dataset', 'Lines', 'Valid', 'Invalid', 'Errors'], rows))
  }
  const first = f.datasets.flatMap((d) => d.first).slice(0, FAILED_LINES_SHOWN)
  if (first.length > 0) {
    parts.push(
      `First lines in error:\n\n${first.map((l) => `- ${code(l.where)}: ${code(l.code)} ${escapeMarkdown(l.message)}`).join('\n')}`
    )
  }
  for (const note of f.unreadable) parts.push(`> ⚠️ ${escapeMarkdown(note)}`)
  return parts.length > 0 ? `### Why training failed\n\n${parts.join('\n\n')}` : undefined
}

/** How long the service's message may stay in the headline when the report must be cut. */
const SHORT_MESSAGE_CHARS = 300

/** The headline: what a reader needs first, kept whole in a report cut to fit (cutOrder 0). */
function headline(r: TrainingReport, shortMessage = false): string {
  const message =
    shortMessage && r.statusMessage && r.statusMessage.length > SHORT_MESSAGE_CHARS
      ? `${r.statusMessage.slice(0, SHORT_MESSAGE_CHARS)}… (cut)`
      : r.statusMessage
  const parts = [
    `## ${HEADLINE[r.outcome]}: ${escapeMarkdown(r.projectName)}`,
    table(['', ''], overviewRows({ ...r, statusMessage: message }))
  ]
  if (r.advice) parts.push(`> ${escapeMarkdown(r.advice)}`)
  return parts.join('\n\n')
}

/**
 * The report as sections, in the order they are shown. To add one: render it (or undefined when
 * there is nothing to show) and give it a cutOrder: 0 is never cut (status, F1, delta, gates and
 * their verdicts), higher numbers are cut first when a comment or summary must fit GitHub's limit.
 */
export function reportSections(r: TrainingReport): Section[] {
  const sections: (Section | undefined)[] = [
    { text: headline(r), cutOrder: 0, shorter: headline(r, true) },
    opt(failureSection(r.failure), 2),
    opt(gateList(r.gates), 0),
    opt(labelTable(r), 3),
    ...evaluationSections(r),
    opt(manifestTable(r.manifests), 4)
  ]
  return sections.filter((x): x is Section => x !== undefined)
}

const opt = (text: string | undefined, cutOrder: number): Section | undefined =>
  text ? { text, cutOrder } : undefined

/**
 * The evaluation's sections (charts.ts, evaluation-sections.ts), each self-contained; the long
 * lists are cut before the short notes.
 */
export function evaluationSections(r: TrainingReport): Section[] {
  const sections = [
    opt(f1ChartSection(r.labels, r.baseline?.name), 3),
    opt(confusionSection(r.confusion, r.baselineConfusion, r.baseline?.name), 3),
    opt(changedImagesSection(r.changedImages, r.baseline?.name), 4),
    opt(evaluationNotesSection(r.evaluationNotes), 1)
  ]
  return sections.filter((x): x is Section => x !== undefined)
}

function tagSection(r: TrainingReport): Section | undefined {
  const tagRows = Object.entries(r.tags).map(([k, v]) => [code(k), code(v)])
  if (tagRows.length === 0) return undefined
  return {
    text: `<details><summary>Tags (${tagRows.length})</summary>\n\n${table(['Key', 'Value'], tagRows)}\n\n</details>`,
    cutOrder: 5
  }
}

/** The job summary's sections: the report's, and the version's tags (cut first). */
function summarySections(r: TrainingReport): Section[] {
  const tags = tagSection(r)
  return [...reportSections(r), ...(tags ? [tags] : [])]
}

export function renderSummary(r: TrainingReport): string {
  return `${summarySections(r)
    .map((x) => x.text)
    .join('\n\n')}\n`
}

/** The hidden marker that finds this project's comment again on the next push. */
export function commentMarker(projectArn: string): string {
  // Only ARN characters: nothing that could end the HTML comment early (`-->`, `--!>`).
  return `<!-- train-action:${projectArn.replace(/[^A-Za-z0-9:/._-]/g, '').replace(/--+/g, '-')} -->`
}

/** The PR comment, cut by sections to fit GitHub's limit: the headline always survives. */
export function renderComment(r: TrainingReport, limit = COMMENT_MAX_CHARS): string {
  return fitSections(reportSections(r), limit, 'chars', commentCutNote, {
    before: `${commentMarker(r.projectArn)}\n`,
    after: '\n\n<sub>Updated in place by train-action on every push.</sub>\n'
  })
}
