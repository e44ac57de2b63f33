// Which of a project's versions a collector looks at more closely, from one listing of them (pages
// of 100 from DescribeProjectVersions, which carry the status and timestamps but no tags). Pure.
//
// Only these cost a ListTagsForResource each: versions still training (the service runs few at a
// time, so they are few) and versions that ended within the look-back window. A version that
// ended earlier was seen ended by every collector run since; if its commit status is still pending
// then, no collector ran for the whole window, and re-running the step that started it (which
// attaches to the version and finishes it) is the way out. So a project with hundreds of versions
// costs a few list calls plus one tag read per recent training, not one call per version.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { keepsWaiting } from './statuses.js'
import { created } from './newest-first.js'

/** How far back a collector looks for ended trainings: longer than any schedule delay or outage it rides out. */
export const LOOK_BACK_MS = 72 * 3_600_000
/** Tag reads per collector run at most; the newest first. */
export const MAX_TAG_READS = 100

export interface Collectable {
  /** Still training, or in a status the action does not know yet: stays pending. */
  inProgress: ProjectVersionDescription[]
  /** Ended within the window: finished if its commit status is still pending. */
  ended: ProjectVersionDescription[]
  /** Candidates left out by MAX_TAG_READS. */
  skipped: number
}

export function collectable(
  versions: ProjectVersionDescription[],
  now: number,
  lookBackMs = LOOK_BACK_MS,
  maxReads = MAX_TAG_READS
): Collectable {
  // The API documents no order: newest first by creation, ours to sort.
  const sorted = [...versions].sort((a, b) => created(b) - created(a))
  const picked = sorted.filter((v) => {
    if (!v.ProjectVersionArn) return false
    if (keepsWaiting(v.Status)) return true
    // No end time given: look at it (a tag read) rather than miss it.
    const ended = v.TrainingEndTimestamp?.getTime() ?? now
    return ended >= now - lookBackMs
  })
  const kept = picked.slice(0, maxReads)
  return {
    // The same classification as the wait of a training step: an unknown status is waited on.
    inProgress: kept.filter((v) => keepsWaiting(v.Status)),
    ended: kept.filter((v) => !keepsWaiting(v.Status)),
    skipped: picked.length - kept.length
  }
}
