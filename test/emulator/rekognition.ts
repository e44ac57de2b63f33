// Rekognition Custom Labels over AWS JSON 1.1: request checks in the order the service makes
// them (protocol, signature scope, shape, then semantics) and the four operations the action uses.
import { createHash } from 'node:crypto'
import type { Incoming, Routed } from './http.js'
import { page } from './pagination.js'
import { pattern, validate, type Shape } from './shapes.js'
import { readAuth } from './sigv4.js'
import type { ProjectRecord, Store, VersionRecord } from './store.js'
import { HOSTING_OPERATIONS, settleHosting } from './hosting.js'
import { hasEnded, IN_PROGRESS_MESSAGE, outputFiles, settle } from './training.js'
import type { HostingPlan, TrainingPlan } from './types.js'
import { errorReply, jsonReply, ServiceError, type Reply } from './wire.js'

const TARGET_PREFIX = 'RekognitionService.'

// Constraints from the service model (REKOGNITION.md); `text` is what error messages quote.
const PROJECT_ARN = pattern(
  '^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$'
)
const NAME = pattern('[a-zA-Z0-9_.\\-]+')
const S3_BUCKET = pattern('[0-9A-Za-z\\.\\-_]*')
const TAG_KEY = pattern('^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$', 'u')
const TAG_VALUE = pattern('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$', 'u')
const KMS_KEY_ID = pattern('^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$')
const VERSION_DESCRIPTION = pattern("[a-zA-Z0-9-_. ()':,;?]+")

const str = (min?: number, max?: number, p?: typeof NAME): Shape => ({
  type: 'string',
  min,
  max,
  pattern: p
})
const projectArn = str(20, 2048, PROJECT_ARN)
const name = str(1, 255, NAME)
const maxResults: Shape = { type: 'integer', min: 1, max: 100 }
const nextToken = str(undefined, 1024)
const asset: Shape = {
  type: 'structure',
  members: {
    GroundTruthManifest: {
      type: 'structure',
      members: {
        S3Object: {
          type: 'structure',
          members: { Bucket: str(3, 255, S3_BUCKET), Name: str(1, 1024), Version: str(1, 1024) }
        }
      }
    }
  }
}
const assets: Shape = { type: 'list', member: asset }

const CREATE_PROJECT_VERSION: Shape = {
  type: 'structure',
  required: ['ProjectArn', 'VersionName', 'OutputConfig'],
  members: {
    ProjectArn: projectArn,
    VersionName: name,
    OutputConfig: {
      type: 'structure',
      members: { S3Bucket: str(3, 255, S3_BUCKET), S3KeyPrefix: str(undefined, 1024) }
    },
    TrainingData: { type: 'structure', members: { Assets: assets } },
    TestingData: {
      type: 'structure',
      members: { Assets: assets, AutoCreate: { type: 'boolean' } }
    },
    Tags: { type: 'map', max: 200, key: str(1, 128, TAG_KEY), value: str(0, 256, TAG_VALUE) },
    KmsKeyId: str(1, 2048, KMS_KEY_ID),
    VersionDescription: str(1, 255, VERSION_DESCRIPTION),
    FeatureConfig: {
      type: 'structure',
      members: {
        ContentModeration: {
          type: 'structure',
          members: { ConfidenceThreshold: { type: 'float', min: 0, max: 100 } }
        }
      }
    }
  }
}

const DESCRIBE_PROJECT_VERSIONS: Shape = {
  type: 'structure',
  required: ['ProjectArn'],
  members: {
    ProjectArn: projectArn,
    VersionNames: { type: 'list', min: 1, max: 10, member: name },
    NextToken: nextToken,
    MaxResults: maxResults
  }
}

const DESCRIBE_PROJECTS: Shape = {
  type: 'structure',
  members: {
    ProjectNames: { type: 'list', min: 1, max: 10, member: name },
    NextToken: nextToken,
    MaxResults: maxResults,
    Features: { type: 'list', min: 1, max: 2, member: str() }
  }
}

const LIST_TAGS: Shape = {
  type: 'structure',
  required: ['ResourceArn'],
  members: { ResourceArn: str(20, 2048) }
}

interface S3Ref {
  Bucket?: string
  Name?: string
  Version?: string
}
interface DataSpec {
  Assets?: { GroundTruthManifest?: { S3Object?: S3Ref } }[]
  AutoCreate?: boolean
}
interface CreateRequest {
  ProjectArn: string
  VersionName: string
  OutputConfig: { S3Bucket?: string; S3KeyPrefix?: string }
  TrainingData?: DataSpec
  TestingData?: DataSpec
  Tags?: Record<string, string>
  KmsKeyId?: string
  VersionDescription?: string
}

