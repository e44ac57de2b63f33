// The CreateProjectVersion request, built from the checked inputs. Pure.
import type { CreateProjectVersionCommandInput } from '@aws-sdk/client-rekognition'
import type { ActionInputs } from './inputs.js'
import type { ManifestRef } from './manifests.js'

type Asset = {
  GroundTruthManifest: { S3Object: { Bucket: string; Name: string; Version?: string } }
}

/** S3 locations of the manifests; repository files are uploaded first and passed in resolved. */
export function manifestAssets(refs: ManifestRef[]): Asset[] {
  return refs.map((ref) => {
    if (ref.kind !== 's3')
      throw new Error(`manifest ${ref.text} was not uploaded before the request was built`)
    const S3Object = ref.version
      ? { Bucket: ref.bucket, Name: ref.key, Version: ref.version }
      : { Bucket: ref.bucket, Name: ref.key }
    return { GroundTruthManifest: { S3Object } }
  })
}

export function buildCreateRequest(
  inputs: ActionInputs,
  versionName: string
): CreateProjectVersionCommandInput {
  const request: CreateProjectVersionCommandInput = {
    ProjectArn: inputs.projectArn,
    VersionName: versionName,
    OutputConfig: inputs.outputPrefix
      ? { S3Bucket: inputs.outputBucket, S3KeyPrefix: inputs.outputPrefix }
      : { S3Bucket: inputs.outputBucket },
    VersionDescription: inputs.versionDescription,
    Tags: inputs.tags
  }
  if (inputs.trainingManifests.length > 0) {
    request.TrainingData = { Assets: manifestAssets(inputs.trainingManifests) }
    request.TestingData = inputs.autoCreateTesting
      ? { AutoCreate: true }
      : { Assets: manifestAssets(inputs.testingManifests) }
  }
  if (inputs.kmsKeyId) request.KmsKeyId = inputs.kmsKeyId
  return request
}
