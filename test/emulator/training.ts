// A version's training lifecycle. Transitions are computed lazily when the version is read
// (from the clock or the number of DescribeProjectVersions answers), so no timers run.
// Ending writes the files the description points at into the emulator's S3.
import {
  FILE_ERRORS,
  checkDataset,
  overlapError,
  usableOverlapError,
  type CodedError,
  type DatasetCheck
} from './manifest-rules.js'
import type { Store, VersionRecord } from './store.js'
import type { LabelResult, SnapshotImage, TrainingPlan } from './types.js'

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
// tm-debugging-aggregate-errors.html, ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST's message.
const FAILURE_MESSAGE = 'The manifest file contains too many invalid rows.'

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
    // tm-debugging-getting-validation-data.html names the three validation results files.
    manifestSummary: `${prefix}${id}/manifest_summary.json`,
    trainingValidation: `${prefix}${id}/training_manifest_with_validation.json`,
    testingValidation: `${prefix}${id}/testing_manifest_with_validation.json`,
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

/** The manifests' verdict: a terminal file error, or each dataset's check and the shared errors. */
interface DataVerdict {
  fileError?: string
  training?: DatasetCheck
  testing?: DatasetCheck
  errors: CodedError[]
}

type Assets = {
  Assets?: { GroundTruthManifest?: { S3Object?: { Bucket?: string; Name?: string } } }[]
}

/** The manifests a version trains on, read as the service reads them; undefined without any. */
export function judgeData(store: Store, v: VersionRecord): DataVerdict | undefined {
  const read = (data: unknown): { text: string; key: string } | undefined => {
    const o = (data as Assets | undefined)?.Assets?.[0]?.GroundTruthManifest?.S3Object
    const body = o?.Bucket && o.Name ? store.getObject(o.Bucket, o.Name)?.body : undefined
    return body && o?.Name ? { text: body.toString('utf8'), key: o.Name } : undefined
  }
  const assets = (data: unknown) => ((data as Assets | undefined)?.Assets ?? []).length > 0
  if (!assets(v.request.TrainingData)) return undefined
  const training = read(v.request.TrainingData)
  const testing = read(v.request.TestingData)
  // tm-terminal-errors-reference.html, "The manifest file extension or contents are invalid.":
  // "The Amazon S3 bucket or key for the manifest file couldn't be found".
  if (!training || (assets(v.request.TestingData) && !testing))
    return { fileError: FILE_ERRORS.extension, errors: [] }
  for (const m of [training, testing]) {
    if (!m) continue
    // tm-terminal-errors-reference.html: no file extension, an empty file, over 1 GB.
    if (!/\.[^/.]+$/.test(m.key)) return { fileError: FILE_ERRORS.extension, errors: [] }
    if (m.text.trim() === '') return { fileError: FILE_ERRORS.empty, errors: [] }
    if (m.text.length > 1_000_000_000) return { fileError: FILE_ERRORS.size, errors: [] }
  }
  const verdict: DataVerdict = { errors: [], training: checkDataset(store, training.text) }
  if (testing) {
    verdict.testing = checkDataset(store, testing.text)
    const overlap =
      overlapError(verdict.training!, verdict.testing) ??
      usableOverlapError(verdict.training!, verdict.testing)
    if (overlap) verdict.errors.push(overlap)
  }
  return verdict
}

const contentErrors = (d: DataVerdict): CodedError[] => [
  ...d.errors,
  ...(d.training?.errors ?? []),
  ...(d.testing?.errors ?? [])
]