export interface RekognitionContext {
  store: Store
  /** The training plan for versions created now. */
  plan: () => TrainingPlan
  /** How far the service's clock is from this machine's (ms): runners' clocks can be off. */
  clockSkewMs: () => number
  /** The order DescribeProjectVersions lists versions in (default newest first). */
  listOrder?: () => ListOrder
  /** How versions started from now on behave. */
  hosting?: () => HostingPlan
  /** A faulty service: the last page of DescribeProjectVersions hands back the token it was given. */
  loopListToken?: () => boolean
}

/**
 * DescribeProjectVersions lists newest first: botocore rekognition/2016-06-27/service-2.json,
 * "The list is sorted by the creation date and time of the project versions, latest to
 * earliest", the default here. `shuffled` (a fixed pseudo-random order by name, stable across
 * pages, so NextToken works) and `oldest-first` break that order, for the clients' defensive
 * sorting.
 */
export type ListOrder = 'newest-first' | 'oldest-first' | 'shuffled'

function ordered(versions: VersionRecord[], order: ListOrder): VersionRecord[] {
  if (order === 'oldest-first') return [...versions].reverse()
  if (order === 'shuffled') {
    // Keyed on the name: the same names give the same order on every run of a test.
    const key = (v: VersionRecord) => createHash('sha256').update(v.name).digest('hex')
    return [...versions].sort((a, b) => (key(a) < key(b) ? -1 : 1))
  }
  return versions
}

const regionOf = (arn: string) => arn.split(':')[3]

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message)
}

/** A project is only visible from its own region, as with the real endpoints. */
function findProject(store: Store, arn: string, region: string): ProjectRecord {
  const project = store.projects.get(arn)
  if (!project || project.region !== region) {
    throw new ServiceError('ResourceNotFoundException', `The project ${arn} does not exist.`)
  }
  return project
}

function checkData(project: ProjectRecord, req: CreateRequest): void {
  const { TrainingData: training, TestingData: testing } = req
  if (!req.OutputConfig.S3Bucket) throw invalid('OutputConfig must specify an S3Bucket.')
  if ((training === undefined) !== (testing === undefined)) {
    throw invalid('Specify both TrainingData and TestingData, or neither.')
  }
  if (training && testing) {
    if (project.datasets === true) {
      throw invalid('The project has datasets: do not specify TrainingData or TestingData.')
    }
    if (!training.Assets?.length) throw invalid('TrainingData must specify at least one asset.')
    if (testing.AutoCreate === true && testing.Assets?.length) {
      throw invalid('TestingData cannot specify Assets when AutoCreate is true.')
    }
    if (testing.AutoCreate !== true && !testing.Assets?.length) {
      throw invalid('TestingData must specify Assets or set AutoCreate to true.')
    }
    for (const a of [...training.Assets, ...(testing.Assets ?? [])]) {
      const o = a.GroundTruthManifest?.S3Object
      if (!o?.Bucket || !o.Name)
        throw invalid('Each asset needs a GroundTruthManifest S3Object with a Bucket and a Name.')
    }
  } else if (project.datasets === false) {
    throw invalid('The project has no datasets: specify TrainingData and TestingData.')
  }
}

function createProjectVersion(ctx: RekognitionContext, body: unknown, region: string): Reply {
  const req = validate<CreateRequest>(CREATE_PROJECT_VERSION, body)
  const { store } = ctx
  const project = findProject(store, req.ProjectArn, region)
  checkData(project, req)
  if (store.versionsOf(project.arn).some((v) => v.name === req.VersionName)) {
    throw new ServiceError(
      'ResourceInUseException',
      `A version with the name ${req.VersionName} already exists in the project`
    )
  }
  // An output bucket that cannot be written and a manifest that cannot be read are not refused
  // here: the training fails (tm-terminal-errors-reference.html, "Unable to write to output S3
  // bucket." and "The manifest file extension or contents are invalid.": "The Amazon S3 bucket or
  // key for the manifest file couldn't be found"); see training.ts.
  const now = new Date(store.now() + ctx.clockSkewMs())
  const plan = ctx.plan()
  const version: VersionRecord = {
    arn: `${project.arn.replace(/\/\d+$/, '')}/version/${req.VersionName}/${now.getTime()}`,
    name: req.VersionName,
    projectArn: project.arn,
    status: 'TRAINING_IN_PROGRESS',
    statusMessage: IN_PROGRESS_MESSAGE,
    createdAt: now,
    request: body,
    tags: { ...(req.Tags ?? {}) },
    describeCount: 0,
    plan
  }
  if (plan.hiddenForDescribes) version.hiddenLeft = plan.hiddenForDescribes
  store.addVersion(version)
  return jsonReply({ ProjectVersionArn: version.arn })
}

