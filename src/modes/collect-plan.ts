// What a collector does about one commit, from what AWS says about its trainings and the commit's
// current status. Pure: every collector (and a waiting step) that sees the same facts decides the
// same, so several of them racing converge on one outcome instead of locking each other out.
import type { SeenStatus } from '../github/commit-status.js'
import { namesVersion } from '../reporting/status-text.js'
import { keepsWaiting } from '../training/statuses.js'

export interface CommitTraining {
  name: string
  status?: string
  createdAt: number
}

export type CommitPlan =
  /** The newest training of the commit is still training (or in a status not known yet). */
  | { action: 'wait' }
  /** Write the newest training's outcome. */
  | { action: 'finish' }
  /** Nothing to write, and why (for the debug log). */
  | { action: 'leave'; why: string }

/**
 * The commit's outcome is its newest training's (a re-training of the same commit supersedes the
 * earlier one). It is written when the current status is the newest training's `pending`, or names
 * an earlier training of the commit (the newest one's `pending` was kept off a final status). A
 * final status of the newest training is its outcome already: never written again, never
 * contradicted. A status naming no training of the commit (none, or one the collector does not
 * see) is left alone: the collector only finishes what a training step left pending.
 * `trainings` are this repository's trainings of the commit, in any order.
 */
export function planCommit(
  trainings: CommitTraining[],
  current: Pick<SeenStatus, 'state' | 'description'> | undefined
): CommitPlan {
  const sorted = [...trainings].sort((a, b) => b.createdAt - a.createdAt)
  const newest = sorted[0]
  if (!newest || keepsWaiting(newest.status)) return { action: 'wait' }
  if (!current) return { action: 'leave', why: 'the commit has no status of this project' }
  if (namesVersion(current.description, newest.name)) {
    return current.state === 'pending'
      ? { action: 'finish' }
      : { action: 'leave', why: `already ${current.state}` }
  }
  if (sorted.slice(1).some((t) => namesVersion(current.description, t.name)))
    return { action: 'finish' }
  return { action: 'leave', why: 'the status names no training of this commit the collector sees' }
}
