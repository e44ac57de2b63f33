// Hosting a model: StartProjectVersion, StopProjectVersion, DetectCustomLabels and TagResource,
// with the statuses of the API reference (STARTING -> RUNNING or FAILED, STOPPING -> STOPPED) and
// its errors (https://docs.aws.amazon.com/rekognition/latest/APIReference/API_StartProjectVersion.html,
// API_StopProjectVersion.html, API_DetectCustomLabels.html, API_TagResource.html). Shapes as in
// botocore rekognition/2016-06-27/service-2.json: InferenceUnits `{"type":"integer","min":1}`,
// ProjectVersionArn 20-2048 with the `.../project/<name>/version/<name>/<digits>` pattern,
// TagMap 0-200 entries. Transitions happen when DescribeProjectVersions reads the version (as
// training does), so no timers run.
import { pattern, validate, type Shape } from './shapes.js'
import type { Store, VersionRecord } from './store.js'
import type { HostingPlan } from './types.js'
import { jsonReply, ServiceError, type Reply } from './wire.js'

const PROJECT_VERSION_ARN = pattern(
  '(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/version\\/[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$)'
)
const TAG_KEY = pattern('^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$', 'u')
const TAG_VALUE = pattern('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$', 'u')

const versionArn: Shape = { type: 'string', min: 20, max: 2048, pattern: PROJECT_VERSION_ARN }
const inferenceUnits: Shape = { type: 'integer', min: 1 }

const START: Shape = {
  type: 'structure',
  required: ['ProjectVersionArn', 'MinInferenceUnits'],
  members: {
    ProjectVersionArn: versionArn,
    MinInferenceUnits: inferenceUnits,
    MaxInferenceUnits: inferenceUnits
  }
}
const STOP: Shape = {
  type: 'structure',
  required: ['ProjectVersionArn'],
  members: { ProjectVersionArn: versionArn }
}
const DETECT: Shape = {
  type: 'structure',
  required: ['ProjectVersionArn', 'Image'],
  members: {
    ProjectVersionArn: versionArn,
    Image: {
      type: 'structure',
      members: {
        Bytes: { type: 'string', min: 1, max: 4194304 },
        S3Object: {
          type: 'structure',
          members: {
            Bucket: { type: 'string', min: 3, max: 255 },
            Name: { type: 'string', min: 1, max: 1024 },
            Version: { type: 'string', min: 1, max: 1024 }
          }
        }
      }
    },
    MaxResults: { type: 'integer', min: 0 },
    MinConfidence: { type: 'float', min: 0, max: 100 }
  }
}
const TAG: Shape = {
  type: 'structure',
  required: ['ResourceArn', 'Tags'],
  members: {
    ResourceArn: { type: 'string', min: 20, max: 2048 },
    Tags: {
      type: 'map',
      min: 0,
      max: 200,
      key: { type: 'string', min: 1, max: 128, pattern: TAG_KEY },
      value: { type: 'string', min: 0, max: 256, pattern: TAG_VALUE }
    }
  }
}

export interface CustomLabel {
  Name: string
  Confidence: number
}

export interface HostingContext {
  store: Store
  plan: () => HostingPlan
}

const MESSAGES = {
  starting: 'The model is being started.',
  running: 'The model is running.',
  stopping: 'The model is being stopped.',
  stopped: 'The model is stopped.'
}

/** Versions that can be started: trained ones, stopped ones, and ones whose start failed. */
const STARTABLE = new Set(['TRAINING_COMPLETED', 'COPYING_COMPLETED', 'STOPPED', 'FAILED'])

const regionOf = (arn: string): string => arn.split(':')[3]

function findVersion(store: Store, arn: string, region: string): VersionRecord {
  const v = store.findVersion(arn)
  if (!v || regionOf(arn) !== region)
    throw new ServiceError(
      'ResourceNotFoundException',
      `The project version ${arn} does not exist.`
    )
  return v
}

/** STARTING and STOPPING end after the plan's number of DescribeProjectVersions answers. */
export function settleHosting(v: VersionRecord, counting: boolean): void {
  const h = v.hosting
  if (!h) return
  if (v.status === 'STARTING') {
    if (counting && !h.held && (v.hostChecks ?? 0) >= (h.checksUntilRunning ?? 1)) {
      v.status = h.failWith ? 'FAILED' : 'RUNNING'
      v.statusMessage = h.failWith ?? MESSAGES.running
    }
  } else if (v.status === 'STOPPING') {
    if (counting && (v.hostChecks ?? 0) >= (h.checksUntilStopped ?? 1)) {
      v.status = 'STOPPED'
      v.statusMessage = MESSAGES.stopped
    }
  } else return
  if (counting) v.hostChecks = (v.hostChecks ?? 0) + 1
}