function finish(store: Store, v: VersionRecord, endedAt: Date): void {
  const plan = v.plan
  // tm-terminal-errors-reference.html, "Unable to write to output S3 bucket.": "The service is
  // unable to generate the training output files." No output file, no validation results.
  const bucket: string = v.request.OutputConfig?.S3Bucket ?? ''
  if (!store.buckets.has(bucket)) {
    v.status = 'TRAINING_FAILED'
    v.statusMessage = FILE_ERRORS.output
    v.endedAt = endedAt
    v.billableSeconds = undefined
    v.validationFiles = false
    return
  }
  const data = judgeData(store, v)
  const errors = data ? contentErrors(data) : []
  const ok = plan.finalStatus === 'TRAINING_COMPLETED' && !data?.fileError && errors.length === 0
  v.status = ok ? 'TRAINING_COMPLETED' : 'TRAINING_FAILED'
  // tm-debugging.html: "the Status value is TRAINING_FAILED and StatusMessage field contains the error".
  v.statusMessage =
    data?.fileError ??
    errors[0]?.message ??
    plan.statusMessage ??
    (ok ? SUCCESS_MESSAGE : FAILURE_MESSAGE)
  v.endedAt = endedAt
  // BillableTrainingTimeInSeconds "is returned only if the model version has been successfully
  // trained" (DescribeProjectVersions, ProjectVersionDescription in botocore's service-2.json).
  v.billableSeconds = ok ? plan.billableSeconds : undefined
  if (ok) v.f1Score = plan.f1Score
  // tm-debugging-getting-validation-data.html: no validation results after a manifest file error.
  v.validationFiles = !data?.fileError
  writeOutputs(store, v, data)
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

/** Writes the evaluation summary, the validation results and processed manifests of an ended version. */
export function writeOutputs(store: Store, v: VersionRecord, data?: DataVerdict): void {
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
  const failed = v.status === 'TRAINING_FAILED'

  put(files.trainingOutput, lines(training, image('train')), 'application/jsonl')
  const snapshot = v.plan.snapshot
  // The testing output is the evaluation manifest snapshot of a trained version (below).
  if (failed) put(files.testingOutput, lines(testing, image('test')), 'application/jsonl')
  else if (Buffer.isBuffer(snapshot) || (typeof snapshot === 'string' && snapshot !== 'missing'))
    store.putObject(files.bucket, files.testingOutput, Buffer.from(snapshot), 'application/jsonl')
  else if (snapshot !== 'missing')
    put(
      files.testingOutput,
      lines(evaluationSnapshot(testing, v.plan), image('test')),
      'application/jsonl'
    )
  const writeValidation = (): void => {
    // tm-debugging-scope-json-line.html: copies of the datasets with the errors added.
    const copies = (check: DatasetCheck | undefined, rows: string[], fallback: string) =>
      check
        ? lines(
            check.lines.map((l) =>
              Object.keys(l.copy).length === 0 ? '' : JSON.stringify(l.copy)
            ),
            fallback
          )
        : lines(rows, fallback)
    put(
      files.trainingValidation,
      copies(data?.training, training, image('train')),
      'application/jsonl'
    )
    put(files.testingValidation, copies(data?.testing, testing, image('test')), 'application/jsonl')
    // tm-debugging-summary.html, "Manifest summary file format".
    const planned = (count: number) => ({
      use_case: 'IMAGE_LEVEL_LABELS',
      total_json_lines: count,
      valid_json_lines: failed ? 0 : count,
      invalid_json_lines: failed ? count : 0,
      ignored_json_lines: 0,
      error_json_line_indices: [],
      errors: failed
        ? [{ code: 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST', message: FAILURE_MESSAGE }]
        : []
    })
    put(
      files.manifestSummary,
      JSON.stringify({
        errors: data?.errors ?? [],
        statistics: {
          training: data?.training?.statistics ?? planned(trainCount),
          testing: data?.testing?.statistics ?? { ...planned(testCount), errors: [] }
        }
      })
    )
  }
  if (v.validationFiles !== false) writeValidation()
  if (failed || v.f1Score === undefined) return

  const avg = (f: (l: LabelResult) => number) => (labels.length ? sum(f) / labels.length : 0)
  const precision = avg((l) => l.precision)
  const recall = avg((l) => l.recall)
  // im-summary-file.md puts ConfusionMatrix in Metrics; im-summary-file-api.md's example beside it.
  const matrix = v.plan.confusion
  const aggregated =
    v.plan.summaryShape === 'flat'
      ? { Precision: precision, Recall: recall, F1Score: v.f1Score, ConfusionMatrix: matrix ?? [] }
      : {
          Metrics: {
            Precision: precision,
            Recall: recall,
            F1Score: v.f1Score,
            ...(matrix && { ConfusionMatrix: matrix })
          }
        }
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

/** The evaluation details of one answer (im-evaluation-manifest-snapshot-api.md). */
function details(kind: 'tp' | 'tn' | 'fp' | 'fn', present: boolean) {
  return {
    version: 1,
    'ground-truth-labelling-jobs': ['rekognition-custom-labels-training-job'],
    'is-true-positive': kind === 'tp',
    'is-true-negative': kind === 'tn',
    'is-false-positive': kind === 'fp',
    'is-false-negative': kind === 'fn',
    'is-present-in-ground-truth': present
  }
}

const CREATED = '2019-09-06T00:07:25.488243'

/**
 * One classification line of the evaluation manifest snapshot, in the shape of the guide's example
 * (im-evaluation-manifest-snapshot-api.md): the ground truth as `rekognition-custom-labels-training-0`
 * and the model's answers as `rekognition-custom-labels-evaluation-<n>`. A wrong answer is a false
 * positive for the label said and a false negative for the ground truth; no answer is a false
 * negative alone.
 */
export function snapshotLine(ref: string, truth: string, answer: string | null): string {
  const line: Record<string, unknown> = {
    'source-ref': ref,
    'rekognition-custom-labels-training-0': 1,
    'rekognition-custom-labels-training-0-metadata': {
      confidence: 1.0,
      'job-name': 'rekognition-custom-labels-training-job',
      'class-name': truth,
      'human-annotated': 'yes',
      'creation-date': CREATED,
      type: 'groundtruth/image-classification'
    }
  }
  const evaluations: [string, number, ReturnType<typeof details>][] =
    answer === truth
      ? [[truth, 0.95, details('tp', true)]]
      : answer === null
        ? [[truth, 0.12, details('fn', true)]]
        : [
            [answer, 0.88, details('fp', false)],
            [truth, 0.09, details('fn', true)]
          ]
  evaluations.forEach(([label, confidence, d], i) => {
    line[`rekognition-custom-labels-evaluation-${i}`] = 1
    line[`rekognition-custom-labels-evaluation-${i}-metadata`] = {
      confidence,
      'job-name': 'rekognition-custom-labels-evaluation-job',
      'class-name': label,
      'human-annotated': 'no',
      'creation-date': CREATED,
      type: 'groundtruth/image-classification',
      'rekognition-custom-labels-evaluation-details': d
    }
  })
  return JSON.stringify(line)
}

/** The test images of a manifest's classification lines (detection lines are left out). */
function manifestImages(rows: string[]): SnapshotImage[] {
  const out: SnapshotImage[] = []
  for (const row of rows) {
    try {
      const o = JSON.parse(row) as Record<string, unknown>
      const ref = o['source-ref']
      const meta = Object.entries(o).find(
        ([k, m]) =>
          k.endsWith('-metadata') &&
          typeof (m as { 'class-name'?: unknown })?.['class-name'] === 'string'
      )?.[1] as { 'class-name': string } | undefined
      if (typeof ref === 'string' && meta) out.push({ ref, truth: meta['class-name'] })
    } catch {
      // Not JSON: the service leaves such lines out of the snapshot.
    }
  }
  return out
}

/** Without a testing manifest (a project's own datasets, a seeded version): each label's test
 * images, named after the label, so two versions of the same labels share their test set. */
function labelImages(labels: LabelResult[]): SnapshotImage[] {
  return labels.flatMap((l) =>
    Array.from({ length: l.testImages }, (_, i) => ({
      ref: `s3://emulator-test-images/${encodeURIComponent(l.label)}/${String(i + 1).padStart(4, '0')}.jpg`,
      truth: l.label
    }))
  )
}

/** The evaluation manifest snapshot of a trained version: one line per usable test image. */
export function evaluationSnapshot(testing: string[], plan: TrainingPlan): string[] {
  const images =
    plan.snapshotImages ?? (testing.length > 0 ? manifestImages(testing) : labelImages(plan.labels))
  return images.map((i) =>
    snapshotLine(
      i.ref,
      i.truth,
      plan.answers && i.ref in plan.answers ? plan.answers[i.ref] : i.truth
    )
  )
}
