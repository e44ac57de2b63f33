// Reuse by data: before a training is paid for, this repository's newest version of the project
// that was trained (or is training) on the same data, by fingerprint (src/training/fingerprint.ts).
// One DescribeProjectVersions listing, documented newest first ("sorted by the creation date and
// time of the project versions, latest to earliest": botocore rekognition/2016-06-27/
// service-2.json, DescribeProjectVersionsResponse), read page by page until a match; one
// ListTagsForResource per candidate only. A failed version is never a candidate: its data trains
// again.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand
} from '../aws/rekognition/commands.js'
import { boundedSignal } from '../aws/abort.js'
import { errorName, explainAwsError } from '../aws/explain.js'
import { ActionError } from '../errors.js'
import { DATA_SHA256_TAG } from '../inputs/tags.js'
import { versionNameOf } from './lookup.js'
import { statusMeaning } from './statuses.js'
import { created } from './newest-first.js'

/** Pages of 100 read at most: 1,000 versions. */
export const MAX_PAGES = 10
/** Tag reads at most, newest candidates first: reuse is about recent trainings. */
export const MAX_TAG_READS = 50
/** The whole search (listing and tag reads) ends within this. */
export const SEARCH_BUDGET_MS = 60_000

/**
 * The versions that may be reused, newest first: trained (TRAINING_COMPLETED, and the states of a
 * trained model: running, stopped...) or still training; never failed, unusable, or a status the
 * action does not know. Pure.
 */
export function reuseCandidates(
  versions: ProjectVersionDescription[]
): ProjectVersionDescription[] {
  return versions
    .filter((v) => v.ProjectVersionArn && v.Status)
    .filter((v) => ['trained', 'in-progress'].includes(statusMeaning(v.Status)))
    .sort((a, b) => created(b) - created(a))
}

/** Whether a version's tags say this repository trained it on this data. Pure. */
export function sameData(
  tags: Record<string, string>,
  repository: string,
  fingerprint: string
): boolean {
  return tags['github:repository'] === repository && tags[DATA_SHA256_TAG] === fingerprint
}

export interface Reusable {
  description: ProjectVersionDescription
  name: string
  /** The commit it was trained for (its github:sha tag). */
  sha: string
}

export interface ReuseLog {
  info(line: string): void
  warning(line: string): void
  debug(line: string): void
}

export interface ReuseSearch {
  projectArn: string
  repository: string
  fingerprint: string
  cancel: AbortSignal
  log: ReuseLog
  budgetMs?: number
}

/** This repository's newest version trained on the same data, or undefined. */
export async function findSameData(
  client: RekognitionClient,
  s: ReuseSearch
): Promise<Reusable | undefined> {
  const budgetMs = s.budgetMs ?? SEARCH_BUDGET_MS
  const bound = boundedSignal(budgetMs, s.cancel)
  let token: string | undefined
  let reads = 0
  const unreadable: string[] = []
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      let out
      try {
        out = await client.send(
          new DescribeProjectVersionsCommand({
            ProjectArn: s.projectArn,
            MaxResults: 100,
            ...(token && { NextToken: token })
          }),
          { abortSignal: bound.signal }
        )
      } catch (err) {
        throw stopped(s, budgetMs, err, 'rekognition:DescribeProjectVersions', s.projectArn)
      }
      for (const v of reuseCandidates(out.ProjectVersionDescriptions ?? [])) {
        if (reads >= MAX_TAG_READS) {
          s.log.info(
            `No version trained on the same data among the newest ${MAX_TAG_READS} trained or training versions: training.`
          )
          return undefined
        }
        reads++
        const arn = v.ProjectVersionArn!
        let tags: Record<string, string>
        try {
          const t = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }), {
            abortSignal: bound.signal
          })
          tags = t.Tags ?? {}
        } catch (err) {
          if (bound.signal.aborted) throw stopped(s, budgetMs, err)
          // A tag-scoped policy may deny some versions: that one is skipped, never a crash. A
          // version deleted since the listing is simply gone.
          s.log.debug(`ListTagsForResource ${arn}: ${errorName(err)}; skipped`)
          if (errorName(err) !== 'ResourceNotFoundException')
            unreadable.push(versionNameOf(arn) ?? arn)
          continue
        }
        const name = versionNameOf(arn)
        if (name && sameData(tags, s.repository, s.fingerprint))
          return { description: v, name, sha: tags['github:sha'] ?? '' }
      }
      token = out.NextToken
      if (!token) break
    }
    return undefined
  } finally {
    bound.done()
    if (unreadable.length > 0) {
      s.log.warning(
        `Could not read the tags of ${unreadable.length} version(s) (${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', ...' : ''}); allow rekognition:ListTagsForResource on them, or they are never reused.`
      )
    }
  }
}

/** The search could not finish: the step fails rather than pay for what may exist. */
function stopped(
  s: ReuseSearch,
  budgetMs: number,
  err: unknown,
  action?: string,
  resource?: string
): ActionError {
  if (s.cancel.aborted) return new ActionError('Cancelled before any training was started.')
  const name = errorName(err)
  if (name === 'AbortError' || name === 'TimeoutError')
    return new ActionError(
      `The search for a version trained on the same data did not finish within ${budgetMs / 1000} s: nothing was trained. Re-run the job, or set if-data-unchanged: train.`
    )
  return new ActionError(
    action && resource ? explainAwsError(err, action, resource).message : String(err)
  )
}

/**
 * The tag that tells a collector a commit was attached to this version for its data while it was
 * still training: `train-action:also-for:<sha>`, valued with the pull request's number (or empty).
 * The version's `github:sha` names only the commit it was trained for, so without this a collector
 * would never finish the attached commit's pending status.
 */
export const ALSO_FOR_PREFIX = 'train-action:also-for:'

export const alsoForTag = (sha: string, prNumber: number | undefined): Record<string, string> => ({
  [`${ALSO_FOR_PREFIX}${sha.toLowerCase()}`]: prNumber === undefined ? '' : String(prNumber)
})

/** The commits a version's tags say were attached to it for their data: sha and PR. Pure. */
export function attachedCommits(tags: Record<string, string>): { sha: string; pr?: number }[] {
  const out: { sha: string; pr?: number }[] = []
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(ALSO_FOR_PREFIX)) continue
    const sha = key.slice(ALSO_FOR_PREFIX.length)
    if (!/^[0-9a-f]{40}$/.test(sha)) continue
    const pr = Number(value)
    out.push(Number.isInteger(pr) && pr > 0 ? { sha, pr } : { sha })
  }
  return out
}

/** Records the attached commit on the version (TagResource); the error, explained, when it could not. */
export async function recordAttachedCommit(
  client: RekognitionClient,
  arn: string,
  sha: string,
  prNumber: number | undefined,
  cancel: AbortSignal
): Promise<true | string> {
  try {
    await client.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: alsoForTag(sha, prNumber) }),
      {
        abortSignal: cancel
      }
    )
    return true
  } catch (err) {
    return explainAwsError(err, 'rekognition:TagResource', arn).message
  }
}
