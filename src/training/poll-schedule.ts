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
/**
 * The request budget: over any stretch of a wait from its start, at most
 * FREE_CHECKS + BUDGET_RATE x (elapsed / poll interval) checks, whatever the history says. The
 * free checks are the gentle start's first minute (about 2, 4, 8, 16 and 32 s); the rate leaves a
 * quarter more checks than a fixed poll, to spend where the end is likely.
 */
export const BUDGET_RATE = 1.25
export const FREE_CHECKS = 5
/**
 * The dense part is planned against this many times the checks saved: the plan is an expectation
 * (a training that ends early leaves the rest unspent), and the budget is enforced check by check
 * anyway, so a plan that overspends only makes the last checks of an unlucky wait sparser.
 * Chosen with `npm run bench:polling` at 60 s, 16 trainings a duration: lag median 14.8 s at 1.5,
 * 13.9 s at 2, 15.7 s at 3 (14.3 s at 2 with the full 60).
 */
const PLAN_FACTOR = 2
/** Past the expected end by this many spreads, the prediction was wrong: it is no longer used. */
export const TRUST_Z = 3

export interface ScheduleState {
  /** Checks made so far. */
  checks: number
  /** ms since the wait began: the budget counts from there. */
  waitedMs: number
  /** ms left until the deadline. */
  remainingMs: number
  /** The longest delay between checks (poll-interval-seconds). */
  maxIntervalMs: number
  /** ms since the training started; with a prediction, places the dense checks. */
  elapsedMs?: number
  prediction?: Prediction
}

/** How many checks the budget allows by `waitedMs` into a wait. */
export function budgetAt(waitedMs: number, maxIntervalMs: number): number {
  return FREE_CHECKS + (BUDGET_RATE * Math.max(0, waitedMs)) / maxIntervalMs
}

/** The earliest moment (ms into the wait) at which check number `checks + 1` fits the budget. */
function earliestWithinBudget(checks: number, maxIntervalMs: number): number {
  return Math.max(0, ((checks + 1 - FREE_CHECKS) * maxIntervalMs) / BUDGET_RATE)
}

/**
 * The gentle start: 2 s, 2 s, 4 s, 8 s ... up to the longest delay. Jittered (±20%) while it
 * ramps up, so parallel jobs fall out of step; then exactly the longest delay.
 */
function backoff(state: ScheduleState, random: () => number): number {
  const base = FIRST_DELAY_MS * GROWTH ** Math.max(0, state.checks - 1)
  if (base >= state.maxIntervalMs) return state.maxIntervalMs
  return Math.min(base * (1 - JITTER + 2 * JITTER * random()), state.maxIntervalMs)
}

/** The standard normal distribution function (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z))
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  const tail = 0.3989422804014327 * Math.exp((-z * z) / 2) * poly
  return z > 0 ? 1 - tail : tail
}

/**
 * The densest spacing the budget can afford around the expected end. With a densest spacing c,
 * the spacing is c·exp(z²/2), so the checks beyond the budget's own pace (one per 0.8 poll
 * interval) fall where |z| < z1; a check at z is only made if the training has not ended by then
 * (chance Q(z) = 1 − Φ(z), given it has not ended now). Expected, those extra checks cost
 * σ/Q(z_now) · (√(2π)·(Q(z0)² − Q(z1)²)/(2c) − pace·[z·Q(z) − φ(z)] from z0 to z1), and must fit
 * PLAN_FACTOR x the checks saved by then: the bank now, plus a quarter check per interval spent at
 * the longest delay until the dense part starts. The smallest c ≥ DENSEST_MS that fits, by
 * bisection. The budget itself is enforced check by check in nextDelay; this only spreads what it
 * allows.
 */
function affordableDensest(state: ScheduleState, p: Prediction, elapsedMs: number): number {
  const pace = BUDGET_RATE / state.maxIntervalMs
  const widest = 1 / pace
  if (widest <= DENSEST_MS) return DENSEST_MS
  const bank = budgetAt(state.waitedMs, state.maxIntervalMs) - state.checks
  const zNow = (elapsedMs - p.expectedMs) / p.spreadMs
  const alive = Math.max(1e-6, 1 - normalCdf(zNow))
  const q = (z: number): number => 1 - normalCdf(z)
  const density = (z: number): number => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)
  const fits = (c: number): boolean => {
    const z1 = Math.sqrt(2 * Math.log(widest / c))
    const z0 = Math.max(zNow, -z1)
    if (z0 >= z1) return true
    const checks = (Math.sqrt(2 * Math.PI) * (q(z0) ** 2 - q(z1) ** 2)) / (2 * c)
    const atPace = pace * (z1 * q(z1) - density(z1) - (z0 * q(z0) - density(z0)))
    const cost = (p.spreadMs * (checks - atPace)) / alive
    const untilDense = Math.max(0, p.expectedMs - z1 * p.spreadMs - elapsedMs)
    return cost <= PLAN_FACTOR * (bank + ((BUDGET_RATE - 1) * untilDense) / state.maxIntervalMs)
  }
  if (fits(DENSEST_MS)) return DENSEST_MS
  let lo = DENSEST_MS
  let hi = widest
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2
    if (fits(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/**
 * With a prediction, the end time is taken as normal around the expected duration: the spacing
 * is densest where the end is likeliest (15 s, or what the budget affords) and grows as
 * exp(z²/2) with the distance z (in spreads) from it, so the checks follow the probability of
 * finding the end, until the spacing reaches the longest delay (z ≈ 1.67 at 60 s). Far from the
 * expected end the plain schedule holds, and once the training is TRUST_Z spreads past it the
 * prediction is dropped: it was wrong.
 */
function planned(state: ScheduleState, random: () => number): number {
  const relaxed = backoff(state, random)
  const { prediction: p, elapsedMs } = state
  if (!p || elapsedMs === undefined) return relaxed
  if (elapsedMs > p.expectedMs + TRUST_Z * p.spreadMs) return relaxed
  const densest = affordableDensest(state, p, elapsedMs)
  const spacingAt = (t: number): number => {
    const z = (t - p.expectedMs) / p.spreadMs
    return Math.min(state.maxIntervalMs, densest * Math.exp((z * z) / 2))
  }
  // The next check lands where the spacing wanted there is at least the step taken: the largest
  // d (up to the relaxed delay) with d <= spacingAt(now + d), so no sleep runs into the dense part.
  const upper = Math.min(relaxed, spacingAt(elapsedMs))
  if (spacingAt(elapsedMs + upper) >= upper) return upper
  let lo = 0
  let hi = upper
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2
    if (spacingAt(elapsedMs + mid) >= mid) lo = mid
    else hi = mid
  }
  return Math.max(lo, Math.min(1_000, upper))
}

/**
 * Delay before the next check: the planned one, pushed back as far as the budget needs, never
 * longer than the longest delay (the budget never needs more: at its rate the next check is due
 * within 0.8 x the poll interval) and never past the deadline.
 */
export function nextDelay(state: ScheduleState, random: () => number = Math.random): number {
  const budgeted = Math.max(
    Math.round(planned(state, random)),
    Math.ceil(earliestWithinBudget(state.checks, state.maxIntervalMs) - state.waitedMs)
  )
  return Math.max(0, Math.round(Math.min(budgeted, state.maxIntervalMs, state.remainingMs)))
}
