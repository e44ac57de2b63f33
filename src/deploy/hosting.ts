// The Rekognition calls of hosting a model: tag, start, stop, and the project's hosted versions
// with their tags. Errors are explained for a person. The edge: no decisions here (plan.ts).
import type { RekognitionClient } from '../aws/rekognition/client.js'
import {
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  TagResourceCommand
} from '../aws/rekognition/commands.js'
import { errorName, explainAwsError } from '../aws/explain.js'
import { ActionError } from '../errors.js'
import { listProjectVersions, versionTags } from '../training/project-versions.js'
import { hostedOf, UP, type Hosted, type Tags } from './plan.js'

function explained(err: unknown, action: string, arn: string): ActionError {
  return new ActionError(explainAwsError(err, `rekognition:${action}`, arn).message)
}

export async function tagVersion(
  client: RekognitionClient,
  arn: string,
  tags: Tags,
  signal?: AbortSignal
): Promise<void> {
  if (Object.keys(tags).length === 0) return
  try {
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }), {
      abortSignal: signal
    })
  } catch (err) {
    throw explained(err, 'TagResource', arn)
  }
}

export type StartAnswer =
  | { kind: 'started'; status: string }
  /** ResourceInUseException: the version is in a state that cannot be started; re-read it. */
  | { kind: 'in-use'; message: string }

/**
 * StartProjectVersion. LimitExceededException (the client retries it as throttling first) and
 * ResourceInUseException get their own words; the API reference lists both for this call
 * (https://docs.aws.amazon.com/rekognition/latest/APIReference/API_StartProjectVersion.html).
 */
export async function startVersion(
  client: RekognitionClient,
  arn: string,
  units: { min: number; max?: number },
  signal?: AbortSignal
): Promise<StartAnswer> {
  try {
    const out = await client.send(
      new StartProjectVersionCommand({
        ProjectVersionArn: arn,
        MinInferenceUnits: units.min,
        ...(units.max !== undefined && { MaxInferenceUnits: units.max })
      }),
      { abortSignal: signal }
    )
    return { kind: 'started', status: out.Status ?? 'STARTING' }
  } catch (err) {
    const name = errorName(err)
    const said = (err as Error)?.message ?? String(err)
    if (name === 'ResourceInUseException') return { kind: 'in-use', message: said }
    if (name === 'LimitExceededException')
      throw new ActionError(
        `StartProjectVersion refused ${arn}: LimitExceededException, a Rekognition limit on running models or inference units in this account and region was reached (asked for ${units.min}${units.max ? `-${units.max}` : ''} units). Stop a running model, lower min-inference-units, or ask AWS for a higher quota ("Amazon Rekognition Custom Labels quotas"). AWS said: ${said}`
      )
    throw explained(err, 'StartProjectVersion', arn)
  }
}

/** StopProjectVersion; a version already stopping or stopped is not an error (converge). */
export async function stopVersion(
  client: RekognitionClient,
  arn: string,
  signal?: AbortSignal
): Promise<string> {
  try {
    const out = await client.send(new StopProjectVersionCommand({ ProjectVersionArn: arn }), {
      abortSignal: signal
    })
    return out.Status ?? 'STOPPING'
  } catch (err) {
    if (errorName(err) === 'ResourceInUseException') return 'STOPPING'
    throw explained(err, 'StopProjectVersion', arn)
  }
}

/** Every STARTING or RUNNING version of the project, with its tags (one ListTagsForResource each). */
export async function hostedVersions(
  client: RekognitionClient,
  projectArn: string,
  signal?: AbortSignal
): Promise<Hosted[]> {
  const { versions } = await listProjectVersions(client, projectArn, signal)
  const out: Hosted[] = []
  for (const d of versions) {
    if (!UP.has(d.Status ?? '') || !d.ProjectVersionArn) continue
    let tags
    try {
      tags = await versionTags(client, d.ProjectVersionArn, signal)
    } catch (err) {
      if (signal?.aborted) throw err
      // Tags this role may not read (another team's model, a tag-scoped policy): it is not known
      // to be ours, so it is listed as running and never stopped.
      tags = {}
    }
    if (tags) out.push(hostedOf(d, tags))
  }
  return out
}
