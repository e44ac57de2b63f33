// A request bound: aborts after a time, or when any linked signal (a cancel) aborts.
// Not AbortSignal.any([..., AbortSignal.timeout(ms)]): `any` holds its sources weakly, so the
// timeout signal can be garbage-collected before it fires, and a hung request then hangs for
// good (seen in this project's tests under memory pressure). Here the timer holds the controller.

export interface Bound {
  signal: AbortSignal
  /** Stops the timer and unlinks the signals; call when the request is over. */
  done(): void
}

export function boundedSignal(ms: number, ...linked: AbortSignal[]): Bound {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')),
    ms
  )
  const links: [AbortSignal, () => void][] = []
  for (const source of linked) {
    if (source.aborted) {
      controller.abort(source.reason)
      clearTimeout(timer)
      break
    }
    const onAbort = (): void => controller.abort(source.reason)
    source.addEventListener('abort', onAbort, { once: true })
    links.push([source, onAbort])
  }
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer)
      for (const [source, onAbort] of links) source.removeEventListener('abort', onAbort)
    }
  }
}

/** setTimeout that an abort ends early: a cancel never waits out a long sleep. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** The error a call ends with when its signal aborts: named as the SDK's HTTP handler names it. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return Object.assign(new Error('Request aborted'), {
    name: 'AbortError',
    ...(reason instanceof Error ? { cause: reason } : {})
  })
}
