// The CreateProjectVersion request, built from the checked inputs. Pure.
import type { CreateProjectVersionCommandInput } from '@aws-sdk/client-rekognition'
import type { ActionInputs } from '../inputs/inputs.js'
import type { ManifestRef } from '../inputs/manifest-refs.js'
import { datasetKey } from '../datasets/upload-key.js'

type Asset = {
  GroundTruthManifest: { S3Object: { Bucket: string; Name: string; Version?: string } }
}

/**
 * The one asset of a dataset (limits.html: one training and one testing dataset per version): its
 * S3 manifest, or where its repository files are uploaded as one manifest.
 */
export function datasetAssets(
  refs: ManifestRef[],
  uploadedTo: (relatives: string[]) => { bucket: string; key: string }
): Asset[] {
  const inS3 = refs.find((r) => r.kind === 's3')
  const ref = inS3 ?? {
    ...uploadedTo(refs.flatMap((r) => (r.kind === 'path' ? [r.relative] : []))),
    version: undefined
  }
  const S3Object = ref.version
    ? { Bucket: ref.bucket, Name: ref.key, Version: ref.version }
    : { Bucket: ref.bucket, Name: ref.key }
  return [{ GroundTruthManifest: { S3Object } }]
}

export function buildCreateRequest(
  inputs: ActionInputs,
  versionName: string
): CreateProjectVersionCommandInput {
  const uploadedTo = (dataset: 'training' | 'testing') => (relatives: string[]) => ({
    bucket: inputs.outputBucket,
    key: datasetKey(inputs.outputPrefix, versionName, dataset, relatives)
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
    request.TrainingData = {
      Assets: datasetAssets(inputs.trainingManifests, uploadedTo('training'))
    }
    request.TestingData = inputs.autoCreateTesting
      ? { AutoCreate: true }
      : { Assets: datasetAssets(inputs.testingManifests, uploadedTo('testing')) }
  }
  if (inputs.kmsKeyId) request.KmsKeyId = inputs.kmsKeyId
  return request
}
