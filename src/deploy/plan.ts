// What a deployment does, decided from what AWS says about the versions. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'

/**
 * The tags the action writes on a version it starts (TagResource). A version without
 * DEPLOYED_BY was started by hand or by something else: the action never stops it.
 */
export const DEPLOY_TAGS = {
  /** owner/name of the repository whose workflow started it. */
  deployedBy: 'train-action:deployed-by',
  /** The ref it was deployed from. */
  ref: 'train-action:deployed-ref',
  /** The pull request it is a preview of, when deployed from one. */
  pr: 'train-action:deployed-pr',
  /** When the action asked for the start (ISO time): the API keeps no start time of its own. */
  startedAt: 'train-action:started-at',
  /** stop-after-minutes: when the collector stops it (ISO time). */
  stopAfter: 'train-action:stop-after',
  /** The version failed its smoke test here (ISO time): a re-run does not pay to start it again. */
  smokeFailed: 'train-action:smoke-test-failed'
} as const

export type Tags = Record<string, string>

/** Tag values: the API's TagValue pattern, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, 0-256 characters. */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256)
}

/** ISO time without milliseconds: `:` is allowed in tag values, and the value sorts by time. */
export const isoSeconds = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** The tags that say this repository deployed the version (and, for a preview, until when). */
export function deployTags(o: {
  repository: string
  ref: string
  prNumber?: number
  now: number
  stopAfterMinutes?: number
}): Tags {
  return {
    [DEPLOY_TAGS.deployedBy]: tagValue(o.repository),
    [DEPLOY_TAGS.ref]: tagValue(o.ref),
    ...(o.prNumber !== undefined && { [DEPLOY_TAGS.pr]: String(o.prNumber) }),
    [DEPLOY_TAGS.startedAt]: isoSeconds(o.now),
    ...(o.stopAfterMinutes !== undefined && {
      [DEPLOY_TAGS.stopAfter]: isoSeconds(o.now + o.stopAfterMinutes * 60_000)
    })
  }
}

/**
 * The tags to write: the ones that differ. A version found STARTING or RUNNING keeps the start time
 * it has (a re-run does not restart it, so its clock does not restart either).
 */
export function tagsToWrite(wanted: Tags, current: Tags, alreadyUp: boolean): Tags {
  const out: Tags = {}
  for (const [k, v] of Object.entries(wanted)) {
    if (alreadyUp && k === DEPLOY_TAGS.startedAt && current[k]) continue
    if (current[k] !== v) out[k] = v
  }
  return out
}

/** Hosting statuses that cost money or soon will. */
export const UP = new Set(['STARTING', 'RUNNING'])

export type StartStep =
  /** Start it (TRAINING_COMPLETED, COPYING_COMPLETED, STOPPED, or a start that FAILED before). */
  | { kind: 'start' }
  /** Already starting or running (a re-run, another step): do not start it again. */
  | { kind: 'attach' }
  /** Cannot be started now; `why` names the state. */
  | { kind: 'refuse'; why: string }

export function startStep(status: string | undefined): StartStep {
  switch (status) {
    case 'TRAINING_COMPLETED':
    case 'COPYING_COMPLETED':
    case 'STOPPED':
    case 'FAILED':
      return { kind: 'start' }
    case 'STARTING':
    case 'RUNNING':
      return { kind: 'attach' }
    case 'STOPPING':
      return {
        kind: 'refuse',
        why: 'is STOPPING: it can be started again once it is STOPPED; re-run the job then'
      }
    default:
      return { kind: 'refuse', why: `is ${status ?? 'in an unknown state'}: it cannot be started` }
  }
}

/** Why nothing is started, as deploy-status says it. */
export type SkipReason =
  | 'dry-run'
  | 'fork'
  | 'training failed'
  | 'quality gate failed'
  | 'training not finished'
  | 'cancelled'

export const skipStatus = (why: SkipReason): string => `not started: ${why}`

/** The deployment slot a version belongs to: a PR's previews replace each other, main's its own. */
export function sameSlot(tags: Tags, repository: string, prNumber: number | undefined): boolean {
  if (tags[DEPLOY_TAGS.deployedBy] !== tagValue(repository)) return false
  const pr = tags[DEPLOY_TAGS.pr]
  return prNumber === undefined ? pr === undefined : pr === String(prNumber)
}

/** Whose deployment an up version is, as its tags tell it (for a log line). */
export function slotOf(tags: Tags): string {
  const by = tags[DEPLOY_TAGS.deployedBy]
  if (!by) return 'started outside train-action'
  const pr = tags[DEPLOY_TAGS.pr]
  return pr ? `${by}, preview of pull request ${pr}` : `${by}, ${tags[DEPLOY_TAGS.ref] ?? 'no ref'}`
}

export interface Hosted {
  arn: string
  status: string
  tags: Tags
  minUnits?: number
  maxUnits?: number
}

/**
 * The versions to stop once `keep` runs and passed its smoke test: this repository's earlier
 * deployments of the same slot that are STARTING or RUNNING. Never one without the tag (started by
 * hand, or by another repository).
 */
export function toStop(
  hosted: Hosted[],
  keep: string,
  repository: string,
  prNumber: number | undefined
): Hosted[] {
  return hosted.filter(
    (h) => h.arn !== keep && UP.has(h.status) && sameSlot(h.tags, repository, prNumber)
  )
}

/** Previews of this repository whose stop time has passed. */
export function expired(hosted: Hosted[], repository: string, now: number): Hosted[] {
  return hosted.filter((h) => {
    if (!UP.has(h.status) || h.tags[DEPLOY_TAGS.deployedBy] !== tagValue(repository)) return false
    const at = Date.parse(h.tags[DEPLOY_TAGS.stopAfter] ?? '')
    return Number.isFinite(at) && at <= now
  })
}

/** The deployments of a closed pull request. */
export function ofPullRequest(hosted: Hosted[], repository: string, pr: number): Hosted[] {
  return hosted.filter((h) => UP.has(h.status) && sameSlot(h.tags, repository, pr))
}

export function hostedOf(d: ProjectVersionDescription, tags: Tags): Hosted {
  return {
    arn: d.ProjectVersionArn ?? '',
    status: d.Status ?? '',
    tags,
    minUnits: d.MinInferenceUnits,
    maxUnits: d.MaxInferenceUnits
  }
}

/** USD an hour for `units` inference units (at least; auto-scaling may add up to max). */
export function costPerHour(units: number, price: number): number {
  return units * price
}

/** One smoke-test image: what the manifest says, and what the model answered. */
export interface SmokeAnswer {
  image: string
  expected: string[]
  answered: { name: string; confidence: number }[]
  /** Set when the image could not be asked (after the retries): counted as wrong. */
  error?: string
}

/**
 * Right when the set of labels answered equals the set expected: a classification line expects its
 * one class-name, a detection line the labels of its boxes (class-map). An image with no label
 * expects no answer.
 */
export function answeredRight(a: SmokeAnswer): boolean {
  if (a.error) return false
  const want = new Set(a.expected)
  const got = new Set(a.answered.map((x) => x.name))
  return want.size === got.size && [...want].every((l) => got.has(l))
}

export function accuracy(answers: SmokeAnswer[]): number {
  if (answers.length === 0) return 0
  return answers.filter(answeredRight).length / answers.length
}
