// What a ProjectVersion status means for the wait. Pure.
// The 14 values are the service model's ProjectVersionStatus enum (botocore
// rekognition/2016-06-27/service-2.json); the service adds values over time, so a value outside
// them is 'unknown': never success, the wait goes on (and ends as a timeout if it never resolves).

/** Still working: keep waiting. */
const IN_PROGRESS = new Set(['TRAINING_IN_PROGRESS', 'COPYING_IN_PROGRESS'])
/** Training (or the copy) failed: the step fails with the service's message. */
const FAILED = new Set(['TRAINING_FAILED', 'COPYING_FAILED'])
/** Gone or going: the version cannot be used. */
const UNUSABLE = new Set(['DELETING', 'EXPIRED', 'DEPRECATED'])
/** Trained: completed, or a trained model being started, running, stopped (FAILED is a failed
 * start of a trained model, not a failed training). */
const TRAINED = new Set([
  'TRAINING_COMPLETED',
  'COPYING_COMPLETED',
  'STARTING',
  'RUNNING',
  'FAILED',
  'STOPPING',
  'STOPPED'
])

export type StatusMeaning = 'in-progress' | 'failed' | 'unusable' | 'trained' | 'unknown'

/** No status yet means in progress; a status the action does not know is 'unknown'. */
export function statusMeaning(status: string | undefined): StatusMeaning {
  if (!status || IN_PROGRESS.has(status)) return 'in-progress'
  if (FAILED.has(status)) return 'failed'
  if (UNUSABLE.has(status)) return 'unusable'
  if (TRAINED.has(status)) return 'trained'
  return 'unknown'
}

/** The wait goes on: in progress, or a status the action does not know (yet). */
export function keepsWaiting(status: string | undefined): boolean {
  const meaning = statusMeaning(status)
  return meaning === 'in-progress' || meaning === 'unknown'
}
