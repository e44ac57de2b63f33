import { describe, expect, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DEBUGGING_GUIDE,
  cancelMessage,
  evaluationSummaryUri,
  failureMessage,
  timeoutMessage,
  validationResultUris
} from '../../src/training/outcome.js'
import { PROJECT_ARN } from './helpers.js'

const VERSION_ARN = `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/v1/1700000000001`
const obj = (Bucket: string, Name: string) => ({ S3Object: { Bucket, Name } })

const failed: ProjectVersionDescription = {
  ProjectVersionArn: VERSION_ARN,
  Status: 'TRAINING_FAILED',
  StatusMessage: 'The manifest file contains too many invalid data objects.',
  TrainingDataResult: {
    Validation: {
      Assets: [
        { GroundTruthManifest: obj('out', 'run/TrainingManifestWithValidation.json') },
        { GroundTruthManifest: obj('out', 'run/second-train.json') }
      ]
    }
  },
  TestingDataResult: {
    Validation: {
      Assets: [{ GroundTruthManifest: obj('out', 'run/TestingManifestWithValidation.json') }]
    }
  },
  ManifestSummary: obj('out', 'run/ManifestSummary.json')
}

describe('evaluationSummaryUri', () => {
  test('the s3:// URI of EvaluationResult.Summary', () => {
    expect(
      evaluationSummaryUri({
        EvaluationResult: { F1Score: 0.9, Summary: obj('out', 'run/EvaluationResultSummary.json') }
      })
    ).toBe('s3://out/run/EvaluationResultSummary.json')
  })

  test('undefined when there is none (or it is incomplete)', () => {
    expect(evaluationSummaryUri(undefined)).toBeUndefined()
    expect(evaluationSummaryUri({ Status: 'TRAINING_IN_PROGRESS' })).toBeUndefined()
    expect(evaluationSummaryUri({ EvaluationResult: { F1Score: 0.5 } })).toBeUndefined()
    expect(
      evaluationSummaryUri({ EvaluationResult: { Summary: { S3Object: { Bucket: 'out' } } } })
    ).toBeUndefined()
    expect(
      evaluationSummaryUri({ EvaluationResult: { Summary: { S3Object: { Name: 'k' } } } })
    ).toBeUndefined()
  })
})

describe('validationResultUris', () => {
  test('training and testing validation assets, then the manifest summary', () => {
    expect(validationResultUris(failed)).toEqual([
      's3://out/run/TrainingManifestWithValidation.json',
      's3://out/run/second-train.json',
      's3://out/run/TestingManifestWithValidation.json',
      's3://out/run/ManifestSummary.json'
    ])
  })

  test('only the ones present', () => {
    expect(validationResultUris({ Status: 'TRAINING_FAILED' })).toEqual([])
    expect(validationResultUris({ ManifestSummary: obj('b', 'k.json') })).toEqual(['s3://b/k.json'])
    expect(
      validationResultUris({
        TestingDataResult: {
          Validation: { Assets: [{ GroundTruthManifest: obj('b', 't.json') }] }
        },
        TrainingDataResult: { Validation: { Assets: [{}] } }
      })
    ).toEqual(['s3://b/t.json'])
  })
})

describe('failureMessage', () => {
  test('the status, the service message, the validation results and the guide', () => {
    const m = failureMessage(failed)
    expect(m).toContain('TRAINING_FAILED')
    expect(m).toContain('The manifest file contains too many invalid data objects.')
    for (const uri of validationResultUris(failed)) expect(m).toContain(uri)
    expect(m).toContain(DEBUGGING_GUIDE)
    expect(DEBUGGING_GUIDE).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/rekognition\//)
    expect(m).toContain(VERSION_ARN)
  })

  test('without a message or results, nothing undefined or empty is shown', () => {
    const m = failureMessage({ ProjectVersionArn: VERSION_ARN, Status: 'TRAINING_FAILED' })
    expect(m).toContain('Training TRAINING_FAILED.')
    expect(m).not.toContain('undefined')
    expect(m).not.toContain('Manifest validation results')
    expect(m).toContain(DEBUGGING_GUIDE)
    expect(m).toContain(VERSION_ARN)
  })
})

describe('timeoutMessage', () => {
  test('the ARN, the timeout, the last status and how to pick the training up', () => {
    const m = timeoutMessage(VERSION_ARN, 350, 'TRAINING_IN_PROGRESS')
    expect(m).toContain(VERSION_ARN)
    expect(m).toContain('350')
    expect(m).toContain('wait-timeout-minutes')
    expect(m).toContain('TRAINING_IN_PROGRESS')
    expect(m).toContain('if-version-exists: reuse')
    expect(m).toMatch(/re-run/i)
    expect(m).toContain('goes on')
  })

  test('no status seen yet', () => {
    const m = timeoutMessage(VERSION_ARN, 0.5, undefined)
    expect(m).toContain('in progress')
    expect(m).toContain('0.5')
    expect(m).not.toContain('undefined')
  })
})

describe('cancelMessage', () => {
  test('with the ARN: training goes on, and how to pick it up', () => {
    const m = cancelMessage(VERSION_ARN)
    expect(m).toContain(VERSION_ARN)
    expect(m).toMatch(/cannot be stopped/)
    expect(m).toContain('goes on')
    expect(m).toContain('if-version-exists: reuse')
    expect(m).toMatch(/re-run/i)
  })

  test('before the version is known: a training may go on; re-run reuses it', () => {
    const m = cancelMessage(undefined)
    expect(m).toContain('goes on')
    expect(m).toContain('if-version-exists: reuse')
    expect(m).toMatch(/re-run/i)
    expect(m).not.toContain('undefined')
    expect(m).not.toContain('arn:')
  })
})
