// The `train` mode: check the inputs and the data, start (or attach to) a training, wait for it if
// asked, then report: outputs, job summary, PR comment, gates. Composes the pieces; the runner is
// reached only through `io`.
import type { ProjectVersionDescription, RekognitionClient } from '@aws-sdk/client-rekognition'
import { readFileSync } from 'node:fs'
import { boundedSignal } from '../aws/abort.js'
import { rekognitionClient, socketsFor, type Sockets } from '../aws/aws-clients.js'
import { hasAwsCredentials } from '../aws/credentials.js'
import { checkProxyEnv, proxySummary } from '../aws/proxy-env.js'
import { checkManifestCommit } from '../datasets/commit-check.js'
import {
  checkRepositoryManifests,
  planUploads,
  uploadRepositoryManifests
} from '../datasets/repo-manifests.js'
import { readRunContext, type RunContext } from '../github/github-context.js'
import { lazyGitHubClient } from '../github/octokit.js'
import { PrComment } from '../github/pr-comment.js'
import { parseInputs, type ActionInputs } from '../inputs/inputs.js'
import { chooseRegion } from '../inputs/region.js'
import { commentMarker, renderComment } from '../reporting/report.js'
import { cancelMessage, failureMessage, timeoutMessage } from '../training/outcome.js'
import { projectHistory } from '../training/project-history.js'
import { checkBucketRegion, checkProjectDatasets } from '../training/preflight.js'
import { buildCreateRequest } from '../training/request.js'
import { keepsWaiting } from '../training/statuses.js'
import { lookupVersion, startOrReuse } from '../training/versions.js'
import { abortableSleep, waitForTraining, type WaitResult } from '../training/wait.js'
import type { FailureExplanation } from '../training/failure.js'
import type { ActionIo } from './io.js'
import { announce, publishBaseline, publishStatus, report, writeMarkdown } from './publish.js'
import { buildReport, notTrainedSummary, outcomeOf, type RunState } from './run-state.js'

function readEventPayload(io: ActionIo, path: string | undefined): unknown {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    io.log.warning(`Could not read the event payload at ${path}; pull request details are unknown.`)
    return {}
  }
}

/** Bounds of the PR comment: one HTTP exchange, one call with its retries, one whole write. */
const GITHUB_REQUEST_TIMEOUT_MS = 10_000
const GITHUB_CALL_BUDGET_MS = 20_000
const COMMENT_BUDGET_MS = 30_000

function prComment(io: ActionIo, ctx: RunContext, inputs: ActionInputs): PrComment | undefined {
  if (!inputs.commentOnPr || ctx.prNumber === undefined) return undefined
  if (!inputs.githubToken) {
    io.log.warning('comment-on-pr is true but github-token is empty: no PR comment.')
    return undefined
  }
  const client = lazyGitHubClient({
    token: inputs.githubToken,
    baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    log: { debug: (line) => io.debug(line) },
    requestTimeoutMs: GITHUB_REQUEST_TIMEOUT_MS,
    callBudgetMs: GITHUB_CALL_BUDGET_MS
  })
  return new PrComment(
    {
      client,
      token: inputs.githubToken,
      owner: ctx.owner,
      repo: ctx.repo,
      pr: ctx.prNumber,
      marker: commentMarker(inputs.projectArn),
      sha: ctx.sha,
      budgetMs: COMMENT_BUDGET_MS
    },
    { warning: (line) => io.log.warning(line), debug: (line) => io.debug(line) }
  )
}

/** The runner's cancel: `cancel` at the first signal, `lastChance` just before SIGKILL. */
export interface CancelSignals {
  cancel: AbortSignal
  lastChance?: AbortSignal
}

