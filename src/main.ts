// The edge: reads the runner's environment, runs the plan, writes outputs, the log, the job
// summary and the PR comment. Everything it calls is pure or takes its clients as arguments.
import * as core from '@actions/core'
import { type ProjectVersionDescription, type RekognitionClient } from '@aws-sdk/client-rekognition'
import { readFileSync } from 'node:fs'
import { rekognitionClient } from './aws-clients.js'
import { hasAwsCredentials } from './credentials.js'
import { ActionError, InputError } from './errors.js'
import { readRunContext, type RunContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { cancelMessage, evaluationSummaryUri, failureMessage, timeoutMessage } from './outcome.js'
import { PrComment } from './pr-comment.js'
import { chooseRegion } from './region.js'
import { projectHistory } from './project-history.js'
import {
  checkRepositoryManifests,
  uploadRepositoryManifests,
  type CheckedManifest
} from './repo-manifests.js'
import { redactor, safeLog, type LogSink } from './safe-log.js'
import {
  commentMarker,
  f1Delta,
  manifestTable,
  renderComment,
  renderSummary,
  type ManifestInfo,
  type Outcome,
  type TrainingReport
} from './report.js'
import { buildCreateRequest } from './request.js'
import { backoffDelay } from './retry.js'
import type { Results } from './results.js'
import { statusMeaning } from './statuses.js'
import { lookupVersion, startOrReuse, type StartedVersion } from './versions.js'
import { abortableSleep, waitForTraining, type WaitResult } from './wait.js'

/** What the run knows so far; a cancel or an error reports from it. */
interface RunState {
  ctx?: RunContext
  inputs?: ActionInputs
  region?: string
  version?: StartedVersion
  last?: ProjectVersionDescription
  results?: Results
  comment?: PrComment
  manifests?: CheckedManifest[]
}

/** Every line the action writes goes through here: secrets redacted, info lines kept to one. */
let log: LogSink = core
let redact = (text: string): string => text

/** After a cancel, the most the process lingers before it exits on its own. */
const CANCEL_GRACE_MS = 4_000

function readEventPayload(path: string | undefined): unknown {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    log.warning(`Could not read the event payload at ${path}; pull request details are unknown.`)
    return {}
  }
}

/** Secrets never reach the log, even inside an echoed error. */
function maskSecrets(...values: (string | undefined)[]): void {
  for (const secret of values) if (secret) core.setSecret(secret)
}

function announce(version: StartedVersion): void {
  // Written before anything else can fail, so the training is never lost.
  core.setOutput('project-version-arn', version.arn)
  core.setOutput('version-name', version.name)
  core.setOutput('created', String(version.created))
  log.info(`${version.created ? 'Started training' : 'Attached to'} ${version.arn}`)
}

/** Outputs follow every status seen, so whatever ends the step they hold the last truth. */
function publishStatus(state: RunState, d: ProjectVersionDescription): void {
  const changed = state.last?.Status !== d.Status
  state.last = d
  core.setOutput('status', d.Status ?? '')
  core.setOutput('status-message', d.StatusMessage ?? '')
  const f1 = d.EvaluationResult?.F1Score
  if (f1 !== undefined) core.setOutput('f1-score', String(f1))
  if (d.BillableTrainingTimeInSeconds !== undefined) {
    core.setOutput('billable-training-seconds', String(d.BillableTrainingTimeInSeconds))
  }
  const uri = evaluationSummaryUri(d)
  if (uri) core.setOutput('evaluation-summary-uri', uri)
  if (changed && d.Status)
    log.info(`Status: ${d.Status}${d.StatusMessage ? ` (${d.StatusMessage})` : ''}`)
}

function publishBaseline(state: RunState, results: Results): void {
  const { baseline } = results
  if (!baseline) return
  core.setOutput('baseline-version-arn', baseline.arn)
  core.setOutput('baseline-f1-score', String(baseline.f1))
  const delta = f1Delta({ f1Score: state.last?.EvaluationResult?.F1Score, baseline })
  if (delta !== undefined) core.setOutput('f1-delta', delta.toFixed(6).replace(/\.?0+$/, ''))
}

