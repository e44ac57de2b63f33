// The wait for training to end: our own loop over DescribeProjectVersions, because the SDK waiter
// polls every 120 s and retries every error, AccessDenied and expired tokens included.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { boundedSignal } from '../aws/abort.js'
import { isThrottlingError, type ErrorLike } from '../aws/retry.js'
import { formatDuration } from '../inputs/duration.js'
import { ActionError } from '../errors.js'
import { errorName, explainAwsError, isTransient } from '../aws/explain.js'
import type { Prediction } from './history.js'
import { nextDelay } from './poll-schedule.js'
import { keepsWaiting, statusMeaning } from './statuses.js'
import { timing, type Timing } from '../timing.js'

export interface WaitDeps {
  /** One DescribeProjectVersions for the version; undefined when the service does not know it. */
  describe(signal: AbortSignal): Promise<ProjectVersionDescription | undefined>
  now(): number
  /** Resolves after ms, or early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  random?: () => number
  log: { info(line: string): void; warning(line: string): void }
  /** Called with every description seen, so outputs always hold the last truth. */
  onCheck(description: ProjectVersionDescription): void
  /** Aborted on cancel (SIGINT/SIGTERM). */
  cancel: AbortSignal
}

export interface WaitOptions {
  arn: string
  /** When the training started (epoch ms), for the elapsed time in the log. */
  trainingStartedAt: number
  /** Scales the missing-version window (tests). */
  timing?: Timing
  /** Epoch ms: no sleep and no request goes past it. */
  deadline: number
  maxIntervalMs: number
  /** When this training is expected to end, from the project's history. */
  prediction?: Prediction
  /** The most one status check may take. */
  requestTimeoutMs?: number
  /**
   * Whether the wait goes on at this status; default: while training. The deployment waits with
   * the same loop for STARTING to end (src/deploy/).
   */
  keepsWaiting?: (status: string | undefined) => boolean
}

export type WaitResult =
  | { outcome: 'ended'; description: ProjectVersionDescription }
  | { outcome: 'timeout'; last?: ProjectVersionDescription }
  | { outcome: 'cancelled'; last?: ProjectVersionDescription }

/** Unknown failures (malformed answers, say) in a row before the wait gives up on them. */
const MAX_UNKNOWN_FAILURES = 3
const ACTION = 'rekognition:DescribeProjectVersions'
/**
 * A version missing from DescribeProjectVersions is reported gone only after this many empty
 * answers in a row, spread over at least MISSING_WINDOW_MS: right after a create the service may
 * not list the new version yet (eventual consistency), and one empty answer proves nothing.
 */
export const MISSING_CHECKS = 3
export const MISSING_WINDOW_MS = 60_000
/**
 * Service errors during training. Custom Labels guide, "Debugging a failed model training"
 * (tm-debugging.html): "If you use the AWS SDK, service errors that occur during training are
 * raised as an InternalServerError exception by CreateProjectVersion and DescribeProjectVersions"
 * and "If a service error occurs, retry training of the model. If training continues to fail,
 * contact AWS Support". One 5xx answer proves nothing (each check already had the status-check
 * client's STATUS_CHECK_ATTEMPTS attempts), so the wait says so only after INTERNAL_ERROR_CHECKS checks in a row answered
 * InternalServerError (or another 5xx that is not throttling) over at least INTERNAL_ERROR_SPAN_MS:
 * three of the five-minute intervals the Rekognition SLA measures availability in ("Availability
 * is calculated for each 5-minute interval"; an "Error" is "any Request that returns an error code
 * in the 5xx range"), so a short outage the SLA would count in one interval does not end the wait.
 */
export const INTERNAL_ERROR_CHECKS = 3
export const INTERNAL_ERROR_SPAN_MS = 3 * 5 * 60_000

/** An InternalServerError answer, or another 5xx that is not throttling. */
function isServiceError(err: unknown): boolean {
  if (errorName(err) === 'InternalServerError') return true
  const e = err as ErrorLike
  return (e?.$metadata?.httpStatusCode ?? 0) >= 500 && !isThrottlingError(e)
}

/** Kept free before the deadline for the last check's answer. */
const FINAL_RESERVE_MS = 3_000
/** No request is given less than this, even right at the deadline. */
const MIN_BUDGET_MS = 250

