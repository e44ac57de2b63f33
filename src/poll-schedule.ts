// When to check the training's status next. Pure: the wait loop passes the clock in.
import type { Prediction } from './history.js'

/** The first check comes soon after the version exists; then the delay doubles. */
export const FIRST_DELAY_MS = 2_000
const GROWTH = 2
/** ±20% jitter, so parallel matrix jobs do not check in lockstep. */
const JITTER = 0.2
/** The dense checks around an expected end: a fraction of the spread, within these bounds. */
const DENSE_MIN_MS = 5_000
const DENSE_MAX_MS = 15_000
/** The window of dense checks, in spreads before and after the expected end. */
const WINDOW_BEFORE = 1.5
const WINDOW_AFTER = 3

export interface ScheduleState {
  /** Checks made so far. */
  checks: number
  /** ms left until the deadline. */
  remainingMs: number
  /** The longest delay between checks (poll-interval-seconds). */
  maxIntervalMs: number
  /** ms since the training started; with a prediction, places the dense checks. */
  elapsedMs?: number
  prediction?: Prediction
}

/** The gentle start: 2 s, 2 s, 4 s, 8 s ... up to the longest delay, jittered. */
function backoff(state: ScheduleState, random: () => number): number {
  const base = Math.min(
    state.maxIntervalMs,
    FIRST_DELAY_MS * GROWTH ** Math.max(0, state.checks - 1)
  )
  return Math.min(base * (1 - JITTER + 2 * JITTER * random()), state.maxIntervalMs)
}

/**
 * Checks ride the backoff while the expected end is far; from 1.5 spreads before it to 3 spreads
 * after it, they come every spread/6 (5-15 s); past the window the prediction was wrong and the
 * backoff (by then the longest delay) takes over again.
 */
function planned(state: ScheduleState, random: () => number): number {
  const relaxed = backoff(state, random)
  const { prediction: p, elapsedMs } = state
  if (!p || elapsedMs === undefined) return relaxed
  const dense = Math.min(
    state.maxIntervalMs,
    Math.max(DENSE_MIN_MS, Math.min(DENSE_MAX_MS, p.spreadMs / 6))
  )
  const windowStart = p.expectedMs - WINDOW_BEFORE * p.spreadMs
  const windowEnd = p.expectedMs + WINDOW_AFTER * p.spreadMs
  if (elapsedMs >= windowEnd) return relaxed
  if (elapsedMs >= windowStart) return Math.min(relaxed, dense)
  // Land on the window's start rather than overshoot it.
  const untilWindow = windowStart - elapsedMs
  return untilWindow < relaxed ? Math.max(untilWindow, Math.min(relaxed, dense)) : relaxed
}

/** Delay before the next check; never past the deadline. */
export function nextDelay(state: ScheduleState, random: () => number = Math.random): number {
  return Math.max(0, Math.round(Math.min(planned(state, random), state.remainingMs)))
}
