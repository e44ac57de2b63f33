// What a ProjectVersion status means for the wait. Pure.

/** Still working: keep waiting. */
const IN_PROGRESS = new Set(['TRAINING_IN_PROGRESS', 'COPYING_IN_PROGRESS'])
/** Training (or the copy) failed: the step fails with the service's message. */
const FAILED = new Set(['TRAINING_FAILED', 'COPYING_FAILED'])
/** Gone or going: the version cannot be used. */
const UNUSABLE = new Set(['DELETING', 'EXPIRED', 'DEPRECATED'])

export type StatusMeaning = 'in-progress' | 'failed' | 'unusable' | 'trained'

/** Any other status (COMPLETED, and STARTING/RUNNING/STOPPED... of a model in use) means trained. */
export function statusMeaning(status: string | undefined): StatusMeaning {
  if (!status || IN_PROGRESS.has(status)) return 'in-progress'
  if (FAILED.has(status)) return 'failed'
  if (UNUSABLE.has(status)) return 'unusable'
  return 'trained'
}
