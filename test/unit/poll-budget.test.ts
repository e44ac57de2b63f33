// The request budget of the status checks, whatever the project's history says: over every
// stretch of a wait from its start, at most FREE_CHECKS + 1.25 x (elapsed / poll interval)
// checks. Counts on a virtual clock, no timings.
import { describe, expect, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { predictDuration, trainingDurations } from '../../src/training/history.js'
import { waitForTraining } from '../../src/training/wait.js'
import {
  BUDGET_RATE,
  FREE_CHECKS,
  TRUST_Z,
  budgetAt,
  nextDelay
} from '../../src/training/poll-schedule.js'

const MIN = 60_000
const HOUR = 60 * MIN

/** Earlier versions of the project, as DescribeProjectVersions describes them. */
function versions(minutes: number[], status = 'TRAINING_COMPLETED'): ProjectVersionDescription[] {
  const day = Date.UTC(2026, 10, 1)
  return minutes.map((m, i) => ({
    ProjectVersionArn: `arn:aws:rekognition:eu-west-1:123456789012:project/p/version/v${i}/1`,
    Status: status as ProjectVersionDescription['Status'],
    CreationTimestamp: new Date(day + i * 24 * HOUR),
    TrainingEndTimestamp: new Date(day + i * 24 * HOUR + m * MIN)
  }))
}

/** What each kind of history shows for a training that really takes `actual` minutes. */
const HISTORIES: Record<string, (actual: number) => ProjectVersionDescription[]> = {
  none: () => [],
  'one entry': (a) => versions([a * 1.04]),
  right: (a) => versions([0.95, 1.02, 0.98, 1.06, 0.93].map((f) => f * a)),
  '0.3x': (a) => versions([0.29, 0.31, 0.3, 0.32, 0.28].map((f) => f * a)),
  '1.3x (training longer)': (a) => versions([0.75, 0.78, 0.77, 0.8, 0.76].map((f) => f * a)),
  '3x': (a) => versions([2.9, 3.1, 3, 3.2, 2.8].map((f) => f * a)),
  'mixed 0.5-2x': (a) => versions([0.5, 2, 0.7, 1.4, 1.1].map((f) => f * a)),
  'all failed': (a) => versions([a, a, a], 'TRAINING_FAILED')
}

/** The check times of a wait that starts with the training and ends at its first check after `durationMs`. */
function checkTimes(
  history: ProjectVersionDescription[],
  durationMs: number,
  maxIntervalMs: number,
  random: () => number
): { times: number[]; delays: number[] } {
  const prediction = predictDuration(trainingDurations(history))
  const times: number[] = []
  const delays: number[] = []
  let t = 0
  while (t < durationMs) {
    const d = nextDelay(
      {
        checks: times.length,
        waitedMs: t,
        remainingMs: durationMs + 24 * HOUR - t,
        maxIntervalMs,
        elapsedMs: t,
        prediction
      },
      random
    )
    delays.push(d)
    t += d
    times.push(t)
  }
  return { times, delays }
}

const randoms: [string, () => number][] = [
  ['low jitter', () => 0],
  ['middle', () => 0.5],
  ['high jitter', () => 0.999]
]

describe('the request budget holds for every history', () => {
  for (const [kind, history] of Object.entries(HISTORIES)) {
    test(`${kind}`, () => {
      for (const pollSeconds of [60, 120, 300, 3600]) {
        const interval = pollSeconds * 1000
        for (const actualMin of [20, 60, 240, 720]) {
          for (const [, random] of randoms) {
            const { times, delays } = checkTimes(
              history(actualMin),
              actualMin * MIN,
              interval,
              random
            )
            // Check k (1-based) at time t: k <= FREE_CHECKS + 1.25 x t / interval.
            times.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(budgetAt(t, interval)))
            // poll-interval-seconds stays the longest delay.
            for (const d of delays) expect(d).toBeLessThanOrEqual(interval)
            // The whole training, as a count: the promise the documentation makes.
            const seconds = times.at(-1)! / 1000
            expect(times.length).toBeLessThanOrEqual(
              FREE_CHECKS + (BUDGET_RATE * seconds) / pollSeconds + 1e-9
            )
          }
        }
      }
    })
  }

  test('the numbers the documentation states', () => {
    expect(FREE_CHECKS).toBe(5)
    expect(BUDGET_RATE).toBe(1.25)
    expect(budgetAt(HOUR, 60_000)).toBe(80)
    expect(budgetAt(12 * HOUR, 3_600_000)).toBe(20)
  })
})

