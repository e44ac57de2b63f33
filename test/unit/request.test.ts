import { describe, expect, test } from '@jest/globals'
import { parseInputs, type ActionInputs } from '../../src/inputs/inputs.js'
import { buildCreateRequest, datasetAssets } from '../../src/training/request.js'
import { datasetKey } from '../../src/datasets/upload-key.js'
import { NOW, PROJECT_ARN, createInputs, runContext } from './helpers.js'

const inputs = (overrides: Record<string, string> = {}): ActionInputs =>
  parseInputs(createInputs(overrides), runContext(), NOW)

describe('buildCreateRequest', () => {
  test('the minimal request: no prefix, no datasets, no key', () => {
    const i = inputs()
    const req = buildCreateRequest(i, 'v1')
    expect(req).toEqual({
      ProjectArn: PROJECT_ARN,
      VersionName: 'v1',
      OutputConfig: { S3Bucket: 'acme-training-out' },
      VersionDescription: i.versionDescription,
      Tags: i.tags
    })
    expect(req.OutputConfig).not.toHaveProperty('S3KeyPrefix')
    expect(req).not.toHaveProperty('TrainingData')
    expect(req).not.toHaveProperty('TestingData')
    expect(req).not.toHaveProperty('KmsKeyId')
  })

  test('uses the name it is given, not the input one (if-version-exists: new)', () => {
    const req = buildCreateRequest(inputs({ 'version-name': 'base' }), 'base-3')
    expect(req.VersionName).toBe('base-3')
  })

  test('prefix, manifests with versions, key and tags', () => {
    const i = inputs({
      'output-prefix': 'runs/{run_id}/',
      'training-manifests': 's3://acme-data/train/a.manifest?versionId=va',
      'testing-manifests': 's3://acme-test/t.manifest?versionId=vt',
      'kms-key-id': 'alias/training',
      tags: 'team=vision'
    })
    const req = buildCreateRequest(i, 'v2')
    expect(req.OutputConfig).toEqual({
      S3Bucket: 'acme-training-out',
      S3KeyPrefix: 'runs/987654321/'
    })
    expect(req.TrainingData).toEqual({
      Assets: [
        {
          GroundTruthManifest: {
            S3Object: { Bucket: 'acme-data', Name: 'train/a.manifest', Version: 'va' }
          }
        }
      ]
    })
    expect(req.TestingData).toEqual({
      Assets: [
        {
          GroundTruthManifest: {
            S3Object: { Bucket: 'acme-test', Name: 't.manifest', Version: 'vt' }
          }
        }
      ]
    })
    expect(req.KmsKeyId).toBe('alias/training')
    expect(req.Tags).toMatchObject({ team: 'vision', 'github:repository': 'acme/defects' })
  })

  test('auto-create-testing gives TestingData.AutoCreate and no assets', () => {
    const req = buildCreateRequest(
      inputs({
        'training-manifests': 's3://acme-data/train.manifest',
        'auto-create-testing': 'true'
      }),
      'v3'
    )
    expect(req.TestingData).toEqual({ AutoCreate: true })
    expect(req.TrainingData?.Assets).toHaveLength(1)
  })
})

describe('datasetAssets', () => {
  const file = (relative: string) => ({
    kind: 'path' as const,
    path: `/w/${relative}`,
    relative,
    text: relative
  })
  const at = (relatives: string[]) => ({
    bucket: 'out',
    key: datasetKey('p/', 'v1', 'training', relatives)
  })
  const name = (assets: ReturnType<typeof datasetAssets>) =>
    assets.map((a) => a.GroundTruthManifest.S3Object.Name)

  test('a workspace path is read from where it is uploaded', () => {
    expect(datasetAssets([file('data/a.manifest')], at)).toEqual([
      {
        GroundTruthManifest: {
          S3Object: { Bucket: 'out', Name: 'p/train-action/v1/data/a.manifest' }
        }
      }
    ])
  })

  test('several repository files are one asset, one combined manifest', () => {
    expect(name(datasetAssets([file('a.manifest'), file('b.jsonl')], at))).toEqual([
      'p/train-action/v1/training.manifest'
    ])
  })

  test('an uploaded key always ends in .manifest', () => {
    expect(name(datasetAssets([file('data/train.jsonl')], at))).toEqual([
      'p/train-action/v1/data/train.jsonl.manifest'
    ])
  })

  test('an S3 manifest is used as it is, with its version', () => {
    const s3 = { kind: 's3' as const, bucket: 'b', key: 'k.manifest', version: 'v7', text: '' }
    expect(datasetAssets([s3], at)).toEqual([
      { GroundTruthManifest: { S3Object: { Bucket: 'b', Name: 'k.manifest', Version: 'v7' } } }
    ])
  })
})
