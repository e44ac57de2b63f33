// A version's training lifecycle. Transitions are computed lazily when the version is read
// (from the clock or the number of DescribeProjectVersions answers), so no timers run.
// Ending writes the files the description points at into the emulator's S3.
import type { Store, VersionRecord } from './store.js'
import type { LabelResult, TrainingPlan } from './types.js'

export const DEFAULT_LABELS: LabelResult[] = [
  {
    label: 'scratch',
    testImages: 24,
    precision: 0.931,
    recall: 0.893,
    f1: 0.912,
    threshold: 0.512
  },
  { label: 'dent', testImages: 18, precision: 0.9, recall: 0.925, f1: 0.912, threshold: 0.471 }
]

export const DEFAULT_PLAN: TrainingPlan = {
  checksUntilEnd: 2,
  finalStatus: 'TRAINING_COMPLETED',
  f1Score: 0.912,
  billableSeconds: 2712,
  labels: DEFAULT_LABELS,
  summaryShape: 'metrics'
}

export const IN_PROGRESS_MESSAGE = 'The model is being trained.'
const SUCCESS_MESSAGE = 'The model is ready to run.'
const FAILURE_MESSAGE = 'The manifest file contains too many invalid data objects.'

export function projectName(projectArn: string): string {
  return projectArn.split('/')[1] ?? ''
}

/** Where a version's output files live (the keys the description returns). */
export function outputFiles(v: VersionRecord) {
  const bucket: string = v.request.OutputConfig?.S3Bucket ?? ''
  const prefix: string = v.request.OutputConfig?.S3KeyPrefix ?? ''
  const id = `${projectName(v.projectArn)}-${v.name}`
  return {
    bucket,
    summary: `${prefix}EvaluationResultSummary-${id}.json`,
    manifestSummary: `${prefix}ManifestSummary-${id}.json`,
    trainingValidation: `${prefix}TrainingManifestWithValidation-${id}.json`,
    testingValidation: `${prefix}TestingManifestWithValidation-${id}.json`,
    trainingOutput: `${prefix}datasets/${id}/train/manifest.json`,
    testingOutput: `${prefix}datasets/${id}/test/manifest.json`
  }
}

export function hasEnded(v: VersionRecord): boolean {
  return v.status === 'TRAINING_COMPLETED' || v.status === 'TRAINING_FAILED'
}

/** Ends the version if its plan says so; `counting`: this read is a DescribeProjectVersions answer. */
export function settle(store: Store, v: VersionRecord, now: number, counting: boolean): void {
  if (v.status === 'TRAINING_IN_PROGRESS') {
    const { durationMs, checksUntilEnd = 2 } = v.plan
    if (durationMs !== undefined) {
      if (now - v.createdAt.getTime() >= durationMs) {
        finish(store, v, new Date(v.createdAt.getTime() + durationMs))
      }
    } else if (counting && v.describeCount >= checksUntilEnd) {
      finish(store, v, new Date(now))
    }
  }
  if (counting) v.describeCount++
}

function finish(store: Store, v: VersionRecord, endedAt: Date): void {
  const plan = v.plan
  const ok = plan.finalStatus === 'TRAINING_COMPLETED'
  v.status = plan.finalStatus
  v.statusMessage = plan.statusMessage ?? (ok ? SUCCESS_MESSAGE : FAILURE_MESSAGE)
  v.endedAt = endedAt
  v.billableSeconds = plan.billableSeconds
  if (ok) v.f1Score = plan.f1Score
  writeOutputs(store, v)
}

function manifestLines(store: Store, data: unknown): string[] {
  const assets =
    (
      data as {
        Assets?: { GroundTruthManifest?: { S3Object?: { Bucket?: string; Name?: string } } }[]
      }
    )?.Assets ?? []
  return assets.flatMap((a) => {
    const o = a.GroundTruthManifest?.S3Object
    const body = o?.Bucket && o.Name ? store.getObject(o.Bucket, o.Name)?.body : undefined
    return body
      ? body
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
      : []
  })
}

/** Writes the evaluation summary, manifest summary and processed manifests of an ended version. */
export function writeOutputs(store: Store, v: VersionRecord): void {
  const files = outputFiles(v)
  const labels = v.plan.labels
  const sum = (f: (l: LabelResult) => number) => labels.reduce((s, l) => s + f(l), 0)
  const testing = manifestLines(store, v.request.TestingData)
  const training = manifestLines(store, v.request.TrainingData)
  const testCount = testing.length || sum((l) => l.testImages)
  const trainCount = training.length || testCount * 4
  const put = (key: string, text: string, type = 'application/json') =>
    store.putObject(files.bucket, key, Buffer.from(text), type)
  const lines = (rows: string[], fallback: string) =>
    (rows.length ? rows : [fallback]).join('\n') + '\n'
  const image = (kind: string) =>
    JSON.stringify({ 'source-ref': `s3://${files.bucket}/images/${kind}/0001.jpg` })

  put(files.trainingOutput, lines(training, image('train')), 'application/jsonl')
  put(files.testingOutput, lines(testing, image('test')), 'application/jsonl')
  put(files.trainingValidation, lines(training, image('train')), 'application/jsonl')
  put(files.testingValidation, lines(testing, image('test')), 'application/jsonl')
  const failed = v.status === 'TRAINING_FAILED'
  put(
    files.manifestSummary,
    JSON.stringify({
      version: 1,
      statistics: {
        total_json_lines: trainCount + testCount,
        valid_json_lines: failed ? 0 : trainCount + testCount,
        invalid_json_lines: failed ? trainCount + testCount : 0
      },
      errors: failed
        ? [{ code: 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST', message: v.statusMessage }]
        : []
    })
  )
  if (failed || v.f1Score === undefined) return

  const avg = (f: (l: LabelResult) => number) => (labels.length ? sum(f) / labels.length : 0)
  const precision = avg((l) => l.precision)
  const recall = avg((l) => l.recall)
  const aggregated =
    v.plan.summaryShape === 'flat'
      ? { Precision: precision, Recall: recall, F1Score: v.f1Score, ConfusionMatrix: [] }
      : { Metrics: { Precision: precision, Recall: recall, F1Score: v.f1Score } }
  const summary = {
    Version: 1,
    EvaluationDetails: {
      ProjectVersionArn: v.arn,
      EvaluationEndTimestamp: (v.endedAt ?? new Date()).toISOString(),
      Labels: labels.map((l) => l.label),
      NumberOfTrainingImages: trainCount,
      NumberOfTestingImages: testCount
    },
    AggregatedEvaluationResults: aggregated,
    LabelEvaluationResults: labels.map((l) => ({
      Label: l.label,
      NumberOfTestingImages: l.testImages,
      Metrics: { Threshold: l.threshold, Precision: l.precision, Recall: l.recall, F1Score: l.f1 }
    }))
  }
  put(files.summary, JSON.stringify(summary, null, 2))
}
