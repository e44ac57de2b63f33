// A failed training explained: reads what the service wrote about the data (the manifest summary
// and the validation manifests, tm-debugging-getting-validation-data.html: `ManifestSummary`,
// `TrainingDataResult.Validation`, `TestingDataResult.Validation`) and puts the error codes with
// their counts and the first lines in error into the log, mapped back to the repository file and
// line when the dataset came from the repository. Unreadable files cost a warning, nothing more.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { errorName } from '../aws/explain.js'
import { splitS3Uri } from '../aws/s3-uri.js'
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

export interface FailureExplanation {
  /** Errors spanning both datasets, and each dataset's own (manifest content errors). */
  errors: CodedError[]
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

type S3Object = { Bucket?: string; Name?: string }
const uriOf = (o: S3Object | undefined): string | undefined =>
  o?.Bucket && o.Name ? `s3://${o.Bucket}/${o.Name}` : undefined

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
  const summaryUri = uriOf(d.ManifestSummary?.S3Object)
  const validation: [Dataset, string | undefined][] = [
    [
      'training',
      uriOf(d.TrainingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)
    ],
    ['testing', uriOf(d.TestingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)]
  ]
  // tm-terminal-errors-reference.html: terminal manifest file errors write no validation results;
  // then the StatusMessage is all there is.
  if (!summaryUri && validation.every(([, uri]) => !uri)) return undefined
  const out: FailureExplanation = { errors: [], datasets: [], unreadable: [] }
  let summary: ReturnType<typeof parseManifestSummary> | undefined
  if (summaryUri) {
    try {
      summary = parseManifestSummary(await deps.readText(summaryUri))
      out.errors.push(...summary.errors)
      for (const dataset of ['training', 'testing'] as const) {
        for (const e of summary[dataset]?.errors ?? []) out.errors.push(e)
      }
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
  for (const e of out.errors) deps.info(`Manifest error: ${e.code}: ${e.message}`)
  for (const note of out.unreadable) deps.warning(note)
  return out
}
