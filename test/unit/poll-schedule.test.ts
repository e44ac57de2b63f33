import { describe, expect, test } from '@jest/globals'
import { FIRST_DELAY_MS, nextDelay, type ScheduleState } from '../../src/training/poll-schedule.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const state = (overrides: Partial<ScheduleState> = {}): ScheduleState => ({
  checks: 0,
  waitedMs: 10 * HOUR,
  remainingMs: HOUR,
  maxIntervalMs: MINUTE,
  ...overrides
})
const fixed =
  (r: number): (() => number) =>
  () =>
    r

/** The delays of a whole wait, as the loop would ask for them, until the deadline. */
function simulate(random: () => number, maxIntervalMs: number, waitMs: number): number[] {
  const checkTimes: number[] = []
  let t = 0
  for (let checks = 0; t < waitMs && checks < 10_000; checks++) {
    const d = nextDelay({ checks, waitedMs: t, remainingMs: waitMs - t, maxIntervalMs }, random)
    expect(d).toBeGreaterThan(0)
    t += d
    checkTimes.push(t)
  }
  return checkTimes
}

describe('nextDelay', () => {
  test('the first check comes about 2 s after the start', () => {
    expect(FIRST_DELAY_MS).toBe(2_000)
    expect(nextDelay(state(), fixed(0.5))).toBe(2_000)
    expect(nextDelay(state(), fixed(0))).toBe(1_600)
    expect(nextDelay(state(), fixed(1))).toBe(2_400)
  })

  test('the delay doubles from one check to the next', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((checks) =>
      nextDelay(state({ checks, maxIntervalMs: HOUR }), fixed(0.5))
    )
    expect(delays[0]).toBe(2_000)
    expect(delays[1]).toBeGreaterThanOrEqual(delays[0])
    for (let k = 1; k < delays.length - 1; k++) expect(delays[k + 1]).toBe(2 * delays[k])
    expect(delays[5]).toBe(32_000)
  })

  test('is capped at maxIntervalMs (poll-interval-seconds)', () => {
    for (const r of [0, 0.25, 0.5, 0.75, 1]) {
      for (const checks of [6, 7, 10, 50, 1_000]) {
        const d = nextDelay(state({ checks }), fixed(r))
        expect(d).toBeLessThanOrEqual(MINUTE)
        expect(d).toBeGreaterThanOrEqual(0.8 * MINUTE)
      }
    }
    expect(nextDelay(state({ checks: 50 }), fixed(0.5))).toBe(MINUTE)
    // A small poll interval caps even the first delay.
    expect(nextDelay(state({ maxIntervalMs: 500 }), fixed(1))).toBe(500)
    // At cruise there is no jitter: exactly the longest delay, never more checks than it allows.
    expect(nextDelay(state({ checks: 3, maxIntervalMs: 1_000 }), fixed(0))).toBe(1_000)
  })

  test('jitter stays within ±20% and follows the injected random', () => {
    for (const checks of [0, 2, 3, 4, 5]) {
      const base = 2_000 * 2 ** Math.max(0, checks - 1)
      const low = nextDelay(state({ checks, maxIntervalMs: HOUR }), fixed(0))
      const high = nextDelay(state({ checks, maxIntervalMs: HOUR }), fixed(1))
      expect(low).toBe(Math.round(base * 0.8))
      expect(high).toBe(Math.round(base * 1.2))
      for (const r of [0.1, 0.3, 0.7, 0.9]) {
        const d = nextDelay(state({ checks, maxIntervalMs: HOUR }), fixed(r))
        expect(d).toBeGreaterThanOrEqual(low)
        expect(d).toBeLessThanOrEqual(high)
      }
    }
    // Different randoms give different delays: the jitter is really applied.
    const seen = new Set([0, 0.2, 0.4, 0.6, 0.8, 1].map((r) => nextDelay(state(), fixed(r))))
    expect(seen.size).toBe(6)
  })

  test('defaults to Math.random, within the jitter', () => {
    for (let i = 0; i < 50; i++) {
      const d = nextDelay(state({ checks: 3 }))
      expect(d).toBeGreaterThanOrEqual(6_400)
      expect(d).toBeLessThanOrEqual(9_600)
    }
  })

  test('never more than the time left, never negative', () => {
    expect(nextDelay(state({ checks: 0, remainingMs: 1_234 }), fixed(1))).toBe(1_234)
    expect(nextDelay(state({ checks: 20, remainingMs: 5_000 }), fixed(1))).toBe(5_000)
    expect(nextDelay(state({ checks: 20, remainingMs: 0 }), fixed(1))).toBe(0)
    expect(nextDelay(state({ checks: 20, remainingMs: -5_000 }), fixed(1))).toBe(0)
    expect(nextDelay(state({ checks: 0, remainingMs: -1 }), fixed(0))).toBe(0)
    for (const remainingMs of [1, 999, 1_600, 2_399, 59_999]) {
      for (const r of [0, 0.5, 1]) {
        const d = nextDelay(state({ checks: 4, remainingMs }), fixed(r))
        expect(d).toBeLessThanOrEqual(remainingMs)
        expect(d).toBeGreaterThanOrEqual(0)
      }
    }
  })

  test('whole milliseconds', () => {
    for (const r of [0.123, 0.456, 0.789]) {
      expect(Number.isInteger(nextDelay(state({ checks: 3 }), fixed(r)))).toBe(true)
    }
  })

  test('with a 60 s poll interval, at most four checks fall in the first 20 s', () => {
    for (const r of [0, 0.25, 0.5, 0.75, 1]) {
      const times = simulate(fixed(r), MINUTE, HOUR)
      expect(times.filter((t) => t <= 20_000).length).toBeLessThanOrEqual(4)
      expect(times[0]).toBeLessThanOrEqual(2_400)
      // Once grown, the checks come every 48-60 s, and the last lands on the deadline.
      expect(times.at(-1)).toBe(HOUR)
      expect(times.length).toBeLessThanOrEqual(82)
      expect(times.length).toBeGreaterThan(55)
    }
  })
})
