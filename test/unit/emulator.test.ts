// The emulator's Rekognition side: protocol checks, validation as the service words it,
// the training lifecycle and pagination.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  RekognitionClient
} from '@aws-sdk/client-rekognition'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Emulator } from '../emulator/server.js'
import { auth, credentials, rek, sleep } from '../emulator/testing.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

let emu: Emulator
let project: string
let n = 0
const fresh = (base = 'proj') => emu.addProject(`${base}-${++n}`)

beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('train-out')
  const image = (n: number, label: string) =>
    classificationLine(`s3://img/${n}.jpg`, label, { attr: 'c' })
  emu.putObject(
    'manifests',
    'train.manifest',
    `${image(1, 'scratch')}\n${image(2, 'dent')}\n${image(3, 'dent')}\n`
  )
  emu.putObject('manifests', 'test.manifest', `${image(4, 'scratch')}\n${image(5, 'dent')}\n`)
  project = emu.addProject('defects')
})
afterAll(async () => {
  await emu.stop()
})

const manifest = (name: string) => ({
  Assets: [{ GroundTruthManifest: { S3Object: { Bucket: 'manifests', Name: name } } }]
})
const create = (extra: Record<string, unknown> = {}) => ({
  ProjectArn: project,
  VersionName: `v-${++n}`,
  OutputConfig: { S3Bucket: 'train-out', S3KeyPrefix: 'out/' },
  ...extra
})
const rekClient = (region = 'eu-west-1', maxAttempts = 1) =>
  new RekognitionClient({ endpoint: emu.url, region, credentials, maxAttempts })

