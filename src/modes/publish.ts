// Outputs, the job summary and the PR comment of a training run: the only writes a mode makes.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { fitText } from '../github/fit.js'
import { f1Delta, renderComment, renderSummary, type Outcome } from '../reporting/report.js'
import type { Results } from '../results/results.js'
import { evaluationSummaryUri } from '../training/outcome.js'
import type { StartedVersion } from '../training/versions.js'
import type { ActionIo } from './io.js'
import { buildReport, type RunState } from './run-state.js'

export function announce(io: ActionIo, version: StartedVersion): void {
  // Written before anything else can fail, so the training is never lost.
  io.setOutput('project-version-arn', version.arn)
  io.setOutput('version-name', version.name)
  io.setOutput('created', String(version.created))
  io.log.info(`${version.created ? 'Started training' : 'Attached to'} ${version.arn}`)
}

/** Outputs follow every status seen, so whatever ends the step they hold the last truth. */
export function publishStatus(io: ActionIo, state: RunState, d: ProjectVersionDescription): void {
  const changed = state.last?.Status !== d.Status
  state.last = d
  io.setOutput('status', d.Status ?? '')
  io.setOutput('status-message', d.StatusMessage ?? '')
  const f1 = d.EvaluationResult?.F1Score
  if (f1 !== undefined) io.setOutput('f1-score', String(f1))
  if (d.BillableTrainingTimeInSeconds !== undefined) {
    io.setOutput('billable-training-seconds', String(d.BillableTrainingTimeInSeconds))
  }
  const uri = evaluationSummaryUri(d)
  if (uri) io.setOutput('evaluation-summary-uri', uri)
  if (changed && d.Status)
    io.log.info(`Status: ${d.Status}${d.StatusMessage ? ` (${d.StatusMessage})` : ''}`)
}

export function publishBaseline(io: ActionIo, state: RunState, results: Results): void {
  const { baseline } = results
  if (!baseline) return
  io.setOutput('baseline-version-arn', baseline.arn)
  io.setOutput('baseline-f1-score', String(baseline.f1))
  const delta = f1Delta({ f1Score: state.last?.EvaluationResult?.F1Score, baseline })
  if (delta !== undefined) io.setOutput('f1-delta', delta.toFixed(6).replace(/\.?0+$/, ''))
}

/**
 * The job summary and the PR comment, from the same report. The summary is written first: a slow
 * or failing GitHub cannot cost it. When the comment is not written, the summary is written again
 * with a line on top saying why.
 */
export async function report(
  io: ActionIo,
  state: RunState,
  outcome: Outcome,
  advice?: string
): Promise<void> {
  const r = buildReport(state, outcome, advice)
  if (!r) return
  const summary = renderSummary(r)
  await writeMarkdown(io, summary)
  const result = await state.comment?.upsert(io.redact(renderComment(r)))
  if (!result) return
  if (result.written) io.setOutput('comment-url', result.url)
  // First, so that a summary cut to fit GitHub's limit still says it.
  else await writeMarkdown(io, `> ${result.note}\n\n${summary}`)
}

/**
 * GitHub takes at most 1 MiB of summary per step ("$GITHUB_STEP_SUMMARY upload aborted, supports
 * content up to a size of 1024k"; https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary).
 * Kept a little under it, in UTF-8 bytes.
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 1024

const summaryCut = (): string =>
  "\n\n> ✂️ Cut to fit GitHub's limit of 1 MiB for a job summary; the outputs and the evaluation summary in S3 have the rest.\n"

export async function writeMarkdown(io: ActionIo, markdown: string): Promise<void> {
  try {
    await io.writeSummary(fitText(io.redact(markdown), SUMMARY_MAX_BYTES, 'bytes', summaryCut))
  } catch (err) {
    io.log.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  }
}
