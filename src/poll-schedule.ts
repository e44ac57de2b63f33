// When to check the training's status next. Pure: the wait loop passes the clock in.

/** The first check comes soon after the version exists; then the delay doubles. */
export const FIRST_DELAY_MS = 2_000
const GROWTH = 2
/** ±20% jitter, so parallel matrix jobs do not check in lockstep. */
const JITTER = 0.2

export interface ScheduleState {
  /** Checks made so far. */
  checks: number
  /** ms left until the deadline. */
  remainingMs: number
  /** The longest delay between checks (poll-interval-seconds). */
  maxIntervalMs: number
}

/** Delay before the next check; never past the deadline (the last check lands on it). */
export function nextDelay(state: ScheduleState, random: () => number = Math.random): number {
  const base = Math.min(
    state.maxIntervalMs,
    FIRST_DELAY_MS * GROWTH ** Math.max(0, state.checks - 1)
  )
  const jittered = base * (1 - JITTER + 2 * JITTER * random())
  const delay = Math.min(jittered, state.maxIntervalMs)
  return Math.max(0, Math.round(Math.min(delay, state.remainingMs)))
}
