// Every input, read and checked in one place before any AWS call. Pure: the edge passes a reader.
import {
  KMS_KEY_ID,
  PROJECT_ARN,
  REGION,
  S3_BUCKET,
  S3_KEY_PREFIX,
  VERSION_NAME,
  breaks,
  type TextRule
} from './constraints.js'
import { InputError, inputError } from '../errors.js'
import { parseBoolean, parseNumber, type NumberRule } from './values.js'
import type { RunContext } from '../github/github-context.js'
import { parseManifestList, type ManifestRef } from './manifest-refs.js'
import {
  DEFAULT_VERSION_NAME,
  expandTokens,
  deriveDescription,
  expandVersionName,
  validateDescription
} from './naming.js'
import { defaultTags, gateTags, mergeTags, parseUserTags, type Tags } from './tags.js'
import { parseLabelFloors, type LabelFloors } from '../results/label-gates.js'
import { checkDeployNeedsWait, parseDeployInputs, type DeployInputs } from './deploy-inputs.js'

export type InputReader = (name: string) => string
export type IfVersionExists = 'reuse' | 'fail' | 'new'
export type IfDataUnchanged = 'reuse' | 'train'
export type Mode = 'train' | 'collect' | 'stop'

export interface ActionInputs {
  projectArn: string
  projectName: string
  /** Region of the project, from its ARN. */
  arnRegion: string
  outputBucket: string
  outputPrefix: string
  versionName: string
  versionDescription: string
  tags: Tags
  trainingManifests: ManifestRef[]
  testingManifests: ManifestRef[]
  autoCreateTesting: boolean
  kmsKeyId?: string
  /** Explicit aws-region input, if any. */
  region?: string
  ifVersionExists: IfVersionExists
  /** `reuse`: attach to this repository's version trained on the same data instead of training. */
  ifDataUnchanged: IfDataUnchanged
  wait: boolean
  waitTimeoutMinutes: number
  pollIntervalSeconds: number
  failOnTimeout: boolean
  minF1Score?: number
  baselineVersion?: string
  maxF1Drop?: number
  /** Per-label gates: floors, and the largest drop of any label against the baseline. */
  minLabelF1Score?: LabelFloors
  maxLabelF1Drop?: number
  commentOnPr: boolean
  githubToken: string
  trainingPricePerHour: number
  dryRun: boolean
  commitStatus: boolean
  /** deploy and the inputs around it (src/inputs/deploy-inputs.ts). */
  deployment: DeployInputs
}

/** What `mode: collect` reads; the gates come from each version's tags, not from its inputs. */
export interface CollectInputs {
  projectArn: string
  projectName: string
  arnRegion: string
  region?: string
  commitStatus: boolean
  commentOnPr: boolean
  githubToken: string
  pollIntervalSeconds: number
  trainingPricePerHour: number
  /** The budget of the whole run, in minutes. */
  collectTimeoutMinutes: number
  /** Inputs of the train mode that were given but mean nothing here. */
  ignored: string[]
}

/** Train-mode inputs without a default: given to a collector, they are ignored (with a notice). */
const TRAIN_ONLY = [
  'output-bucket',
  'output-prefix',
  'version-name',
  'version-description',
  'tags',
  'training-manifests',
  'testing-manifests',
  'kms-key-id',
  'min-f1-score',
  'baseline-version',
  'max-f1-drop',
  'min-label-f1-score',
  'max-label-f1-drop'
]

export function readMode(read: InputReader): Mode {
  const mode = read('mode') || 'train'
  if (mode !== 'train' && mode !== 'collect' && mode !== 'stop')
    throw inputError('mode', mode, 'is not a known mode', 'must be train, collect or stop')
  return mode
}

function optionalNumber(read: InputReader, input: string, r: NumberRule): number | undefined {
  const value = read(input)
  return value === '' ? undefined : parseNumber(input, value, r)
}

function text(read: InputReader, input: string, r: TextRule): string {
  const value = read(input)
  const problem = breaks(value, r)
  if (problem) throw inputError(input, value, problem, r.describe)
  return value
}

function required(read: InputReader, input: string): void {
  if (read(input) === '') throw new InputError(`${input} is required and was not given`)
}

