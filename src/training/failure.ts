// A failed training explained: reads what the service wrote about the data (the manifest summary
// and the validation manifests, tm-debugging-getting-validation-data.html: `ManifestSummary`,
// `TrainingDataResult.Validation`, `TestingDataResult.Validation`) and puts the error codes with
// their counts and the first lines in error into the log, mapped back to the repository file and
// line when the dataset came from the repository. Unreadable files cost a warning, nothing more.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { errorName } from '../aws/explain.js'
import { joinS3Uri, splitS3Uri } from '../aws/s3-uri.js'
import { repositoryLine, type CheckedManifest, type Dataset } from '../datasets/repo-manifests.js'
import {
  ErrorTally,
  countsText,
  parseManifestSummary,
  type CodedError,
  type DatasetStatistics
} from '../datasets/validation-results.js'

/** Lines in error kept (and annotated) per dataset. */
export const FIRST_LINES = 20

export interface FailedLine extends CodedError {
  /** `data/train.manifest:12`, or `s3://.../training_manifest_with_validation.json line 12`. */
  where: string
}

export interface DatasetFailure {
  dataset: Dataset
  statistics?: DatasetStatistics
  counts: [string, number][]
  linesInError: number
  first: FailedLine[]
}

/** A manifest content error of the summary, with the dataset it belongs to (none: both). */
export interface SummaryError extends CodedError {
  dataset?: Dataset
  /** The dataset's `use_case` (IMAGE_LEVEL_LABELS, OBJECT_LOCALIZATION, NOT_DETERMINED). */
  useCase?: string
  /** What the guide says to do, where the code needs more than its message. */
  hint?: string
}

/**
 * tm-debugging-aggregate-errors.html, ERROR_MANIFEST_TOO_FEW_USABLE_LABELS: "Check the use_case
 * field in the manifest summary. Add more labels to the training dataset for the use case (image
 * level or object localization) that matches the value of use_case"; for
 * ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP the service "doesn't use valid JSON records for JSON
 * Lines that are not in the chosen model format".
 */
function usableHint(code: string, useCase: string | undefined): string | undefined {
  if (!/_USABLE_/.test(code)) return undefined
  const chosen = useCase
    ? `the service chose use_case ${useCase}`
    : 'the manifest summary gives no use_case'
  const kind =
    useCase === 'OBJECT_LOCALIZATION'
      ? 'object-detection (bounding box) lines'
      : useCase === 'IMAGE_LEVEL_LABELS'
        ? 'image-level (classification) lines'
        : 'lines of one format'
  return code === 'ERROR_MANIFEST_TOO_FEW_USABLE_LABELS'
    ? `${chosen}: only ${kind} count; add labels to the training dataset in that format.`
    : `${chosen}: lines of the other format are not used; give the testing dataset ${kind} with the training labels.`
}

/** The summary's errors, each with its dataset and, for the *_USABLE_* codes, its use_case. */
export function summaryErrors(summary: ReturnType<typeof parseManifestSummary>): SummaryError[] {
  const out: SummaryError[] = summary.errors.map((e) => ({ ...e }))
  for (const dataset of ['training', 'testing'] as const) {
    const stats = summary[dataset]
    for (const e of stats?.errors ?? []) {
      const hint = usableHint(e.code, stats?.useCase)
      out.push({
        ...e,
        dataset,
        ...(stats?.useCase !== undefined && { useCase: stats.useCase }),
        ...(hint !== undefined && { hint })
      })
    }
  }
  return out
}

/** One summary error as a line: code, dataset, message, and what to do. */
export function summaryErrorText(e: SummaryError): string {
  const where = e.dataset ? ` (${e.dataset} data)` : ''
  return `${e.code}${where}: ${e.message}${e.hint ? ` ${e.hint}` : ''}`
}

export interface FailureExplanation {
  /** Errors spanning both datasets, and each dataset's own (manifest content errors). */
  errors: SummaryError[]
  datasets: DatasetFailure[]
  /** Files that could not be read, each said once as a warning. */
  unreadable: string[]
}

export interface FailureDeps {
  readText(uri: string): Promise<string>
  readLines(uri: string, onLine: (text: string, line: number) => void): Promise<void>
  annotate(message: string, file: string, line: number): void
  info(line: string): void
  warning(line: string): void
}

function unreadableNote(uri: string, err: unknown): string {
  const name = errorName(err)
  const bucket = splitS3Uri(uri)?.bucket ?? '?'
  const hint = /AccessDenied|Forbidden/i.test(`${name} ${(err as Error)?.message ?? ''}`)
    ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
    : 'it could not be read'
  return `Could not read ${uri} (${name}): ${hint}.`
}

export async function explainFailure(
  d: ProjectVersionDescription,
  manifests: CheckedManifest[],
  deps: FailureDeps
): Promise<FailureExplanation | undefined> {
  const summaryUri = joinS3Uri(d.ManifestSummary?.S3Object)
  const validation: [Dataset, string | undefined][] = [
    [
      'training',
      joinS3Uri(d.TrainingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)
    ],
    [
      'testing',
      joinS3Uri(d.TestingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)
    ]
  ]
  // tm-terminal-errors-reference.html: terminal manifest file errors write no validation results;
  // then the StatusMessage is all there is.
  if (!summaryUri && validation.every(([, uri]) => !uri)) return undefined
  const out: FailureExplanation = { errors: [], datasets: [], unreadable: [] }
  let summary: ReturnType<typeof parseManifestSummary> | undefined
  if (summaryUri) {
    try {
      summary = parseManifestSummary(await deps.readText(summaryUri))
      out.errors.push(...summaryErrors(summary))
    } catch (err) {
      out.unreadable.push(
        err instanceof SyntaxError ? `${summaryUri} is not JSON.` : unreadableNote(summaryUri, err)
      )
    }
  }
  for (const [dataset, uri] of validation) {
    if (!uri) continue
    const tally = new ErrorTally(FIRST_LINES)
    let read = 0
    try {
      await deps.readLines(uri, (text, line) => {
        read = line
        tally.add(text, line)
      })
    } catch (err) {
      // What was read before the failure (a time bound, a dropped connection) is still told.
      out.unreadable.push(
        read > 0
          ? `${unreadableNote(uri, err)} Counted from its first ${read} lines.`
          : unreadableNote(uri, err)
      )
      if (read === 0) continue
    }
    const files = manifests.filter((m) => m.dataset === dataset)
    const first = tally.first.map((e) => {
      const repo = files.length > 0 ? repositoryLine({ files }, e.line) : undefined
      if (repo)
        deps.annotate(
          `${e.code}: ${e.message} (the failed training's ${dataset} data)`,
          repo.file,
          repo.line
        )
      return { ...e, where: repo ? `${repo.file}:${repo.line}` : `${uri} line ${e.line}` }
    })
    out.datasets.push({
      dataset,
      statistics: summary?.[dataset],
      counts: [...tally.counts.entries()].sort((a, b) => b[1] - a[1]),
      linesInError: tally.lines,
      first
    })
    if (tally.lines > 0) {
      deps.info(`${dataset} data: ${tally.lines} lines in error: ${countsText(tally.counts)}`)
      for (const f of first) deps.info(`  ${f.where}: ${f.code}: ${f.message}`)
    }
  }
  for (const e of out.errors) deps.info(`Manifest error: ${summaryErrorText(e)}`)
  for (const note of out.unreadable) deps.warning(note)
  return out
}
