// Reads the project's history before a wait: one page of its versions, for the prediction of
// when this training ends (src/training/history.ts). The edge for that one call.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { DescribeProjectVersionsCommand } from '../aws/rekognition/commands.js'
import { boundedSignal } from '../aws/abort.js'
import { formatDuration } from '../inputs/duration.js'
import { ActionError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import { MAX_SAMPLES, predictDuration, trainingDurations, type Prediction } from './history.js'
import { PageOrder } from './newest-first.js'
import type { StartedVersion } from './versions.js'

/** Pages read at most: the history needs the newest few trainings, not all of them. */
export const MAX_HISTORY_PAGES = 5

/**
 * How long this project's earlier trainings took. DescribeProjectVersions lists "latest to
 * earliest" (service-2.json; see newest-first.ts): pages are read until they hold MAX_SAMPLES
 * finished trainings (later pages are older and cannot change the newest ones) or up to
 * MAX_HISTORY_PAGES pages of 100 when the pages break that order; trainingDurations sorts what was
 * read by CreationTimestamp either way.
 */
export async function projectHistory(
  client: RekognitionClient,
  projectArn: string,
  version: StartedVersion,
  budgetMs: number,
  cancel: AbortSignal,
  log: { info(line: string): void; debug(line: string): void }
): Promise<Prediction | undefined> {
  const bound = boundedSignal(budgetMs, cancel)
  try {
    const versions: ProjectVersionDescription[] = []
    let token: string | undefined
    const order = new PageOrder()
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const out = await client.send(
        new DescribeProjectVersionsCommand({
          ProjectArn: projectArn,
          MaxResults: 100,
          ...(token && { NextToken: token })
        }),
        { abortSignal: bound.signal }
      )
      const descriptions = out?.ProjectVersionDescriptions ?? []
      versions.push(...descriptions)
      order.add(descriptions)
      token = out?.NextToken
      if (!token) break
      if (order.holds && trainingDurations(versions, version.arn).length >= MAX_SAMPLES) break
    }
    const prediction = predictDuration(trainingDurations(versions, version.arn))
    if (prediction) {
      const started = version.description?.CreationTimestamp?.getTime() ?? Date.now()
      const at = new Date(started + prediction.expectedMs).toISOString().slice(11, 16)
      log.info(
        `Earlier trainings of this project took ${formatDuration(prediction.expectedMs)} (median of ${prediction.samples}): checking more often around ${at} UTC.`
      )
    }
    return prediction
  } catch (err) {
    // The same permission as the status checks: a refusal here would end them too.
    const explained = explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn)
    if (explained.permanent) throw new ActionError(explained.message)
    // The history only tunes the schedule; without it the wait works the same.
    log.debug(`No training history: ${err instanceof Error ? err.message : String(err)}`)
    return undefined
  } finally {
    bound.done()
  }
}
