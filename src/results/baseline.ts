// The version to compare against: `auto` (the newest other version with an F1 score) or a name.
import {
  DescribeProjectVersionsCommand,
  type ProjectVersionDescription,
  type RekognitionClient
} from '@aws-sdk/client-rekognition'
import { ActionError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import { versionNameOf } from '../training/versions.js'

export interface BaselineResult {
  baseline?: ProjectVersionDescription
  /** Why there is none, for the report and the max-f1-drop gate. */
  missing?: string
  /** `auto` found no earlier version with an F1 score: nothing to compare yet. */
  firstVersion?: boolean
}

/** Pages read at most (100 versions each) before `auto` gives up. */
const MAX_PAGES = 50

const hasF1 = (v: ProjectVersionDescription): boolean => v.EvaluationResult?.F1Score !== undefined

async function describe(
  client: RekognitionClient,
  input: { ProjectArn: string; VersionNames?: string[]; NextToken?: string }
) {
  try {
    return await client.send(new DescribeProjectVersionsCommand(input))
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', input.ProjectArn).message
    )
  }
}

export async function findBaseline(
  client: RekognitionClient,
  projectArn: string,
  spec: string,
  currentName: string
): Promise<BaselineResult> {
  if (spec !== 'auto') {
    if (spec === currentName)
      return { missing: `baseline-version ${spec} is the version being trained` }
    const out = await describe(client, { ProjectArn: projectArn, VersionNames: [spec] })
    const found = out.ProjectVersionDescriptions?.find(
      (v) => versionNameOf(v.ProjectVersionArn) === spec
    )
    if (!found) return { missing: `baseline-version ${spec} is not in the project` }
    if (!hasF1(found))
      return { missing: `baseline-version ${spec} has no F1 score (${found.Status})` }
    return { baseline: found }
  }
  let token: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    // Newest first: the first other version with an F1 score is the baseline.
    const out = await describe(client, { ProjectArn: projectArn, NextToken: token })
    const found = out.ProjectVersionDescriptions?.find(
      (v) => versionNameOf(v.ProjectVersionArn) !== currentName && hasF1(v)
    )
    if (found) return { baseline: found }
    token = out.NextToken
    if (!token)
      return { firstVersion: true, missing: 'no other version of the project has an F1 score' }
  }
  return { missing: `no version with an F1 score among the newest ${MAX_PAGES * 100}` }
}
