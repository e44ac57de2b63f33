// The end of a training, seen by whichever step sees it (the step that waited, or a collector):
// results against the baseline, the gates the starting step was given, outputs, job summary, PR
// comment, and the commit status. The caller decides what the step's own exit is.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { boundedSignal } from '../aws/abort.js'
import type { Sockets } from '../aws/aws-clients.js'
import {
  planWrite,
  type SeenStatus,
  type StatusKeeper,
  type WritePlan
} from '../github/commit-status.js'
import type { Outcome } from '../reporting/report.js'
import { finalStatus } from '../reporting/status-text.js'
import type { GateVerdict } from '../results/gates.js'
import type { FailureExplanation } from '../training/failure.js'
import { failureMessage } from '../training/outcome.js'
import type { ActionIo } from './io.js'
import { publishBaseline, publishStatus, report } from './publish.js'
import { outcomeOf, type RunState } from './run-state.js'

export interface FinishDeps {
  client: RekognitionClient
  /** The run's sockets (the proxy's, when one is set), for the S3 reads. */
  sockets: Sockets
  /** Undefined with commit-status: false. */
  status?: StatusKeeper
  /** The page the commit status links to: the run that started the training. */
  targetUrl?: string
  /**
   * The collector's rule, checked on the commit's status read right before anything is written:
   * false means another step finished the training meanwhile, and nothing is written again. With
   * it, GitHub failures throw (the collector counts them per training); without it (a training
   * step) they are warnings.
   */
  onlyIf?: (current: SeenStatus | undefined) => boolean
  /** Aborted on cancel (and, in a collector, when the run's budget is spent). */
  cancel: AbortSignal
}

export interface Finished {
  outcome: Outcome
  /** Why the training is unusable (failed, deleted...), when it is. */
  message?: string
  failedGates: GateVerdict[]
  /** false: another step had finished it; nothing was written. */
  written: boolean
}

export async function finishTraining(
  io: ActionIo,
  state: RunState,
  deps: FinishDeps,
  d: ProjectVersionDescription
): Promise<Finished> {
  const inputs = state.inputs!
  const version = state.version!
  if (state.last !== d) publishStatus(io, state, d)
  const outcome = outcomeOf(d)
  let message: string | undefined
  if (outcome === 'failed') {
    if (d.Status === 'TRAINING_FAILED')
      state.failure = await explainTrainingFailure(io, state, d, deps.sockets, deps.cancel)
    message = failureMessage(d)
  } else if (outcome !== 'trained')
    message = `Version ${version.arn} is ${d.Status}: it cannot be used.`
  else {
    const { gatherResults } = await import('../results/results.js')
    const { autoScope } = await import('../results/baseline.js')
    const { readS3Text, s3Chunks } = await import('../aws/s3-text.js')
    const pollMs = inputs.pollIntervalSeconds * 1000
    // The snapshots are as large as the test set: their reading is bounded in time as well as
    // in lines and bytes (SNAPSHOT_LIMITS), and a cut one is compared as far as it was read.
    const bound = boundedSignal(SNAPSHOT_BUDGET_MS, deps.cancel)
    try {
      state.results = await gatherResults(
        {
          client: deps.client,
          readText: (uri) => readS3Text(state.region!, uri, pollMs, deps.sockets),
          warning: (l) => io.log.warning(l),
          notice: (l) => io.log.notice(l),
          snapshots: {
            readChunks: (uri) => s3Chunks(state.region!, uri, pollMs, deps.sockets, bound.signal),
            manifests: state.manifests
          }
        },
        inputs,
        version.name,
        d,
        // The starting step's scope: a collector rebuilds its context from the version's tags.
        autoScope(state.ctx!)
      )
    } finally {
      bound.done()
    }
    const changed = state.results.changedImages
    if (changed) {
      io.log.info(
        `Test images against the baseline: ${changed.worseCount} right to wrong, ${changed.betterCount} wrong to right, of ${changed.compared} in both (snapshot read: ${changed.current.lines} lines, ${changed.current.bytes} bytes${changed.current.cut ? `, ${changed.current.cut}` : ''}).`
      )
    }
    publishBaseline(io, state, state.results)
    const f1 = d.EvaluationResult?.F1Score
    if (f1 !== undefined && !Number.isFinite(f1)) {
      io.log.warning(
        `The service reported F1 score ${String(f1)} for ${version.arn}: not a finite number, so no quality gate can pass on it.`
      )
    }
  }
  const gates = state.results?.gates ?? []
  const failedGates = gates.filter((g) => !g.passed)
  const sha = state.ctx?.sha
  const keeper = deps.status?.enabled && sha ? deps.status : undefined
  const desired = {
    ...finalStatus({
      versionName: version.name,
      outcome,
      status: d.Status,
      f1: d.EvaluationResult?.F1Score,
      baselineF1: state.results?.baseline?.f1,
      gates,
      sameData: state.sameData
    }),
    targetUrl: deps.targetUrl
  }
  // Converge, not lock: the commit's status is read again right before writing; an identical one
  // is not written again, and another finisher's outcome is never contradicted.
  let plan: WritePlan | undefined
  if (keeper && sha) {
    try {
      const current = await keeper.read(sha, deps.cancel)
      plan = planWrite(current, desired)
      if (deps.onlyIf && (plan !== 'write' || !deps.onlyIf(current))) {
        io.log.info(
          `${version.name} was finished by another step meanwhile: nothing written again.`
        )
        return { outcome, message, failedGates, written: false }
      }
    } catch (err) {
      if (deps.onlyIf) throw err
      keeper.warn(err, 'read')
    }
  }
  await report(io, state, outcome, message)
  if (keeper && sha && plan === 'write') {
    try {
      await keeper.write(sha, desired, deps.cancel)
      io.log.info(`Commit status ${keeper.context}: ${desired.state} (${desired.description})`)
    } catch (err) {
      if (deps.onlyIf) throw err
      keeper.warn(err, 'set')
    }
  } else if (plan === 'same') {
    io.log.info(`Commit status ${keeper!.context} already says so: not written again.`)
  }
  if (outcome === 'trained')
    io.log.info(`Training ${d.Status}: F1 ${d.EvaluationResult?.F1Score ?? 'n/a'}, ${version.arn}`)
  return { outcome, message, failedGates, written: true }
}

/** The longest the reading of both evaluation manifest snapshots may take. */
const SNAPSHOT_BUDGET_MS = 120_000

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
