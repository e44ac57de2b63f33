// The `collect` mode, for a scheduled workflow: finish this repository's trainings of the project
// whose commit status is still pending and that have ended, exactly as a waiting step would have
// (finish.ts). The state is the versions' tags and the commit statuses; nothing else is stored.
//
// No claims, no lock: what to write is a function of what AWS says (collect-plan.ts, finish.ts),
// written only where the commit's status differs, so collectors and waiting steps racing converge.
// Every training that could not be finished is a warning naming it, the others go on, and the run
// fails at the end saying how many and why. One budget bounds the whole run
// (collect-timeout-minutes); a GitHub that stops answering ends the GitHub part of the run after one
// call's budget, not one per commit.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { boundedSignal } from '../aws/abort.js'
import { rekognitionClient, socketsFor, type Sockets } from '../aws/aws-clients.js'
import { PROXY_REFUSED, proxyRefused } from '../aws/explain.js'
import { checkProxyEnv, nameRefusingProxy, proxySummary } from '../aws/proxy-env.js'
import { ActionError, InputError } from '../errors.js'
import {
  GitHubShapeError,
  httpStatus,
  noAnswer,
  rateLimited,
  type StatusKeeper
} from '../github/commit-status.js'
import { readRunContext, type RunContext } from '../github/github-context.js'
import { parseCollectInputs, type CollectInputs } from '../inputs/inputs.js'
import { parseNumber } from '../inputs/values.js'
import { VERSION_NAME, breaks } from '../inputs/constraints.js'
import { chooseRegion } from '../inputs/region.js'
import { GATE_TAGS, type RecordedGates, type Tags } from '../inputs/tags.js'
import { code, escapeMarkdown } from '../reporting/markdown.js'
import { parseLabelFloorsTag } from '../results/label-gates.js'
import { collectable } from '../training/collectable.js'
import { listProjectVersions, versionTags } from '../training/project-versions.js'
import { keepsWaiting } from '../training/statuses.js'
import { versionNameOf } from '../training/versions.js'
import { stopExpiredPreviews } from '../deploy/expire.js'
import { attachedCommits } from '../training/data-reuse.js'
import { planCommit, type CommitTraining } from './collect-plan.js'
import { readEventPayload } from './event.js'
import { finishTraining } from './finish.js'
import { gitHub, prComment, statusKeeper, type LazyGitHub } from './github.js'
import type { ActionIo } from './io.js'
import { writeMarkdown } from './publish.js'
import { runUrl, type RunState } from './run-state.js'

/** The gates the starting step recorded on the version; a value that is not one throws. */
export function recordedGates(tags: Tags): RecordedGates {
  const number = (key: string): number | undefined =>
    tags[key] === undefined ? undefined : parseNumber(`tag ${key}`, tags[key], { min: 0, max: 1 })
  const baseline = tags[GATE_TAGS.baselineVersion]
  if (baseline !== undefined && baseline !== 'auto' && breaks(baseline, VERSION_NAME)) {
    throw new InputError(`tag ${GATE_TAGS.baselineVersion} "${baseline}" is not a version name`)
  }
  return {
    minF1Score: number(GATE_TAGS.minF1Score),
    maxF1Drop: number(GATE_TAGS.maxF1Drop),
    maxLabelF1Drop: number(GATE_TAGS.maxLabelF1Drop),
    minLabelF1Score:
      tags[GATE_TAGS.minLabelF1Score] === undefined
        ? undefined
        : parseLabelFloorsTag(GATE_TAGS.minLabelF1Score, tags[GATE_TAGS.minLabelF1Score]),
    baselineVersion: baseline
  }
}

/** The starting step's run, as far as the version's tags tell it; the rest is the collector's. */
export function startingContext(collector: RunContext, tags: Tags): RunContext {
  const pr = Number(tags['github:pr-number'])
  return {
    ...collector,
    sha: tags['github:sha'] ?? '',
    ref: tags['github:ref'] ?? '',
    workflow: tags['github:workflow'] ?? '',
    runId: tags['github:run-id'] ?? '',
    runAttempt: tags['github:run-attempt'] ?? '',
    actor: tags['github:actor'] ?? '',
    prNumber: Number.isInteger(pr) && pr > 0 ? pr : undefined,
    // `baseline-version: auto` of a pull request compares with its base branch.
    baseRef: tags[GATE_TAGS.baseRef] || undefined
  }
}

