// The emulator's hosting: StartProjectVersion, StopProjectVersion, DetectCustomLabels and
// TagResource, validated as the service model says, with the API reference's statuses and errors.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { rek } from '../emulator/testing.js'

let emu: Emulator
let project: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.putObject('img', 'a.jpg', 'jpeg')
})
afterAll(() => emu.stop())
beforeEach(() => {
  project = emu.addProject(`host-${++n}`)
  emu.setHosting({ checksUntilRunning: 1, failWith: undefined, held: false, unitLimit: undefined })
})

const trained = (name = 'v1') => emu.addVersion(project, { name, f1Score: 0.9 })
const describe1 = async (name = 'v1') =>
  (await rek(emu, 'DescribeProjectVersions', { ProjectArn: project, VersionNames: [name] })).json
    .ProjectVersionDescriptions[0]
const start = (arn: string, min: unknown = 1, max?: unknown) =>
  rek(emu, 'StartProjectVersion', {
    ProjectVersionArn: arn,
    MinInferenceUnits: min,
    ...(max !== undefined && { MaxInferenceUnits: max })
  })
const detect = (arn: string, key = 'a.jpg') =>
  rek(emu, 'DetectCustomLabels', {
    ProjectVersionArn: arn,
    Image: { S3Object: { Bucket: 'img', Name: key } }
  })

describe('StartProjectVersion', () => {
  test('STARTING, then RUNNING; DescribeProjectVersions shows the units', async () => {
    const arn = trained()
    const r = await start(arn, 2, 4)
    expect(r.status).toBe(200)
    expect(r.json).toEqual({ Status: 'STARTING' })
    const first = await describe1()
    expect(first.Status).toBe('STARTING')
    expect(first.MinInferenceUnits).toBe(2)
    expect(first.MaxInferenceUnits).toBe(4)
    expect((await describe1()).Status).toBe('RUNNING')
  })

  test('validation as in the service model: units >= 1, the version ARN pattern', async () => {
    const arn = trained()
    const zero = await start(arn, 0)
    expect(zero.json.__type).toBe('ValidationException')
    expect(zero.json.Message).toContain(
      "Value 0 at 'minInferenceUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"
    )
    const max = await start(arn, 1, 0)
    expect(max.json.Message).toContain("at 'maxInferenceUnits'")
    const bad = await start(`${project}/not-a-version`, 1)
    expect(bad.json.__type).toBe('ValidationException')
    expect(bad.json.Message).toContain('Member must satisfy regular expression pattern')
    expect((await start(arn, '1')).json.__type).toBe('SerializationException')
    expect((await start(arn, 3, 2)).json.__type).toBe('InvalidParameterException')
  })

  test('a version in the wrong state: ResourceInUseException', async () => {
    const arn = trained()
    await start(arn)
    const again = await start(arn)
    expect(again.json.__type).toBe('ResourceInUseException')
    const failed = emu.addVersion(project, { name: 'bad', status: 'TRAINING_FAILED' })
    expect((await start(failed)).json.__type).toBe('ResourceInUseException')
  })

  test('over the unit limit: LimitExceededException', async () => {
    emu.setHosting({ unitLimit: 2 })
    await start(trained('a'), 2)
    const r = await start(trained('b'), 1)
    expect(r.json.__type).toBe('LimitExceededException')
  })

  test('a start that fails ends FAILED with the StatusMessage; a held one stays STARTING', async () => {
    emu.setHosting({ failWith: 'Internal error.' })
    await start(trained('f'))
    await describe1('f')
    const f = await describe1('f')
    expect([f.Status, f.StatusMessage]).toEqual(['FAILED', 'Internal error.'])
    emu.setHosting({ failWith: undefined, held: true })
    await start(trained('h'))
    for (let i = 0; i < 5; i++) expect((await describe1('h')).Status).toBe('STARTING')
    emu.releaseStarts()
    expect((await describe1('h')).Status).toBe('RUNNING')
  })
})

describe('StopProjectVersion', () => {
  test('STOPPING, then STOPPED; stopping a stopped one is ResourceInUseException', async () => {
    const arn = trained()
    await start(arn)
    await describe1()
    await describe1()
    const r = await rek(emu, 'StopProjectVersion', { ProjectVersionArn: arn })
    expect(r.json).toEqual({ Status: 'STOPPING' })
    expect((await describe1()).Status).toBe('STOPPING')
    expect((await describe1()).Status).toBe('STOPPED')
    const again = await rek(emu, 'StopProjectVersion', { ProjectVersionArn: arn })
    expect(again.json.__type).toBe('ResourceInUseException')
  })
})

describe('DetectCustomLabels', () => {
  test('not running: ResourceNotReadyException; running: the labels registered for the image', async () => {
    const arn = trained()
    expect((await detect(arn)).json.__type).toBe('ResourceNotReadyException')
    await start(arn)
    await describe1()
    await describe1()
    emu.setDetectAnswer('s3://img/a.jpg', [{ Name: 'dent', Confidence: 88 }])
    expect((await detect(arn)).json).toEqual({ CustomLabels: [{ Name: 'dent', Confidence: 88 }] })
    emu.setDetectAnswer('s3://img/a.jpg', [{ Name: 'scratch', Confidence: 70 }], 'v1')
    expect((await detect(arn)).json.CustomLabels[0].Name).toBe('scratch')
    expect((await detect(arn, 'missing.jpg')).json.__type).toBe('InvalidS3ObjectException')
  })

  test('MaxResults keeps the highest-confidence labels, ranked highest first', async () => {
    const arn = trained()
    await start(arn)
    await describe1()
    await describe1()
    const labels = [
      { Name: 'low', Confidence: 20 },
      { Name: 'high', Confidence: 90 },
      { Name: 'mid', Confidence: 55 }
    ]
    emu.putObject('img', 'ranked.jpg', 'jpeg')
    emu.setDetectAnswer('s3://img/ranked.jpg', labels)
    const cut = await rek(emu, 'DetectCustomLabels', {
      ProjectVersionArn: arn,
      Image: { S3Object: { Bucket: 'img', Name: 'ranked.jpg' } },
      MaxResults: 2
    })
    expect(cut.json).toEqual({
      CustomLabels: [
        { Name: 'high', Confidence: 90 },
        { Name: 'mid', Confidence: 55 }
      ]
    })
    expect((await detect(arn, 'ranked.jpg')).json).toEqual({ CustomLabels: labels })
  })
})

describe('TagResource', () => {
  test('merges tags; validates keys like the service', async () => {
    const arn = trained()
    expect((await rek(emu, 'TagResource', { ResourceArn: arn, Tags: { a: '1' } })).status).toBe(200)
    expect(emu.versions(project)[0].tags).toEqual({ a: '1' })
    const bad = await rek(emu, 'TagResource', { ResourceArn: arn, Tags: { 'aws:x': '1' } })
    expect(bad.json.__type).toBe('ValidationException')
  })
})
