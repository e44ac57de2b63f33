import { beforeEach, describe, expect, test } from '@jest/globals'
import {
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import { GetBucketLocationCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { ActionError } from '../../src/errors.js'
import {
  bucketRegion,
  checkBucketRegion,
  checkProjectDatasets,
  datasetsProblem
} from '../../src/training/preflight.js'
import { projectHistory, MAX_HISTORY_PAGES } from '../../src/training/project-history.js'
import { PROJECT_ARN } from './helpers.js'

const rekognition = mockRekognition()
const s3 = mockClient(S3Client)
const client = testClient('eu-west-1')
beforeEach(() => {
  rekognition.reset()
  s3.reset()
})

const s3Ref = { kind: 's3' as const, bucket: 'b', key: 'k.manifest', text: 's3://b/k.manifest' }
const withManifests = {
  projectArn: PROJECT_ARN,
  projectName: 'defects',
  trainingManifests: [s3Ref]
}
const withoutManifests = { ...withManifests, trainingManifests: [] }
const log = () => {
  const lines: string[] = []
  return {
    lines,
    log: { warning: (l: string) => lines.push(l), debug: (l: string) => lines.push(`debug: ${l}`) }
  }
}
const DATASETS = [{ DatasetType: 'TRAIN' as const }, { DatasetType: 'TEST' as const }]
const project = (datasets?: { DatasetType: 'TRAIN' | 'TEST' }[]) => ({
  ProjectDescriptions: [{ ProjectArn: PROJECT_ARN, ...(datasets && { Datasets: datasets }) }]
})

describe('datasetsProblem', () => {
  test('a project with datasets takes no manifests; one without needs them', () => {
    expect(datasetsProblem(withManifests, DATASETS)).toMatch(/has datasets \(TRAIN, TEST\)/)
    expect(datasetsProblem(withoutManifests, [])).toMatch(/has no datasets/)
    expect(datasetsProblem(withManifests, [])).toBeUndefined()
    expect(datasetsProblem(withoutManifests, DATASETS)).toBeUndefined()
  })
})

describe('checkProjectDatasets', () => {
  test('asks DescribeProjects once, by the project’s name', async () => {
    rekognition.on(DescribeProjectsCommand).resolves(project([]))
    await checkProjectDatasets(client, withManifests, log().log)
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectsCommand, 1)
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectsCommand, {
      ProjectNames: ['defects']
    })
  })

  test('refuses manifests for a project with datasets', async () => {
    rekognition.on(DescribeProjectsCommand).resolves(project(DATASETS))
    await expect(checkProjectDatasets(client, withManifests, log().log)).rejects.toThrow(
      ActionError
    )
  })

  test('a project missing from the answer is not found', async () => {
    rekognition.on(DescribeProjectsCommand).resolves({ ProjectDescriptions: [] })
    await expect(checkProjectDatasets(client, withManifests, log().log)).rejects.toThrow(
      /was not found \(rekognition:DescribeProjects\)/
    )
  })

  test('no Datasets in the answer: not checked', async () => {
    rekognition.on(DescribeProjectsCommand).resolves(project(undefined))
    const l = log()
    await checkProjectDatasets(client, withoutManifests, l.log)
    expect(l.lines).toEqual([
      'debug: DescribeProjects gave no Datasets for the project; not checked.'
    ])
  })

  test('access denied names the permission; a failing service is a warning', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })
    rekognition.on(DescribeProjectsCommand).rejects(denied)
    await expect(checkProjectDatasets(client, withManifests, log().log)).rejects.toThrow(
      /AWS denied rekognition:DescribeProjects/
    )
    const broken = Object.assign(new Error('boom'), {
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 }
    })
    rekognition.on(DescribeProjectsCommand).rejects(broken)
    const l = log()
    await checkProjectDatasets(client, withManifests, l.log)
    expect(l.lines).toEqual([
      "Could not check the project's datasets (InternalServerError); going on."
    ])
  })
})

