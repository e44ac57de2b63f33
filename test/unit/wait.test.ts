import { describe, expect, jest, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { formatDuration } from '../../src/inputs/duration.js'
import { ActionError } from '../../src/errors.js'
import { abortableSleep } from '../../src/aws/abort.js'
import {
  MISSING_CHECKS,
  MISSING_WINDOW_MS,
  INTERNAL_ERROR_CHECKS,
  INTERNAL_ERROR_SPAN_MS,
  waitForTraining,
  type WaitDeps,
  type WaitOptions,
  type WaitResult
} from '../../src/training/wait.js'
import { PROJECT_ARN } from './helpers.js'

const VERSION_ARN = `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/v1/1700000000001`
const START = Date.UTC(2026, 10, 27, 13, 0, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const version = (Status?: string, extra: ProjectVersionDescription = {}) =>
  ({ ProjectVersionArn: VERSION_ARN, Status, ...extra }) as ProjectVersionDescription
const inProgress = (): ProjectVersionDescription => version('TRAINING_IN_PROGRESS')

/** Errors shaped like the AWS SDK v3's. */
function awsError(
  name: string,
  message: string,
  httpStatusCode: number,
  extra: Record<string, unknown> = {}
): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'req-1', attempts: 3 },
    ...extra
  })
}
const throttling = () =>
  awsError('ThrottlingException', 'Rate exceeded', 400, { $retryable: { throttling: true } })
const internal = () => awsError('InternalServerError', 'Internal server error', 500)
const reset = () =>
  Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' })
const hangUp = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
const timedOut = () =>
  Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError' })
const malformed = () =>
  Object.assign(new SyntaxError('Unexpected token < in JSON at position 0'), {
    $metadata: { httpStatusCode: 200 }
  })

/** One scripted answer of DescribeProjectVersions. */
type Step =
  | ProjectVersionDescription
  | Error
  | undefined
  | ((signal: AbortSignal) => Promise<ProjectVersionDescription | undefined>)

interface Harness {
  deps: WaitDeps
  clock: { now: number }
  sleeps: number[]
  calls: { at: number; signal: AbortSignal; abortedAtCall: boolean }[]
  info: string[]
  warnings: string[]
  seen: ProjectVersionDescription[]
  cancel: AbortController
}

/**
 * A virtual clock: now() reads it, sleep(ms) moves it on. describe() answers from the script,
 * then "still in progress" once the script is used up.
 */
function harness(
  script: Step[],
  opts: { random?: number; onSleep?: (h: Harness, ms: number) => void } = {}
): Harness {
  const h: Harness = {
    clock: { now: START },
    sleeps: [],
    calls: [],
    info: [],
    warnings: [],
    seen: [],
    cancel: new AbortController(),
    deps: undefined as unknown as WaitDeps
  }
  let i = 0
  h.deps = {
    describe: async (signal) => {
      h.calls.push({ at: h.clock.now, signal, abortedAtCall: signal.aborted })
      const step = i < script.length ? script[i] : inProgress()
      i++
      if (typeof step === 'function') return step(signal)
      if (step instanceof Error) throw step
      return step
    },
    now: () => h.clock.now,
    sleep: async (ms) => {
      expect(ms).toBeGreaterThanOrEqual(0)
      h.sleeps.push(ms)
      if (opts.onSleep) opts.onSleep(h, ms)
      if (!h.cancel.signal.aborted) h.clock.now += ms
    },
    random: () => opts.random ?? 0.5,
    log: { info: (l) => h.info.push(l), warning: (l) => h.warnings.push(l) },
    onCheck: (d) => h.seen.push(d),
    cancel: h.cancel.signal
  }
  return h
}

const options = (overrides: Partial<WaitOptions> = {}): WaitOptions => ({
  arn: VERSION_ARN,
  trainingStartedAt: START - MINUTE,
  deadline: START + HOUR,
  maxIntervalMs: MINUTE,
  ...overrides
})

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

