// The version to compare against: `auto` or a version name.
//
// `auto`: on pull-request events the newest completed version trained from the PR's base branch
// (its `github:ref` tag is `refs/heads/<base>`); on other events the newest completed version
// trained from the same ref before this one. Versions with no `github:ref` tag (trained outside
// CI) are the fallback, with a notice. DescribeProjectVersions lists "latest to earliest"
// (botocore's rekognition/2016-06-27/service-2.json; see training/newest-first.ts): pages are read
// until they hold MAX_TAG_READS candidates, since the older pages after them cannot change the
// newest candidates, or every page (up to MAX_PAGES) when the pages break that order. What was read
// is still ordered here by CreationTimestamp; the tags of the newest few dozen are read with
// ListTagsForResource, one call each, newest first, until one matches.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand
} from '../aws/rekognition/commands.js'
import { ActionError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import type { RunContext } from '../github/github-context.js'
import { sanitizeTagValue } from '../inputs/tags.js'
import { PageOrder, created } from '../training/newest-first.js'
import { statusMeaning } from '../training/statuses.js'
import { versionNameOf } from '../training/versions.js'

/** The baseline as the report shows it. */
export interface BaselineInfo {
  name: string
  arn: string
  f1: number
  /** Why this version: "the newest completed version trained from refs/heads/main (...)". */
  reason?: string
}

export interface BaselineResult {
  baseline?: ProjectVersionDescription
  /** Why this version was chosen, in words, for the summary and the comment. */
  reason?: string
  /** Worth a notice in the log (the fallback to a version trained outside CI). */
  notice?: string
  /** Worth a warning (the tags could not be read). */
  warning?: string
  /** Why there is none, for the report and the max-f1-drop gate. */
  missing?: string
  /** `auto` found nothing to compare with yet: the max-f1-drop gate passes. */
  firstVersion?: boolean
}

/** What `auto` looks for: versions tagged with `ref`, and (`before`) created before this one. */
export interface BaselineScope {
  /** The github:ref tag value wanted (as the action writes it: sanitised). */
  ref: string
  /** Where the ref comes from, for the reason: "the PR's base branch", "this run's ref". */
  whose: string
  /** Only versions created before this one (not on pull-request events: the base moves on). */
  before: boolean
}

/** The version being compared. */
export interface CurrentVersion {
  name: string
  createdAt?: Date
}

/** Pages read at most (100 versions each) before `auto` gives up reading. */
export const MAX_PAGES = 20
/** Completed versions whose tags are read at most, newest first. */
export const MAX_TAG_READS = 30

export const REF_TAG = 'github:ref'

export function autoScope(ctx: RunContext): BaselineScope {
  if (ctx.baseRef) {
    return {
      ref: sanitizeTagValue(`refs/heads/${ctx.baseRef}`),
      whose: 'the PR’s base branch',
      before: false
    }
  }
  return { ref: sanitizeTagValue(ctx.ref), whose: 'this run’s ref', before: true }
}

const hasF1 = (v: ProjectVersionDescription): boolean => v.EvaluationResult?.F1Score !== undefined

/**
 * Trained and scored: TRAINING_COMPLETED, or a status a completed version moves on to when it is
 * started, stopped or copied (a deployed model is the likeliest baseline of all).
 */
const completed = (v: ProjectVersionDescription): boolean =>
  statusMeaning(v.Status) === 'trained' && hasF1(v)

async function describe(
  client: RekognitionClient,
  input: { ProjectArn: string; VersionNames?: string[]; NextToken?: string; MaxResults?: number }
) {
  try {
    return await client.send(new DescribeProjectVersionsCommand(input))
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', input.ProjectArn).message
    )
  }
}