const s3Object = (bucket: string, name: string) => ({ S3Object: { Bucket: bucket, Name: name } })

/** A ProjectVersionDescription with every member that applies to the version's state. */
export function describeVersion(v: VersionRecord): Record<string, unknown> {
  const req = v.request as CreateRequest
  const files = outputFiles(v)
  const ended = hasEnded(v)
  const dataResult = (input: DataSpec | undefined, output: string, validation: string) => ({
    Input: input ?? {},
    ...(ended && {
      Output: {
        Assets: [{ GroundTruthManifest: s3Object(files.bucket, output) }],
        ...(input?.AutoCreate !== undefined && { AutoCreate: input.AutoCreate })
      },
      ...(v.validationFiles !== false && {
        Validation: { Assets: [{ GroundTruthManifest: s3Object(files.bucket, validation) }] }
      })
    })
  })
  return {
    ProjectVersionArn: v.arn,
    CreationTimestamp: v.createdAt.getTime() / 1000,
    Status:
      v.status === 'TRAINING_IN_PROGRESS' && v.plan.inProgressStatus
        ? v.plan.inProgressStatus
        : v.status,
    StatusMessage: v.statusMessage,
    OutputConfig: req.OutputConfig,
    TrainingDataResult: dataResult(
      req.TrainingData,
      files.trainingOutput,
      files.trainingValidation
    ),
    TestingDataResult: dataResult(req.TestingData, files.testingOutput, files.testingValidation),
    ...(ended && {
      TrainingEndTimestamp: (v.endedAt ?? v.createdAt).getTime() / 1000,
      ...(v.billableSeconds !== undefined && { BillableTrainingTimeInSeconds: v.billableSeconds }),
      ...(v.validationFiles !== false && {
        ManifestSummary: s3Object(files.bucket, files.manifestSummary)
      })
    }),
    ...(v.status === 'TRAINING_COMPLETED' &&
      v.f1Score !== undefined && {
        EvaluationResult: { F1Score: v.f1Score, Summary: s3Object(files.bucket, files.summary) }
      }),
    ...(req.KmsKeyId !== undefined && { KmsKeyId: req.KmsKeyId }),
    ...(req.VersionDescription !== undefined && { VersionDescription: req.VersionDescription }),
    // "MinInferenceUnits: The minimum number of inference units used by the model" (of a started
    // model; ProjectVersionDescription in the service model).
    ...(v.minUnits !== undefined && { MinInferenceUnits: v.minUnits }),
    ...(v.maxUnits !== undefined && { MaxInferenceUnits: v.maxUnits }),
    Feature: 'CUSTOM_LABELS'
  }
}

function describeProjectVersions(ctx: RekognitionContext, body: unknown, region: string): Reply {
  const req = validate<{
    ProjectArn: string
    VersionNames?: string[]
    NextToken?: string
    MaxResults?: number
  }>(DESCRIBE_PROJECT_VERSIONS, body)
  const project = findProject(ctx.store, req.ProjectArn, region)
  const wanted = req.VersionNames
  // A version created a moment ago may not be listed yet (eventual consistency; the API
  // documents no read-after-write guarantee for DescribeProjectVersions).
  const all = ordered(
    ctx.store
      .versionsOf(project.arn)
      .filter((v) => !wanted || wanted.includes(v.name))
      .filter((v) => {
        if (!v.hiddenLeft) return true
        v.hiddenLeft--
        return false
      }),
    ctx.listOrder?.() ?? 'newest-first'
  )
  const scope = `versions:${project.arn}:${(wanted ?? []).join(',')}`
  const result = page(all, (v) => v.arn, scope, req.MaxResults ?? 100, req.NextToken)
  const now = ctx.store.now()
  const descriptions = result.items.map((v) => {
    settle(ctx.store, v, now, true)
    settleHosting(v, true)
    return describeVersion(v)
  })
  const next = result.next ?? (ctx.loopListToken?.() ? req.NextToken : undefined)
  return jsonReply({
    ProjectVersionDescriptions: descriptions,
    ...(next && { NextToken: next })
  })
}