/** A commit SHA as git writes it (SHA-1, or SHA-256 in a repository that uses it). */
const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i

interface Candidate {
  d: ProjectVersionDescription
  name: string
  tags: Tags
  sha: string
  /** A commit attached to this version for its data (train-action:also-for:<sha>), not trained for. */
  attached?: { pr?: number }
}

/** The longest one GitHub call may take in a collector: a tenth of the run's budget, at most 20 s. */
const collectorCallBudgetMs = (runMinutes: number): number =>
  Math.max(1_000, Math.min(20_000, (runMinutes * 60_000) / 10))

/** Why a GitHub failure stops every later GitHub call of the run, when it does. */
function stopsGitHub(err: unknown): string | undefined {
  if (proxyRefused(err)) return PROXY_REFUSED
  if (err instanceof GitHubShapeError) return undefined
  if (noAnswer(err)) return `GitHub gave no answer (${(err as Error)?.message ?? String(err)})`
  const status = httpStatus(err)
  if ((status === 401 || status === 403) && !rateLimited(err))
    return `the token cannot read or write commit statuses (HTTP ${status}); it needs statuses: write`
  return undefined
}

/** One line on why GitHub failed for one commit. */
function gitHubReason(err: unknown, sha: string): string {
  const stop = stopsGitHub(err)
  if (stop) return stop
  if (err instanceof GitHubShapeError) return err.message
  const status = httpStatus(err)
  if (status === 404 || status === 422)
    return `GitHub does not know commit ${sha} (HTTP ${status}), or the token cannot see it`
  if (status !== undefined && rateLimited(err)) return `GitHub's rate limit (HTTP ${status})`
  return `GitHub: ${(err as Error)?.message ?? String(err)}`
}

/** What one run found, finished and could not finish. */
interface Tally {
  collected: number
  /** One line per training (or version) that could not be collected. */
  problems: string[]
  /** One report per training, by ARN: a second write of the same training replaces the first. */
  reports: Map<string, string>
}

interface CollectRun {
  io: ActionIo
  inputs: CollectInputs
  ctx: RunContext
  region: string
  client: RekognitionClient
  sockets: Sockets
  status: StatusKeeper
  gh: LazyGitHub
  tally: Tally
  /** The run's budget and the runner's cancel together. */
  signal: AbortSignal
  cancel: AbortSignal
  /** Set once GitHub cannot be used for the rest of the run: why. */
  gitHubDown?: string
}

export async function collect(io: ActionIo, cancel: AbortSignal): Promise<void> {
  const ctx = readRunContext(io.env, readEventPayload(io, io.env.GITHUB_EVENT_PATH))
  const inputs = parseCollectInputs((name) => io.getInput(name))
  if (inputs.ignored.length > 0) {
    io.log.notice(
      `Ignored in mode collect: ${inputs.ignored.join(', ')}. Each training is finished with the gates its starting step recorded on it.`
    )
  }
  const { region, notice } = chooseRegion(inputs.region, io.env, inputs.arnRegion)
  if (notice) io.log.notice(notice)
  if (inputs.commitStatus && !inputs.githubToken) {
    throw new InputError(
      'github-token is empty; mode collect reads and writes commit statuses, so it needs a token with statuses: write'
    )
  }
  // The proxy variables are inputs of a kind: a bad one fails here, before any AWS call.
  checkProxyEnv(io.env)
  const sockets = await socketsFor(io.env)
  const proxied = proxySummary(io.env)
  if (proxied) io.log.info(proxied)
  const client = rekognitionClient({
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets,
    env: io.env
  })
  if (!inputs.commitStatus) {
    // The commit statuses are the collector's only record of what is pending; previews past their
    // stop time are stopped all the same (they are found by their tags).
    io.log.notice('commit-status is false: mode collect has no pending trainings to look for.')
    io.setOutput('collected', '0')
    io.setOutput('pending', '0')
    await stopPreviewsOnly(io, client, inputs, ctx, cancel)
    return
  }
  const gh = gitHub(
    io,
    inputs.githubToken,
    sockets,
    collectorCallBudgetMs(inputs.collectTimeoutMinutes)
  )
  const status = statusKeeper(io, gh, ctx, inputs)!
  const budget = boundedSignal(inputs.collectTimeoutMinutes * 60_000, cancel)
  const run: CollectRun = {
    io,
    inputs,
    ctx,
    region,
    client,
    sockets,
    status,
    gh,
    tally: { collected: 0, problems: [], reports: new Map() },
    signal: budget.signal,
    cancel
  }
  try {
    await collectWithin(run)
  } finally {
    budget.done()
  }
}

