import { describe, expect, test } from '@jest/globals'
import {
  EXIT_BEFORE_KILL_MS,
  LAST_CHANCE_BEFORE_KILL_MS,
  RunnerCancel,
  SIGKILL_AFTER_SIGTERM_MS,
  SIGTERM_AFTER_SIGINT_MS,
  type CancelTimers
} from '../../src/github/runner-cancel.js'

/** Timers on a virtual clock: advance(ms) fires what is due. */
function fakeTimers() {
  let now = 1_000_000
  let next = 1
  const pending = new Map<number, { at: number; fn: () => void; unref: boolean }>()
  const timers: CancelTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++
      const entry = { at: now + ms, fn, unref: false }
      pending.set(id, entry)
      return Object.assign(id as unknown as object, {
        unref: () => (entry.unref = true)
      }) as unknown as { unref(): unknown }
    },
    clearTimeout: (t) => pending.delete(Number(t))
  }
  const advance = (ms: number): void => {
    now += ms
    for (const [id, e] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (e.at <= now) {
        pending.delete(id)
        e.fn()
      }
    }
  }
  return { timers, advance, pending, now: () => now }
}

describe('RunnerCancel', () => {
  test('SIGINT: cancel at once, last chance 3 s before SIGKILL, exit 0.5 s before it', () => {
    const t = fakeTimers()
    let exits = 0
    const rc = new RunnerCancel(() => exits++, t.timers)
    expect(rc.received('SIGINT')).toBe(true)
    expect(rc.cancel.aborted).toBe(true)
    const kill = SIGTERM_AFTER_SIGINT_MS + SIGKILL_AFTER_SIGTERM_MS
    expect(rc.expectedKillAt).toBe(t.now() + kill)
    t.advance(kill - LAST_CHANCE_BEFORE_KILL_MS - 1)
    expect(rc.lastChance.aborted).toBe(false)
    t.advance(1)
    expect(rc.lastChance.aborted).toBe(true)
    t.advance(LAST_CHANCE_BEFORE_KILL_MS - EXIT_BEFORE_KILL_MS - 1)
    expect(exits).toBe(0)
    t.advance(1)
    expect(exits).toBe(1)
    // Neither timer holds the process open.
    expect([...t.pending.values()].every((e) => e.unref)).toBe(true)
  })

  test('the SIGTERM that follows 7.5 s later changes nothing', () => {
    const t = fakeTimers()
    const rc = new RunnerCancel(() => undefined, t.timers)
    rc.received('SIGINT')
    const killAt = rc.expectedKillAt
    t.advance(SIGTERM_AFTER_SIGINT_MS)
    expect(rc.received('SIGTERM')).toBe(false)
    expect(rc.expectedKillAt).toBe(killAt)
  })

  test('a first SIGTERM leaves 2.5 s: the last chance is now', () => {
    const t = fakeTimers()
    let exits = 0
    const rc = new RunnerCancel(() => exits++, t.timers)
    rc.received('SIGTERM')
    t.advance(0)
    expect(rc.lastChance.aborted).toBe(true)
    t.advance(SIGKILL_AFTER_SIGTERM_MS - EXIT_BEFORE_KILL_MS)
    expect(exits).toBe(1)
  })

  test('an early SIGTERM after a SIGINT brings SIGKILL forward', () => {
    const t = fakeTimers()
    let exits = 0
    const rc = new RunnerCancel(() => exits++, t.timers)
    rc.received('SIGINT')
    t.advance(1_000)
    rc.received('SIGTERM')
    expect(rc.expectedKillAt).toBe(t.now() + SIGKILL_AFTER_SIGTERM_MS)
    t.advance(SIGKILL_AFTER_SIGTERM_MS - EXIT_BEFORE_KILL_MS)
    expect(exits).toBe(1)
  })

  test('dispose stops the timers', () => {
    const t = fakeTimers()
    let exits = 0
    const rc = new RunnerCancel(() => exits++, t.timers)
    rc.received('SIGINT')
    rc.dispose()
    t.advance(60_000)
    expect(exits).toBe(0)
    expect(rc.lastChance.aborted).toBe(false)
  })
})