describe('waitForTraining: a status the action does not know', () => {
  test('is not an end: one warning naming it, then the wait goes on to a known status', async () => {
    const h = harness([
      version('TRAINING_PAUSED'),
      version('TRAINING_PAUSED'),
      version('TRAINING_PAUSED'),
      version('TRAINING_COMPLETED')
    ])
    const result = await waitForTraining(h.deps, options())
    expect(result).toMatchObject({
      outcome: 'ended',
      description: { Status: 'TRAINING_COMPLETED' }
    })
    expect(h.warnings).toHaveLength(1)
    expect(h.warnings[0]).toMatch(/has status TRAINING_PAUSED, which this action does not know/)
    expect(h.seen.map((d) => d.Status)).toContain('TRAINING_PAUSED')
  })

  test('that never resolves ends as a timeout with it as the last status', async () => {
    const h = harness(Array.from({ length: 50 }, () => version('SOMETHING_NEW')))
    const result = await waitForTraining(h.deps, options({ deadline: START + 5 * MINUTE }))
    expect(result).toMatchObject({ outcome: 'timeout', last: { Status: 'SOMETHING_NEW' } })
    expect(h.warnings).toHaveLength(1)
  })

  test('two different unknown statuses get one warning each', async () => {
    const h = harness([version('NEW_A'), version('NEW_B'), version('NEW_A'), version('FAILED')])
    expect((await waitForTraining(h.deps, options())).outcome).toBe('ended')
    expect(h.warnings).toHaveLength(2)
  })
})

describe('waitForTraining: the end of training', () => {
  test('TRAINING_COMPLETED ends the wait; every description goes to onCheck', async () => {
    const script = [inProgress(), version('COPYING_IN_PROGRESS'), version('TRAINING_COMPLETED')]
    const h = harness(script)
    const result = await waitForTraining(h.deps, options())
    expect(result).toEqual({ outcome: 'ended', description: script[2] })
    expect((result as Extract<WaitResult, { outcome: 'ended' }>).description).toBe(script[2])
    expect(h.seen).toEqual(script)
    expect(h.seen[0]).toBe(script[0])
    expect(h.calls).toHaveLength(3)
    expect(h.warnings).toEqual([])
  })

  test.each(['TRAINING_FAILED', 'COPYING_FAILED', 'DELETING', 'EXPIRED', 'RUNNING'])(
    '%s ends the wait',
    async (status) => {
      const end = version(status, { StatusMessage: 'the service said so' })
      const h = harness([inProgress(), end])
      expect(await waitForTraining(h.deps, options())).toEqual({
        outcome: 'ended',
        description: end
      })
      expect(h.seen).toHaveLength(2)
      expect(h.calls).toHaveLength(2)
    }
  )

  test('a description without a status keeps the wait going', async () => {
    const h = harness([version(undefined), version(undefined), version('TRAINING_COMPLETED')])
    expect((await waitForTraining(h.deps, options())).outcome).toBe('ended')
    expect(h.calls).toHaveLength(3)
  })

  test('an info line before every check: last status, elapsed time, next check', async () => {
    const script = [inProgress(), version('COPYING_IN_PROGRESS'), version('TRAINING_COMPLETED')]
    const h = harness(script)
    await waitForTraining(h.deps, options({ trainingStartedAt: START - 65_000 }))
    expect(h.info).toHaveLength(h.calls.length)
    expect(h.info[0]).toContain('Waiting for the first status')
    expect(h.info[1]).toContain('TRAINING_IN_PROGRESS')
    expect(h.info[2]).toContain('COPYING_IN_PROGRESS')
    // Elapsed since the training started, as the clock says at that moment.
    expect(h.info[0]).toContain('after 1 min 05 s')
    expect(h.info[1]).toContain(`after ${formatDuration(65_000 + h.sleeps[0])}`)
    expect(h.info[2]).toContain(`after ${formatDuration(65_000 + h.sleeps[0] + h.sleeps[1])}`)
    h.info.forEach((line, k) =>
      expect(line).toContain(`next check in ${formatDuration(h.sleeps[k])}`)
    )
  })

  test('the checks start 2 s apart and back off to the poll interval', async () => {
    const h = harness([...Array.from({ length: 12 }, inProgress), version('TRAINING_COMPLETED')])
    await waitForTraining(h.deps, options())
    expect(h.sleeps[0]).toBe(2_000)
    expect(h.sleeps.slice(2, 6)).toEqual([4_000, 8_000, 16_000, 32_000])
    expect(h.sleeps.slice(6)).toEqual(Array(h.sleeps.length - 6).fill(MINUTE))
  })

  test.each([0, 0.5, 1])(
    'with a 60 s poll interval, at most four checks in the first 20 s (random %p)',
    async (random) => {
      const h = harness(
        [...Array.from({ length: 10 }, inProgress), version('TRAINING_COMPLETED')],
        {
          random
        }
      )
      await waitForTraining(h.deps, options())
      expect(h.calls.filter((c) => c.at - START <= 20_000).length).toBeLessThanOrEqual(4)
      expect(h.calls[0].at - START).toBeLessThanOrEqual(2_400)
    }
  )
})