/** The project's versions (one listing), and the previews past their time stopped among them. */
async function listAndStopExpired(
  io: ActionIo,
  client: RekognitionClient,
  inputs: CollectInputs,
  ctx: RunContext,
  signal: AbortSignal
) {
  const listing = await listProjectVersions(client, inputs.projectArn, signal)
  if (listing.cut) io.log.warning(listing.cut)
  const previews = await stopExpiredPreviews(
    client,
    listing.versions,
    ctx.repository,
    Date.now(),
    io.log,
    signal
  )
  return { listing, previews }
}

/** With commit-status: false, a collector's only work: the previews past their stop time. */
async function stopPreviewsOnly(
  io: ActionIo,
  client: RekognitionClient,
  inputs: CollectInputs,
  ctx: RunContext,
  cancel: AbortSignal
): Promise<void> {
  const budget = boundedSignal(inputs.collectTimeoutMinutes * 60_000, cancel)
  try {
    const { previews } = await listAndStopExpired(io, client, inputs, ctx, budget.signal)
    if (previews.summary) await writeMarkdown(io, `${previews.summary}\n`)
    if (previews.problems.length > 0)
      throw new ActionError(
        `${previews.problems.length} expired preview(s) could not be stopped: ${previews.problems.join('; ')}`
      )
  } finally {
    budget.done()
  }
}

/** Why nothing more is tried, if so: the cancel, the run's budget, or GitHub gone for this run. */
function stopped(run: CollectRun): string | undefined {
  if (run.cancel.aborted) return 'the run was cancelled'
  if (run.signal.aborted)
    return `the run's budget (collect-timeout-minutes: ${run.inputs.collectTimeoutMinutes}) ran out`
  return run.gitHubDown
}