function outcomeOf(d: ProjectVersionDescription | undefined): Outcome {
  const meaning = statusMeaning(d?.Status)
  return meaning === 'in-progress' ? 'started' : meaning
}

function manifestInfo(checked: CheckedManifest[] | undefined): ManifestInfo[] | undefined {
  return checked?.map((m) => ({
    file: m.relative,
    images: m.report.stats.images,
    boxes: m.report.stats.boxes,
    labels: m.report.stats.labels,
    rare: m.rare
  }))
}

function buildReport(
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
    manifests: manifestInfo(state.manifests)
  }
}

/** The job summary and the PR comment, from the same report. */
async function report(state: RunState, outcome: Outcome, advice?: string): Promise<void> {
  const r = buildReport(state, outcome, advice)
  if (!r) return
  const url = await state.comment?.upsert(redact(renderComment(r)))
  if (url) core.setOutput('comment-url', url)
  await writeMarkdown(renderSummary(r))
}

async function writeMarkdown(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(redact(markdown)).write({ overwrite: true })
  } catch (err) {
    log.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  }
}

function prComment(ctx: RunContext, inputs: ActionInputs): PrComment | undefined {
  if (!inputs.commentOnPr || ctx.prNumber === undefined) return undefined
  if (!inputs.githubToken) {
    log.warning('comment-on-pr is true but github-token is empty: no PR comment.')
    return undefined
  }
  const api = {
    baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    token: inputs.githubToken,
    retryDelayMs: (attempt: number) => backoffDelay(attempt, inputs.pollIntervalSeconds * 1000)
  }
  return new PrComment(
    { api, repo: ctx.repository, pr: ctx.prNumber, marker: commentMarker(inputs.projectArn) },
    core
  )
}

async function execute(state: RunState, cancel: AbortSignal): Promise<void> {
  const ctx = readRunContext(process.env, readEventPayload(process.env.GITHUB_EVENT_PATH))
  state.ctx = ctx
  const inputs = parseInputs((name) => core.getInput(name), ctx, new Date())
  state.inputs = inputs
  const { region, notice } = chooseRegion(inputs.region, process.env, inputs.arnRegion)
  state.region = region
  if (notice) log.notice(notice)

  // Repository manifests are checked before anything else touches AWS, dry-run and forks included.
  state.manifests = await checkRepositoryManifests(
    [
      { input: 'training-manifests', refs: inputs.trainingManifests },
      { input: 'testing-manifests', refs: inputs.testingManifests }
    ],
    ctx.workspace,
    {
      annotate: (m, file, line) => core.error(redact(m), { file, startLine: line }),
      warning: log.warning
    }
  )

  if (inputs.dryRun) {
    core.setOutput('version-name', inputs.versionName)
    const table = manifestTable(manifestInfo(state.manifests))
    if (table) await writeMarkdown(`## Dry run: manifests checked\n\n${table}\n`)
    log.info(`Dry run: no AWS call made. CreateProjectVersion in ${region} would be:`)
    core.info(redact(JSON.stringify(buildCreateRequest(inputs, inputs.versionName), null, 2)))
    return
  }
  if (ctx.fromFork && !hasAwsCredentials(process.env)) {
    log.notice(
      'Skipped: this pull request comes from a fork, and GitHub gives workflows of fork pull requests no secrets, so there are no AWS credentials to train with. The inputs were checked. Use dry-run: true to check a fork’s data, and train after merging or from a maintainer’s branch.'
    )
    return
  }

  const client = rekognitionClient({ region, pollIntervalMs: inputs.pollIntervalSeconds * 1000 })
  const waitStarted = Date.now()
  const version = await startOrReuse(client, {
    projectArn: inputs.projectArn,
    versionName: inputs.versionName,
    ifVersionExists: inputs.ifVersionExists,
    buildRequest: async (name) => {
      await uploadRepositoryManifests(inputs, region, name, log)
      return buildCreateRequest(inputs, name)
    },
    log,
    cancel
  })
  state.version = version
  announce(version)
  publishStatus(
    state,
    version.description ?? { ProjectVersionArn: version.arn, Status: 'TRAINING_IN_PROGRESS' }
  )
  state.comment = prComment(ctx, inputs)

  let result: WaitResult | undefined
  if (version.description && statusMeaning(version.description.Status) !== 'in-progress') {
    result = { outcome: 'ended', description: version.description }
  } else if (inputs.wait) {
    await state.comment?.upsert(redact(renderComment(buildReport(state, 'started')!)))
    const minutes = inputs.waitTimeoutMinutes
    // A tenth of the wait at most (and 20 s): a slow service must not eat the wait with it.
    const historyBudget = Math.max(250, Math.min(20_000, (minutes * 60_000) / 10))
    const prediction = await projectHistory(
      client,
      inputs.projectArn,
      version,
      historyBudget,
      cancel,
      { info: (l) => log.info(l), debug: (l) => core.debug(l) }
    )
    log.info(
      `Waiting up to ${minutes} min for ${version.name} (checks at most every ${inputs.pollIntervalSeconds} s).`
    )
    result = await waitForTraining(
      {
        describe: (signal) => lookupVersion(client, inputs.projectArn, version.name, signal),
        now: Date.now,
        sleep: abortableSleep,
        log,
        onCheck: (d) => publishStatus(state, d),
        cancel
      },
      {
        arn: version.arn,
        trainingStartedAt: version.description?.CreationTimestamp?.getTime() ?? waitStarted,
        deadline: waitStarted + minutes * 60_000,
        maxIntervalMs: inputs.pollIntervalSeconds * 1000,
        prediction
      }
    )
  }
  if (!result) {
    await report(state, 'started')
    return
  }
  await finish(state, client, result)
}