describe('waitForTraining: the deadline', () => {
  test.each([
    [5 * MINUTE, 0],
    [5 * MINUTE, 0.5],
    [5 * MINUTE, 1],
    [61_000, 1],
    [64_000, 0.5],
    [3_000, 0.5],
    [1_000, 0],
    [350 * MINUTE, 0.5]
  ])(
    'never sleeps past a deadline %d ms away; the last check comes before it (random %p)',
    async (waitMs, random) => {
      const deadline = START + waitMs
      const h = harness([], { random })
      const result = await waitForTraining(h.deps, options({ deadline }))
      expect(result.outcome).toBe('timeout')
      // The last description, the very object the last check returned.
      expect(h.seen).toHaveLength(h.calls.length)
      expect((result as Extract<WaitResult, { outcome: 'timeout' }>).last).toBe(h.seen.at(-1))
      expect(sum(h.sleeps)).toBeLessThanOrEqual(deadline - START)
      expect(h.clock.now).toBeLessThan(deadline)
      for (const c of h.calls) expect(c.at).toBeLessThan(deadline)
      // The wait uses its time: the last check is close to the deadline, not long before it.
      expect(h.calls.at(-1)!.at).toBeGreaterThanOrEqual(deadline - Math.min(3_000, waitMs / 2) - 1)
      expect(h.info.at(-1)).toMatch(/last check in .*at the timeout/)
    }
  )

  test('the timeout result carries the last description seen', async () => {
    const h = harness([])
    const result = await waitForTraining(h.deps, options({ deadline: START + 5 * MINUTE }))
    expect(result).toEqual({ outcome: 'timeout', last: h.seen.at(-1) })
    expect(h.seen.length).toBeGreaterThan(4)
  })

  test('a deadline already past: no check, timeout at once', async () => {
    const h = harness([])
    expect(await waitForTraining(h.deps, options({ deadline: START }))).toEqual({
      outcome: 'timeout',
      last: undefined
    })
    expect(h.calls).toHaveLength(0)
    expect(h.sleeps).toHaveLength(0)
  })

  test('a failed last check still ends at the deadline, with the last good description', async () => {
    const h = harness([inProgress(), inProgress(), inProgress()])
    const describe = h.deps.describe
    h.deps.describe = async (signal) => {
      if (h.calls.length >= 3) {
        h.calls.push({ at: h.clock.now, signal, abortedAtCall: signal.aborted })
        throw throttling()
      }
      return describe(signal)
    }
    const result = await waitForTraining(h.deps, options({ deadline: START + 2 * MINUTE }))
    expect(result.outcome).toBe('timeout')
    expect((result as Extract<WaitResult, { outcome: 'timeout' }>).last).toBe(h.seen[2])
    expect(sum(h.sleeps)).toBeLessThan(2 * MINUTE)
  })

  test('a slow service does not hold the wait past the deadline', async () => {
    // Each answer takes 20 s of the clock; the loop must not start a check past the deadline.
    const h = harness([])
    const describe = h.deps.describe
    h.deps.describe = async (signal) => {
      const d = await describe(signal)
      h.clock.now += 20_000
      return d
    }
    const deadline = START + 3 * MINUTE
    expect((await waitForTraining(h.deps, options({ deadline }))).outcome).toBe('timeout')
    for (const c of h.calls) expect(c.at).toBeLessThan(deadline)
    expect(sum(h.sleeps)).toBeLessThanOrEqual(deadline - START)
  })
})

