// What a training run knows so far, and the report built from it. A cancel or an error reports
// from whatever is known at that moment. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { CheckedManifest } from '../datasets/repo-manifests.js'
import type { RunContext } from '../github/github-context.js'
import type { PrComment } from '../github/pr-comment.js'
import type { ActionInputs } from '../inputs/inputs.js'
import {
  manifestTable,
  type ManifestInfo,
  type Outcome,
  type TrainingReport
} from '../reporting/report.js'
import { code, escapeMarkdown } from '../reporting/markdown.js'
import type { Results } from '../results/results.js'
import type { FailureExplanation } from '../training/failure.js'
import { evaluationSummaryUri } from '../training/outcome.js'
import { statusMeaning } from '../training/statuses.js'
import type { StartedVersion } from '../training/versions.js'

/** The inputs a report and the end of a training need (a collector has them from the version's tags). */
export type ReportInputs = Pick<
  ActionInputs,
  | 'projectArn'
  | 'projectName'
  | 'versionName'
  | 'trainingPricePerHour'
  | 'tags'
  | 'baselineVersion'
  | 'minF1Score'
  | 'maxF1Drop'
  | 'minLabelF1Score'
  | 'maxLabelF1Drop'
  | 'pollIntervalSeconds'
>

/** Where the PR comment goes. */
export type CommentSink = Pick<PrComment, 'upsert'>

/** What the run knows so far; a cancel or an error reports from it. */
export interface RunState {
  ctx?: RunContext
  inputs?: ReportInputs
  region?: string
  version?: StartedVersion
  /** The name of a version being created (CreateProjectVersion sent, no answer yet). */
  creating?: string
  last?: ProjectVersionDescription
  results?: Results
  comment?: CommentSink
  manifests?: CheckedManifest[]
  /** The repository manifests' checkout was read and holds the commit the version is named after. */
  commitChecked?: boolean
  /** What the service wrote about the data of a failed training. */
  failure?: FailureExplanation
  /** The training data's fingerprint; none for a project trained from its own datasets. */
  data?: { sha256?: string; fromDatasets: boolean }
  /** The version was reused for its data: the one trained for that other commit. */
  sameData?: { name: string; sha: string }
  /** deploy: true has begun starting the version: a cancel now is the deploy's to explain. */
  deploying?: boolean
}

/**
 * The workflow run's page, when the run id is known. Only a numeric id makes a link: a collector
 * reads it from a version's tag, which anyone who can tag the version may have written.
 */
export function runUrl(ctx: RunContext): string | undefined {
  return /^\d{1,20}$/.test(ctx.runId)
    ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`
    : undefined
}

export function outcomeOf(d: ProjectVersionDescription | undefined): Outcome {
  const meaning = statusMeaning(d?.Status)
  // A status the action does not know is never reported as an end: still 'started'.
  return meaning === 'in-progress' || meaning === 'unknown' ? 'started' : meaning
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
    runUrl: runUrl(ctx),
    manifests: manifestInfo(state.manifests),
    failure: state.failure,
    data: state.data && { ...state.data, sameDataAs: state.sameData }
  }
}

/**
 * The job summary of a run that trained nothing (a dry run, or a fork's pull request without
 * credentials): what was checked, the version it would have been, and why nothing was trained.
 */
export function notTrainedSummary(
  state: RunState,
  why: 'dry-run' | 'fork',
  versionName: string
): string {
  const { ctx, inputs } = state
  const manifests = manifestInfo(state.manifests) ?? []
  const checked = [
    'every input',
    manifests.length > 0
      ? `${manifests.length} manifest${manifests.length === 1 ? '' : 's'} in the repository, line by line`
      : undefined,
    state.commitChecked && ctx
      ? `that the checkout holds the commit the version is named after (${code(ctx.sha)})`
      : undefined
  ].filter(Boolean)
  const head =
    why === 'dry-run'
      ? '## 🔎 Dry run: checked, nothing trained'
      : '## ⏭️ Skipped: a pull request from a fork'
  const reason =
    why === 'dry-run'
      ? 'dry-run is true: no AWS call was made.'
      : 'GitHub gives workflows of pull requests from forks no secrets, so there are no AWS credentials to train with. Train it after review: merge it, push it to a branch of this repository, or approve a workflow_run training.'
  const lines = [
    head,
    '',
    `- **Checked**: ${checked.join(', ')}.`,
    `- **Version**: ${code(versionName)}${inputs ? ` in ${escapeMarkdown(inputs.projectName)}` : ''}, not created.`,
    `- **Why nothing was trained**: ${reason}`
  ]
  const table = manifestTable(manifests)
  return `${lines.join('\n')}\n${table ? `\n${table}\n` : ''}`
}
