import { describe, expect, test } from '@jest/globals'
import { parseInputs, type ActionInputs } from '../../src/inputs/inputs.js'
import { buildCreateRequest, manifestAssets } from '../../src/training/request.js'
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
      'training-manifests':
        's3://acme-data/train/a.manifest?versionId=va, s3://acme-data/train/b.manifest',
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
        },
        { GroundTruthManifest: { S3Object: { Bucket: 'acme-data', Name: 'train/b.manifest' } } }
      ]
    })
    expect(req.TrainingData?.Assets?.[1].GroundTruthManifest?.S3Object).not.toHaveProperty(
      'Version'
    )
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

describe('manifestAssets', () => {
  test('a workspace path is read from where it is uploaded', () => {
    const assets = manifestAssets(
      [
        {
          kind: 'path',
          path: '/w/data/a.manifest',
          relative: 'data/a.manifest',
          text: 'data/a.manifest'
        }
      ],
      (relative) => ({ bucket: 'out', key: `p/train-action/v1/${relative}` })
    )
    expect(assets).toEqual([
      {
        GroundTruthManifest: {
          S3Object: { Bucket: 'out', Name: 'p/train-action/v1/data/a.manifest' }
        }
      }
    ])
  })
})
