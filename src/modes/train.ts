// The `train` mode: check the inputs and the data, start (or attach to) a training, wait for it if
// asked, then report: outputs, job summary, PR comment, gates. Composes the pieces; the runner is
// reached only through `io`.
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { rekognitionClient, socketsFor, statusCheckClient } from '../aws/aws-clients.js'
import { hasAwsCredentials } from '../aws/credentials.js'
import { checkProxyEnv, proxySummary } from '../aws/proxy-env.js'
import { checkManifestCommit } from '../datasets/commit-check.js'
import {
  checkRepositoryManifests,
  planUploads,
  uploadRepositoryManifests
} from '../datasets/repo-manifests.js'
import { fingerprintData } from '../datasets/fingerprint-sources.js'
import { readRunContext, type RunContext } from '../github/github-context.js'
import { parseInputs, type ActionInputs } from '../inputs/inputs.js'
import { chooseRegion } from '../inputs/region.js'
import { DATA_SHA256_TAG } from '../inputs/tags.js'
import { renderComment } from '../reporting/report.js'
import { pendingDescription } from '../reporting/status-text.js'
import { SEARCH_BUDGET_MS, findSameData, recordAttachedCommit } from '../training/data-reuse.js'
import { cancelMessage, timeoutMessage } from '../training/outcome.js'
import { projectHistory } from '../training/project-history.js'
import { checkBucketRegion, checkProjectDatasets } from '../training/preflight.js'
import { buildCreateRequest } from '../training/request.js'
import { keepsWaiting } from '../training/statuses.js'
import { lookupVersion, startOrReuse, type StartedVersion } from '../training/versions.js'
import { abortableSleep } from '../aws/abort.js'
import { waitForTraining, type WaitResult } from '../training/wait.js'
import { Deployer } from '../deploy/deploy.js'
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
    },
    // The project's region holds the training: some quotas depend on it (limits.html).
    { region: inputs.arnRegion || region }
  )

  const deployer = await Deployer.prepare(io, inputs, ctx)

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
    await writeMarkdown(
      io,
      notTrainedSummary(state, 'dry-run', inputs.versionName) + deployer.skip('dry-run')
    )
    io.log.info(`Dry run: no AWS call made. CreateProjectVersion in ${region} would be:`)
    io.infoBlock(JSON.stringify(buildCreateRequest(inputs, inputs.versionName), null, 2))
    return
  }
  if (ctx.fromFork && !hasAwsCredentials(io.env)) {
    io.setOutput('version-name', inputs.versionName)
    await writeMarkdown(
      io,
      notTrainedSummary(state, 'fork', inputs.versionName) + deployer.skip('fork')
    )
    io.log.notice(
      'Skipped: this pull request comes from a fork, and GitHub gives workflows of fork pull requests no secrets, so there are no AWS credentials to train with. The inputs were checked. Use dry-run: true to check a fork’s data, and train after merging or from a maintainer’s branch.'
    )
    return
  }

  const sockets = await socketsFor(io.env)
  const proxied = proxySummary(io.env)
  if (proxied) io.log.info(proxied)
  const clientOptions = {
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets,
    env: io.env
  }
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
  const fingerprint = await fingerprintData(inputs, manifests, {
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets,
    cancel,
    log: { warning: io.log.warning, debug: io.debug }
  })
  state.data = { sha256: fingerprint, fromDatasets: inputs.trainingManifests.length === 0 }
  // Unset (empty to the workflow) without a fingerprint.
  if (fingerprint) {
    io.setOutput('data-sha256', fingerprint)
    io.log.info(`Training data fingerprint (data-sha256): ${fingerprint}`)
  } else if (state.data.fromDatasets)
    io.log.info(
      "Trained from the project's datasets: they have no data fingerprint, so if-data-unchanged does not apply."
    )
  const version =
    (fingerprint && inputs.ifDataUnchanged === 'reuse'
      ? await reuseByData(io, state, client, inputs, ctx, fingerprint, cancel, deadline)
      : undefined) ??
    (await startOrReuse(client, {
      projectArn: inputs.projectArn,
      versionName: inputs.versionName,
      ifVersionExists: inputs.ifVersionExists,
      buildRequest: async (name) => {
        await uploadRepositoryManifests(inputs, manifests, region, name, io.log, sockets)
        const request = buildCreateRequest(inputs, name)
        // The fingerprint goes on the version, so a later run with the same data finds it.
        if (fingerprint) request.Tags = { ...request.Tags, [DATA_SHA256_TAG]: fingerprint }
        return request
      },
      log: io.log,
      cancel,
      lastChance,
      deadline,
      onCreating: (name) => (state.creating = name),
      timing: io.timing
    }))
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
  // The pending status goes through the same convergent write as the final one (never over a
  // final status). It runs beside the wait: a slow GitHub cannot eat a short wait.
  let pendingWrite: Promise<unknown> | undefined
  if (version.description && !keepsWaiting(version.description.Status)) {
    result = { outcome: 'ended', description: version.description }
  } else {
    // Pending until whichever step sees the end (this one if it waits, else a collector). Written
    // even when the cancel came while the create was answering: the training goes on and is paid
    // for, and this status is how a collector finds it; the process leaves before the runner's
    // SIGKILL whatever happens (src/github/runner-cancel.ts).
    const startedAt = version.description?.CreationTimestamp ?? new Date(waitStarted)
    // Bounded by the runner's last moment, not by the cancel: a cancel must not lose it.
    pendingWrite = status?.converge(
      ctx.sha,
      {
        state: 'pending',
        description: pendingDescription(version.name, startedAt, state.sameData),
        targetUrl: runUrl(ctx)
      },
      lastChance ?? cancel
    )
    // Cancelled while the create was answering: the ARN and the status are out; report, no more.
    if (cancel.aborted) {
      await pendingWrite
      result = { outcome: 'cancelled', last: version.description }
    }
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
    await pendingWrite
    await report(io, state, 'started')
    return
  }
  // The final status is read and written after the pending one has landed (or failed).
  if (result.outcome === 'ended') await pendingWrite
  await finish(io, state, inputs, finishDeps, result, deployer)
}

