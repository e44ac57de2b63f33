// The CreateProjectVersion request, built from the checked inputs. Pure.
import type { CreateProjectVersionCommandInput } from '@aws-sdk/client-rekognition'
import type { ActionInputs } from '../inputs/inputs.js'
import type { ManifestRef } from '../datasets/manifests.js'
import { uploadKey } from '../datasets/upload-key.js'

type Asset = {
  GroundTruthManifest: { S3Object: { Bucket: string; Name: string; Version?: string } }
}

/** Where each manifest is read from: repository files from where they are uploaded. */
export function manifestAssets(
  refs: ManifestRef[],
  uploadedTo: (relative: string) => { bucket: string; key: string }
): Asset[] {
  return refs.map((given) => {
    const ref = given.kind === 's3' ? given : { ...uploadedTo(given.relative), version: undefined }
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
  const uploadedTo = (relative: string) => ({
    bucket: inputs.outputBucket,
    key: uploadKey(inputs.outputPrefix, versionName, relative)
  })
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
    request.TrainingData = { Assets: manifestAssets(inputs.trainingManifests, uploadedTo) }
    request.TestingData = inputs.autoCreateTesting
      ? { AutoCreate: true }
      : { Assets: manifestAssets(inputs.testingManifests, uploadedTo) }
  }
  if (inputs.kmsKeyId) request.KmsKeyId = inputs.kmsKeyId
  return request
}
