// Starting a training end to end: the bundle as its own process, the emulator as AWS.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { SHA, baseInputs, runAction } from './harness.js'

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.addBucket('acme-data')
  emu.putObject('acme-data', 'train.manifest', '{}\n')
  emu.putObject('acme-data', 'test.manifest', '{}\n')
})
afterAll(() => emu.stop())
beforeEach(() => {
  // A fresh project per test keeps the version counts independent.
  projectArn = emu.addProject(`defects-${++n}`)
  emu.clearFaults()
})

/** CreateProjectVersion requests for this test's project. */
const creates = () =>
  emu.requestsFor('CreateProjectVersion').filter((q) => q.body?.ProjectArn === projectArn)

const run = (inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}) =>
  runAction({ endpoint: emu.url, inputs: { ...baseInputs(projectArn), ...inputs }, env })

describe('a first training', () => {
  test('starts one version named after the commit, tagged with it, ARN in outputs and log', async () => {
    const r = await run()
    expect(r.code).toBe(0)
    const versions = emu.versions(projectArn)
    expect(versions).toHaveLength(1)
    const [v] = versions
    expect(v.name).toBe(`vision-${SHA.slice(0, 12)}`)
    expect(r.outputs['project-version-arn']).toBe(v.arn)
    expect(r.outputs['version-name']).toBe(v.name)
    expect(r.outputs.created).toBe('true')
    expect(r.outputs.status).toBe('TRAINING_IN_PROGRESS')
    expect(r.stdout).toContain(v.arn)
    expect(v.tags).toMatchObject({
      'github:repository': 'acme/vision',
      'github:sha': SHA,
      'github:ref': 'refs/heads/main',
      'github:run-id': '9000001',
      'github:run-attempt': '1',
      'github:actor': 'octocat',
      'github:workflow': 'Retrain'
    })
    expect(v.request.OutputConfig).toEqual({ S3Bucket: 'acme-training-out' })
    expect(v.request.VersionDescription).toBe(
      'acme-vision 0123456789ab, run 9000001 attempt 1 (Retrain)'
    )
    expect(creates()).toHaveLength(1)
  })

  test('passes manifests, prefix tokens, user tags and the KMS key through', async () => {
    const r = await run({
      'training-manifests': 's3://acme-data/train.manifest',
      'testing-manifests': 's3://acme-data/test.manifest?versionId=v1',
      'output-prefix': 'runs/{run_id}/',
      'kms-key-id': 'alias/training',
      tags: 'team=vision\n# a comment\n\ngithub:workflow=overridden'
    })
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(v.request.OutputConfig).toEqual({
      S3Bucket: 'acme-training-out',
      S3KeyPrefix: 'runs/9000001/'
    })
    expect(v.request.TrainingData).toEqual({
      Assets: [
        { GroundTruthManifest: { S3Object: { Bucket: 'acme-data', Name: 'train.manifest' } } }
      ]
    })
    expect(v.request.TestingData).toEqual({
      Assets: [
        {
          GroundTruthManifest: {
            S3Object: { Bucket: 'acme-data', Name: 'test.manifest', Version: 'v1' }
          }
        }
      ]
    })
    expect(v.request.KmsKeyId).toBe('alias/training')
    expect(v.tags.team).toBe('vision')
    expect(v.tags['github:workflow']).toBe('overridden')
  })

  test('auto-create-testing asks the service to split the training set', async () => {
    const r = await run({
      'training-manifests': 's3://acme-data/train.manifest',
      'auto-create-testing': 'true'
    })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)[0].request.TestingData).toEqual({ AutoCreate: true })
  })
})

describe('if-version-exists', () => {
  test('reuse (the default): a re-run attaches to the version and starts nothing', async () => {
    const first = await run()
    const again = await run({}, { GITHUB_RUN_ATTEMPT: '2' })
    expect(again.code).toBe(0)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(again.outputs['project-version-arn']).toBe(first.outputs['project-version-arn'])
    expect(again.outputs.created).toBe('false')
    expect(creates()).toHaveLength(1)
  })

  test('fail: refuses, names the version, starts nothing', async () => {
    await run()
    const again = await run({ 'if-version-exists': 'fail' })
    expect(again.code).toBe(1)
    expect(again.errors[0]).toMatch(/already exists.*if-version-exists is fail/)
    expect(emu.versions(projectArn)).toHaveLength(1)
  })

  test('new: trains under the first free numbered name', async () => {
    await run()
    await run({ 'if-version-exists': 'new' })
    const third = await run({ 'if-version-exists': 'new' })
    expect(third.code).toBe(0)
    const names = emu.versions(projectArn).map((v) => v.name)
    expect(names).toEqual([
      `vision-${SHA.slice(0, 12)}-3`,
      `vision-${SHA.slice(0, 12)}-2`,
      `vision-${SHA.slice(0, 12)}`
    ])
    expect(third.outputs['version-name']).toBe(`vision-${SHA.slice(0, 12)}-3`)
    expect(third.outputs.created).toBe('true')
  })
})