export async function waitForTraining(deps: WaitDeps, opts: WaitOptions): Promise<WaitResult> {
  let last: ProjectVersionDescription | undefined
  let checks = 0
  let unknownFailures = 0
  const began = deps.now()
  let missing: { since: number; checks: number } | undefined
  let internal: { since: number; checks: number } | undefined
  const unknownStatuses = new Set<string>()
  const missingWindowMs = (opts.timing ?? timing()).ms(MISSING_WINDOW_MS)
  for (;;) {
    const remaining = opts.deadline - deps.now()
    if (remaining <= 0) return { outcome: 'timeout', last }
    // The last check is placed just before the deadline, with time left for its answer.
    const reserve = Math.min(FINAL_RESERVE_MS, remaining / 2)
    const planned = nextDelay(
      {
        checks,
        waitedMs: deps.now() - began,
        remainingMs: remaining,
        maxIntervalMs: opts.maxIntervalMs,
        elapsedMs: deps.now() - opts.trainingStartedAt,
        prediction: opts.prediction
      },
      deps.random
    )
    const final = planned >= remaining - reserve
    const delay = final ? Math.max(0, Math.round(remaining - reserve)) : planned
    const status = last?.Status ?? 'Waiting for the first status'
    const elapsed = formatDuration(deps.now() - opts.trainingStartedAt)
    const next = final
      ? `last check in ${formatDuration(delay)}, at the timeout`
      : `next check in ${formatDuration(delay)}`
    deps.log.info(`${status} after ${elapsed}; ${next}`)
    await deps.sleep(delay, deps.cancel)
    if (deps.cancel.aborted) return { outcome: 'cancelled', last }

    checks++
    // Bound the request by the deadline too: a hung service must not hold the job past it.
    const left = opts.deadline - deps.now()
    const budget = Math.max(MIN_BUDGET_MS, Math.min(opts.requestTimeoutMs ?? 60_000, left))
    const bound = boundedSignal(budget, deps.cancel)
    const signal = bound.signal
    try {
      const description = await deps.describe(signal)
      unknownFailures = 0
      internal = undefined
      if (!description) {
        missing = missing ?? { since: deps.now(), checks: 0 }
        missing.checks++
        const missingFor = deps.now() - missing.since
        if (missing.checks >= MISSING_CHECKS && missingFor >= missingWindowMs) {
          throw new ActionError(
            `Version ${opts.arn} is no longer in the project (deleted?): missing from ${missing.checks} status checks over ${formatDuration(missingFor)}; nothing to wait for.`
          )
        }
        deps.log.info(
          `Version ${opts.arn} is not listed by DescribeProjectVersions (${missing.checks} time${missing.checks === 1 ? '' : 's'}); a new version can take a moment to show up, so the wait goes on.`
        )
      } else {
        missing = undefined
        last = description
        deps.onCheck(description)
        const status = description.Status ?? ''
        if (statusMeaning(status) === 'unknown' && !unknownStatuses.has(status)) {
          unknownStatuses.add(status)
          deps.log.warning(
            `Version ${opts.arn} has status ${status}, which this action does not know: it is not taken as the end of training, and the wait goes on until a known status or the timeout.`
          )
        }
        if (!(opts.keepsWaiting ?? keepsWaiting)(description.Status))
          return { outcome: 'ended', description }
      }
    } catch (err) {
      if (err instanceof ActionError) throw err
      if (deps.cancel.aborted) return { outcome: 'cancelled', last }
      const explained = explainAwsError(err, ACTION, opts.arn)
      if (explained.permanent) throw new ActionError(explained.message)
      const timedOut = signal.aborted
      if (!timedOut && isServiceError(err)) {
        internal = internal ?? { since: deps.now(), checks: 0 }
        internal.checks++
        const span = deps.now() - internal.since
        if (internal.checks >= INTERNAL_ERROR_CHECKS && span >= INTERNAL_ERROR_SPAN_MS) {
          throw new ActionError(
            `Amazon Rekognition reports an internal error: DescribeProjectVersions answered ${errorName(err)} to ${internal.checks} status checks in a row over ${formatDuration(span)} for ${opts.arn}. The Custom Labels guide says service errors during training are raised this way, and to retry the training (then, if it keeps failing, to contact AWS Support with the error): check the version in the console; if it ended TRAINING_FAILED, re-run this workflow to train again (a failed training is not billed); if it is still training, a re-run attaches to it.`
          )
        }
      } else if (!timedOut) {
        internal = undefined
      }
      if (!timedOut && !isTransient(err) && ++unknownFailures >= MAX_UNKNOWN_FAILURES) {
        throw new ActionError(
          `Status checks failed ${unknownFailures} times in a row: ${explained.message}`
        )
      }
      const why = timedOut ? `no answer within ${formatDuration(budget)}` : explained.message
      deps.log.warning(`Status check failed (${errorName(err)}), carrying on: ${why}`)
    } finally {
      bound.done()
    }
    if (final || deps.now() >= opts.deadline) return { outcome: 'timeout', last }
  }
}