function project(read: InputReader) {
  required(read, 'project-arn')
  const projectArn = text(read, 'project-arn', PROJECT_ARN)
  const [, , , arnRegion, , resource] = projectArn.split(':')
  return { projectArn, arnRegion, projectName: resource.split('/')[1] }
}

function awsRegion(read: InputReader, arnRegion: string): string | undefined {
  const regionInput = read('aws-region')
  const region = regionInput ? text(read, 'aws-region', REGION) : undefined
  if (region && region !== arnRegion) {
    throw inputError(
      'aws-region',
      region,
      `differs from the region of project-arn (${arnRegion})`,
      'must be the project’s region, or be left empty'
    )
  }
  return region
}

const pollInterval = (read: InputReader): number =>
  parseNumber('poll-interval-seconds', read('poll-interval-seconds') || '60', {
    min: 0,
    exclusiveMin: true,
    max: 3600
  })

const pricePerHour = (read: InputReader): number =>
  parseNumber('training-price-per-hour', read('training-price-per-hour') || '1.00', { min: 0 })

/** `mode: collect`: no output-bucket, no naming, no gates (each version carries its own). */
export function parseCollectInputs(read: InputReader): CollectInputs {
  const { projectArn, arnRegion, projectName } = project(read)
  return {
    projectArn,
    projectName,
    arnRegion,
    region: awsRegion(read, arnRegion),
    commitStatus: parseBoolean('commit-status', read('commit-status'), true),
    commentOnPr: parseBoolean('comment-on-pr', read('comment-on-pr'), true),
    githubToken: read('github-token'),
    pollIntervalSeconds: pollInterval(read),
    trainingPricePerHour: pricePerHour(read),
    // Fits a 15-minute job with room for the setup steps and the summary.
    collectTimeoutMinutes: parseNumber(
      'collect-timeout-minutes',
      read('collect-timeout-minutes') || '12',
      { min: 0, exclusiveMin: true, max: 360 }
    ),
    ignored: TRAIN_ONLY.filter((name) => read(name) !== '')
  }
}