describe('a lost CreateProjectVersion response', () => {
  test('the connection drops after the service acted: one training, its ARN as output', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const r = await run()
    expect(r.code).toBe(0)
    const versions = emu.versions(projectArn)
    expect(versions).toHaveLength(1)
    expect(r.outputs['project-version-arn']).toBe(versions[0].arn)
    expect(r.outputs.created).toBe('true')
    // The SDK retried, met its own version, and the action found it by name.
    expect(creates().length).toBeGreaterThanOrEqual(2)
  })

  test('throttling and a 500 before acting are retried into one training', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'throttling' })
    emu.injectFault('CreateProjectVersion', { kind: 'internal-error', status: 500 })
    emu.injectFault('CreateProjectVersion', { kind: 'drop-before' })
    const r = await run({ 'poll-interval-seconds': '0.2' })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(creates()).toHaveLength(4)
  })
})

describe('values from GitHub', () => {
  test('odd branch names and Unicode workflow names are sanitised, never refused', async () => {
    const r = await run(
      { 'version-name': '{ref_name}-{short_sha}' },
      {
        GITHUB_REF: 'refs/heads/fix/#12-crash!',
        GITHUB_REF_NAME: 'fix/#12-crash!',
        GITHUB_WORKFLOW: 'Réentraîner 🚀 le modèle <prod>',
        GITHUB_ACTOR: 'dependabot[bot]'
      }
    )
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(v.name).toBe(`fix-12-crash--${SHA.slice(0, 12)}`)
    expect(v.tags['github:workflow']).toBe('Réentraîner - le modèle -prod-')
    for (const value of Object.values(v.tags)) expect(value).toMatch(TAG_VALUE)
    expect(v.request.VersionDescription).toMatch(/^[a-zA-Z0-9-_. ()':,;?]+$/)
  })

  test('Unicode user tags are accepted as the API accepts them', async () => {
    const r = await run({ tags: 'équipe=données vision\nチーム=画像' })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)[0].tags).toMatchObject({
      équipe: 'données vision',
      チーム: '画像'
    })
  })
})

describe('region', () => {
  test('with no region anywhere, the ARN’s region is called', async () => {
    const arn = emu.addProject('tokyo', { region: 'ap-northeast-1' })
    const r = await runAction({
      endpoint: emu.url,
      inputs: baseInputs(arn),
      env: { AWS_REGION: undefined }
    })
    expect(r.code).toBe(0)
    const regions = emu.requests.filter((q) => q.body?.ProjectArn === arn).map((q) => q.region)
    expect(new Set(regions)).toEqual(new Set(['ap-northeast-1']))
  })

  test('an environment region other than the project’s gives way to the ARN, with a notice', async () => {
    const r = await run({}, { AWS_REGION: 'us-east-1' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::notice::.*us-east-1.*eu-west-1/)
    expect(emu.versions(projectArn)).toHaveLength(1)
  })
})

describe('errors from AWS', () => {
  test('AccessDenied on create names the missing permission; nothing is left running', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'access-denied' })
    const r = await run()
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('rekognition:CreateProjectVersion')
    expect(emu.versions(projectArn)).toHaveLength(0)
  })

  test('a missing project is named', async () => {
    const r = await runAction({
      endpoint: emu.url,
      inputs: baseInputs('arn:aws:rekognition:eu-west-1:123456789012:project/nope/1700000000000')
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/project\/nope\/1700000000000 was not found/)
  })
})

describe('dry-run', () => {
  test('prints the request, sets version-name, calls nothing', async () => {
    const before = emu.requests.length
    const r = await run({ 'dry-run': 'true', tags: 'team=vision' })
    expect(r.code).toBe(0)
    expect(emu.requests.length).toBe(before)
    expect(r.outputs['version-name']).toBe(`vision-${SHA.slice(0, 12)}`)
    expect(r.outputs['project-version-arn']).toBeUndefined()
    expect(r.stdout).toContain('"VersionName": "vision-0123456789ab"')
    expect(r.stdout).toContain('"team": "vision"')
  })
})