async function finish(
  state: RunState,
  client: RekognitionClient,
  result: WaitResult
): Promise<void> {
  const inputs = state.inputs!
  const arn = state.version!.arn
  if (result.outcome === 'cancelled') {
    await report(state, 'cancelled', cancelMessage(arn))
    log.setFailed(cancelMessage(arn))
    return
  }
  if (result.outcome === 'timeout') {
    const message = timeoutMessage(arn, inputs.waitTimeoutMinutes, state.last?.Status)
    await report(state, 'timeout', message)
    if (inputs.failOnTimeout) log.setFailed(message)
    else log.warning(message)
    return
  }
  const d = result.description
  const outcome = outcomeOf(d)
  if (outcome === 'failed' || outcome === 'unusable') {
    const message =
      outcome === 'failed' ? failureMessage(d) : `Version ${arn} is ${d.Status}: it cannot be used.`
    await report(state, outcome, message)
    log.setFailed(message)
    return
  }
  const { gatherResults } = await import('./results.js')
  const { readS3Text } = await import('./s3-text.js')
  state.results = await gatherResults(
    {
      client,
      readText: (uri) => readS3Text(state.region!, uri, inputs.pollIntervalSeconds * 1000),
      warning: (l) => log.warning(l)
    },
    inputs,
    state.version!.name,
    d
  )
  publishBaseline(state, state.results)
  const failed = state.results.gates.filter((g) => !g.passed)
  await report(state, outcome)
  log.info(`Training ${d.Status}: F1 ${d.EvaluationResult?.F1Score ?? 'n/a'}, ${arn}`)
  // The gates fail the step only now: outputs, summary and comment are already written.
  if (failed.length > 0) {
    log.setFailed(failed.map((g) => `Quality gate ${g.gate} failed: ${g.detail}`).join('; '))
  }
}

export async function run(): Promise<void> {
  // Known before any input is parsed, so not even an error echoing an input can show them.
  const secrets = [
    process.env.AWS_SECRET_ACCESS_KEY,
    process.env.AWS_SESSION_TOKEN,
    core.getInput('github-token')
  ]
  maskSecrets(...secrets)
  redact = redactor(secrets)
  log = safeLog(core, redact)
  const state: RunState = {}
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) return
    log.warning(`${signal} received. ${cancelMessage(state.version?.arn)}`)
    cancel.abort()
    // If a request still holds the loop, leave anyway: outputs are already on disk.
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await execute(state, cancel.signal)
  } catch (err) {
    if (err instanceof InputError || err instanceof ActionError) {
      if (state.version) await report(state, outcomeOf(state.last), err.message)
      log.setFailed(err.message)
    } else {
      core.debug(err instanceof Error ? (err.stack ?? err.message) : String(err))
      log.setFailed(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`)
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