function describeProjects(ctx: RekognitionContext, body: unknown, region: string): Reply {
  const req = validate<{ ProjectNames?: string[]; NextToken?: string; MaxResults?: number }>(
    DESCRIBE_PROJECTS,
    body
  )
  const wanted = req.ProjectNames
  const all = [...ctx.store.projects.values()]
    .filter((p) => p.region === region && (!wanted || wanted.includes(p.name)))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
  const scope = `projects:${region}:${(wanted ?? []).join(',')}`
  const result = page(all, (p) => p.arn, scope, req.MaxResults ?? 100, req.NextToken)
  const descriptions = result.items.map((p) => ({
    ProjectArn: p.arn,
    CreationTimestamp: p.createdAt.getTime() / 1000,
    Status: 'CREATED',
    // ProjectDescription.Datasets is optional in the service model: left out while the emulator's
    // project does not say (ProjectOptions.datasets unset), so both request styles work in tests.
    ...(p.datasets !== undefined && {
      Datasets: p.datasets
        ? (['TRAIN', 'TEST'] as const).map((type) => ({
            CreationTimestamp: p.createdAt.getTime() / 1000,
            DatasetType: type,
            DatasetArn: `${p.arn.replace(/\/\d+$/, '')}/dataset/${type.toLowerCase()}/${p.createdAt.getTime()}`,
            Status: 'CREATE_COMPLETE',
            StatusMessage: 'The dataset was successfully created.',
            StatusMessageCode: 'SUCCESS'
          }))
        : []
    }),
    Feature: 'CUSTOM_LABELS'
  }))
  return jsonReply({
    ProjectDescriptions: descriptions,
    ...(result.next && { NextToken: result.next })
  })
}

function listTagsForResource(ctx: RekognitionContext, body: unknown, region: string): Reply {
  const { ResourceArn: arn } = validate<{ ResourceArn: string }>(LIST_TAGS, body)
  const version = ctx.store.findVersion(arn)
  if (version && regionOf(arn) === region) return jsonReply({ Tags: version.tags })
  const project = ctx.store.projects.get(arn)
  if (project && project.region === region) return jsonReply({ Tags: {} })
  throw new ServiceError('ResourceNotFoundException', `The resource ${arn} does not exist.`)
}

const OPERATIONS: Record<
  string,
  (ctx: RekognitionContext, body: unknown, region: string) => Reply
> = {
  CreateProjectVersion: createProjectVersion,
  DescribeProjectVersions: describeProjectVersions,
  DescribeProjects: describeProjects,
  ListTagsForResource: listTagsForResource,
  ...Object.fromEntries(
    Object.entries(HOSTING_OPERATIONS).map(([name, op]) => [
      name,
      (ctx: RekognitionContext, body: unknown, region: string) =>
        op({ store: ctx.store, plan: () => ctx.hosting?.() ?? {} }, body, region)
    ])
  )
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = body.toString('utf8')
  if (text.trim() === '') return { ok: true, value: {} }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, error: (err as Error).message }
  }
}

function act(ctx: RekognitionContext, req: Incoming, operation: string): Reply {
  if (req.headers['content-type']?.split(';')[0].trim() !== 'application/x-amz-json-1.1') {
    throw new ServiceError(
      'UnknownOperationException',
      'Unsupported Content-Type: expected application/x-amz-json-1.1.'
    )
  }
  const auth = readAuth(req.headers)
  if (!auth.ok) {
    if (auth.problem === 'missing')
      throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token')
    throw new ServiceError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."
    )
  }
  if (auth.credential.service !== 'rekognition') {
    throw new ServiceError(
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'rekognition'. "
    )
  }
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined
  if (!handler)
    throw new ServiceError('UnknownOperationException', `Unknown operation ${operation}.`)
  const parsed = parseJson(req.body)
  if (!parsed.ok)
    throw new ServiceError('SerializationException', `Malformed JSON body: ${parsed.error}`)
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new ServiceError('SerializationException', 'Start of structure or map expected.')
  }
  return handler(ctx, parsed.value, auth.credential.region)
}

export function routeRekognition(ctx: RekognitionContext, req: Incoming): Routed {
  const target = req.headers['x-amz-target'] ?? ''
  const operation = target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : target || 'Unknown'
  const auth = readAuth(req.headers)
  const region = auth.ok ? auth.credential.region : undefined
  const parsed = parseJson(req.body)
  const body = parsed.ok ? parsed.value : req.body.toString('utf8')
  const fields = (
    parsed.ok && parsed.value && typeof parsed.value === 'object' ? parsed.value : {}
  ) as Record<string, unknown>
  const named = fields.ProjectArn ?? fields.ResourceArn ?? fields.ProjectVersionArn
  const resource =
    typeof named === 'string'
      ? named
      : `arn:aws:rekognition:${region ?? 'us-east-1'}:123456789012:project/*`
  return {
    service: 'rekognition',
    operation,
    body,
    region,
    resource,
    act: () => {
      try {
        return act(ctx, req, operation)
      } catch (err) {
        return errorReply(err)
      }
    }
  }
}
