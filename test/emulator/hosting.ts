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
        // Two documented caps: botocore's ImageBlob shape is
        // `{"type":"blob","min":1,"max":5242880}`, while the Image.Bytes doc ("Note that the
        // maximum image size you can pass to DetectCustomLabels is 4MB") and the Custom Labels
        // guide (limits.md, Detection: "Maximum size of images passed as raw bytes is 4 MB") give
        // 4 MB for this operation. The emulator follows the 4 MB one (4194304) because it is the
        // limit of DetectCustomLabels itself: a 4-5 MB image passes the wire shape but the service
        // still refuses it. Simplification: the check counts the characters of the base64 text,
        // not decoded bytes (so it is stricter, about 3 MB raw). Nothing depends on it: the
        // emulator answers from S3Object only (see detect) and the action never sends Bytes.
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

/**
 * Versions that can be started: trained ones, stopped ones, and ones whose start failed; any other
 * status answers ResourceInUseException. Not documented: API_StartProjectVersion.html lists
 * ResourceInUseException ("The specified resource is already being used.") but not which statuses
 * raise it. The emulator's guess, chosen as the statuses whose model is idle (a FAILED version
 * failed to start, so it is not hosted and may be started again).
 */
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
  // ResourceInUseException for a non-startable status: see STARTABLE (the emulator's guess).
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
  // Not documented: API_StartProjectVersion.html lists LimitExceededException but names no
  // inference-unit quota. The emulator's guess, chosen as the simplest model a test can set: the
  // plan's unitLimit caps the MinInferenceUnits of STARTING and RUNNING versions in one region.
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
  // Not documented: API_StopProjectVersion.html ("Stops a running model") lists
  // ResourceInUseException but not which statuses raise it. The emulator's guess, chosen as the
  // statuses in which the model is hosted or being hosted: RUNNING and STARTING stop, any other
  // status (including STOPPING and STOPPED) answers ResourceInUseException.
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
  // Image.Bytes is validated (see DETECT) but not analysed: answers are registered per S3 object.
  const o = req.Image.S3Object
  if (!o?.Bucket || !o.Name || !ctx.store.getObject(o.Bucket, o.Name))
    throw new ServiceError(
      'InvalidS3ObjectException',
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.'
    )
  const uri = `s3://${o.Bucket}/${o.Name}`
  const labels =
    ctx.store.detectAnswers.get(`${v.name}|${uri}`) ?? ctx.store.detectAnswers.get(uri) ?? []
  // Without MinConfidence the service "returns labels based on the assumed threshold of each
  // label" (botocore rekognition/2016-06-27/service-2.json, the doc of
  // DetectCustomLabelsRequest.MinConfidence). The emulator has no per-label thresholds, so its
  // default of 0 (every registered label) is a simplification; the action always reads all
  // labels returned.
  const min = req.MinConfidence ?? 0
  const shown = labels.filter((l) => l.Confidence >= min)
  if (req.MaxResults === undefined) return jsonReply({ CustomLabels: shown })
  // DetectCustomLabelsRequest.MaxResults (same file): "The service returns the specified number of
  // highest confidence labels ranked from highest confidence to lowest." Without MaxResults no
  // order is documented, so the registered order is kept.
  const ranked = [...shown].sort((a, b) => b.Confidence - a.Confidence)
  return jsonReply({ CustomLabels: ranked.slice(0, req.MaxResults) })
}

function tag(ctx: HostingContext, body: unknown, region: string): Reply {
  const req = validate<{ ResourceArn: string; Tags: Record<string, string> }>(TAG, body)
  const v = ctx.store.findVersion(req.ResourceArn)
  if (!v || regionOf(req.ResourceArn) !== region)
    throw new ServiceError(
      'ResourceNotFoundException',
      `The resource ${req.ResourceArn} does not exist.`
    )
  // botocore's TagMap allows 0-200 entries per TagResource request; the per-resource quota is not
  // in the API reference and is assumed equal (200), answered with ServiceQuotaExceededException,
  // one of the errors API_TagResource.html lists.
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
