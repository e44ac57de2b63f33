import { describe, expect, test } from '@jest/globals'
import { boundedSignal } from '../../src/aws/abort.js'

describe('boundedSignal', () => {
  test('aborts after the time, with a TimeoutError', async () => {
    const bound = boundedSignal(30)
    await new Promise((r) => setTimeout(r, 60))
    expect(bound.signal.aborted).toBe(true)
    expect((bound.signal.reason as DOMException).name).toBe('TimeoutError')
    bound.done()
  })

  test('aborts with a linked signal, at once if it already has', () => {
    const cancel = new AbortController()
    const bound = boundedSignal(10_000, cancel.signal)
    expect(bound.signal.aborted).toBe(false)
    cancel.abort('SIGTERM')
    expect(bound.signal.reason).toBe('SIGTERM')
    bound.done()
    const late = boundedSignal(10_000, cancel.signal)
    expect(late.signal.aborted).toBe(true)
    late.done()
  })

  test('done() stops the timer and unlinks: nothing fires afterwards', async () => {
    const cancel = new AbortController()
    const bound = boundedSignal(20, cancel.signal)
    bound.done()
    cancel.abort()
    await new Promise((r) => setTimeout(r, 40))
    expect(bound.signal.aborted).toBe(false)
  })

  test('still fires after a garbage collection with nothing else holding it', async () => {
    const signals: WeakRef<AbortSignal>[] = []
    let fired = 0
    for (let i = 0; i < 50; i++) {
      const { signal } = boundedSignal(30)
      signal.addEventListener('abort', () => fired++)
      signals.push(new WeakRef(signal))
    }
    // Allocate to invite the collector; the timers must still hold their signals.
    for (let i = 0; i < 200; i++) new Array(10_000).fill(i)
    await new Promise((r) => setTimeout(r, 80))
    expect(fired).toBe(50)
  })
})
