// The `collect` mode, for a scheduled workflow: finish this repository's trainings of the project
// whose commit status is still pending and that have ended, exactly as a waiting step would have
// (finish.ts). The state is the versions' tags and the commit statuses; nothing else is stored.
import type { ProjectVersionDescription, RekognitionClient } from '@aws-sdk/client-rekognition'
import { randomBytes } from 'node:crypto'
import { rekognitionClient, socketsFor, type Sockets } from '../aws/aws-clients.js'
import { checkProxyEnv, proxySummary } from '../aws/proxy-env.js'
import { ActionError, InputError } from '../errors.js'
import type { StatusKeeper } from '../github/commit-status.js'
import { readRunContext, type RunContext } from '../github/github-context.js'
import { parseCollectInputs, parseNumber, type CollectInputs } from '../inputs/inputs.js'
import { VERSION_NAME, breaks } from '../inputs/constraints.js'
import { chooseRegion } from '../inputs/region.js'
import { GATE_TAGS, type RecordedGates, type Tags } from '../inputs/tags.js'
import { escapeMarkdown } from '../reporting/markdown.js'
import { claimDescription, isClaimFor, namesVersion } from '../reporting/status-text.js'
import { collectable } from '../training/collectable.js'
import { listProjectVersions, versionTags } from '../training/project-versions.js'
import { versionNameOf } from '../training/versions.js'
import { readEventPayload } from './event.js'
import { finishTraining } from './finish.js'
import { gitHub, prComment, statusKeeper, type LazyGitHub } from './github.js'
import type { ActionIo } from './io.js'
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

interface Candidate {
  d: ProjectVersionDescription
  name: string
  tags: Tags
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
  summaries: string[]
  cancel: AbortSignal
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
  if (!inputs.commitStatus) {
    // The commit statuses are the collector's only record of what is pending.
    io.log.notice('commit-status is false: mode collect has no pending trainings to look for.')
    io.setOutput('collected', '0')
    io.setOutput('pending', '0')
    return
  }
  if (!inputs.githubToken) {
    throw new InputError(
      'github-token is empty; mode collect reads and writes commit statuses, so it needs a token with statuses: write'
    )
  }
  // The proxy variables are inputs of a kind: a bad one fails here, before any AWS call.
  checkProxyEnv(io.env)
  const sockets = await socketsFor(io.env)
  const proxied = proxySummary(io.env)
  if (proxied) io.log.info(proxied)
  const gh = gitHub(io, inputs.githubToken, sockets)
  const status = statusKeeper(io, gh, ctx, inputs)!
  const client = rekognitionClient({
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets
  })
  const run: CollectRun = {
    io,
    inputs,
    ctx,
    region,
    client,
    sockets,
    status,
    gh,
    summaries: [],
    cancel
  }

  const { versions, calls } = await listProjectVersions(client, inputs.projectArn, cancel)
  const picked = collectable(versions, Date.now())
  io.log.info(
    `${versions.length} versions in ${inputs.projectName} (${calls} list calls): ${picked.inProgress.length} training, ${picked.ended.length} ended recently.`
  )
  if (picked.skipped > 0)
    io.log.warning(`${picked.skipped} older candidates left for the next run (tag reads capped).`)

  const ours = async (list: ProjectVersionDescription[]): Promise<Candidate[]> => {
    const out: Candidate[] = []
    for (const d of list) {
      if (cancel.aborted) break
      const tags = await versionTags(client, d.ProjectVersionArn!, cancel)
      const name = versionNameOf(d.ProjectVersionArn)
      if (tags && name && tags['github:repository'] === ctx.repository && tags['github:sha'])
        out.push({ d, name, tags })
    }
    return out
  }
  const training = await ours(picked.inProgress)
  const ended = await ours(picked.ended)