async function collectWithin(run: CollectRun): Promise<void> {
  const { io, inputs, ctx, client, tally } = run
  // Previews past their stop-after-minutes are stopped whatever else this run finds.
  const { listing, previews } = await listAndStopExpired(io, client, inputs, ctx, run.signal)
  for (const problem of previews.problems)
    notCollected(run, 'an expired preview', `could not be stopped: ${problem}`)
  const picked = collectable(listing.versions, Date.now())
  io.log.info(
    `${listing.versions.length} versions in ${inputs.projectName} (${listing.calls} list calls): ${picked.inProgress.length} training, ${picked.ended.length} ended recently.`
  )
  if (picked.skipped > 0)
    io.log.warning(`${picked.skipped} older candidates left for the next run (tag reads capped).`)

  // This repository's trainings, by commit. A version whose tags cannot be read may be ours: it is
  // a problem of this run, named, and the others go on.
  const bySha = new Map<string, Candidate[]>()
  for (const d of [...picked.inProgress, ...picked.ended]) {
    const name = versionNameOf(d.ProjectVersionArn) ?? d.ProjectVersionArn!
    if (run.cancel.aborted) break
    if (run.signal.aborted) {
      if (!keepsWaiting(d.Status))
        notCollected(run, name, `its tags were not read: ${stopped(run)}`)
      continue
    }
    let tags: Tags | undefined
    try {
      tags = await versionTags(client, d.ProjectVersionArn!, run.signal)
    } catch (err) {
      if (run.cancel.aborted) break
      const message = run.signal.aborted
        ? (stopped(run) ?? '')
        : err instanceof Error
          ? err.message
          : String(err)
      notCollected(run, name, `its tags could not be read: ${message}`)
      continue
    }
    if (!tags || tags['github:repository'] !== ctx.repository) continue
    const sha = tags['github:sha'] ?? ''
    if (!COMMIT_SHA.test(sha)) {
      notCollected(
        run,
        name,
        `its tag github:sha ${JSON.stringify(sha.slice(0, 80))} is not a commit SHA`
      )
      continue
    }
    const key = sha.toLowerCase()
    bySha.set(key, [...(bySha.get(key) ?? []), { d, name, tags, sha: key }])
    // Commits that reused this training for their data (if-data-unchanged) wait on it too.
    for (const also of attachedCommits(tags)) {
      if (also.sha === key) continue
      const candidate = { d, name, tags, sha: also.sha, attached: { pr: also.pr } }
      bySha.set(also.sha, [...(bySha.get(also.sha) ?? []), candidate])
    }
  }

  let pending = 0
  const still: string[] = []
  for (const [sha, candidates] of bySha) {
    const trainings = candidates.map(commitTraining)
    const newest = newestOf(candidates)
    if (planCommit(trainings, undefined).action === 'wait') {
      pending++
      still.push(
        `- ${escapeMarkdown(newest.name)} (${code(sha.slice(0, 12))}): still training${newest.d.Status && newest.d.Status !== 'TRAINING_IN_PROGRESS' ? ` (status ${code(newest.d.Status)}, not known to this action: waited on)` : ''}`
      )
      continue
    }
    if (run.cancel.aborted) break
    const why = stopped(run)
    if (why) {
      notCollected(run, newest.name, why)
      continue
    }
    await collectCommit(run, sha, candidates, trainings)
  }

  io.setOutput('collected', String(tally.collected))
  io.setOutput('pending', String(pending))
  io.log.info(`Collected ${tally.collected} finished training(s); ${pending} still training.`)
  const problems = tally.problems.map((p) => `- ⚠️ ${escapeMarkdown(p)}`)
  await io
    .writeSummary(
      io.redact(
        [
          `## Collector: ${tally.collected} collected, ${pending} still training, ${tally.problems.length} not collected (${escapeMarkdown(inputs.projectName)})`,
          ...(listing.cut ? [`> ${escapeMarkdown(listing.cut)}`] : []),
          ...tally.reports.values(),
          ...(previews.summary ? [previews.summary] : []),
          ...(still.length > 0 ? [still.join('\n')] : []),
          ...(problems.length > 0 ? [`### Not collected\n\n${problems.join('\n')}`] : [])
        ].join('\n\n') + '\n'
      )
    )
    .catch((err: unknown) =>
      io.log.warning(`Could not write the job summary: ${(err as Error).message}`)
    )
  if (tally.problems.length > 0) {
    throw new ActionError(
      `${tally.problems.length} training(s) could not be collected and stay as they are: ${tally.problems.join('; ')}`
    )
  }
}

const commitTraining = (c: Candidate): CommitTraining => ({
  name: c.name,
  status: c.d.Status,
  createdAt: c.d.CreationTimestamp?.getTime() ?? 0
})

const newestOf = (candidates: Candidate[]): Candidate =>
  [...candidates].sort(
    (a, b) => (b.d.CreationTimestamp?.getTime() ?? 0) - (a.d.CreationTimestamp?.getTime() ?? 0)
  )[0]

/** A training this run could not finish: a warning naming it, counted for the exit code. */
function notCollected(run: CollectRun, name: string, why: string): void {
  const line = nameRefusingProxy(`${name}: ${why}`, run.io.env)
  run.io.log.warning(`Not collected: ${line}`)
  run.tally.problems.push(line)
}

