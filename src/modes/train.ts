// The `train` mode: check the inputs and the data, start (or attach to) a training, wait for it if
// asked, then report: outputs, job summary, PR comment, gates. Composes the pieces; the runner is
// reached only through `io`.
import { rekognitionClient, socketsFor, statusCheckClient } from '../aws/aws-clients.js'
import { hasAwsCredentials } from '../aws/credentials.js'
import { checkProxyEnv, proxySummary } from '../aws/proxy-env.js'
import { checkManifestCommit } from '../datasets/commit-check.js'
import {
  checkRepositoryManifests,
  planUploads,
  uploadRepositoryManifests
} from '../datasets/repo-manifests.js'
import { readRunContext, type RunContext } from '../github/github-context.js'
import { parseInputs, type ActionInputs } from '../inputs/inputs.js'
import { chooseRegion } from '../inputs/region.js'
import { renderComment } from '../reporting/report.js'
import { pendingDescription } from '../reporting/status-text.js'
import { cancelMessage, timeoutMessage } from '../training/outcome.js'
import { projectHistory } from '../training/project-history.js'
import { checkBucketRegion, checkProjectDatasets } from '../training/preflight.js'
import { buildCreateRequest } from '../training/request.js'
import { keepsWaiting } from '../training/statuses.js'
import { lookupVersion, startOrReuse } from '../training/versions.js'
import { abortableSleep, waitForTraining, type WaitResult } from '../training/wait.js'
import { readEventPayload } from './event.js'
import type { ActionIo } from './io.js'
import { finishTraining, type FinishDeps } from './finish.js'
import { gitHub, prComment, statusKeeper, type LazyGitHub } from './github.js'
import { announce, publishStatus, report, writeMarkdown } from './publish.js'
import { buildReport, notTrainedSummary, runUrl, type RunState } from './run-state.js'

function comment(
  io: ActionIo,
  gh: LazyGitHub,
  ctx: RunContext,
  inputs: ActionInputs
): RunState['comment'] {
  if (!inputs.commentOnPr || ctx.prNumber === undefined) return undefined
  if (!inputs.githubToken) {
    io.log.warning('comment-on-pr is true but github-token is empty: no PR comment.')
    return undefined
  }
  return prComment(io, gh, ctx, {
    pr: ctx.prNumber,
    sha: ctx.sha,
    projectArn: inputs.projectArn,
    token: inputs.githubToken
  })
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
    await writeMarkdown(io, notTrainedSummary(state, 'dry-run', inputs.versionName))
    io.log.info(`Dry run: no AWS call made. CreateProjectVersion in ${region} would be:`)
    io.infoBlock(JSON.stringify(buildCreateRequest(inputs, inputs.versionName), null, 2))
    return
  }
  if (ctx.fromFork && !hasAwsCredentials(io.env)) {
    io.setOutput('version-name', inputs.versionName)
    await writeMarkdown(io, notTrainedSummary(state, 'fork', inputs.versionName))
    io.log.notice(
      'Skipped: this pull request comes from a fork, and GitHub gives workflows of fork pull requests no secrets, so there are no AWS credentials to train with. The inputs were checked. Use dry-run: true to check a fork’s data, and train after merging or from a maintainer’s branch.'
    )
    return
  }

  const sockets = await socketsFor(io.env)
  const proxied = proxySummary(io.env)
  if (proxied) io.log.info(proxied)
  const clientOptions = { region, pollIntervalMs: inputs.pollIntervalSeconds * 1000, sockets }
  const client = rekognitionClient(clientOptions)
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
    onCreating: (name) => (state.creating = name),
    timing: io.timing
  })
  state.version = version
  announce(io, version)
  publishStatus(
    io,
    state,
    version.description ?? { ProjectVersionArn: version.arn, Status: 'TRAINING_IN_PROGRESS' }
  )
  // One GitHub client for the run, built only when a call is due.
  const gh = gitHub(io, inputs.githubToken, sockets)
  state.comment = comment(io, gh, ctx, inputs)
  const status = inputs.commitStatus ? statusKeeper(io, gh, ctx, inputs) : undefined
  const finishDeps: FinishDeps = { client, sockets, status, targetUrl: runUrl(ctx), cancel }

  let result: WaitResult | undefined
  if (version.description && !keepsWaiting(version.description.Status)) {
    result = { outcome: 'ended', description: version.description }
  } else if (cancel.aborted) {
    // Cancelled while the create was answering: the ARN is out; report, and nothing more.
    result = { outcome: 'cancelled', last: version.description }
  } else {
    // Pending until whichever step sees the end (this one if it waits, else a collector).
    const startedAt = version.description?.CreationTimestamp ?? new Date(waitStarted)
    await status?.set(ctx.sha, {
      state: 'pending',
      description: pendingDescription(version.name, startedAt),
      targetUrl: runUrl(ctx)
    })
  }
  if (!result && inputs.wait) {
    // Not awaited: the comment is written beside the wait, so a slow GitHub cannot eat it. The
    // final report's write is queued behind this one.
    void state.comment?.upsert(io.redact(renderComment(buildReport(state, 'started')!)))
    const minutes = inputs.waitTimeoutMinutes
    // A tenth of the wait at most (and 20 s): a slow service must not eat the wait with it.
    const historyBudget = Math.max(250, Math.min(20_000, (minutes * 60_000) / 10))
    // Status checks try once or twice: the next check is their retry.
    const checks = statusCheckClient(client, clientOptions)
    const prediction = await projectHistory(
      checks,
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
        describe: (signal) => lookupVersion(checks, inputs.projectArn, version.name, signal),
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
        prediction,
        timing: io.timing
      }
    )
  }
  if (!result) {
    await report(io, state, 'started')
    return
  }
  await finish(io, state, inputs, finishDeps, result)
}

async function finish(
  io: ActionIo,
  state: RunState,
  inputs: ActionInputs,
  deps: FinishDeps,
  result: WaitResult
): Promise<void> {
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
  const done = await finishTraining(io, state, deps, result.description)
  if (done.message) {
    io.log.setFailed(done.message)
    return
  }
  // The gates fail the step only now: outputs, summary, comment and status are already written.
  if (done.failedGates.length > 0) {
    io.log.setFailed(
      done.failedGates.map((g) => `Quality gate ${g.gate} failed: ${g.detail}`).join('; ')
    )
  }
}
