// The job summary: what was trained, how it went, what it cost. Pure: returns Markdown.
import { versionConsoleUrl } from './console-link.js'
import { formatDuration } from './duration.js'
import { code, escapeMarkdown, table } from './markdown.js'
import type { Tags } from './tags.js'

export type Outcome = 'started' | 'trained' | 'failed' | 'timeout' | 'cancelled' | 'unusable'

export interface TrainingReport {
  outcome: Outcome
  region: string
  projectName: string
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
  /** One sentence on what to do next (timeouts, cancels, failures). */
  advice?: string
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

export function renderSummary(r: TrainingReport): string {
  const url = versionConsoleUrl(r.region, r.projectName, r.versionName)
  const rows: string[][] = [
    [
      'Version',
      `${code(r.versionName)} (${r.created ? 'started by this run' : 'existing version, reused'})`
    ],
    ['ARN', code(r.arn)],
    ['Status', r.status ? code(r.status) : 'unknown']
  ]
  if (r.statusMessage) rows.push(['Message', escapeMarkdown(r.statusMessage)])
  if (r.f1Score !== undefined) rows.push(['F1 score', r.f1Score.toFixed(3)])
  if (r.billableSeconds !== undefined) {
    const cost = formatUsd(trainingCost(r.billableSeconds, r.pricePerHour))
    rows.push([
      'Training time',
      `${formatDuration(r.billableSeconds * 1000)} billed, about ${cost} at ${formatUsd(r.pricePerHour)}/h`
    ])
  }
  if (r.evaluationSummaryUri) rows.push(['Evaluation summary', code(r.evaluationSummaryUri)])
  rows.push(['Console', `[Open the model in the AWS console](${url})`])

  const parts = [
    `## ${HEADLINE[r.outcome]}: ${escapeMarkdown(r.projectName)}`,
    table(['', ''], rows)
  ]
  if (r.advice) parts.push(`> ${escapeMarkdown(r.advice)}`)
  const tagRows = Object.entries(r.tags).map(([k, v]) => [code(k), code(v)])
  if (tagRows.length > 0) {
    parts.push(
      `<details><summary>Tags (${tagRows.length})</summary>\n\n${table(['Key', 'Value'], tagRows)}\n\n</details>`
    )
  }
  return `${parts.join('\n\n')}\n`
}
