// The Rekognition reads of a collector: every version of the project in pages of 100, and the tags
// of one version. Errors are explained for a person.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand
} from '../aws/rekognition/commands.js'
import { errorName, explainAwsError } from '../aws/explain.js'
import { ActionError } from '../errors.js'

/** Pages read at most (100 versions each). */
const MAX_PAGES = 50

export interface VersionListing {
  versions: ProjectVersionDescription[]
  calls: number
  /** Why the listing stopped before the end, when it did (a warning for the log). */
  cut?: string
}

/**
 * Every version, de-duplicated by ARN (a version may move from one page to the next while they are
 * read). Stops, with `cut` saying why, when a page token comes back a second time (a service that
 * would loop) or after MAX_PAGES pages.
 */
export async function listProjectVersions(
  client: RekognitionClient,
  projectArn: string,
  signal?: AbortSignal
): Promise<VersionListing> {
  const byArn = new Map<string, ProjectVersionDescription>()
  const tokens = new Set<string>()
  let token: string | undefined
  let calls = 0
  let cut: string | undefined
  try {
    for (;;) {
      calls++
      const out = await client.send(
        new DescribeProjectVersionsCommand({
          ProjectArn: projectArn,
          MaxResults: 100,
          NextToken: token
        }),
        { abortSignal: signal }
      )
      for (const d of out.ProjectVersionDescriptions ?? []) {
        if (d.ProjectVersionArn && !byArn.has(d.ProjectVersionArn))
          byArn.set(d.ProjectVersionArn, d)
      }
      token = out.NextToken || undefined
      if (!token) break
      if (tokens.has(token)) {
        cut = `DescribeProjectVersions gave page token ${JSON.stringify(token.slice(0, 40))} a second time: the listing stops there (${calls} pages, ${byArn.size} versions).`
        break
      }
      if (calls >= MAX_PAGES) {
        cut = `The listing stops at ${MAX_PAGES} pages (${byArn.size} versions); older versions are not looked at.`
        break
      }
      tokens.add(token)
    }
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
  return { versions: [...byArn.values()], calls, cut }
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
