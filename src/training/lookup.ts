// Versions by name: one DescribeProjectVersions with VersionNames, straight or explained.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { DescribeProjectVersionsCommand } from '../aws/rekognition/commands.js'
import { ActionError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'

/** Up to 10 names (the API's VersionNames limit) in one call, errors explained for a person. */
export async function describeByNames(
  client: RekognitionClient,
  projectArn: string,
  names: string[]
): Promise<ProjectVersionDescription[]> {
  try {
    const out = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: names })
    )
    return out.ProjectVersionDescriptions ?? []
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
}

/** The name a version's ARN carries: `.../version/<name>/<digits>`. */
export function versionNameOf(arn: string | undefined): string | undefined {
  return arn ? /\/version\/([^/]+)\/\d+$/.exec(arn)?.[1] : undefined
}

/** The version of that name, straight from the service: errors as the SDK throws them. */
export async function lookupVersion(
  client: RekognitionClient,
  projectArn: string,
  name: string,
  signal?: AbortSignal
): Promise<ProjectVersionDescription | undefined> {
  const out = await client.send(
    new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: [name] }),
    { abortSignal: signal }
  )
  const found = out.ProjectVersionDescriptions ?? []
  return found.find((v) => versionNameOf(v.ProjectVersionArn) === name) ?? found[0]
}

/** lookupVersion, with errors explained for a person. */
export async function findVersion(
  client: RekognitionClient,
  projectArn: string,
  name: string
): Promise<ProjectVersionDescription | undefined> {
  try {
    return await lookupVersion(client, projectArn, name)
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
}
