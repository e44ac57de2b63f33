// The runner's cancel, with GitHub's timing (docs.github.com, "Workflow cancellation reference"):
// SIGINT to the step's node process; if it has not exited within 7500 ms, SIGTERM; if it is still
// running 2500 ms later, the process tree is killed. A cancel aborts `cancel` at once (no new paid
// work starts); `lastChance` aborts when just enough time is left before SIGKILL for one lookup of
// a version whose create never answered; and the process leaves on its own just before SIGKILL.
// A first signal that is SIGTERM (a runner or container that skips SIGINT) leaves 2.5 s.
// All four timings scale together with the test-only time scale (src/timing.ts), so a test's
// runner (test/e2e/harness.ts) that scales GitHub's timings alike sees the same order of events.
import { timing, type Timing } from '../timing.js'

export const SIGTERM_AFTER_SIGINT_MS = 7_500
export const SIGKILL_AFTER_SIGTERM_MS = 2_500
/** Kept before SIGKILL for the last lookup, the outputs and the summary. */
export const LAST_CHANCE_BEFORE_KILL_MS = 3_000
/** The process exits on its own this long before SIGKILL would come. */
export const EXIT_BEFORE_KILL_MS = 500

export interface CancelTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): { unref(): unknown }
  clearTimeout(timer: unknown): void
}

const realTimers: CancelTimers = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout)
}

export class RunnerCancel {
  private readonly cancelController = new AbortController()
  private readonly lastChanceController = new AbortController()
  private killAt: number | undefined
  private timers: unknown[] = []

  /** `exit` is called just before SIGKILL would come, if the process is still there. */
  constructor(
    private readonly exit: () => void,
    private readonly timers_: CancelTimers = realTimers,
    private readonly timing_: Timing = timing()
  ) {}

  /** Aborted on the first SIGINT or SIGTERM. */
  get cancel(): AbortSignal {
    return this.cancelController.signal
  }

  /** Aborted when no time is left to wait for a late answer. */
  get lastChance(): AbortSignal {
    return this.lastChanceController.signal
  }

  /** When SIGKILL is expected (epoch ms), once a signal came. */
  get expectedKillAt(): number | undefined {
    return this.killAt
  }

  /** A signal arrived. True for the first one. */
  received(signal: NodeJS.Signals): boolean {
    const first = !this.cancel.aborted
    const killAt =
      this.timers_.now() +
      this.timing_.ms(signal === 'SIGINT' ? SIGTERM_AFTER_SIGINT_MS : 0) +
      this.timing_.ms(SIGKILL_AFTER_SIGTERM_MS)
    if (this.killAt === undefined || killAt < this.killAt) {
      this.killAt = killAt
      this.schedule(killAt)
    }
    this.cancelController.abort()
    return first
  }

  private schedule(killAt: number): void {
    this.dispose()
    const left = killAt - this.timers_.now()
    const lastChance = this.timers_.setTimeout(
      () => this.lastChanceController.abort(),
      Math.max(0, left - this.timing_.ms(LAST_CHANCE_BEFORE_KILL_MS))
    )
    // Neither timer holds the process open: when the work is done it exits by itself.
    lastChance.unref()
    const exit = this.timers_.setTimeout(
      this.exit,
      Math.max(0, left - this.timing_.ms(EXIT_BEFORE_KILL_MS))
    )
    exit.unref()
    this.timers = [lastChance, exit]
  }

  /** Stops the timers (the run is over). */
  dispose(): void {
    for (const t of this.timers) this.timers_.clearTimeout(t)
    this.timers = []
  }
}
