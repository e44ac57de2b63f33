// The Rekognition reads of a collector: every version of the project in pages of 100, and the tags
// of one version. Errors are explained for a person.
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  type ProjectVersionDescription,
  type RekognitionClient
} from '@aws-sdk/client-rekognition'
import { errorName, explainAwsError } from '../aws/explain.js'
import { ActionError } from '../errors.js'

/** Pages read at most (100 versions each). */
const MAX_PAGES = 50

export async function listProjectVersions(
  client: RekognitionClient,
  projectArn: string,
  signal?: AbortSignal
): Promise<{ versions: ProjectVersionDescription[]; calls: number }> {
  const versions: ProjectVersionDescription[] = []
  let token: string | undefined
  let calls = 0
  try {
    do {
      calls++
      const out = await client.send(
        new DescribeProjectVersionsCommand({
          ProjectArn: projectArn,
          MaxResults: 100,
          NextToken: token
        }),
        { abortSignal: signal }
      )
      versions.push(...(out.ProjectVersionDescriptions ?? []))
      token = out.NextToken
    } while (token && calls < MAX_PAGES)
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
  return { versions, calls }
}

/** The version's tags; undefined when the version is gone (deleted since it was listed). */
export async function versionTags(
  client: RekognitionClient,
  arn: string,
  signal?: AbortSignal
): Promise<Record<string, string> | undefined> {
  try {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }), {
      abortSignal: signal
    })
    return out.Tags ?? {}
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined
    throw new ActionError(explainAwsError(err, 'rekognition:ListTagsForResource', arn).message)
  }
}