async function named(
  client: RekognitionClient,
  projectArn: string,
  spec: string,
  current: CurrentVersion
): Promise<BaselineResult> {
  if (spec === current.name)
    return { missing: `baseline-version ${spec} is the version being trained` }
  const out = await describe(client, { ProjectArn: projectArn, VersionNames: [spec] })
  const found = out.ProjectVersionDescriptions?.find(
    (v) => versionNameOf(v.ProjectVersionArn) === spec
  )
  if (!found) return { missing: `baseline-version ${spec} is not in the project` }
  if (!hasF1(found))
    return { missing: `baseline-version ${spec} has no F1 score (${found.Status})` }
  return { baseline: found, reason: 'named by baseline-version' }
}

/**
 * The project's versions, page by page (up to MAX_PAGES), until `enough` says the pages read hold
 * the answer and the pages kept the documented newest-first order.
 */
async function newestVersions(
  client: RekognitionClient,
  projectArn: string,
  enough: (versions: ProjectVersionDescription[]) => boolean
): Promise<{ versions: ProjectVersionDescription[]; truncated: boolean }> {
  const versions: ProjectVersionDescription[] = []
  const order = new PageOrder()
  let token: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await describe(client, {
      ProjectArn: projectArn,
      MaxResults: 100,
      NextToken: token
    })
    const descriptions = out.ProjectVersionDescriptions ?? []
    versions.push(...descriptions)
    order.add(descriptions)
    token = out.NextToken
    if (!token || (order.holds && enough(versions))) return { versions, truncated: false }
  }
  return { versions, truncated: true }
}

export async function findBaseline(
  client: RekognitionClient,
  projectArn: string,
  spec: string,
  current: CurrentVersion,
  scope: BaselineScope
): Promise<BaselineResult> {
  if (spec !== 'auto') return named(client, projectArn, spec, current)

  const since = current.createdAt?.getTime()
  const candidatesOf = (versions: ProjectVersionDescription[]) =>
    versions
      .filter((v) => completed(v) && versionNameOf(v.ProjectVersionArn) !== current.name)
      .filter((v) => !scope.before || since === undefined || created(v) < since)
  const { versions, truncated } = await newestVersions(
    client,
    projectArn,
    (read) => candidatesOf(read).length >= MAX_TAG_READS
  )
  const candidates = candidatesOf(versions).sort((a, b) => created(b) - created(a))
  const read = truncated ? ` among the newest ${MAX_PAGES * 100} versions read` : ''
  if (candidates.length === 0) {
    return {
      firstVersion: true,
      missing: scope.before
        ? `no completed version of the project was created before this one${read}`
        : `no other completed version of the project${read}`
    }
  }

  const wanted = `${REF_TAG} ${scope.ref || '(none)'}`
  const before = scope.before ? ' before this one' : ''
  let untagged: ProjectVersionDescription | undefined
  const looked = candidates.slice(0, MAX_TAG_READS)
  for (const v of looked) {
    let tags: Record<string, string>
    try {
      const out = await client.send(
        new ListTagsForResourceCommand({ ResourceArn: v.ProjectVersionArn })
      )
      tags = out.Tags ?? {}
    } catch (err) {
      const explained = explainAwsError(
        err,
        'rekognition:ListTagsForResource',
        v.ProjectVersionArn ?? projectArn
      )
      const missing = `the baseline could not be chosen: ${explained.message}`
      return { missing, warning: missing }
    }
    const ref = tags[REF_TAG]
    if (scope.ref && ref === scope.ref) {
      return {
        baseline: v,
        reason: `the newest completed version trained from ${scope.whose}, ${scope.ref}${before ? `,${before}` : ''}`
      }
    }
    if (ref === undefined) untagged ??= v
  }
  const none = `no completed version${before} is tagged ${wanted} among the newest ${looked.length}`
  if (untagged) {
    const reason = `${none}; fallback: the newest completed version without a ${REF_TAG} tag, trained outside CI`
    const name = versionNameOf(untagged.ProjectVersionArn) ?? '?'
    return { baseline: untagged, reason, notice: `Baseline ${name}: ${reason}.` }
  }
  // Other lines of work only (other pull requests, other branches): nothing on this line to
  // compare with yet, as for a project's first version.
  return { firstVersion: true, missing: `${none}: nothing from ${scope.whose} to compare with` }
}
