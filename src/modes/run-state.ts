// What a training run knows so far, and the report built from it. A cancel or an error reports
// from whatever is known at that moment. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { CheckedManifest } from '../datasets/repo-manifests.js'
import type { RunContext } from '../github/github-context.js'
import type { PrComment } from '../github/pr-comment.js'
import type { ActionInputs } from '../inputs/inputs.js'
import type { ManifestInfo, Outcome, TrainingReport } from '../reporting/report.js'
import type { Results } from '../results/results.js'
import type { FailureExplanation } from '../training/failure.js'
import { evaluationSummaryUri } from '../training/outcome.js'
import { statusMeaning } from '../training/statuses.js'
import type { StartedVersion } from '../training/versions.js'

/** What the run knows so far; a cancel or an error reports from it. */
export interface RunState {
  ctx?: RunContext
  inputs?: ActionInputs
  region?: string
  version?: StartedVersion
  last?: ProjectVersionDescription
  results?: Results
  comment?: PrComment
  manifests?: CheckedManifest[]
  /** What the service wrote about the data of a failed training. */
  failure?: FailureExplanation
}

export function outcomeOf(d: ProjectVersionDescription | undefined): Outcome {
  const meaning = statusMeaning(d?.Status)
  return meaning === 'in-progress' ? 'started' : meaning
}

export function manifestInfo(checked: CheckedManifest[] | undefined): ManifestInfo[] | undefined {
  return checked?.map((m) => ({
    file: m.relative,
    images: m.report.stats.images,
    boxes: m.report.stats.boxes,
    labels: m.report.stats.labels,
    rare: m.rare
  }))
}

export function buildReport(
  state: RunState,
  outcome: Outcome,
  advice?: string
): TrainingReport | undefined {
  const { ctx, inputs, version, region, last, results } = state
  if (!ctx || !inputs || !version || !region) return undefined
  const runUrl = ctx.runId
    ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`
    : undefined
  return {
    outcome,
    region,
    projectName: inputs.projectName,
    projectArn: inputs.projectArn,
    versionName: version.name,
    arn: version.arn,
    created: version.created,
    status: last?.Status,
    statusMessage: last?.StatusMessage,
    f1Score: last?.EvaluationResult?.F1Score,
    billableSeconds: last?.BillableTrainingTimeInSeconds,
    pricePerHour: inputs.trainingPricePerHour,
    evaluationSummaryUri: evaluationSummaryUri(last),
    tags: inputs.tags,
    ...results,
    advice,
    commit: ctx.sha,
    runUrl,
    manifests: manifestInfo(state.manifests),
    failure: state.failure
  }
}