export function parseInputs(read: InputReader, ctx: RunContext, now: Date): ActionInputs {
  const { projectArn, arnRegion, projectName } = project(read)
  required(read, 'output-bucket')
  const outputBucket = text(read, 'output-bucket', S3_BUCKET)

  const templateInput = read('version-name')
  const versionName = expandVersionName(templateInput || DEFAULT_VERSION_NAME, ctx, now)
  // The prefix may use the same tokens; it is a free-form key prefix, so nothing is replaced.
  const prefixTemplate = read('output-prefix')
  const outputPrefix = prefixTemplate ? expandPrefix(prefixTemplate, ctx, now) : ''

  const givenDescription = read('version-description')
  const versionDescription = givenDescription
    ? validateDescription(givenDescription)
    : deriveDescription(ctx)

  const userTags = parseUserTags(read('tags'))

  const trainingManifests = parseManifestList(
    'training-manifests',
    read('training-manifests'),
    ctx.workspace
  )
  const testingManifests = parseManifestList(
    'testing-manifests',
    read('testing-manifests'),
    ctx.workspace
  )
  const autoCreateTesting = parseBoolean('auto-create-testing', read('auto-create-testing'), false)
  checkDatasets(trainingManifests, testingManifests, autoCreateTesting)

  const kms = read('kms-key-id')
  const kmsKeyId = kms ? text(read, 'kms-key-id', KMS_KEY_ID) : undefined
  const region = awsRegion(read, arnRegion)

  const ifExists = read('if-version-exists') || 'reuse'
  if (!['reuse', 'fail', 'new'].includes(ifExists)) {
    throw inputError(
      'if-version-exists',
      ifExists,
      'is not a known choice',
      'must be reuse, fail or new'
    )
  }

  const ifDataUnchanged = read('if-data-unchanged') || 'reuse'
  if (ifDataUnchanged !== 'reuse' && ifDataUnchanged !== 'train') {
    throw inputError(
      'if-data-unchanged',
      ifDataUnchanged,
      'is not a known choice',
      'must be reuse or train'
    )
  }

  const baselineVersion = read('baseline-version') || undefined
  if (baselineVersion && baselineVersion !== 'auto') {
    const problem = breaks(baselineVersion, VERSION_NAME)
    if (problem)
      throw inputError(
        'baseline-version',
        baselineVersion,
        problem,
        `must be auto or a version name that ${VERSION_NAME.describe}`
      )
  }
  const maxF1Drop = optionalNumber(read, 'max-f1-drop', { min: 0, max: 1 })
  if (maxF1Drop !== undefined && !baselineVersion) {
    throw new InputError(
      'max-f1-drop is set but baseline-version is empty; give baseline-version (auto or a version name) to compare against'
    )
  }

  const maxLabelF1Drop = optionalNumber(read, 'max-label-f1-drop', { min: 0, max: 1 })
  if (maxLabelF1Drop !== undefined && !baselineVersion) {
    throw new InputError(
      'max-label-f1-drop is set but baseline-version is empty; give baseline-version (auto or a version name) to compare against'
    )
  }
  const minLabelF1Score = parseLabelFloors('min-label-f1-score', read('min-label-f1-score'))

  const minF1Score = optionalNumber(read, 'min-f1-score', { min: 0, max: 1 })
  // The gates go on the version too, so a collector finishes it the way this step would have.
  const tags = mergeTags(
    {
      ...defaultTags(ctx),
      ...gateTags({
        minF1Score,
        maxF1Drop,
        minLabelF1Score,
        maxLabelF1Drop,
        baselineVersion,
        baseRef: ctx.baseRef
      })
    },
    userTags,
    // Manifests get a fingerprint tag (train-action:data-sha256) at the create: its slot is kept.
    trainingManifests.length > 0 ? 1 : 0
  )

  const wait = parseBoolean('wait', read('wait'), false)
  const deployment = parseDeployInputs(read, ctx.workspace)
  checkDeployNeedsWait(deployment, wait)

  return {
    projectArn,
    projectName,
    arnRegion,
    outputBucket,
    outputPrefix,
    versionName,
    versionDescription,
    tags,
    trainingManifests,
    testingManifests,
    autoCreateTesting,
    kmsKeyId,
    region,
    ifVersionExists: ifExists as IfVersionExists,
    ifDataUnchanged,
    wait,
    waitTimeoutMinutes: parseNumber('wait-timeout-minutes', read('wait-timeout-minutes') || '350', {
      min: 0,
      exclusiveMin: true,
      max: 10080
    }),
    pollIntervalSeconds: pollInterval(read),
    failOnTimeout: parseBoolean('fail-on-timeout', read('fail-on-timeout'), true),
    minF1Score,
    baselineVersion,
    maxF1Drop,
    minLabelF1Score,
    maxLabelF1Drop,
    commentOnPr: parseBoolean('comment-on-pr', read('comment-on-pr'), true),
    githubToken: read('github-token'),
    trainingPricePerHour: pricePerHour(read),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
    commitStatus: parseBoolean('commit-status', read('commit-status'), true),
    deployment
  }
}

function expandPrefix(template: string, ctx: RunContext, now: Date): string {
  // The prefix's own characters (`/`) are kept; only what the tokens bring is made safe.
  const expanded = expandTokens('output-prefix', template, ctx, now)
  const problem = breaks(expanded, S3_KEY_PREFIX)
  if (problem) throw inputError('output-prefix', expanded, problem, S3_KEY_PREFIX.describe)
  return expanded
}

function checkDatasets(training: ManifestRef[], testing: ManifestRef[], autoCreate: boolean): void {
  if (training.length === 0) {
    if (testing.length > 0)
      throw new InputError(
        'testing-manifests is set but training-manifests is empty; give both, or neither to train on the project’s datasets'
      )
    if (autoCreate)
      throw new InputError(
        'auto-create-testing is true but training-manifests is empty; it splits the training manifests, so give them'
      )
    return
  }
  if (testing.length > 0 && autoCreate) {
    throw new InputError(
      'testing-manifests and auto-create-testing: true are both set; give one: testing manifests, or auto-create-testing to split the training set'
    )
  }
  if (testing.length === 0 && !autoCreate) {
    throw new InputError(
      'training-manifests is set without testing-manifests; give testing-manifests or set auto-create-testing: true'
    )
  }
}
