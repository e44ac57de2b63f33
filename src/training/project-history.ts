// Reads the project's history before a wait: one page of its versions, for the prediction of
// when this training ends (src/training/history.ts). The edge for that one call.
import {
  DescribeProjectVersionsCommand,
  type ProjectVersionDescription,
  type RekognitionClient
} from '@aws-sdk/client-rekognition'
import { boundedSignal } from '../aws/abort.js'
import { formatDuration } from '../inputs/duration.js'
import { ActionError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import { predictDuration, trainingDurations, type Prediction } from './history.js'
import type { StartedVersion } from './versions.js'

/** Pages read at most: the history needs the newest few trainings, not all of them. */
export const MAX_HISTORY_PAGES = 5

/**
 * How long this project's earlier trainings took. DescribeProjectVersions documents no order
 * (botocore's service-2.json and the guide are silent; it has looked newest first), so the first
 * page is not taken for the newest: up to MAX_HISTORY_PAGES pages of 100 are read and
 * trainingDurations sorts them by CreationTimestamp.
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
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const out = await client.send(
        new DescribeProjectVersionsCommand({
          ProjectArn: projectArn,
          MaxResults: 100,
          ...(token && { NextToken: token })
        }),
        { abortSignal: bound.signal }
      )
      versions.push(...(out?.ProjectVersionDescriptions ?? []))
      token = out?.NextToken
      if (!token) break
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
