// Checks made before anything is uploaded or paid for, each with one AWS call: does the project
// train from its own datasets or from manifests, and is the output bucket in the project's region.
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { DescribeProjectsCommand } from '../aws/rekognition/commands.js'
import { ActionError } from '../errors.js'
import type { Sockets } from '../aws/aws-clients.js'
import { errorName, explainAwsError } from '../aws/explain.js'
import type { ActionInputs } from '../inputs/inputs.js'

export interface PreflightLog {
  warning(line: string): void
  debug(line: string): void
}

const TRAINING_MODEL =
  'https://docs.aws.amazon.com/rekognition/latest/customlabels-dg/training-model.html'

/**
 * What the project's `Datasets` (DescribeProjects, ProjectDescription.Datasets) say about the
 * inputs. training-model.html: "Training uses the training and test datasets associated with
 * project"; after a project has datasets "You can no longer train a model version for the project
 * by specifying external manifest files"; CreateProjectVersion's reference: "You can train a model
 * in a project that doesn't have associated datasets by specifying manifest files in the
 * TrainingData and TestingData fields". Pure.
 */
export function datasetsProblem(
  inputs: Pick<ActionInputs, 'projectArn' | 'trainingManifests'>,
  datasets: { DatasetType?: string }[]
): string | undefined {
  const manifests = inputs.trainingManifests.length > 0
  if (datasets.length > 0 && manifests) {
    const kinds = [...new Set(datasets.map((d) => d.DatasetType ?? '?'))].join(', ')
    return `The project ${inputs.projectArn} has datasets (${kinds}): its versions train on them, and AWS refuses training-manifests/testing-manifests for it. Remove those inputs to train on the project's datasets, or use a project without datasets. Nothing was uploaded or trained. See ${TRAINING_MODEL}`
  }
  if (datasets.length === 0 && !manifests) {
    return `The project ${inputs.projectArn} has no datasets, so there is nothing to train on: give training-manifests and testing-manifests (or auto-create-testing: true), or create the project's datasets first. Nothing was trained. See ${TRAINING_MODEL}`
  }
  return undefined
}

/**
 * One DescribeProjects call (rekognition:DescribeProjects). A refusal of the call fails the step
 * with the permission named; an answer without `Datasets` (optional in the service model) or a
 * failing service leaves the question to CreateProjectVersion, which refuses before any training.
 */
export async function checkProjectDatasets(
  client: RekognitionClient,
  inputs: Pick<ActionInputs, 'projectArn' | 'projectName' | 'trainingManifests'>,
  log: PreflightLog,
  signal?: AbortSignal
): Promise<void> {
  let datasets: { DatasetType?: string }[] | undefined
  try {
    const out = await client.send(
      new DescribeProjectsCommand({ ProjectNames: [inputs.projectName] }),
      { abortSignal: signal }
    )
    const project = out?.ProjectDescriptions?.find((p) => p.ProjectArn === inputs.projectArn)
    if (out?.ProjectDescriptions && !project) {
      throw new ActionError(
        `${inputs.projectArn} was not found (rekognition:DescribeProjects): check project-arn, and that the credentials are for its account and region.`
      )
    }
    datasets = project?.Datasets
  } catch (err) {
    if (err instanceof ActionError) throw err
    const explained = explainAwsError(err, 'rekognition:DescribeProjects', inputs.projectArn)
    if (explained.permanent) throw new ActionError(explained.message)
    log.warning(`Could not check the project's datasets (${errorName(err)}); going on.`)
    return
  }
  if (datasets === undefined) {
    log.debug('DescribeProjects gave no Datasets for the project; not checked.')
    return
  }
  const problem = datasetsProblem(inputs, datasets)
  if (problem) throw new ActionError(problem)
}

/** GetBucketLocation's LocationConstraint as a region: empty is us-east-1, `EU` is eu-west-1. */
export function bucketRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1'
  return constraint === 'EU' ? 'eu-west-1' : constraint
}