describe('spending the budget', () => {
  test('poll-interval-seconds: 3600 with a right history: a few checks in an interval, not hundreds', () => {
    const { times } = checkTimes(HISTORIES.right(720), 720 * MIN, HOUR, () => 0.5)
    const afterStart = times.filter((t) => t > MIN)
    const most = Math.max(
      ...afterStart.map((t) => afterStart.filter((u) => u >= t && u < t + HOUR).length)
    )
    expect(most).toBeLessThanOrEqual(5)
    expect(times.length).toBeLessThanOrEqual(5 + 15)
  })

  test('a right history makes the checks around the expected end denser than the poll interval', () => {
    const actual = 240 * MIN
    const { times } = checkTimes(HISTORIES.right(240), actual, MIN, () => 0.5)
    const lastHalfHour = times.filter((t) => t > actual - 30 * MIN && t <= actual).length
    // A fixed 60 s poll makes 30 checks in that half hour.
    expect(lastHalfHour).toBeGreaterThan(40)
    const without = checkTimes([], actual, MIN, () => 0.5).times
    expect(without.filter((t) => t > actual - 30 * MIN && t <= actual).length).toBe(30)
  })

  test('a training well past the prediction is checked at the plain interval again', () => {
    const prediction = { expectedMs: 4 * HOUR, spreadMs: 10 * MIN, samples: 5 }
    const at = (z: number) =>
      nextDelay(
        {
          checks: 20,
          waitedMs: 20 * HOUR,
          remainingMs: 20 * HOUR,
          maxIntervalMs: HOUR,
          elapsedMs: prediction.expectedMs + z * prediction.spreadMs,
          prediction
        },
        () => 0.5
      )
    // At poll-interval-seconds: 3600 the dense part reaches 3.3 spreads out: still used at 2.9...
    expect(at(2.9)).toBeLessThan(HOUR)
    // ... and no longer past TRUST_Z spreads: the prediction was wrong.
    expect(TRUST_Z).toBe(3)
    expect(at(3.1)).toBe(HOUR)
    expect(at(10)).toBe(HOUR)
  })
})

describe('the wait loop keeps the budget', () => {
  test('throttled checks count: a 12 h wait at 3600 s makes at most 5 + 15 requests', async () => {
    let now = 0
    const calls: number[] = []
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 }
    })
    const result = await waitForTraining(
      {
        describe: async () => {
          calls.push(now)
          throw throttled
        },
        now: () => now,
        sleep: async (ms) => {
          now += ms
        },
        random: () => 0.5,
        log: { info: () => undefined, warning: () => undefined },
        onCheck: () => undefined,
        cancel: new AbortController().signal
      },
      {
        arn: 'arn',
        trainingStartedAt: 0,
        deadline: 12 * HOUR,
        maxIntervalMs: HOUR,
        prediction: predictDuration(trainingDurations(HISTORIES.right(360)))
      }
    )
    expect(result.outcome).toBe('timeout')
    calls.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(budgetAt(t, HOUR)))
    expect(calls.length).toBeLessThanOrEqual(5 + 15)
  })
})

describe('the lag the budget leaves', () => {
  test('with a right history at 60 s, the median check lands within 15 s (+10%) of the end', () => {
    // A seeded spread of real durations around the history's: 0.92 to 1.08 of it.
    const lags: number[] = []
    for (const minutes of [30, 60, 120, 240, 480]) {
      for (let k = 0; k < 9; k++) {
        const actual = minutes * MIN * (0.92 + 0.02 * k)
        const history = versions([0.95, 1.02, 0.98, 1.06, 0.93].map((f) => f * minutes))
        const { times } = checkTimes(history, actual, MIN, () => 0.5)
        lags.push(times.at(-1)! - actual)
      }
    }
    lags.sort((a, b) => a - b)
    const median = lags[Math.floor(lags.length / 2)]
    expect(median).toBeLessThanOrEqual(16_500)
  })
})