describe('protocol', () => {
  test('errors carry the name in x-amzn-errortype, __type and Code', async () => {
    const a = await rek(emu, 'DescribeProjects', {}, { authorization: null })
    expect(a.status).toBe(400)
    expect(a.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(a.json).toEqual({
      __type: 'MissingAuthenticationTokenException',
      Code: 'MissingAuthenticationTokenException',
      Message: 'Missing Authentication Token'
    })
  })

  test('a credential scoped to another service is refused', async () => {
    const a = await rek(emu, 'DescribeProjects', {}, { authorization: auth('s3') })
    expect(a.json.__type).toBe('InvalidSignatureException')
    expect(
      (await rek(emu, 'DescribeProjects', {}, { authorization: 'Bearer x' })).json.__type
    ).toBe('IncompleteSignatureException')
  })

  test('unknown operations, wrong content type', async () => {
    expect((await rek(emu, 'DetectLabels', {})).json.__type).toBe('UnknownOperationException')
    expect(
      (await rek(emu, 'DescribeProjects', {}, { contentType: 'application/json' })).status
    ).toBe(400)
  })

  test('bad JSON and wrong member types are SerializationException; unknown members are ignored', async () => {
    for (const raw of ['{', '[]', '"x"', 'null']) {
      const a = await rek(emu, 'DescribeProjects', undefined, { raw })
      expect([a.status, a.json.__type]).toEqual([400, 'SerializationException'])
    }
    expect((await rek(emu, 'DescribeProjectVersions', { ProjectArn: 5 })).json.__type).toBe(
      'SerializationException'
    )
    expect(
      (await rek(emu, 'CreateProjectVersion', create({ OutputConfig: 'train-out' }))).json.__type
    ).toBe('SerializationException')
    expect((await rek(emu, 'CreateProjectVersion', create({ Tags: ['a'] }))).json.__type).toBe(
      'SerializationException'
    )
    expect(
      (await rek(emu, 'CreateProjectVersion', create({ TestingData: { AutoCreate: 'yes' } }))).json
        .__type
    ).toBe('SerializationException')
    expect(
      (await rek(emu, 'DescribeProjectVersions', { ProjectArn: project, MaxResults: 1.5 })).json
        .__type
    ).toBe('SerializationException')
    expect((await rek(emu, 'DescribeProjects', { Unknown: { deep: 1 } })).status).toBe(200)
  })

  test('records the request with its SigV4 region', async () => {
    await rek(emu, 'DescribeProjects', { MaxResults: 3 }, { region: 'us-west-2' })
    const last = emu.requestsFor('DescribeProjects').at(-1)
    expect(last).toMatchObject({
      service: 'rekognition',
      method: 'POST',
      path: '/',
      region: 'us-west-2',
      body: { MaxResults: 3 }
    })
    expect(last?.headers['x-amz-target']).toBe('RekognitionService.DescribeProjects')
  })
})

describe('CreateProjectVersion validation', () => {
  const error = async (body: unknown) => (await rek(emu, 'CreateProjectVersion', body)).json

  test('a bad version name, worded as the service does', async () => {
    expect(await error(create({ VersionName: 'has space' }))).toEqual({
      __type: 'ValidationException',
      Code: 'ValidationException',
      Message:
        "1 validation error detected: Value 'has space' at 'versionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.\\-]+"
    })
  })

  test('every missing required member is reported', async () => {
    expect((await error({})).Message).toBe(
      "3 validation errors detected: Value null at 'projectArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'versionName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'outputConfig' failed to satisfy constraint: Member must not be null"
    )
  })

  test.each([
    [
      { ProjectArn: 'arn:aws:rekognition:eu-west-1:1234:project/x/1' },
      "at 'projectArn' failed to satisfy constraint: Member must satisfy regular expression pattern"
    ],
    [
      { ProjectArn: 'arn:aws:s3:::bucket' },
      "at 'projectArn' failed to satisfy constraint: Member must have length greater than or equal to 20"
    ],
    [
      { VersionName: 'v'.repeat(256) },
      "at 'versionName' failed to satisfy constraint: Member must have length less than or equal to 255"
    ],
    [
      { VersionName: '' },
      "at 'versionName' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ],
    [
      { OutputConfig: { S3Bucket: 'ab' } },
      "Value 'ab' at 'outputConfig.s3Bucket' failed to satisfy constraint: Member must have length greater than or equal to 3"
    ],
    [
      { OutputConfig: { S3Bucket: 'bad/bucket' } },
      "at 'outputConfig.s3Bucket' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z\\.\\-_]*"
    ],
    [
      { OutputConfig: { S3Bucket: 'train-out', S3KeyPrefix: 'p'.repeat(1025) } },
      "at 'outputConfig.s3KeyPrefix' failed to satisfy constraint: Member must have length less than or equal to 1024"
    ],
    [
      { Tags: { 'aws:owner': 'me' } },
      "at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!aws:)"
    ],
    [
      { Tags: { ['k'.repeat(129)]: 'v' } },
      'Map keys must satisfy constraint: [Member must have length less than or equal to 128]'
    ],
    [
      { Tags: { '': 'v' } },
      'Map keys must satisfy constraint: [Member must have length greater than or equal to 1'
    ],
    [
      { Tags: { ok: 'bad!' } },
      "at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must satisfy regular expression pattern"
    ],
    [
      { Tags: { ok: 'v'.repeat(257) } },
      'Map value must satisfy constraint: [Member must have length less than or equal to 256]'
    ],
    [
      { Tags: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v'])) },
      "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200"
    ],
    [
      { KmsKeyId: '-key' },
      "at 'kmsKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern"
    ],
    [
      { VersionDescription: 'no!' },
      "at 'versionDescription' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_. ()':,;?]+"
    ],
    [
      { VersionDescription: 'x'.repeat(256) },
      "at 'versionDescription' failed to satisfy constraint: Member must have length less than or equal to 255"
    ],
    [
      { FeatureConfig: { ContentModeration: { ConfidenceThreshold: 101 } } },
      "at 'featureConfig.contentModeration.confidenceThreshold' failed to satisfy constraint: Member must have value less than or equal to 100"
    ],
    [
      {
        TrainingData: {
          Assets: [{ GroundTruthManifest: { S3Object: { Bucket: 'manifests', Name: '' } } }]
        },
        TestingData: { AutoCreate: true }
      },
      "Value '' at 'trainingData.assets.1.member.groundTruthManifest.s3Object.name' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ],
    [
      {
        TrainingData: {
          Assets: [
            {
              GroundTruthManifest: {
                S3Object: { Bucket: 'manifests', Name: 'train.manifest', Version: '' }
              }
            }
          ]
        },
        TestingData: { AutoCreate: true }
      },
      "at 'trainingData.assets.1.member.groundTruthManifest.s3Object.version' failed to satisfy constraint"
    ]
  ])('ValidationException for %j', async (override, expected) => {
    const e = await error(create(override))
    expect(e.__type).toBe('ValidationException')
    expect(e.Message).toMatch(/^\d validation errors? detected: /)
    expect(e.Message).toContain(expected)
  })

  test.each([
    [{ Tags: { 'Prüfung größe': 'Ωmega 42 _.:/=+-@', empty: '' } }],
    [{ KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    [{ VersionDescription: "Built from abc123 (run 5): it's fine; ok?" }],
    [{ TrainingData: manifest('train.manifest'), TestingData: manifest('test.manifest') }],
    [{ TrainingData: manifest('train.manifest'), TestingData: { AutoCreate: true } }]
  ])('accepts %j', async (override) => {
    const a = await rek(emu, 'CreateProjectVersion', create(override))
    expect(a.status).toBe(200)
    expect(a.json.ProjectVersionArn).toMatch(
      /^arn:aws:rekognition:eu-west-1:123456789012:project\/defects\/version\/v-\d+\/\d+$/
    )
  })

  test.each([
    [{ TrainingData: manifest('train.manifest') }, 'TrainingData and TestingData'],
    [{ TestingData: { AutoCreate: true } }, 'TrainingData and TestingData'],
    [
      {
        TrainingData: manifest('train.manifest'),
        TestingData: { ...manifest('test.manifest'), AutoCreate: true }
      },
      'AutoCreate'
    ],
    [{ TrainingData: manifest('train.manifest'), TestingData: {} }, 'AutoCreate'],
    [{ TrainingData: { Assets: [] }, TestingData: { AutoCreate: true } }, 'at least one asset'],
    [{ OutputConfig: { S3KeyPrefix: 'out/' } }, 'S3Bucket']
  ])('InvalidParameterException for %j', async (override, expected) => {
    const e = await error(create(override))
    expect(e.__type).toBe('InvalidParameterException')
    expect(e.Message).toContain(expected)
  })

  test('a project with datasets refuses data; one without needs it', async () => {
    const withSets = emu.addProject('with-datasets', { datasets: true })
    const withoutSets = emu.addProject('without-datasets', { datasets: false })
    const data = { TrainingData: manifest('train.manifest'), TestingData: { AutoCreate: true } }
    expect((await error(create({ ProjectArn: withSets, ...data }))).__type).toBe(
      'InvalidParameterException'
    )
    expect((await rek(emu, 'CreateProjectVersion', create({ ProjectArn: withSets }))).status).toBe(
      200
    )
    expect((await error(create({ ProjectArn: withoutSets }))).__type).toBe(
      'InvalidParameterException'
    )
    expect(
      (await rek(emu, 'CreateProjectVersion', create({ ProjectArn: withoutSets, ...data }))).status
    ).toBe(200)
  })

  test('unknown project, or a project in another region: ResourceNotFoundException', async () => {
    const unknown = create({
      ProjectArn: 'arn:aws:rekognition:eu-west-1:123456789012:project/nope/1'
    })
    expect((await error(unknown)).__type).toBe('ResourceNotFoundException')
    const other = await rek(emu, 'CreateProjectVersion', create(), { region: 'us-east-1' })
    expect(other.json.__type).toBe('ResourceNotFoundException')
  })

  test('a duplicate name is ResourceInUseException and creates nothing', async () => {
    const body = create()
    expect((await rek(emu, 'CreateProjectVersion', body)).status).toBe(200)
    const before = emu.versions(project).length
    const e = await error(body)
    expect(e).toMatchObject({
      __type: 'ResourceInUseException',
      Message: `A version with the name ${body.VersionName} already exists in the project`
    })
    expect(emu.versions(project)).toHaveLength(before)
  })

  test('the created version records the request and tags', async () => {
    const body = create({ Tags: { 'github:sha': 'abc' }, VersionDescription: 'from CI' })
    const a = await rek(emu, 'CreateProjectVersion', body)
    const v = emu.versions(project).find((x) => x.arn === a.json.ProjectVersionArn)
    expect(v).toMatchObject({
      name: body.VersionName,
      projectArn: project,
      status: 'TRAINING_IN_PROGRESS',
      request: body,
      tags: { 'github:sha': 'abc' },
      describeCount: 0
    })
    expect(Date.now() - (v?.createdAt.getTime() ?? 0)).toBeLessThan(5000)
  })
})

describe('training lifecycle through the real SDK', () => {
  const s3 = () =>
    new S3Client({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1
    })
  const read = async (bucket: string, key: string) =>
    (await (
      await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body?.transformToString()) ?? ''

  test('in progress for two looks, then completed, with files that exist', async () => {
    const client = rekClient()
    const p = fresh()
    const { ProjectVersionArn: arn } = await client.send(
      new CreateProjectVersionCommand({
        ProjectArn: p,
        VersionName: 'v1',
        OutputConfig: { S3Bucket: 'train-out', S3KeyPrefix: 'ci/' },
        TrainingData: manifest('train.manifest'),
        TestingData: manifest('test.manifest'),
        Tags: { team: 'qa' }
      })
    )
    expect(arn).toBe(emu.versions(p)[0].arn)
    const look = async () =>
      (await client.send(new DescribeProjectVersionsCommand({ ProjectArn: p })))
        .ProjectVersionDescriptions?.[0]
    const first = await look()
    expect(first).toMatchObject({
      ProjectVersionArn: arn,
      Status: 'TRAINING_IN_PROGRESS',
      StatusMessage: 'The model is being trained.',
      Feature: 'CUSTOM_LABELS'
    })
    expect(first?.CreationTimestamp).toBeInstanceOf(Date)
    expect(first?.EvaluationResult).toBeUndefined()
    expect(first?.TrainingEndTimestamp).toBeUndefined()
    expect((await look())?.Status).toBe('TRAINING_IN_PROGRESS')
    const done = await look()
    expect(done).toMatchObject({
      Status: 'TRAINING_COMPLETED',
      StatusMessage: 'The model is ready to run.',
      BillableTrainingTimeInSeconds: 2712,
      OutputConfig: { S3Bucket: 'train-out', S3KeyPrefix: 'ci/' }
    })
    expect(done?.EvaluationResult?.F1Score).toBeCloseTo(0.912)
    expect(done?.TrainingEndTimestamp?.getTime()).toBeGreaterThanOrEqual(
      done?.CreationTimestamp?.getTime() ?? Infinity
    )
    expect(emu.versions(p)[0].describeCount).toBe(3)

    const summaryRef = done?.EvaluationResult?.Summary?.S3Object
    expect(summaryRef).toEqual({
      Bucket: 'train-out',
      Name: `ci/EvaluationResultSummary-${p.split('/')[1]}-v1.json`
    })
    const summary = JSON.parse(await read('train-out', summaryRef?.Name ?? ''))
    expect(summary).toMatchObject({
      Version: 1,
      EvaluationDetails: {
        ProjectVersionArn: arn,
        Labels: ['scratch', 'dent'],
        NumberOfTrainingImages: 3,
        NumberOfTestingImages: 2
      },
      AggregatedEvaluationResults: { Metrics: { F1Score: 0.912 } },
      LabelEvaluationResults: [
        {
          Label: 'scratch',
          NumberOfTestingImages: 24,
          Metrics: { Threshold: 0.512, Precision: 0.931, Recall: 0.893, F1Score: 0.912 }
        },
        { Label: 'dent' }
      ]
    })
    const refs = [
      done?.ManifestSummary?.S3Object,
      done?.TrainingDataResult?.Output?.Assets?.[0].GroundTruthManifest?.S3Object,
      done?.TrainingDataResult?.Validation?.Assets?.[0].GroundTruthManifest?.S3Object,
      done?.TestingDataResult?.Validation?.Assets?.[0].GroundTruthManifest?.S3Object
    ]
    for (const ref of refs) expect(emu.getObject(ref?.Bucket ?? '', ref?.Name ?? '')).toBeDefined()
    expect(done?.TrainingDataResult?.Input).toEqual(manifest('train.manifest'))

    const tags = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))
    expect(tags.Tags).toEqual({ team: 'qa' })
  })

  test('a failed training has no evaluation result', async () => {
    const local = await Emulator.start()
    try {
      local.addBucket('out-bucket')
      local.setTraining({ finalStatus: 'TRAINING_FAILED', checksUntilEnd: 0 })
      const p = local.addProject('failing')
      const client = new RekognitionClient({
        endpoint: local.url,
        region: 'eu-west-1',
        credentials,
        maxAttempts: 1
      })
      await client.send(
        new CreateProjectVersionCommand({
          ProjectArn: p,
          VersionName: 'v1',
          OutputConfig: { S3Bucket: 'out-bucket' }
        })
      )
      const [d] =
        (await client.send(new DescribeProjectVersionsCommand({ ProjectArn: p })))
          .ProjectVersionDescriptions ?? []
      expect(d).toMatchObject({
        Status: 'TRAINING_FAILED',
        StatusMessage: 'The manifest file contains too many invalid rows.'
      })
      // Billable time is reported for successful trainings only.
      expect(d.BillableTrainingTimeInSeconds).toBeUndefined()
      expect(d.EvaluationResult).toBeUndefined()
      expect(local.getObject('out-bucket', d.ManifestSummary?.S3Object?.Name ?? '')).toBeDefined()
      expect(
        local.objects('out-bucket').some((o) => o.key.includes('EvaluationResultSummary'))
      ).toBe(false)
    } finally {
      await local.stop()
    }
  })

  test('a duration plan ends by the clock, and the plan is fixed at creation', async () => {
    const local = await Emulator.start()
    try {
      local.addBucket('out-bucket')
      local.setTraining({
        // Long enough that four answers fit inside it on a loaded machine.
        durationMs: 1500,
        summaryShape: 'flat',
        f1Score: 0.5,
        statusMessage: 'Done.'
      })
      const p = local.addProject('timed')
      const a = await rek(local, 'CreateProjectVersion', {
        ProjectArn: p,
        VersionName: 'v1',
        OutputConfig: { S3Bucket: 'out-bucket' }
      })
      local.setTraining({ durationMs: 100000 })
      for (let i = 0; i < 4; i++) {
        expect(
          (await rek(local, 'DescribeProjectVersions', { ProjectArn: p })).json
            .ProjectVersionDescriptions[0].Status
        ).toBe('TRAINING_IN_PROGRESS')
      }
      await sleep(1600)
      const d = (await rek(local, 'DescribeProjectVersions', { ProjectArn: p })).json
        .ProjectVersionDescriptions[0]
      expect(d).toMatchObject({
        ProjectVersionArn: a.json.ProjectVersionArn,
        Status: 'TRAINING_COMPLETED',
        StatusMessage: 'Done.',
        EvaluationResult: { F1Score: 0.5 }
      })
      expect(d.TrainingEndTimestamp - d.CreationTimestamp).toBeCloseTo(1.5, 3)
      const summary = JSON.parse(
        local.getObject('out-bucket', d.EvaluationResult.Summary.S3Object.Name)?.toString() ?? '{}'
      )
      expect(summary.AggregatedEvaluationResults).toMatchObject({
        F1Score: 0.5,
        ConfusionMatrix: []
      })
      expect(summary.AggregatedEvaluationResults.Metrics).toBeUndefined()
    } finally {
      await local.stop()
    }
  })

  test('seeded versions: a completed one gets its evaluation summary', async () => {
    const p = fresh('seeded')
    const arn = emu.addVersion(p, {
      name: 'base',
      f1Score: 0.8,
      outputBucket: 'seed-out',
      outputPrefix: 'eval/',
      labels: [
        { label: 'crack', testImages: 5, precision: 1, recall: 0.6, f1: 0.75, threshold: 0.3 }
      ]
    })
    const d = (await rek(emu, 'DescribeProjectVersions', { ProjectArn: p })).json
      .ProjectVersionDescriptions[0]
    expect(d).toMatchObject({
      ProjectVersionArn: arn,
      Status: 'TRAINING_COMPLETED',
      EvaluationResult: { F1Score: 0.8, Summary: { S3Object: { Bucket: 'seed-out' } } }
    })
    const summary = JSON.parse(
      emu.getObject('seed-out', d.EvaluationResult.Summary.S3Object.Name)?.toString() ?? '{}'
    )
    expect(summary.LabelEvaluationResults).toEqual([
      {
        Label: 'crack',
        NumberOfTestingImages: 5,
        Metrics: { Threshold: 0.3, Precision: 1, Recall: 0.6, F1Score: 0.75 }
      }
    ])
  })
})

describe('trainings the service fails after the create (tm-terminal-errors-reference.html)', () => {
  const ended = async (name: string) => {
    for (let i = 0; i < 5; i++) {
      const d = (
        await rek(emu, 'DescribeProjectVersions', { ProjectArn: project, VersionNames: [name] })
      ).json.ProjectVersionDescriptions[0]
      if (d.Status !== 'TRAINING_IN_PROGRESS') return d
    }
    throw new Error(`${name} did not end`)
  }

  test.each([
    [
      'an output bucket that cannot be written',
      { OutputConfig: { S3Bucket: 'no-such-bucket' } },
      'Unable to write to output S3 bucket.'
    ],
    [
      'a manifest that cannot be found',
      { TrainingData: manifest('missing.manifest'), TestingData: { AutoCreate: true } },
      'The manifest file extension or contents are invalid.'
    ]
  ])('%s: created, then TRAINING_FAILED with the guide’s message', async (_, override, message) => {
    const request = create(override)
    const a = await rek(emu, 'CreateProjectVersion', request)
    expect(a.status).toBe(200)
    const d = await ended(request.VersionName)
    expect(d).toMatchObject({ Status: 'TRAINING_FAILED', StatusMessage: message })
    expect(d.ManifestSummary).toBeUndefined()
    expect(d.BillableTrainingTimeInSeconds).toBeUndefined()
  })
})

describe('pagination', () => {
  test('DescribeProjectVersions: newest first, pages, counts only what it returns', async () => {
    const p = fresh('paged')
    const t0 = Date.now() - 100000
    for (let i = 1; i <= 5; i++)
      emu.addVersion(p, {
        name: `v${i}`,
        status: 'TRAINING_IN_PROGRESS',
        createdAt: new Date(t0 + i * 1000)
      })
    const names: string[][] = []
    let token: string | undefined
    do {
      const a = await rek(emu, 'DescribeProjectVersions', {
        ProjectArn: p,
        MaxResults: 2,
        NextToken: token
      })
      expect(a.status).toBe(200)
      names.push(
        a.json.ProjectVersionDescriptions.map(
          (d: { ProjectVersionArn: string }) => d.ProjectVersionArn.split('/')[3]
        )
      )
      token = a.json.NextToken
      if (names.length === 1)
        expect(emu.versions(p).map((v) => v.describeCount)).toEqual([1, 1, 0, 0, 0])
    } while (token)
    expect(names).toEqual([['v5', 'v4'], ['v3', 'v2'], ['v1']])

    const filtered = await rek(emu, 'DescribeProjectVersions', {
      ProjectArn: p,
      VersionNames: ['v1', 'v3', 'absent']
    })
    expect(
      filtered.json.ProjectVersionDescriptions.map(
        (d: { ProjectVersionArn: string }) => d.ProjectVersionArn.split('/')[3]
      )
    ).toEqual(['v3', 'v1'])
    expect(filtered.json.NextToken).toBeUndefined()
  })

  test('tokens are opaque and bound to their query', async () => {
    const p = fresh('tokens')
    const q = fresh('other')
    for (let i = 1; i <= 3; i++) {
      emu.addVersion(p, { name: `v${i}`, createdAt: new Date(Date.now() - i * 1000) })
      emu.addVersion(q, { name: `v${i}`, createdAt: new Date(Date.now() - i * 1000) })
    }
    const first = await rek(emu, 'DescribeProjectVersions', { ProjectArn: p, MaxResults: 1 })
    const token = first.json.NextToken as string
    expect(typeof token).toBe('string')
    for (const body of [
      { ProjectArn: p, NextToken: 'garbage' },
      { ProjectArn: p, NextToken: token.slice(0, -2) + 'xx' },
      { ProjectArn: q, NextToken: token }
    ]) {
      expect((await rek(emu, 'DescribeProjectVersions', body)).json.__type).toBe(
        'InvalidPaginationTokenException'
      )
    }
    expect(
      (await rek(emu, 'DescribeProjectVersions', { ProjectArn: p, NextToken: token })).json
        .ProjectVersionDescriptions
    ).toHaveLength(2)
  })

  test.each([
    [
      { MaxResults: 0 },
      "at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
    ],
    [
      { MaxResults: 101 },
      "at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
    ],
    [
      { VersionNames: [] },
      "at 'versionNames' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ],
    [
      { VersionNames: Array.from({ length: 11 }, (_, i) => `v${i}`) },
      'Member must have length less than or equal to 10'
    ],
    [
      { VersionNames: ['bad name'] },
      "Value 'bad name' at 'versionNames.1.member' failed to satisfy constraint"
    ],
    [
      { NextToken: 'x'.repeat(1025) },
      "at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1024"
    ],
    [
      { ProjectArn: undefined },
      "Value null at 'projectArn' failed to satisfy constraint: Member must not be null"
    ]
  ])('DescribeProjectVersions %j is a ValidationException', async (override, expected) => {
    const a = await rek(emu, 'DescribeProjectVersions', { ProjectArn: project, ...override })
    expect(a.json.__type).toBe('ValidationException')
    expect(a.json.Message).toContain(expected)
  })

  test('DescribeProjects: per region, filtered by name, paged', async () => {
    const local = await Emulator.start()
    try {
      for (let i = 1; i <= 3; i++)
        local.addProject(`p${i}`, {
          createdAt: new Date(1700000000000 + i),
          datasets: i === 3 ? false : undefined
        })
      local.addProject('elsewhere', { region: 'us-east-1' })
      const a = await rek(local, 'DescribeProjects', { MaxResults: 2 })
      expect(
        a.json.ProjectDescriptions.map((d: { ProjectArn: string }) => d.ProjectArn.split('/')[1])
      ).toEqual(['p3', 'p2'])
      expect(a.json.ProjectDescriptions[0]).toEqual({
        ProjectArn: 'arn:aws:rekognition:eu-west-1:123456789012:project/p3/1700000000003',
        CreationTimestamp: 1700000000.003,
        Status: 'CREATED',
        Datasets: [],
        Feature: 'CUSTOM_LABELS'
      })
      const b = await rek(local, 'DescribeProjects', { MaxResults: 2, NextToken: a.json.NextToken })
      expect(
        b.json.ProjectDescriptions.map((d: { ProjectArn: string }) => d.ProjectArn.split('/')[1])
      ).toEqual(['p1'])
      expect(b.json.NextToken).toBeUndefined()
      const named = await rek(local, 'DescribeProjects', { ProjectNames: ['p2', 'elsewhere'] })
      expect(named.json.ProjectDescriptions).toHaveLength(1)
      const east = await rek(local, 'DescribeProjects', {}, { region: 'us-east-1' })
      expect(
        east.json.ProjectDescriptions.map((d: { ProjectArn: string }) => d.ProjectArn.split('/')[1])
      ).toEqual(['elsewhere'])
      expect((await rek(local, 'DescribeProjects', { ProjectNames: [] })).json.__type).toBe(
        'ValidationException'
      )
    } finally {
      await local.stop()
    }
  })
})
