import { describe, expect, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { predictDuration, trainingDurations } from '../../src/training/history.js'
import { nextDelay } from '../../src/training/poll-schedule.js'

const MIN = 60_000
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1) + minutes * MIN)
const version = (
  name: string,
  createdMin: number,
  tookMin: number | undefined,
  status = 'TRAINING_COMPLETED'
): ProjectVersionDescription => ({
  ProjectVersionArn: `arn:aws:rekognition:eu-west-1:123456789012:project/p/version/${name}/1`,
  Status: status as ProjectVersionDescription['Status'],
  CreationTimestamp: at(createdMin),
  TrainingEndTimestamp: tookMin === undefined ? undefined : at(createdMin + tookMin)
})

describe('trainingDurations', () => {
  test('completed trainings only, newest first, without the current version', () => {
    const versions = [
      version('old', 0, 50),
      version('failed', 100, 5, 'TRAINING_FAILED'),
      version('running', 200, undefined, 'TRAINING_IN_PROGRESS'),
      version('deployed', 300, 61, 'RUNNING'),
      version('current', 400, 1)
    ]
    expect(trainingDurations(versions, versions[4].ProjectVersionArn)).toEqual([61 * MIN, 50 * MIN])
  })

  test('keeps the newest ten', () => {
    const versions = Array.from({ length: 15 }, (_, i) => version(`v${i}`, i * 100, 30 + i))
    const durations = trainingDurations(versions)
    expect(durations).toHaveLength(10)
    expect(durations[0]).toBe(44 * MIN)
  })
})

describe('predictDuration', () => {
  test('no history, no prediction', () => {
    expect(predictDuration([])).toBeUndefined()
  })

  test('the median, not pulled by one odd training', () => {
    const p = predictDuration([60, 62, 58, 61, 240].map((m) => m * MIN))!
    expect(p.expectedMs).toBe(61 * MIN)
    expect(p.samples).toBe(5)
    // MAD of [1, 1, 3, 0, 179] min is 1 min: the 240 does not widen the spread.
    expect(p.spreadMs).toBeLessThan(4 * MIN)
  })

  test('the spread has a floor: a minute, 5% of the expectation, 10% with fewer than three samples', () => {
    expect(predictDuration([60 * MIN, 60 * MIN, 60 * MIN])!.spreadMs).toBe(3 * MIN)
    expect(predictDuration([10 * MIN, 10 * MIN, 10 * MIN])!.spreadMs).toBe(MIN)
    expect(predictDuration([60 * MIN])!.spreadMs).toBe(6 * MIN)
  })
})

describe('nextDelay with a prediction', () => {
  const prediction = { expectedMs: 60 * MIN, spreadMs: 3 * MIN, samples: 5 }
  const cruise = {
    checks: 20,
    waitedMs: 10 * 60 * MIN,
    remainingMs: 10 * 60 * MIN,
    maxIntervalMs: 60_000,
    prediction
  }

  test('far from the expected end: the longest delay', () => {
    expect(nextDelay({ ...cruise, elapsedMs: 20 * MIN })).toBe(60_000)
    expect(nextDelay({ ...cruise, elapsedMs: 200 * MIN })).toBe(60_000)
  })

  test('at the expected end: the densest spacing, 15 s', () => {
    expect(nextDelay({ ...cruise, elapsedMs: 60 * MIN })).toBe(15_000)
  })

  test('spacing grows with the distance from the expected end', () => {
    const one = nextDelay({ ...cruise, elapsedMs: 63 * MIN })
    const half = nextDelay({ ...cruise, elapsedMs: 61.5 * MIN })
    expect(half).toBeGreaterThan(15_000)
    expect(one).toBeGreaterThan(half)
    expect(one).toBeLessThanOrEqual(60_000)
  })

  test('does not sleep across the start of the dense part', () => {
    // Spacing drops below 60 s about 1.67 spreads (5 min) before the expected end.
    const d = nextDelay({ ...cruise, elapsedMs: 54.5 * MIN })
    expect(d).toBeLessThan(60_000)
    expect(d).toBeGreaterThanOrEqual(1_000)
  })

  test('never past the deadline, never more than the longest delay', () => {
    expect(nextDelay({ ...cruise, elapsedMs: 60 * MIN, remainingMs: 4_000 })).toBe(4_000)
    expect(nextDelay({ ...cruise, maxIntervalMs: 10_000, elapsedMs: 30 * MIN })).toBe(10_000)
  })

  test('at most four checks in the first 20 s of a wait, with or without a prediction', () => {
    for (const p of [undefined, { expectedMs: 10_000, spreadMs: 60_000, samples: 3 }]) {
      let t = 0
      let checks = 0
      for (;;) {
        t += nextDelay(
          {
            checks,
            waitedMs: t,
            remainingMs: 1e9,
            maxIntervalMs: 60_000,
            elapsedMs: t,
            prediction: p
          },
          () => 0
        )
        if (t > 20_000) break
        checks++
      }
      expect(checks).toBeLessThanOrEqual(4)
    }
  })
})
