// The deployment's part of the job summary: what was started, what it costs an hour, the smoke
// test, what was stopped, and what runs in the project now. Pure.
import { formatDuration } from '../inputs/duration.js'
import { formatUsd } from '../reporting/report.js'
import { code, escapeMarkdown, table } from '../reporting/markdown.js'
import { versionNameOf } from '../training/lookup.js'
import { answeredRight, costPerHour, DEPLOY_TAGS, type Hosted, type SmokeAnswer } from './plan.js'

/** A share as a percentage with one decimal: `0.9125` -> `91.3%`. */
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

export interface DeployReport {
  /** deploy-status. */
  status: string
  arn?: string
  /** What happened, in a sentence (why nothing was started, why it failed, how it stops). */
  note?: string
  units?: { min: number; max?: number }
  pricePerHour: number
  smoke?: { answers: SmokeAnswer[]; accuracy: number; min: number }
  stopped: string[]
  /** The project's STARTING/RUNNING versions, as last seen. */
  hosted?: Hosted[]
  now: number
}

const ICON: Record<string, string> = {
  RUNNING: '🟢',
  STARTING: '⏳',
  FAILED: '❌',
  SMOKE_TEST_FAILED: '❌',
  TIMEOUT: '⏱️'
}

const name = (arn: string): string => versionNameOf(arn) ?? arn

function unitsText(u: { min: number; max?: number }, price: number): string {
  const low = formatUsd(costPerHour(u.min, price))
  if (u.max === undefined || u.max === u.min)
    return `${u.min} inference unit${u.min === 1 ? '' : 's'} at ${formatUsd(price)} per unit hour: **${low} an hour** while it runs, used or not`
  return `${u.min}-${u.max} inference units (auto-scaling) at ${formatUsd(price)} per unit hour: **${low} to ${formatUsd(costPerHour(u.max, price))} an hour** while it runs, used or not`
}

function smokeTable(s: NonNullable<DeployReport['smoke']>): string {
  const rows = s.answers.map((a) => [
    code(a.image),
    escapeMarkdown(a.expected.join(', ') || '(none)'),
    a.error
      ? `error: ${escapeMarkdown(a.error.slice(0, 120))}`
      : escapeMarkdown(a.answered.map((x) => x.name).join(', ') || '(none)'),
    a.answered.length > 0 ? a.answered.map((x) => `${x.confidence.toFixed(1)}%`).join(', ') : '',
    answeredRight(a) ? '✅' : '❌'
  ])
  return [
    `**Smoke test**: ${pct(s.accuracy)} right (${s.answers.filter(answeredRight).length} of ${s.answers.length}), needs ${pct(s.min)}: ${s.accuracy >= s.min ? 'passed' : 'failed'}.`,
    '',
    table(['Image', 'Expected', 'Answered', 'Confidence', ''], rows)
  ].join('\n')
}

function hostedTable(hosted: Hosted[], price: number, now: number): string {
  if (hosted.length === 0) return '**Running in the project now**: nothing.'
  const rows = hosted.map((h) => {
    const started = Date.parse(h.tags[DEPLOY_TAGS.startedAt] ?? '')
    const units = h.minUnits ?? 1
    return [
      code(name(h.arn)),
      h.status,
      h.maxUnits && h.maxUnits !== units ? `${units}-${h.maxUnits}` : String(units),
      formatUsd(costPerHour(units, price)),
      Number.isFinite(started)
        ? formatDuration(now - started)
        : 'unknown (not started by this action)',
      h.tags[DEPLOY_TAGS.deployedBy]
        ? escapeMarkdown(
            `${h.tags[DEPLOY_TAGS.deployedBy]}${h.tags[DEPLOY_TAGS.pr] ? ` #${h.tags[DEPLOY_TAGS.pr]}` : ''}`
          )
        : 'by hand or another tool',
      h.tags[DEPLOY_TAGS.stopAfter] ? code(h.tags[DEPLOY_TAGS.stopAfter]) : ''
    ]
  })
  const total = hosted.reduce((s, h) => s + costPerHour(h.minUnits ?? 1, price), 0)
  return [
    `**Running in the project now**: ${hosted.length} version${hosted.length === 1 ? '' : 's'}, at least ${formatUsd(total)} an hour together.`,
    '',
    table(
      ['Version', 'Status', 'Units', 'Per hour', 'Running for', 'Deployed by', 'Stops at'],
      rows
    )
  ].join('\n')
}

export function renderDeploySection(r: DeployReport): string {
  const head = `## ${ICON[r.status] ?? 'ℹ️'} Deployment: ${escapeMarkdown(r.status)}`
  const lines = [head, '']
  if (r.arn) lines.push(`- **Version**: ${code(r.arn)}`)
  if (r.units) lines.push(`- **Cost**: ${unitsText(r.units, r.pricePerHour)}.`)
  if (r.note) lines.push(`- ${escapeMarkdown(r.note)}`)
  if (r.stopped.length > 0)
    lines.push(`- **Stopped**: ${r.stopped.map((a) => code(name(a))).join(', ')}`)
  const parts = [lines.join('\n')]
  if (r.smoke) parts.push(smokeTable(r.smoke))
  if (r.hosted) parts.push(hostedTable(r.hosted, r.pricePerHour, r.now))
  return parts.join('\n\n') + '\n'
}