describe('waitForTraining: the signal of each status check', () => {
  test('every describe() gets a live AbortSignal', async () => {
    const h = harness([inProgress(), inProgress(), version('TRAINING_COMPLETED')])
    await waitForTraining(h.deps, options())
    expect(h.calls).toHaveLength(3)
    for (const c of h.calls) {
      expect(c.signal).toBeInstanceOf(AbortSignal)
      expect(c.abortedAtCall).toBe(false)
    }
  })

  test('a cancel aborts the status check in flight', async () => {
    const h = harness([
      inProgress(),
      (signal) => {
        expect(signal.aborted).toBe(false)
        h.cancel.abort()
        expect(signal.aborted).toBe(true)
        return Promise.reject(
          Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })
        )
      }
    ])
    const result = await waitForTraining(h.deps, options())
    expect(result).toEqual({ outcome: 'cancelled', last: h.seen[0] })
    expect(h.calls).toHaveLength(2)
  })

  /** A describe() that never answers: it only ends when its signal aborts. */
  const hang = (signal: AbortSignal): Promise<ProjectVersionDescription> =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))

  test('a hung status check is dropped by the deadline (real timers, < 1 s)', async () => {
    // Virtual deadline 600 ms away: the last check comes 300 ms before it with what is left.
    const h = harness([hang])
    const began = performance.now()
    const result = await waitForTraining(h.deps, options({ deadline: START + 600 }))
    const took = performance.now() - began
    expect(result).toEqual({ outcome: 'timeout', last: undefined })
    expect(took).toBeLessThan(1_500)
    expect(h.calls[0].signal.aborted).toBe(true)
    expect(h.warnings).toHaveLength(1)
    expect(h.warnings[0]).toContain('no answer within')
  })

  test('requestTimeoutMs bounds each check; the wait goes on after it (real timers)', async () => {
    const done = version('TRAINING_COMPLETED')
    const h = harness([hang, done])
    const began = performance.now()
    const result = await waitForTraining(h.deps, options({ requestTimeoutMs: 200 }))
    expect(performance.now() - began).toBeLessThan(1_500)
    expect(result).toEqual({ outcome: 'ended', description: done })
    expect(h.warnings).toHaveLength(1)
    expect(h.warnings[0]).toContain('no answer within')
  })
})