export async function train(
  io: ActionIo,
  state: RunState,
  { cancel, lastChance }: CancelSignals
): Promise<void> {
  const ctx = readRunContext(io.env, readEventPayload(io, io.env.GITHUB_EVENT_PATH))
  state.ctx = ctx
  const inputs = parseInputs((name) => io.getInput(name), ctx, new Date())
  state.inputs = inputs
  // The proxy variables are inputs of a kind: a bad one fails here, before any AWS call.
  checkProxyEnv(io.env)
  const { region, notice } = chooseRegion(inputs.region, io.env, inputs.arnRegion)
  state.region = region
  if (notice) io.log.notice(notice)

  // Repository manifests are checked before anything else touches AWS, dry-run and forks included.
  state.manifests = await checkRepositoryManifests(
    [
      { input: 'training-manifests', refs: inputs.trainingManifests },
      { input: 'testing-manifests', refs: inputs.testingManifests }
    ],
    ctx.workspace,
    {
      annotate: (m, file, line) => io.annotate(m, file, line),
      warning: io.log.warning
    }
  )

  // The version is named after ctx.sha: the files uploaded must be that commit's.
  state.commitChecked = checkManifestCommit(
    [...inputs.trainingManifests, ...inputs.testingManifests].flatMap((r) =>
      r.kind === 'path' ? [r.path] : []
    ),
    ctx,
    io.debug
  )
  // The uploaded keys must fit S3 (checked again with the final name just before the upload).
  planUploads(state.manifests, inputs.outputPrefix, inputs.versionName)

  if (inputs.dryRun) {
    io.setOutput('version-name', inputs.versionName)
    await writeMarkdown(io, notTrainedSummary(state, 'dry-run'))
    io.log.info(`Dry run: no AWS call made. CreateProjectVersion in ${region} would be:`)
    io.infoBlock(JSON.stringify(buildCreateRequest(inputs, inputs.versionName), null, 2))
    return
  }
  if (ctx.fromFork && !hasAwsCredentials(io.env)) {
    io.setOutput('version-name', inputs.versionName)
    await writeMarkdown(io, notTrainedSummary(state, 'fork'))
    io.log.notice(
      'Skipped: this pull request comes from a fork, and GitHub gives workflows of fork pull requests no secrets, so there are no AWS credentials to train with. The inputs were checked. Use dry-run: true to check a fork’s data, and train after merging or from a maintainer’s branch.'
    )
    return
  }

  const sockets = await socketsFor(io.env)
  const proxied = proxySummary(io.env)
  if (proxied) io.log.info(proxied)
  const client = rekognitionClient({
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets
  })
  // Before anything is uploaded or paid for: datasets or manifests, and the bucket's region.
  await checkProjectDatasets(client, inputs, { warning: io.log.warning, debug: io.debug }, cancel)
  if (state.manifests.length > 0) {
    await checkBucketRegion(
      region,
      inputs.outputBucket,
      inputs.arnRegion,
      inputs.pollIntervalSeconds * 1000,
      sockets,
      { warning: io.log.warning, debug: io.debug },
      cancel
    )
  }
  const manifests = state.manifests
  const waitStarted = Date.now()
  const deadline = waitStarted + inputs.waitTimeoutMinutes * 60_000
  const version = await startOrReuse(client, {
    projectArn: inputs.projectArn,
    versionName: inputs.versionName,
    ifVersionExists: inputs.ifVersionExists,
    buildRequest: async (name) => {
      await uploadRepositoryManifests(inputs, manifests, region, name, io.log, sockets)
      return buildCreateRequest(inputs, name)
    },
    log: io.log,
    cancel,
    lastChance,
    deadline,
    onCreating: (name) => (state.creating = name)
  })
  state.version = version
  announce(io, version)
  publishStatus(
    io,
    state,
    version.description ?? { ProjectVersionArn: version.arn, Status: 'TRAINING_IN_PROGRESS' }
  )
  state.comment = prComment(io, ctx, inputs)

  let result: WaitResult | undefined
  if (version.description && !keepsWaiting(version.description.Status)) {
    result = { outcome: 'ended', description: version.description }
  } else if (cancel.aborted) {
    // Cancelled while the create was answering: the ARN is out; report, and nothing more.
    result = { outcome: 'cancelled', last: version.description }
  } else if (inputs.wait) {
    // Not awaited: the comment is written beside the wait, so a slow GitHub cannot eat it. The
    // final report's write is queued behind this one.
    void state.comment?.upsert(io.redact(renderComment(buildReport(state, 'started')!)))
    const minutes = inputs.waitTimeoutMinutes
    // A tenth of the wait at most (and 20 s): a slow service must not eat the wait with it.
    const historyBudget = Math.max(250, Math.min(20_000, (minutes * 60_000) / 10))
    const prediction = await projectHistory(
      client,
      inputs.projectArn,
      version,
      historyBudget,
      cancel,
      { info: (l) => io.log.info(l), debug: (l) => io.debug(l) }
    )
    io.log.info(
      `Waiting up to ${minutes} min for ${version.name} (checks at most every ${inputs.pollIntervalSeconds} s).`
    )
    result = await waitForTraining(
      {
        describe: (signal) => lookupVersion(client, inputs.projectArn, version.name, signal),
        now: Date.now,
        sleep: abortableSleep,
        log: io.log,
        onCheck: (d) => publishStatus(io, state, d),
        cancel
      },
      {
        arn: version.arn,
        trainingStartedAt: version.description?.CreationTimestamp?.getTime() ?? waitStarted,
        deadline,
        maxIntervalMs: inputs.pollIntervalSeconds * 1000,
        prediction
      }
    )
  }
  if (!result) {
    await report(io, state, 'started')
    return
  }
  await finish(io, state, client, sockets, result, cancel)
}