async function finish(
  io: ActionIo,
  state: RunState,
  inputs: ActionInputs,
  deps: FinishDeps,
  result: WaitResult,
  deployer: Deployer
): Promise<void> {
  const arn = state.version!.arn
  if (result.outcome !== 'ended') deployer.skip('training not finished')
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
  const deployFailure = await deployer.afterTraining(state, done, result.description, deps)
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
  if (deployFailure) io.log.setFailed(deployFailure)
}

/**
 * `if-data-unchanged: reuse`: this repository's newest version trained on the same data, attached
 * to as a re-run attaches (no CreateProjectVersion, created=false). A version of this run's own
 * name is left to if-version-exists.
 */
async function reuseByData(
  io: ActionIo,
  state: RunState,
  client: RekognitionClient,
  inputs: ActionInputs,
  ctx: RunContext,
  fingerprint: string,
  cancel: AbortSignal,
  deadline: number
): Promise<StartedVersion | undefined> {
  const found = await findSameData(client, {
    projectArn: inputs.projectArn,
    repository: ctx.repository,
    fingerprint,
    cancel,
    // Within the step's deadline, as the create's own lookups are (a few seconds at least).
    budgetMs: Math.max(5_000, Math.min(SEARCH_BUDGET_MS, deadline - Date.now())),
    log: { info: io.log.info, warning: io.log.warning, debug: io.debug }
  })
  if (!found || found.name === inputs.versionName) return undefined
  state.sameData = { name: found.name, sha: found.sha }
  io.log.info(
    `Same data as ${found.name}, trained for ${found.sha.slice(0, 12) || 'an unknown commit'} (${found.description.Status}): attaching to it, no new training started (if-data-unchanged: reuse; set it to train to train anyway).`
  )
  // Still training: this commit's pending status is finished by whichever step sees the end. A
  // collector finds the commit by this tag (the version's github:sha names the other commit).
  if (inputs.commitStatus && keepsWaiting(found.description.Status) && found.sha !== ctx.sha) {
    const recorded = await recordAttachedCommit(
      client,
      found.description.ProjectVersionArn!,
      ctx.sha,
      ctx.prNumber,
      cancel
    )
    if (recorded !== true)
      io.log.warning(
        `Could not record ${ctx.sha.slice(0, 12)} on ${found.name}, so mode: collect will not finish this commit's status: ${recorded}. Wait for the training (wait: true) or re-run this job once it has ended.`
      )
  }
  return {
    arn: found.description.ProjectVersionArn!,
    name: found.name,
    created: false,
    description: found.description
  }
}
