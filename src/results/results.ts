// After training: per-label metrics from the evaluation summary, the baseline and the gates.
// Takes the clients and a reader as arguments; warns instead of failing where the training's own
// result is unaffected.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { findBaseline, type BaselineInfo, type BaselineScope } from './baseline.js'
import {
  compareLabels,
  evaluationSummaryOf,
  type LabelComparison,
  type LabelMetrics
} from './evaluation.js'
import { errorName } from '../aws/explain.js'
import { evaluateGates, type GateVerdict } from './gates.js'
import { parseConfusionMatrix, type ConfusionMatrix } from './confusion.js'
import { evaluateLabelGates } from './label-gates.js'
import { changedImages, type ChangedImages, type ChangedImagesDeps } from './changed-images.js'
import type { ActionInputs } from '../inputs/inputs.js'
import { evaluationSummaryUri } from '../training/outcome.js'
import { splitS3Uri } from '../aws/s3-uri.js'
import { versionNameOf } from '../training/versions.js'

export interface Results {
  labels?: LabelComparison[]
  labelsNote?: string
  baseline?: BaselineInfo
  baselineNote?: string
  gates: GateVerdict[]
  /** Classification: this version's confusion matrix, and the baseline's when it has one. */
  confusion?: ConfusionMatrix
  baselineConfusion?: ConfusionMatrix
  /** Test images that flipped against the baseline. */
  changedImages?: ChangedImages
  /** Why a part of the evaluation (matrix, snapshot) is missing; each also logged as a notice. */
  evaluationNotes?: string[]
}

export interface ResultDeps {
  client: RekognitionClient
  readText(uri: string): Promise<string>
  warning(line: string): void
  notice(line: string): void
  /** Reads the evaluation manifest snapshots; without it, no changed images. */
  snapshots?: ChangedImagesDeps
}

interface LabelsRead {
  labels?: LabelMetrics[]
  note?: string
  confusion?: ConfusionMatrix
  confusionNote?: string
}

async function readLabels(
  deps: ResultDeps,
  d: ProjectVersionDescription,
  whose: string
): Promise<LabelsRead> {
  const uri = evaluationSummaryUri(d)
  if (!uri) return { note: `No evaluation summary for ${whose}.` }
  try {
    const json: unknown = JSON.parse(await deps.readText(uri))
    const labels = evaluationSummaryOf(json).labels
    // The matrix is optional (classification only): a bad one costs a note, not the labels.
    try {
      return { labels, confusion: parseConfusionMatrix(json) }
    } catch (err) {
      return {
        labels,
        confusionNote: `The confusion matrix of ${whose} is unusable (${(err as Error).message}). ${uri}`
      }
    }
  } catch (err) {
    const bucket = splitS3Uri(uri)?.bucket ?? '?'
    const why = errorName(err)
    const hint = /AccessDenied|Forbidden/i.test(`${why} ${(err as Error).message}`)
      ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
      : 'it could not be read'
    const note = `Per-label metrics of ${whose} unavailable (${why}): ${hint}. ${uri}`
    deps.warning(note)
    return { note }
  }
}

export async function gatherResults(
  deps: ResultDeps,
  inputs: Pick<
    ActionInputs,
    | 'projectArn'
    | 'baselineVersion'
    | 'minF1Score'
    | 'maxF1Drop'
    | 'minLabelF1Score'
    | 'maxLabelF1Drop'
  >,
  versionName: string,
  d: ProjectVersionDescription,
  scope: BaselineScope
): Promise<Results> {
  const f1 = d.EvaluationResult?.F1Score
  const current = await readLabels(deps, d, 'this version')
  let baselineInfo: BaselineInfo | undefined
  let baselineLabels: LabelMetrics[] | undefined
  let baselineNote: string | undefined
  let firstVersion = false
  let baselineConfusion: ConfusionMatrix | undefined
  let changed: ChangedImages | undefined
  const notes: string[] = []
  if (current.confusionNote) notes.push(current.confusionNote)
  if (inputs.baselineVersion) {
    const found = await findBaseline(
      deps.client,
      inputs.projectArn,
      inputs.baselineVersion,
      { name: versionName, createdAt: d.CreationTimestamp },
      scope
    )
    if (found.notice) deps.notice(found.notice)
    if (found.warning) deps.warning(found.warning)
    baselineNote = found.missing
    firstVersion = found.firstVersion ?? false
    if (found.baseline) {
      const b = found.baseline
      baselineInfo = {
        name: versionNameOf(b.ProjectVersionArn) ?? '?',
        arn: b.ProjectVersionArn ?? '',
        f1: b.EvaluationResult!.F1Score!,
        reason: found.reason
      }
      if (current.labels) {
        const read = await readLabels(deps, b, `baseline ${baselineInfo.name}`)
        baselineLabels = read.labels
        baselineConfusion = read.confusion
        if (read.confusionNote) notes.push(read.confusionNote)
      }
      if (deps.snapshots) {
        const flips = await changedImages(deps.snapshots, d, b, baselineInfo.name)
        changed = flips.changed
        if (flips.note) notes.push(flips.note)
      }
    }
  }
  for (const note of notes) deps.notice(note)
  const gates = evaluateGates({
    f1,
    minF1Score: inputs.minF1Score,
    maxF1Drop: inputs.maxF1Drop,
    baselineF1: baselineInfo?.f1,
    baselineMissing: baselineNote,
    firstVersion
  })
  const labels = current.labels ? compareLabels(current.labels, baselineLabels) : undefined
  gates.push(
    ...evaluateLabelGates({
      labels,
      labelsNote: current.note,
      minLabelF1Score: inputs.minLabelF1Score,
      maxLabelF1Drop: inputs.maxLabelF1Drop,
      baselineFound: baselineInfo !== undefined,
      baselineMissing: baselineNote,
      firstVersion,
      baselineLabelsRead: baselineLabels !== undefined
    })
  )
  return {
    labels,
    labelsNote: current.note,
    baseline: baselineInfo,
    baselineNote,
    gates,
    confusion: current.confusion,
    baselineConfusion,
    changedImages: changed,
    ...(notes.length > 0 && { evaluationNotes: notes })
  }
}