/** One commit: read its status, and finish its newest training if the plan says so. */
async function collectCommit(
  run: CollectRun,
  sha: string,
  candidates: Candidate[],
  trainings: CommitTraining[]
): Promise<void> {
  const { io, status } = run
  const newest = newestOf(candidates)
  const gitHubFailed = (err: unknown): void => {
    if (run.cancel.aborted) return
    const down = stopsGitHub(err)
    if (down && !run.signal.aborted) run.gitHubDown = `not tried: ${down}`
    notCollected(run, newest.name, run.signal.aborted ? stopped(run)! : gitHubReason(err, sha))
  }
  let plan
  try {
    plan = planCommit(trainings, await status.read(sha, run.signal))
  } catch (err) {
    gitHubFailed(err)
    return
  }
  if (plan.action !== 'finish') {
    io.debug(`${sha}: nothing to write (${plan.action === 'leave' ? plan.why : plan.action}).`)
    return
  }
  let gates: RecordedGates
  try {
    gates = recordedGates(newest.tags)
  } catch (err) {
    notCollected(run, newest.name, (err as Error).message)
    return
  }
  try {
    if (await collectOne(run, newest, gates, trainings)) run.tally.collected++
  } catch (err) {
    if (err instanceof ActionError || err instanceof InputError) {
      if (!run.cancel.aborted) notCollected(run, newest.name, err.message)
      return
    }
    const isGitHub =
      err instanceof GitHubShapeError ||
      typeof (err as { status?: unknown })?.status === 'number' ||
      (err as Error)?.name === 'AbortError'
    if (!isGitHub) throw err
    gitHubFailed(err)
  }
}

/** Finishes one ended training as its waiting step would have; false if another step beat us. */
async function collectOne(
  run: CollectRun,
  c: Candidate,
  gates: RecordedGates,
  trainings: CommitTraining[]
): Promise<boolean> {
  const { io, inputs, ctx, client, status } = run
  const trainedFor = startingContext(ctx, c.tags)
  // An attached commit: its own status and PR, with the version named as trained for the other.
  const vctx = c.attached ? { ...trainedFor, sha: c.sha, prNumber: c.attached.pr } : trainedFor
  const arn = c.d.ProjectVersionArn!
  const state: RunState = {
    ...(c.attached && { sameData: { name: c.name, sha: trainedFor.sha } }),
    ctx: vctx,
    region: run.region,
    inputs: {
      projectArn: inputs.projectArn,
      projectName: inputs.projectName,
      versionName: c.name,
      trainingPricePerHour: inputs.trainingPricePerHour,
      pollIntervalSeconds: inputs.pollIntervalSeconds,
      tags: c.tags,
      ...gates
    },
    version: { arn, name: c.name, created: true, description: c.d }
  }
  if (inputs.commentOnPr && vctx.prNumber !== undefined) {
    // Only the comment that still shows this training: a newer push's comment is left alone.
    state.comment = prComment(io, run.gh, ctx, {
      pr: vctx.prNumber,
      sha: vctx.sha,
      projectArn: inputs.projectArn,
      token: inputs.githubToken,
      onlyIfNaming: arn,
      budgetMs: collectorCallBudgetMs(inputs.collectTimeoutMinutes) * 1.5,
      signal: run.signal
    })
  }
  io.log.info(`${c.name} (${c.d.Status}) is pending on ${vctx.sha}: finishing it.`)
  // Outputs of a single training do not apply to a collector; the summary gathers one report per
  // training (a second write, with a note on top, replaces the first).
  const quiet: ActionIo = {
    ...io,
    setOutput: () => undefined,
    writeSummary: async (markdown) => {
      run.tally.reports.set(arn, markdown.trim())
    }
  }
  const done = await finishTraining(
    quiet,
    state,
    {
      client,
      sockets: run.sockets,
      status,
      // The run that started the training: every finisher writes the same status.
      targetUrl: runUrl(vctx),
      cancel: run.signal,
      onlyIf: (current) => planCommit(trainings, current).action === 'finish'
    },
    c.d
  )
  if (done.message) io.log.warning(`${c.name}: ${done.message}`)
  for (const g of done.failedGates)
    io.log.warning(`${c.name}: quality gate ${g.gate} failed: ${g.detail}`)
  return done.written
}
