// Previews that stop themselves: `mode: collect` stops this repository's running versions whose
// `train-action:stop-after` time has passed (stop-after-minutes). Only versions carrying this
// repository's `train-action:deployed-by` tag are ever stopped.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { versionTags } from '../training/project-versions.js'
import { code } from '../reporting/markdown.js'
import { versionNameOf } from '../training/lookup.js'
import { stopVersion } from './hosting.js'
import { DEPLOY_TAGS, expired, hostedOf, UP, type Hosted } from './plan.js'

export interface Expired {
  stopped: string[]
  /** A line for the collector's summary ('' when nothing was due). */
  summary: string
  /** Expired previews that could not be stopped: they go on costing, so the run fails. */
  problems: string[]
}

export async function stopExpiredPreviews(
  client: RekognitionClient,
  versions: ProjectVersionDescription[],
  repository: string,
  now: number,
  log: { info(line: string): void; warning(line: string): void },
  cancel?: AbortSignal
): Promise<Expired> {
  const hosted: Hosted[] = []
  const problems: string[] = []
  for (const d of versions) {
    if (!UP.has(d.Status ?? '') || !d.ProjectVersionArn || cancel?.aborted) continue
    try {
      const tags = await versionTags(client, d.ProjectVersionArn, cancel)
      if (tags) hosted.push(hostedOf(d, tags))
    } catch (err) {
      // Not necessarily ours (another team's model in the project): said, not counted.
      log.warning(`Could not read the tags of ${d.ProjectVersionArn}: ${(err as Error).message}`)
    }
  }
  const stopped: string[] = []
  for (const h of expired(hosted, repository, now)) {
    try {
      await stopVersion(client, h.arn, cancel)
      stopped.push(h.arn)
      log.info(`Stopped ${h.arn}: its stop time ${h.tags[DEPLOY_TAGS.stopAfter]} has passed.`)
    } catch (err) {
      problems.push(`${h.arn}: ${(err as Error).message}`)
      log.warning(`Could not stop ${h.arn}: ${(err as Error).message}`)
    }
  }
  const names = stopped.map((a) => code(versionNameOf(a) ?? a)).join(', ')
  return {
    stopped,
    summary: stopped.length
      ? `Stopped ${stopped.length} preview deployment(s) past their stop-after-minutes: ${names}.`
      : '',
    problems
  }
}
