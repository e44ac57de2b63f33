// When to check the training's status next. Pure: the wait loop passes the clock in.
import type { Prediction } from './history.js'

/** The first check comes soon after the version exists; then the delay doubles. */
export const FIRST_DELAY_MS = 2_000
const GROWTH = 2
/** ±20% jitter, so parallel matrix jobs do not check in lockstep. */
const JITTER = 0.2
/** Around the expected end, checks are spaced by how likely the end is: this close at the most
 * likely moment, wider away from it (see `planned`). */
const DENSEST_MS = 15_000

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

/**
 * The gentle start: 2 s, 2 s, 4 s, 8 s ... up to the longest delay. Jittered (±20%) while it
 * ramps up, so parallel jobs fall out of step; then exactly the longest delay, so the rate never
 * exceeds one check per poll-interval-seconds.
 */
function backoff(state: ScheduleState, random: () => number): number {
  const base = FIRST_DELAY_MS * GROWTH ** Math.max(0, state.checks - 1)
  if (base >= state.maxIntervalMs) return state.maxIntervalMs
  return Math.min(base * (1 - JITTER + 2 * JITTER * random()), state.maxIntervalMs)
}

/**
 * With a prediction, the end time is taken as normal around the expected duration: the spacing
 * is DENSEST_MS where the end is likeliest and grows as exp(z²/2) with the distance z (in spreads)
 * from it, so the checks follow the probability of finding the end, until the spacing reaches the
 * longest delay (z ≈ 1.5 at 60 s). Far from the expected end, and when it has passed by far, the
 * plain schedule holds.
 */
function planned(state: ScheduleState, random: () => number): number {
  const relaxed = backoff(state, random)
  const { prediction: p, elapsedMs } = state
  if (!p || elapsedMs === undefined) return relaxed
  const spacingAt = (t: number): number => {
    const z = (t - p.expectedMs) / p.spreadMs
    return Math.min(state.maxIntervalMs, DENSEST_MS * Math.exp((z * z) / 2))
  }
  const here = spacingAt(elapsedMs)
  if (here < relaxed) return here
  // Do not sleep across the start of the dense part: stop where the spacing first drops.
  const next = elapsedMs + relaxed
  if (spacingAt(next) < relaxed && elapsedMs < p.expectedMs) {
    let t = elapsedMs
    while (t < next && spacingAt(t) >= relaxed) t += 1_000
    return Math.max(1_000, t - elapsedMs)
  }
  return relaxed
}

/** Delay before the next check; never past the deadline. */
export function nextDelay(state: ScheduleState, random: () => number = Math.random): number {
  return Math.max(0, Math.round(Math.min(planned(state, random), state.remainingMs)))
}