describe('waitForTraining: errors', () => {
  test.each([
    ['ThrottlingException', throttling],
    ['InternalServerError (500)', internal],
    [
      'ProvisionedThroughputExceededException',
      () => awsError('ProvisionedThroughputExceededException', 'Slow down', 400)
    ],
    ['ServiceUnavailable (503, unknown name)', () => awsError('ServiceUnavailable', '', 503)],
    ['ECONNRESET', reset],
    ['socket hang up', hangUp],
    ['TimeoutError', timedOut]
  ])('%s is a warning and the wait goes on', async (name, error) => {
    const done = version('TRAINING_COMPLETED')
    const h = harness([inProgress(), error(), inProgress(), done])
    expect(await waitForTraining(h.deps, options())).toEqual({
      outcome: 'ended',
      description: done
    })
    expect(h.warnings).toHaveLength(1)
    expect(h.warnings[0]).toMatch(/^Status check failed/)
    expect(h.warnings[0]).toContain(error().message)
    if (error().name !== 'Error') expect(h.warnings[0]).toContain(error().name)
    expect(h.seen).toHaveLength(3)
  })

  test(`InternalServerError on every check for ${INTERNAL_ERROR_SPAN_MS / MINUTE} min: the service reports an internal error`, async () => {
    const h = harness([inProgress(), ...Array.from({ length: 200 }, () => internal())])
    const err = await rejection(waitForTraining(h.deps, options({ deadline: START + 2 * HOUR })))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toMatch(/^Amazon Rekognition reports an internal error/)
    expect(err.message).toContain(VERSION_ARN)
    expect(err.message).toContain('retry the training')
    const failing = h.calls.slice(1)
    expect(failing.length).toBeGreaterThanOrEqual(INTERNAL_ERROR_CHECKS)
    const span = failing[failing.length - 1].at - failing[0].at
    expect(span).toBeGreaterThanOrEqual(INTERNAL_ERROR_SPAN_MS)
    // One check earlier, the span was not over yet.
    expect(failing[failing.length - 2].at - failing[0].at).toBeLessThan(INTERNAL_ERROR_SPAN_MS)
  })

  test('a good answer between InternalServerErrors starts the count again', async () => {
    const steps = Array.from({ length: 60 }, (_, k) => (k % 10 === 9 ? inProgress() : internal()))
    const done = version('TRAINING_COMPLETED')
    const h = harness([...steps, done])
    expect(await waitForTraining(h.deps, options({ deadline: START + 3 * HOUR }))).toEqual({
      outcome: 'ended',
      description: done
    })
  })

  test('20 transient errors in a row: still waiting, then the end', async () => {
    const errors = [throttling, internal, reset, timedOut, hangUp]
    const done = version('TRAINING_COMPLETED')
    const h = harness([...Array.from({ length: 20 }, (_, k) => errors[k % errors.length]()), done])
    expect(await waitForTraining(h.deps, options({ deadline: START + 2 * HOUR }))).toEqual({
      outcome: 'ended',
      description: done
    })
    expect(h.warnings).toHaveLength(20)
    expect(h.calls).toHaveLength(21)
  })

  test.each([
    [
      'AccessDeniedException',
      () =>
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: rekognition:DescribeProjectVersions',
          400
        ),
      ['rekognition:DescribeProjectVersions', 'allow']
    ],
    [
      'ExpiredTokenException',
      () =>
        awsError(
          'ExpiredTokenException',
          'The security token included in the request is expired',
          400
        ),
      ['role-duration-seconds', 'expired']
    ],
    [
      'ResourceNotFoundException',
      () => awsError('ResourceNotFoundException', 'The project was not found', 400),
      [VERSION_ARN, 'not found']
    ]
  ])('%s fails at once, explained', async (_name, error, says) => {
    const h = harness([error()])
    const err = await rejection(waitForTraining(h.deps, options()))
    expect(err).toBeInstanceOf(ActionError)
    for (const s of says) expect(err.message).toContain(s)
    expect(h.calls).toHaveLength(1)
    expect(h.sleeps).toHaveLength(1)
    expect(h.warnings).toEqual([])
  })

  test('a version missing from three checks over a minute is gone: the wait fails', async () => {
    const h = harness([inProgress(), ...Array.from({ length: 20 }, () => undefined)])
    const err = await rejection(waitForTraining(h.deps, options()))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain(VERSION_ARN)
    expect(err.message).toMatch(
      /no longer in the project .*missing from \d+ status checks over 1 min/
    )
    const missing = h.calls.slice(1)
    expect(missing.length).toBeGreaterThanOrEqual(MISSING_CHECKS)
    expect(missing[missing.length - 1].at - missing[0].at).toBeGreaterThanOrEqual(MISSING_WINDOW_MS)
    // One check earlier, the window was not over yet.
    expect(missing[missing.length - 2].at - missing[0].at).toBeLessThan(MISSING_WINDOW_MS)
  })

  test('one empty answer right after the create does not end the wait', async () => {
    const h = harness([undefined, inProgress(), version('TRAINING_COMPLETED')])
    const result = await waitForTraining(h.deps, options())
    expect(result.outcome).toBe('ended')
    expect(h.info.filter((l) => l.includes('is not listed by DescribeProjectVersions'))).toEqual([
      expect.stringContaining('(1 time)')
    ])
  })

  test('the missing count starts again once the version is listed', async () => {
    // Without the reset, the sixth empty answer (two minutes after the first) would be "gone".
    const gaps = (n: number) => Array.from({ length: n }, () => undefined)
    const h = harness([...gaps(4), inProgress(), ...gaps(2), version('TRAINING_COMPLETED')])
    expect((await waitForTraining(h.deps, options())).outcome).toBe('ended')
  })

  test('many empty answers within a minute are not yet "gone"', async () => {
    const h = harness(Array.from({ length: 5 }, () => undefined))
    const result = await waitForTraining(h.deps, options({ deadline: START + 30_000 }))
    expect(result.outcome).toBe('timeout')
    expect(h.calls.length).toBeGreaterThanOrEqual(MISSING_CHECKS)
  })
  test('an unknown error three times in a row ends the wait', async () => {
    const h = harness([malformed(), malformed(), malformed(), version('TRAINING_COMPLETED')])
    const err = await rejection(waitForTraining(h.deps, options()))
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toContain('3 times in a row')
    expect(err.message).toContain('SyntaxError')
    expect(h.calls).toHaveLength(3)
    // The first two were warnings, the wait carried on.
    expect(h.warnings).toHaveLength(2)
  })

  test('unknown errors with a success between them do not end the wait', async () => {
    const done = version('TRAINING_COMPLETED')
    const h = harness([malformed(), malformed(), inProgress(), malformed(), malformed(), done])
    expect(await waitForTraining(h.deps, options())).toEqual({
      outcome: 'ended',
      description: done
    })
    expect(h.warnings).toHaveLength(4)
    expect(h.calls).toHaveLength(6)
  })

  test('an error thrown by onCheck is not swallowed as a failed check', async () => {
    const h = harness([inProgress()])
    h.deps.onCheck = () => {
      throw new ActionError('outputs broke')
    }
    await expect(waitForTraining(h.deps, options())).rejects.toThrow('outputs broke')
  })
})

