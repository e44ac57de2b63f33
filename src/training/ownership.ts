// Which run started a version that a failed (or unanswered) CreateProjectVersion met: this run, or
// another one racing on the same name (`on: [push, pull_request]` on one commit). Decided without
// clocks (a runner's clock can be minutes off): by whether the client's first attempt was already
// refused as a duplicate, else by the run id and attempt tags the version carries, read back with
// ListTagsForResource.
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { ListTagsForResourceCommand } from '../aws/rekognition/commands.js'
import { boundedSignal } from '../aws/abort.js'
import { errorName } from '../aws/explain.js'

/** The tags that say which run created a version (src/inputs/tags.ts sets them on every create). */
export const RUN_ID_TAG = 'github:run-id'
export const RUN_ATTEMPT_TAG = 'github:run-attempt'

export type Owner = 'this-run' | 'another-run' | 'unknown'

/** How many attempts the client made for the call that failed (its retry loop counts them, as the SDK's does). */
export function attemptsOf(err: unknown): number | undefined {
  const attempts = (err as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts
  return typeof attempts === 'number' ? attempts : undefined
}

/**
 * A ResourceInUseException on the client's first attempt: the service refused this run's only request
 * as a duplicate, so this run created nothing. Pure.
 */
export function refusedAsDuplicate(err: unknown): boolean {
  return errorName(err) === 'ResourceInUseException' && attemptsOf(err) === 1
}

/** Pure: the version's tags against the ones this run sent. */
export function ownerByTags(
  found: Record<string, string> | undefined,
  sent: Record<string, string> | undefined
): Owner {
  const runId = sent?.[RUN_ID_TAG]
  const attempt = sent?.[RUN_ATTEMPT_TAG]
  if (!found || !runId || !attempt) return 'unknown'
  return found[RUN_ID_TAG] === runId && found[RUN_ATTEMPT_TAG] === attempt
    ? 'this-run'
    : 'another-run'
}

export interface OwnerAnswer {
  owner: Owner
  /** Why the owner is unknown, for a warning. */
  problem?: string
}

/** Reads the version's tags (bounded in time) and compares them with the ones this run sent. */
export async function ownerOf(
  client: RekognitionClient,
  versionArn: string,
  sentTags: Record<string, string> | undefined,
  budgetMs: number
): Promise<OwnerAnswer> {
  if (!sentTags?.[RUN_ID_TAG] || !sentTags[RUN_ATTEMPT_TAG]) {
    return { owner: 'unknown', problem: `this run sent no ${RUN_ID_TAG} / ${RUN_ATTEMPT_TAG} tag` }
  }
  const bound = boundedSignal(budgetMs)
  try {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceArn: versionArn }), {
      abortSignal: bound.signal
    })
    return { owner: ownerByTags(out.Tags ?? {}, sentTags) }
  } catch (err) {
    const name = errorName(err)
    const hint = /AccessDenied/.test(name) ? ': allow rekognition:ListTagsForResource' : ''
    return { owner: 'unknown', problem: `ListTagsForResource failed (${name})${hint}` }
  } finally {
    bound.done()
  }
}