/** The longest the reading of a failed training's validation results may take. */
const EXPLAIN_BUDGET_MS = 60_000

/** What the service wrote about the data of a failed training; never fails the step itself. */
async function explainTrainingFailure(
  io: ActionIo,
  state: RunState,
  d: ProjectVersionDescription,
  sockets: Sockets,
  cancel: AbortSignal
): Promise<FailureExplanation | undefined> {
  const { explainFailure } = await import('../training/failure.js')
  const { readS3Lines, readS3Text } = await import('../aws/s3-text.js')
  const region = state.region!
  const pollMs = state.inputs!.pollIntervalSeconds * 1000
  // A validation manifest is as large as its dataset (up to 1 GB): the reading is bounded in time,
  // and what was read by then is still reported.
  const bound = boundedSignal(EXPLAIN_BUDGET_MS, cancel)
  try {
    return await explainFailure(d, state.manifests ?? [], {
      readText: (uri) => readS3Text(region, uri, pollMs, sockets, bound.signal),
      readLines: (uri, onLine) => readS3Lines(region, uri, pollMs, sockets, onLine, bound.signal),
      annotate: (message, file, line) => io.annotate(message, file, line),
      info: (line) => io.log.info(line),
      warning: (line) => io.log.warning(line)
    })
  } catch (err) {
    io.log.warning(
      `Could not read why the training failed: ${err instanceof Error ? err.message : String(err)}`
    )
    return undefined
  } finally {
    bound.done()
  }
}

async function finish(
  io: ActionIo,
  state: RunState,
  client: RekognitionClient,
  sockets: Sockets,
  result: WaitResult,
  cancel: AbortSignal
): Promise<void> {
  const inputs = state.inputs!
  const arn = state.version!.arn
  if (result.outcome === 'cancelled') {
    await report(io, state, 'cancelled', cancelMessage(arn))
    io.log.setFailed(cancelMessage(arn))
    return
  }
  if (result.outcome === 'timeout') {
    const message = timeoutMessage(arn, inputs.waitTimeoutMinutes, state.last?.Status)
    await report(io, state, 'timeout', message)
    if (inputs.failOnTimeout) io.log.setFailed(message)
    else io.log.warning(message)
    return
  }
  const d = result.description
  const outcome = outcomeOf(d)
  if (outcome === 'failed' || outcome === 'unusable') {
    if (d.Status === 'TRAINING_FAILED')
      state.failure = await explainTrainingFailure(io, state, d, sockets, cancel)
    const message =
      outcome === 'failed' ? failureMessage(d) : `Version ${arn} is ${d.Status}: it cannot be used.`
    await report(io, state, outcome, message)
    io.log.setFailed(message)
    return
  }
  const { gatherResults } = await import('../results/results.js')
  const { autoScope } = await import('../results/baseline.js')
  const { readS3Text } = await import('../aws/s3-text.js')
  state.results = await gatherResults(
    {
      client,
      readText: (uri) => readS3Text(state.region!, uri, inputs.pollIntervalSeconds * 1000, sockets),
      warning: (l) => io.log.warning(l),
      notice: (l) => io.log.notice(l)
    },
    inputs,
    state.version!.name,
    d,
    autoScope(state.ctx!)
  )
  publishBaseline(io, state, state.results)
  const f1 = d.EvaluationResult?.F1Score
  if (f1 !== undefined && !Number.isFinite(f1)) {
    io.log.warning(
      `The service reported F1 score ${String(f1)} for ${arn}: not a finite number, so no quality gate can pass on it.`
    )
  }
  const failed = state.results.gates.filter((g) => !g.passed)
  await report(io, state, outcome)
  io.log.info(`Training ${d.Status}: F1 ${d.EvaluationResult?.F1Score ?? 'n/a'}, ${arn}`)
  // The gates fail the step only now: outputs, summary and comment are already written.
  if (failed.length > 0) {
    io.log.setFailed(failed.map((g) => `Quality gate ${g.gate} failed: ${g.detail}`).join('; '))
  }
}
