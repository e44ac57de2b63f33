// How long this project's trainings take, from its earlier versions: the wait checks sparsely
// while the end is far and densely around when it is expected. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'

export interface Prediction {
  /** Expected training duration, from creation to end (ms). */
  expectedMs: number
  /** How far off the expectation may be (ms): a robust spread of the history, with a floor. */
  spreadMs: number
  samples: number
}

/** The newest this many completed trainings make the history. */
export const MAX_SAMPLES = 10
const MIN_SPREAD_MS = 60_000

/** Durations (ms) of completed trainings other than `exclude`, newest first. */
export function trainingDurations(
  versions: ProjectVersionDescription[],
  excludeArn?: string
): number[] {
  return versions
    .filter((v) => v.Status !== 'TRAINING_FAILED' && v.ProjectVersionArn !== excludeArn)
    .filter((v) => v.CreationTimestamp && v.TrainingEndTimestamp)
    .sort((a, b) => b.CreationTimestamp!.getTime() - a.CreationTimestamp!.getTime())
    .map((v) => v.TrainingEndTimestamp!.getTime() - v.CreationTimestamp!.getTime())
    .filter((ms) => ms > 0)
    .slice(0, MAX_SAMPLES)
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * The median duration, and a spread of 1.4826 x the median absolute deviation (the standard
 * deviation for normal data, but not pulled by one odd training), at least a minute or 5% of the
 * expectation; with fewer than three samples, at least 10%.
 */
export function predictDuration(durations: number[]): Prediction | undefined {
  if (durations.length === 0) return undefined
  const expectedMs = median(durations)
  const mad = median(durations.map((d) => Math.abs(d - expectedMs)))
  const floor = Math.max(MIN_SPREAD_MS, expectedMs * (durations.length < 3 ? 0.1 : 0.05))
  // The next training strays from a median of n samples by about sqrt(1 + pi/2n) spreads.
  const sampling = Math.sqrt(1 + Math.PI / (2 * durations.length))
  return {
    expectedMs,
    spreadMs: Math.max(floor, 1.4826 * mad * sampling),
    samples: durations.length
  }
}
