// The action's own waits (not the ones a user sets with an input): how long a missing version is
// looked for, the GitHub call budget, the retry backoff, the rate-limit waits, the runner's cancel
// timings. Each module keeps its real-world constant; the composing code scales it with `ms()`.
//
// TEST ONLY: TRAIN_ACTION_TEST_TIME_SCALE (a number, 0 < scale <= 1) shrinks every one of these
// waits by that factor, so the end-to-end tests need not wait out a minute of real time. The
// runner never sets it; a workflow that does only makes the action less patient. Read once, in
// src/main.ts, and passed down; see CONTRIBUTING.md.
import { ActionError } from './errors.js'

export const TEST_TIME_SCALE_ENV = 'TRAIN_ACTION_TEST_TIME_SCALE'

export interface Timing {
  /** 1 in production. */
  readonly scale: number
  /** A real-world duration in ms, scaled (rounded, at least 1 ms when the duration is not 0). */
  ms(realMs: number): number
}

export function timing(scale = 1): Timing {
  return {
    scale,
    ms: (realMs) => (scale === 1 || realMs === 0 ? realMs : Math.max(1, Math.round(realMs * scale)))
  }
}

/** The timing for `env`: real time unless the test-only variable is set (and valid). */
export function timingFrom(env: NodeJS.ProcessEnv): Timing {
  const raw = env[TEST_TIME_SCALE_ENV]?.trim()
  if (!raw) return timing()
  const scale = Number(raw)
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new ActionError(
      `${TEST_TIME_SCALE_ENV} "${raw}" must be a number greater than 0 and at most 1 (test-only; leave it unset)`
    )
  }
  return timing(scale)
}
