// What to tell the user when training ends badly, times out or is cancelled. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { joinS3Uri } from '../aws/s3-uri.js'

export const DEBUGGING_GUIDE =
  'https://docs.aws.amazon.com/rekognition/latest/customlabels-dg/tm-debugging.html'

export function evaluationSummaryUri(d: ProjectVersionDescription | undefined): string | undefined {
  return joinS3Uri(d?.EvaluationResult?.Summary?.S3Object)
}

/** The validation results the service wrote for a failed training, where it says it put them. */
export function validationResultUris(d: ProjectVersionDescription): string[] {
  const assets = [
    ...(d.TrainingDataResult?.Validation?.Assets ?? []),
    ...(d.TestingDataResult?.Validation?.Assets ?? [])
  ]
  const uris = assets.map((a) => joinS3Uri(a.GroundTruthManifest?.S3Object))
  uris.push(joinS3Uri(d.ManifestSummary?.S3Object))
  return uris.filter((u): u is string => u !== undefined)
}

export function failureMessage(d: ProjectVersionDescription): string {
  const said = d.StatusMessage ? `: ${d.StatusMessage}` : ''
  const uris = validationResultUris(d)
  const where = uris.length > 0 ? ` Manifest validation results: ${uris.join(', ')}.` : ''
  return `Training ${d.Status}${said}.${where} Debugging guide: ${DEBUGGING_GUIDE} (version ${d.ProjectVersionArn})`
}

export function timeoutMessage(arn: string, minutes: number, status: string | undefined): string {
  return `Training was still ${status ?? 'in progress'} after wait-timeout-minutes (${minutes}); it goes on in AWS: ${arn}. To pick it up, re-run the job: with if-version-exists: reuse (the default) the step attaches to this version and waits again.`
}

export function cancelMessage(arn: string | undefined): string {
  if (!arn) {
    return 'Cancelled before the version was confirmed. If a training started it goes on in AWS; re-run the job and, with if-version-exists: reuse (the default), the step attaches to it instead of starting another.'
  }
  return `Cancelled. Training on AWS cannot be stopped and goes on: ${arn}. Re-run the job to pick it up: with if-version-exists: reuse (the default) the step attaches to this version and waits again.`
}