describe('bucket region', () => {
  test('LocationConstraint as a region', () => {
    expect(bucketRegion(undefined)).toBe('us-east-1')
    expect(bucketRegion('')).toBe('us-east-1')
    expect(bucketRegion('EU')).toBe('eu-west-1')
    expect(bucketRegion('ap-south-1')).toBe('ap-south-1')
  })

  test('another region is refused; the same passes', async () => {
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'us-west-2' })
    await expect(
      checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
    ).rejects.toThrow(/output-bucket "out" is in us-west-2, but the project is in eu-west-1/)
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' })
    await checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
  })

  test('a missing bucket fails; no permission is a warning', async () => {
    s3.on(GetBucketLocationCommand).rejects(Object.assign(new Error('x'), { name: 'NoSuchBucket' }))
    await expect(
      checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
    ).rejects.toThrow(/output-bucket "out" does not exist/)
    s3.on(GetBucketLocationCommand).rejects(Object.assign(new Error('x'), { name: 'AccessDenied' }))
    const l = log()
    await checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, l.log)
    expect(l.lines[0]).toContain(
      'allow s3:ListBucket (HeadBucket) or s3:GetBucketLocation on arn:aws:s3:::out'
    )
  })

  test('HeadBucket’s x-amz-bucket-region answers first, on success or on a 301/403', async () => {
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' })
    await checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(0)
    for (const status of [301, 403]) {
      const redirect = Object.assign(new Error('Moved'), { name: 'Unknown' })
      Object.defineProperty(redirect, '$response', {
        value: { statusCode: status, headers: { 'x-amz-bucket-region': 'af-south-1' } },
        enumerable: false
      })
      s3.on(HeadBucketCommand).rejects(redirect)
      await expect(
        checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
      ).rejects.toThrow(/output-bucket "out" is in af-south-1, but the project is in eu-west-1/)
    }
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(0)
  })

  test('GetBucketLocation refused across an opt-in region: the bucket is refused', async () => {
    s3.on(HeadBucketCommand).rejects(Object.assign(new Error('x'), { name: 'Forbidden' }))
    s3.on(GetBucketLocationCommand).rejects(
      Object.assign(
        new Error(
          'The af-south-1 location constraint is incompatible for the region specific endpoint this request was sent to.'
        ),
        { name: 'IllegalLocationConstraintException' }
      )
    )
    await expect(
      checkBucketRegion('eu-west-1', 'out', 'eu-west-1', 10, {}, log().log)
    ).rejects.toThrow(/output-bucket "out" is in af-south-1, but the project is in eu-west-1/)
  })
})

describe('projectHistory reads newest first, and sorts what it reads', () => {
  const version = (name: string, created: number, minutes: number) => ({
    ProjectVersionArn: `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/${created}`,
    Status: 'TRAINING_COMPLETED' as const,
    CreationTimestamp: new Date(created),
    TrainingEndTimestamp: new Date(created + minutes * 60_000)
  })
  const current = { arn: 'arn:current', name: 'current', created: true }
  const quiet = { info: () => undefined, debug: () => undefined }

  test('reads every page (up to the cap) and predicts from the newest trainings', async () => {
    // Oldest first on the first page (5 slow ones), the 10 newest (fast) on the second: the
    // second page breaks the documented order, so it is read and everything is sorted here.
    const old = Array.from({ length: 5 }, (_, i) => version(`old${i}`, 1_000_000 + i, 120))
    const recent = Array.from({ length: 10 }, (_, i) => version(`new${i}`, 9_000_000 + i, 30))
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: old, NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: recent })
    const prediction = await projectHistory(
      client,
      PROJECT_ARN,
      current,
      10_000,
      new AbortController().signal,
      quiet
    )
    expect(prediction?.expectedMs).toBe(30 * 60_000)
    expect(rekognition).toHaveReceivedNthCommandWith(2, DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      MaxResults: 100,
      NextToken: 't1'
    })
  })

  test('stops reading once the pages, newest first as documented, hold 10 trainings', async () => {
    const page1 = Array.from({ length: 10 }, (_, i) => version(`new${i}`, 9_000_000 - i, 30))
    const page2 = Array.from({ length: 10 }, (_, i) => version(`old${i}`, 1_000_000 - i, 120))
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: page1, NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: page2 })
    const prediction = await projectHistory(
      client,
      PROJECT_ARN,
      current,
      10_000,
      new AbortController().signal,
      quiet
    )
    expect(prediction?.expectedMs).toBe(30 * 60_000)
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 1)
  })

  test(`stops after ${MAX_HISTORY_PAGES} pages`, async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves({ ProjectVersionDescriptions: [version('v', 1, 10)], NextToken: 'more' })
    await projectHistory(client, PROJECT_ARN, current, 10_000, new AbortController().signal, quiet)
    expect(rekognition).toHaveReceivedCommandTimes(
      DescribeProjectVersionsCommand,
      MAX_HISTORY_PAGES
    )
  })
})