function runningUnits(store: Store, region: string): number {
  let units = 0
  for (const project of store.projects.values()) {
    if (project.region !== region) continue
    for (const v of store.versionsOf(project.arn))
      if (v.status === 'STARTING' || v.status === 'RUNNING') units += v.minUnits ?? 0
  }
  return units
}

function start(ctx: HostingContext, body: unknown, region: string): Reply {
  const req = validate<{
    ProjectVersionArn: string
    MinInferenceUnits: number
    MaxInferenceUnits?: number
  }>(START, body)
  const v = findVersion(ctx.store, req.ProjectVersionArn, region)
  if (!STARTABLE.has(v.status))
    throw new ServiceError(
      'ResourceInUseException',
      `The project version ${v.arn} is ${v.status} and cannot be started.`
    )
  if (req.MaxInferenceUnits !== undefined && req.MaxInferenceUnits < req.MinInferenceUnits)
    throw new ServiceError(
      'InvalidParameterException',
      'MaxInferenceUnits must be greater than or equal to MinInferenceUnits.'
    )
  const plan = ctx.plan()
  if (
    plan.unitLimit !== undefined &&
    runningUnits(ctx.store, region) + req.MinInferenceUnits > plan.unitLimit
  )
    throw new ServiceError(
      'LimitExceededException',
      `The number of inference units exceeds the limit of ${plan.unitLimit} for the account.`
    )
  v.status = 'STARTING'
  v.statusMessage = MESSAGES.starting
  v.minUnits = req.MinInferenceUnits
  v.maxUnits = req.MaxInferenceUnits
  v.hosting = { ...plan }
  v.hostChecks = 0
  v.startCount = (v.startCount ?? 0) + 1
  return jsonReply({ Status: 'STARTING' })
}

function stop(ctx: HostingContext, body: unknown, region: string): Reply {
  const req = validate<{ ProjectVersionArn: string }>(STOP, body)
  const v = findVersion(ctx.store, req.ProjectVersionArn, region)
  if (v.status !== 'RUNNING' && v.status !== 'STARTING')
    throw new ServiceError(
      'ResourceInUseException',
      `The project version ${v.arn} is ${v.status} and cannot be stopped.`
    )
  v.status = 'STOPPING'
  v.statusMessage = MESSAGES.stopping
  v.hosting = { ...(v.hosting ?? {}), ...ctx.plan(), held: false }
  v.hostChecks = 0
  return jsonReply({ Status: 'STOPPING' })
}

function detect(ctx: HostingContext, body: unknown, region: string): Reply {
  const req = validate<{
    ProjectVersionArn: string
    Image: { S3Object?: { Bucket?: string; Name?: string }; Bytes?: string }
    MinConfidence?: number
    MaxResults?: number
  }>(DETECT, body)
  const v = findVersion(ctx.store, req.ProjectVersionArn, region)
  // API_DetectCustomLabels.html: ResourceNotReadyException, "the model version isn't deployed".
  if (v.status !== 'RUNNING')
    throw new ServiceError(
      'ResourceNotReadyException',
      `The project version ${v.arn} is not running (${v.status}).`
    )
  const o = req.Image.S3Object
  if (!o?.Bucket || !o.Name || !ctx.store.getObject(o.Bucket, o.Name))
    throw new ServiceError(
      'InvalidS3ObjectException',
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.'
    )
  const uri = `s3://${o.Bucket}/${o.Name}`
  const labels =
    ctx.store.detectAnswers.get(`${v.name}|${uri}`) ?? ctx.store.detectAnswers.get(uri) ?? []
  const min = req.MinConfidence ?? 0
  const shown = labels.filter((l) => l.Confidence >= min)
  return jsonReply({
    CustomLabels: req.MaxResults === undefined ? shown : shown.slice(0, req.MaxResults)
  })
}

function tag(ctx: HostingContext, body: unknown, region: string): Reply {
  const req = validate<{ ResourceArn: string; Tags: Record<string, string> }>(TAG, body)
  const v = ctx.store.findVersion(req.ResourceArn)
  if (!v || regionOf(req.ResourceArn) !== region)
    throw new ServiceError(
      'ResourceNotFoundException',
      `The resource ${req.ResourceArn} does not exist.`
    )
  const merged = { ...v.tags, ...req.Tags }
  if (Object.keys(merged).length > 200)
    throw new ServiceError('ServiceQuotaExceededException', 'A resource can have at most 200 tags.')
  v.tags = merged
  return jsonReply({})
}

export const HOSTING_OPERATIONS: Record<
  string,
  (ctx: HostingContext, body: unknown, region: string) => Reply
> = {
  StartProjectVersion: start,
  StopProjectVersion: stop,
  DetectCustomLabels: detect,
  TagResource: tag
}
