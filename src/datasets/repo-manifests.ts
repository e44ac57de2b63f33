// Manifests kept in the repository: checked line by line before anything is uploaded or trained,
// each dataset's files together (one training and one testing dataset per version), then uploaded
// under the output prefix as one manifest per dataset, at a key that names the version. The edge
// for files and S3.
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { ActionError, inputError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import type { Sockets } from '../aws/aws-clients.js'
import type { ActionInputs } from '../inputs/inputs.js'
import { isInside, type ManifestRef } from '../inputs/manifest-refs.js'
import { readLines } from './line-reader.js'
import {
  DatasetScope,
  MAX_LINE_BYTES,
  MAX_MANIFEST_BYTES,
  datasetProblems,
  labelOverlapProblem,
  rareLabels,
  usableLabelOverlapProblem,
  validateManifest,
  type ManifestProblem,
  type ManifestReport
} from './manifest-validator.js'
import { datasetKey, keyProblem } from './upload-key.js'

/** Problems shown as annotations per manifest; the rest are counted. */
export const MAX_ANNOTATIONS = 50
/** Documented warnings logged per manifest; the rest are counted. */
const MAX_WARNINGS = 10

export type Dataset = 'training' | 'testing'

export interface CheckedManifest {
  input: string
  dataset: Dataset
  /** Path relative to the workspace, as annotations and the summary show it. */
  relative: string
  /** The file on disk (links followed). */
  file: string
  /** Size in bytes when checked. */
  size: number
  report: ManifestReport
  rare: { label: string; count: number }[]
}

export interface ManifestLog {
  /** An annotation on a line of a file (`::error file=...,line=N::`). */
  annotate(message: string, file: string, line: number): void
  warning(line: string): void
}

const DATASET_OF: Record<string, Dataset> = {
  'training-manifests': 'training',
  'testing-manifests': 'testing'
}

/** A problem as annotated and reported: its documented code first, when it has one. */
export function problemText(p: ManifestProblem): string {
  return p.code ? `${p.code}: ${p.message}` : p.message
}

/** The file must exist, be a regular file, and stay inside the workspace once links are followed. */
function resolveInside(
  input: string,
  ref: Extract<ManifestRef, { kind: 'path' }>,
  workspace: string
): string {
  let real: string
  try {
    real = realpathSync(ref.path)
  } catch {
    throw inputError(
      input,
      ref.text,
      'does not exist in the workspace',
      'must be a manifest file in the repository (is it checked out?)'
    )
  }
  const root = realpathSync(workspace)
  if (!isInside(root, real)) {
    throw inputError(
      input,
      ref.text,
      'leads outside the workspace through a link',
      `must be a file inside ${root}`
    )
  }
  if (!statSync(real).isFile())
    throw inputError(input, ref.text, 'is not a file', 'must be a manifest file')
  return real
}

export async function checkManifest(
  input: string,
  ref: Extract<ManifestRef, { kind: 'path' }>,
  workspace: string,
  dataset: DatasetScope = new DatasetScope(DATASET_OF[input] ?? 'training')
): Promise<CheckedManifest> {
  const file = resolveInside(input, ref, workspace)
  const relative = ref.relative.split(path.sep).join('/')
  // Bounded whatever the file holds: long lines are measured, not kept; reading stops at the limits.
  const lines = readLines(file, { maxLineBytes: MAX_LINE_BYTES, maxBytes: MAX_MANIFEST_BYTES })
  const report = await validateManifest(lines, {
    maxProblems: MAX_ANNOTATIONS,
    fileBytes: statSync(file).size,
    dataset,
    file: relative
  })
  return {
    input,
    dataset: dataset.name,
    relative,
    file,
    size: statSync(file).size,
    report,
    rare: rareLabels(report.stats)
  }
}

/** A problem of a whole dataset, reported on its first file (line 0: the file as a whole). */
function addDatasetProblem(
  first: CheckedManifest,
  p: { code?: ManifestProblem['code']; message: string }
): void {
  first.report.problemCount++
  first.report.problems.push({ line: 0, ...p })
}

/** The checks of each dataset as one manifest, and of the two datasets together. */
function checkDatasets(checked: CheckedManifest[], region?: string): void {
  const of = (d: Dataset) => checked.filter((m) => m.dataset === d)
  // A file read only up to a limit is refused already; its partial stats would mislead.
  const whole = (files: CheckedManifest[]) => files.every((m) => !m.report.cutShort)
  for (const d of ['training', 'testing'] as const) {
    const files = of(d)
    if (files.length === 0 || !whole(files)) continue
    const size = {
      lines: files.reduce((n, m) => n + m.report.lineCount, 0),
      bytes: files.reduce((n, m) => n + m.size + 1, 0) - 1
    }
    for (const p of datasetProblems(
      files.map((m) => m.report.stats),
      size,
      { dataset: d, region }
    ))
      addDatasetProblem(files[0], p)
  }
  const [training, testing] = [of('training'), of('testing')]
  if (training.length > 0 && testing.length > 0 && whole(training) && whole(testing)) {
    const p = labelOverlapProblem(
      training.map((m) => m.report.stats),
      testing.map((m) => m.report.stats)
    )
    if (p) addDatasetProblem(testing[0], p)
    const usable = usableLabelOverlapProblem(
      training.map((m) => m.report.stats),
      testing.map((m) => m.report.stats)
    )
    if (!p && usable) addDatasetProblem(testing[0], usable)
  }
}

/**
 * Checks every repository manifest of both inputs, each dataset's files together and the training
 * and testing datasets against each other; annotates each problem on its file and line, and fails
 * (before any upload or training) if there was any.
 */
export async function checkRepositoryManifests(
  lists: { input: string; refs: ManifestRef[] }[],
  workspace: string,
  log: ManifestLog,
  options: { region?: string } = {}
): Promise<CheckedManifest[]> {
  const checked: CheckedManifest[] = []
  const training = new DatasetScope('training')
  const testing = new DatasetScope('testing', training)
  // Training first: the testing files are checked against its images.
  const ordered = [...lists].sort(
    (a, b) => Number(DATASET_OF[a.input] === 'testing') - Number(DATASET_OF[b.input] === 'testing')
  )
  for (const { input, refs } of ordered) {
    const scope = DATASET_OF[input] === 'testing' ? testing : training
    for (const ref of refs)
      if (ref.kind === 'path') checked.push(await checkManifest(input, ref, workspace, scope))
  }
  checkDatasets(checked, options.region)
  let failing = 0
  for (const m of checked) {
    for (const p of m.report.problems) log.annotate(problemText(p), m.relative, Math.max(1, p.line))
    const unshown = m.report.problemCount - m.report.problems.length
    if (unshown > 0)
      log.warning(
        `${m.relative}: ${unshown} more problems not shown (first ${m.report.problems.length} annotated)`
      )
    if (m.report.problemCount > 0) failing++
    for (const w of m.report.warnings.slice(0, MAX_WARNINGS))
      log.warning(`${m.relative} line ${w.line}: ${problemText(w)}`)
    const quiet = m.report.warningCount - Math.min(MAX_WARNINGS, m.report.warnings.length)
    if (quiet > 0) log.warning(`${m.relative}: ${quiet} more warnings not shown`)
    for (const r of m.rare) {
      log.warning(
        `${m.relative}: label "${r.label}" has only ${r.count} ${m.report.stats.boxes > 0 ? 'boxes' : 'images'}; at least 10 train better`
      )
    }
  }
  if (failing > 0) {
    const bad = checked.filter((m) => m.report.problemCount > 0)
    const first = bad[0]
    const p = first.report.problems[0]
    const total = bad.reduce((n, m) => n + m.report.problemCount, 0)
    throw new ActionError(
      `${first.input}: ${total} problem${total === 1 ? '' : 's'} in ${bad.map((m) => m.relative).join(', ')} (annotated on each line); nothing was uploaded or trained. First: ${first.relative} line ${Math.max(1, p?.line ?? 1)}: ${p ? problemText(p) : ''}`
    )
  }
  return checked
}

/** One upload: a dataset's repository files, as one manifest at `key`. */
export interface DatasetUpload {
  dataset: Dataset
  files: CheckedManifest[]
  key: string
}

/**
 * Where each dataset's repository files go; fails (before any upload) when a key is too long for
 * S3. The keys are the ones the request names (src/training/request.ts uses datasetKey too).
 */
export function planUploads(
  checked: CheckedManifest[],
  outputPrefix: string,
  versionName: string
): DatasetUpload[] {
  const plan: DatasetUpload[] = []
  for (const dataset of ['training', 'testing'] as const) {
    const files = checked.filter((m) => m.dataset === dataset)
    if (files.length === 0) continue
    const key = datasetKey(
      outputPrefix,
      versionName,
      dataset,
      files.map((m) => m.relative)
    )
    const problem = keyProblem(key)
    if (problem) throw new ActionError(`${files[0].input}: ${problem}`)
    plan.push({ dataset, files, key })
  }
  return plan
}

/** Whether the file's last byte is a newline (files are joined on line boundaries). */
export function endsWithNewline(file: string, size: number): boolean {
  if (size === 0) return true
  const fd = openSync(file, 'r')
  try {
    const last = Buffer.alloc(1)
    readSync(fd, last, 0, 1, size - 1)
    return last[0] === 0x0a
  } finally {
    closeSync(fd)
  }
}

/**
 * The repository file and line behind a line of an uploaded (possibly combined) manifest, for the
 * explanation of a failed training. Undefined when the line is past the files.
 */
export function repositoryLine(
  upload: Pick<DatasetUpload, 'files'>,
  line: number
): { file: string; line: number } | undefined {
  let offset = 0
  for (const m of upload.files) {
    if (line <= offset + m.report.lineCount) return { file: m.relative, line: line - offset }
    offset += m.report.lineCount
  }
  return undefined
}

/** Repository manifests go to the output bucket, at the keys the request names, just before it. */
export async function uploadRepositoryManifests(
  inputs: ActionInputs,
  checked: CheckedManifest[],
  region: string,
  name: string,
  log: { info(line: string): void },
  sockets: Sockets
): Promise<void> {
  const plan = planUploads(checked, inputs.outputPrefix, name)
  if (plan.length === 0) return
  const { uploadFiles } = await import('../aws/s3-upload.js')
  for (const { files, key } of plan) {
    try {
      await uploadFiles(
        region,
        inputs.outputBucket,
        key,
        files.map((m) => ({
          path: m.file,
          size: m.size,
          newline: endsWithNewline(m.file, m.size)
        })),
        inputs.pollIntervalSeconds * 1000,
        sockets
      )
    } catch (err) {
      throw new ActionError(
        explainAwsError(err, 's3:PutObject', `s3://${inputs.outputBucket}/${key}`).message
      )
    }
    const what = files.length === 1 ? files[0].relative : files.map((m) => m.relative).join(' + ')
    log.info(`Uploaded ${what} to s3://${inputs.outputBucket}/${key}`)
  }
}