/**
 * The bucket's region from HeadBucket's `x-amz-bucket-region` header, on success or on an error
 * answer. S3 API reference, HeadBucket: "You can make a HeadBucket call on any bucket name to any
 * Region in the partition, and regardless of the permissions on the bucket, you will receive a
 * response header with the correct bucket location" (so on a 301 redirect or a 403 too);
 * GetBucketLocation: "we recommend using the HeadBucket operation for bucket Region discovery".
 * The SDK keeps an error's raw answer in its hidden `$response`.
 */
export function headerRegion(answer: unknown): string | undefined {
  const out = answer as
    | { BucketRegion?: string; $response?: { headers?: Record<string, string | undefined> } }
    | undefined
  const region = out?.BucketRegion ?? out?.$response?.headers?.['x-amz-bucket-region']
  return typeof region === 'string' && region !== '' ? region : undefined
}

const wrongRegion = (bucket: string, where: string, projectRegion: string): ActionError =>
  new ActionError(
    `output-bucket "${bucket}" is in ${where}, but the project is in ${projectRegion}: Custom Labels writes its results (and reads uploaded manifests) in the project's region. Use a bucket in ${projectRegion}. Nothing was uploaded or trained.`
  )

const missingBucket = (bucket: string, projectRegion: string): ActionError =>
  new ActionError(
    `output-bucket "${bucket}" does not exist: create it in ${projectRegion} (the project's region), or name another bucket.`
  )

/**
 * The output bucket must be in the project's region: training writes there, and repository
 * manifests are uploaded there and read by the service (a bucket elsewhere fails the training).
 * One HeadBucket, whose `x-amz-bucket-region` answers whatever the permissions; only when no
 * answer carries it, GetBucketLocation (s3:GetBucketLocation). That one S3 refuses across regions
 * when either is an opt-in region (af-south-1 and the others opened since March 2019) with
 * IllegalLocationConstraintException ("The <region> location constraint is incompatible for the
 * region specific endpoint this request was sent to"): the bucket is then in another region, and
 * refused. Other failures to tell the region are a warning.
 */
export async function checkBucketRegion(
  region: string,
  bucket: string,
  projectRegion: string,
  pollIntervalMs: number,
  sockets: Sockets,
  log: PreflightLog,
  signal?: AbortSignal
): Promise<void> {
  const { GetBucketLocationCommand, HeadBucketCommand } = await import('@aws-sdk/client-s3')
  const { s3Client } = await import('../aws/s3-client.js')
  const client = await s3Client({ region, pollIntervalMs, sockets })
  let where: string | undefined
  try {
    const out = await client.send(new HeadBucketCommand({ Bucket: bucket }), {
      abortSignal: signal
    })
    where = headerRegion(out)
  } catch (err) {
    where = headerRegion(err)
    const name = errorName(err)
    if (!where && (name === 'NotFound' || name === 'NoSuchBucket'))
      throw missingBucket(bucket, projectRegion)
    if (!where && signal?.aborted) return
  }
  if (where === undefined) {
    try {
      const out = await client.send(new GetBucketLocationCommand({ Bucket: bucket }), {
        abortSignal: signal
      })
      if (!out) return // no answer to read: not checked
      where = bucketRegion(out.LocationConstraint)
    } catch (err) {
      const name = errorName(err)
      if (name === 'NoSuchBucket') throw missingBucket(bucket, projectRegion)
      if (name === 'IllegalLocationConstraintException') {
        const said = /The (\S+) location constraint/.exec((err as Error).message ?? '')?.[1]
        throw wrongRegion(
          bucket,
          said && said !== 'unspecified' ? said : 'another region',
          projectRegion
        )
      }
      const why = /AccessDenied|Forbidden/i.test(name)
        ? `allow s3:ListBucket (HeadBucket) or s3:GetBucketLocation on arn:aws:s3:::${bucket} to check it`
        : name
      log.warning(
        `Could not check that output-bucket "${bucket}" is in ${projectRegion} (${why}); going on.`
      )
      return
    }
  }
  if (where !== projectRegion) throw wrongRegion(bucket, where, projectRegion)
}
