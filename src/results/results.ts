// After training: per-label metrics from the evaluation summary, the baseline and the gates.
// Takes the clients and a reader as arguments; warns instead of failing where the training's own
// result is unaffected.
import type { ProjectVersionDescription, RekognitionClient } from '@aws-sdk/client-rekognition'
import { findBaseline, type BaselineInfo, type BaselineScope } from './baseline.js'
import {
  compareLabels,
  parseEvaluationSummary,
  type LabelComparison,
  type LabelMetrics
} from './evaluation.js'
import { errorName } from '../aws/explain.js'
import { evaluateGates, type GateVerdict } from './gates.js'
import type { ActionInputs } from '../inputs/inputs.js'
import { evaluationSummaryUri } from '../training/outcome.js'
import { splitS3Uri } from '../aws/s3-text.js'
import { versionNameOf } from '../training/versions.js'

export interface Results {
  labels?: LabelComparison[]
  labelsNote?: string
  baseline?: BaselineInfo
  baselineNote?: string
  gates: GateVerdict[]
}

export interface ResultDeps {
  client: RekognitionClient
  readText(uri: string): Promise<string>
  warning(line: string): void
  notice(line: string): void
}

async function readLabels(deps: ResultDeps, d: ProjectVersionDescription, whose: string) {
  const uri = evaluationSummaryUri(d)
  if (!uri) return { note: `No evaluation summary for ${whose}.` }
  try {
    return { labels: parseEvaluationSummary(await deps.readText(uri)).labels }
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
  inputs: Pick<ActionInputs, 'projectArn' | 'baselineVersion' | 'minF1Score' | 'maxF1Drop'>,
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
      if (current.labels)
        baselineLabels = (await readLabels(deps, b, `baseline ${baselineInfo.name}`)).labels
    }
  }
  const gates = evaluateGates({
    f1,
    minF1Score: inputs.minF1Score,
    maxF1Drop: inputs.maxF1Drop,
    baselineF1: baselineInfo?.f1,
    baselineMissing: baselineNote,
    firstVersion
  })
  return {
    labels: current.labels ? compareLabels(current.labels, baselineLabels) : undefined,
    labelsNote: current.note,
    baseline: baselineInfo,
    baselineNote,
    gates
  }
}