describe('waitForTraining: cancel', () => {
  test('a cancel during a sleep ends the wait at once, with the last description', async () => {
    const h = harness([inProgress(), version('COPYING_IN_PROGRESS')], {
      onSleep: (hh) => {
        if (hh.sleeps.length === 3) hh.cancel.abort()
      }
    })
    const result = await waitForTraining(h.deps, options())
    expect(result).toEqual({ outcome: 'cancelled', last: h.seen[1] })
    expect((result as Extract<WaitResult, { outcome: 'cancelled' }>).last?.Status).toBe(
      'COPYING_IN_PROGRESS'
    )
    expect(h.calls).toHaveLength(2)
    expect(h.sleeps).toHaveLength(3)
  })

  test('already cancelled: no check at all', async () => {
    const h = harness([])
    h.cancel.abort()
    expect(await waitForTraining(h.deps, options())).toEqual({
      outcome: 'cancelled',
      last: undefined
    })
    expect(h.calls).toHaveLength(0)
  })

  test('with the real sleep, a cancel ends a long wait promptly', async () => {
    const h = harness([])
    const deps: WaitDeps = { ...h.deps, now: Date.now, sleep: abortableSleep, random: () => 1 }
    const began = Date.now()
    const timer = setTimeout(() => h.cancel.abort(), 30)
    const result = await waitForTraining(
      deps,
      options({ trainingStartedAt: began, deadline: began + HOUR })
    )
    clearTimeout(timer)
    expect(result).toEqual({ outcome: 'cancelled', last: undefined })
    expect(Date.now() - began).toBeLessThan(1_000)
    expect(h.calls).toHaveLength(0)
  })
})

describe('abortableSleep', () => {
  test('resolves after the delay', async () => {
    const began = performance.now()
    await abortableSleep(40, new AbortController().signal)
    expect(performance.now() - began).toBeGreaterThanOrEqual(35)
  })

  test('resolves early on abort', async () => {
    const ctrl = new AbortController()
    const began = performance.now()
    setTimeout(() => ctrl.abort(), 20)
    await abortableSleep(10_000, ctrl.signal)
    expect(performance.now() - began).toBeLessThan(1_000)
  })

  test('resolves at once when already aborted', async () => {
    const ctrl = new AbortController()
    ctrl.abort()
    const winner = await Promise.race([
      abortableSleep(10_000, ctrl.signal).then(() => 'slept'),
      new Promise<string>((resolve) => setTimeout(() => resolve('late'), 50))
    ])
    expect(winner).toBe('slept')
  })

  test('leaves no timer behind after an abort', async () => {
    jest.useFakeTimers()
    try {
      const ctrl = new AbortController()
      const p = abortableSleep(10_000, ctrl.signal)
      expect(jest.getTimerCount()).toBe(1)
      ctrl.abort()
      await p
      expect(jest.getTimerCount()).toBe(0)
      // And an ordinary sleep ends when its time is up, not before.
      let done = false
      const q = abortableSleep(1_000, new AbortController().signal).then(() => (done = true))
      jest.advanceTimersByTime(999)
      await Promise.resolve()
      expect(done).toBe(false)
      jest.advanceTimersByTime(1)
      await q
      expect(done).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })
})