  let collected = 0
  const problems: string[] = []
  // One status read per commit; its latest status names the training it is about.
  const bySha = new Map<string, Candidate[]>()
  for (const c of ended)
    bySha.set(c.tags['github:sha'], [...(bySha.get(c.tags['github:sha']) ?? []), c])
  for (const [sha, candidates] of bySha) {
    if (cancel.aborted || !status.enabled) break
    let seen
    try {
      seen = await status.read(sha)
    } catch (err) {
      status.warn(err, 'read')
      problems.push(`the commit status of ${sha} could not be read`)
      continue
    }
    if (seen?.state !== 'pending') continue
    const c = candidates.find((x) => namesVersion(seen.description, x.name))
    if (!c) continue
    try {
      // Checked before the claim: a version this run cannot finish is not claimed.
      const gates = recordedGates(c.tags)
      // Two collectors at once: each writes a claim and reads the statuses back; only the earliest
      // claim goes on (winningClaim), so a training is finished once.
      const token = `${ctx.runId || 'run'}.${ctx.runAttempt || '1'}-${randomBytes(4).toString('hex')}`
      const won = await status.claim(
        sha,
        { description: claimDescription(c.name, token), targetUrl: runUrl(ctx) },
        (s) => s.state === 'pending' && isClaimFor(s.description, c.name)
      )
      if (!won) {
        if (status.enabled)
          io.log.info(`${c.name}: another collector is finishing it; leaving it to that one.`)
        continue
      }
      if (await collectOne(run, c, gates)) collected++
    } catch (err) {
      if (typeof (err as { status?: unknown })?.status === 'number') {
        // A GitHub answer (Octokit's RequestError) while claiming.
        status.warn(err, 'read')
        problems.push(`${c.name}: ${(err as Error).message}`)
        continue
      }
      if (!(err instanceof ActionError || err instanceof InputError)) throw err
      io.log.warning(`${c.name} stays pending: ${err.message}`)
      problems.push(`${c.name}: ${err.message}`)
    }
  }

  if (!status.enabled) problems.push('the token cannot write or read commit statuses')
  const pending = training.length
  io.setOutput('collected', String(collected))
  io.setOutput('pending', String(pending))
  io.log.info(`Collected ${collected} finished training(s); ${pending} still training.`)
  const still = training.map(
    (c) => `- ${escapeMarkdown(c.name)} (\`${c.tags['github:sha'].slice(0, 12)}\`): still training`
  )
  await io
    .writeSummary(
      io.redact(
        [
          `## Collector: ${collected} collected, ${pending} still training (${escapeMarkdown(inputs.projectName)})`,
          ...run.summaries,
          ...(still.length > 0 ? [still.join('\n')] : [])
        ].join('\n\n') + '\n'
      )
    )
    .catch((err: unknown) =>
      io.log.warning(`Could not write the job summary: ${(err as Error).message}`)
    )
  if (problems.length > 0) {
    throw new ActionError(
      `${problems.length} training(s) could not be collected and stay pending: ${problems.join('; ')}`
    )
  }
}

/** Finishes one ended training as its waiting step would have; false if another step beat us. */
async function collectOne(run: CollectRun, c: Candidate, gates: RecordedGates): Promise<boolean> {
  const { io, inputs, ctx, client, status } = run
  const vctx = startingContext(ctx, c.tags)
  const arn = c.d.ProjectVersionArn!
  const state: RunState = {
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
      onlyIfNaming: arn
    })
  }
  io.log.info(`${c.name} (${c.d.Status}) is pending on ${vctx.sha}: finishing it.`)
  // Outputs of a single training do not apply to a collector; the summary gathers every one.
  const quiet: ActionIo = {
    ...io,
    setOutput: () => undefined,
    writeSummary: async (markdown) => {
      run.summaries.push(markdown.trim())
    }
  }
  const done = await finishTraining(
    quiet,
    state,
    {
      client,
      sockets: run.sockets,
      status,
      targetUrl: runUrl(ctx),
      cancel: run.cancel,
      stillPending: async () => {
        const again = await status.read(vctx.sha)
        return again?.state === 'pending' && namesVersion(again.description, c.name)
      }
    },
    c.d
  )
  if (done.message) io.log.warning(`${c.name}: ${done.message}`)
  for (const g of done.failedGates)
    io.log.warning(`${c.name}: quality gate ${g.gate} failed: ${g.detail}`)
  return done.written
}
