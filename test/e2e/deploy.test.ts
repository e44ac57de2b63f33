// deploy: true end to end: a trained version is started, waited for, smoke-tested, and only then
// are this repository's earlier deployments stopped; failures leave the old version serving.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { baseInputs, runAction, type RunOptions } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.putObject('acme-images', 'smoke/dent.jpg', 'jpeg')
  emu.putObject('acme-images', 'smoke/scratch.jpg', 'jpeg')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`deploy-${++n}`)
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
  emu.setHosting({ checksUntilRunning: 1, failWith: undefined, held: false, unitLimit: undefined })
  emu.setDetectAnswer('s3://acme-images/smoke/dent.jpg', [{ Name: 'dent', Confidence: 97.5 }])
  emu.setDetectAnswer('s3://acme-images/smoke/scratch.jpg', [{ Name: 'scratch', Confidence: 91 }])
})

const line = (image: string, label: string, index: number) =>
  JSON.stringify({
    'source-ref': `s3://acme-images/${image}`,
    defect: index,
    'defect-metadata': {
      'class-name': label,
      confidence: 1,
      type: 'groundtruth/image-classification',
      'human-annotated': 'yes',
      'creation-date': '2026-11-01T00:00:00',
      'job-name': 'labeling'
    }
  })
const SMOKE = [line('smoke/dent.jpg', 'dent', 0), line('smoke/scratch.jpg', 'scratch', 1)].join(
  '\n'
)
const NAME = 'vision-0123456789ab'

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      wait: 'true',
      'poll-interval-seconds': '0.2',
      deploy: 'true',
      'smoke-test-manifest': 'smoke.manifest',
      ...inputs
    },
    files: { 'smoke.manifest': SMOKE, ...extra.files },
    ...extra
  })

const mine = () =>
  emu.requests.filter((r) => JSON.stringify(r.body ?? '').includes(projectArn.split('/')[1]))
const starts = () => mine().filter((r) => r.operation === 'StartProjectVersion')
const stops = () => mine().filter((r) => r.operation === 'StopProjectVersion')
const status = (arn: string) => emu.versions(projectArn).find((v) => v.arn === arn)?.status

/** Versions already serving: an earlier deployment of this repository, another repository's, a
 * hand-started one, and a preview of a pull request of this repository. */
function seedServing() {
  const deployed = (tags: Record<string, string>, name: string) =>
    emu.addVersion(projectArn, {
      name,
      status: 'RUNNING',
      createdAt: new Date(Date.now() - 86_400_000),
      tags,
      minUnits: 2
    })
  return {
    ours: deployed(
      {
        'train-action:deployed-by': 'acme/vision',
        'train-action:started-at': new Date(Date.now() - 3_600_000).toISOString()
      },
      'vision-old'
    ),
    theirs: deployed({ 'train-action:deployed-by': 'other/repo' }, 'other-model'),
    byHand: deployed({ 'github:repository': 'acme/vision' }, 'hand-started'),
    preview: deployed(
      { 'train-action:deployed-by': 'acme/vision', 'train-action:deployed-pr': '9' },
      'vision-pr9'
    )
  }
}

describe('deploy: true', () => {
  test('starts, waits for RUNNING, smoke-tests, then stops only this repository’s earlier deployment', async () => {
    const old = seedServing()
    let startAt = -1
    let firstStopAt = -1
    emu.onRequest('StartProjectVersion', () => (startAt = emu.requests.length))
    emu.onRequest('StopProjectVersion', () => {
      if (firstStopAt < 0) firstStopAt = emu.requests.length
    })
    const r = await run({ 'min-inference-units': '2', 'max-inference-units': '3' })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const arn = r.outputs['project-version-arn']
    expect(r.outputs['deploy-status']).toBe('RUNNING')
    expect(r.outputs['deployed-version-arn']).toBe(arn)
    expect(r.outputs['inference-units']).toBe('2')
    expect(r.outputs['smoke-test-accuracy']).toBe('1')
    expect(r.outputs['stopped-versions']).toBe(old.ours)
    expect(starts()).toHaveLength(1)
    expect(starts()[0].body).toEqual({
      ProjectVersionArn: arn,
      MinInferenceUnits: 2,
      MaxInferenceUnits: 3
    })
    // RUNNING and smoke-tested before anything else is stopped: no gap in serving.
    const detects = mine().filter((q) => q.operation === 'DetectCustomLabels')
    expect(detects).toHaveLength(2)
    expect(detects[0].body.Image).toEqual({
      S3Object: { Bucket: 'acme-images', Name: 'smoke/dent.jpg' }
    })
    const lastDetect = emu.requests.lastIndexOf(detects[1])
    expect(firstStopAt).toBeGreaterThan(lastDetect)
    expect(startAt).toBeGreaterThan(0)
    expect(stops().map((s) => s.body.ProjectVersionArn)).toEqual([old.ours])
    expect(status(old.theirs)).toBe('RUNNING')
    expect(status(old.byHand)).toBe('RUNNING')
    expect(status(old.preview)).toBe('RUNNING')
    // Waited by VersionNames, as the training wait does.
    const byName = mine().filter(
      (q) => q.operation === 'DescribeProjectVersions' && q.body.VersionNames?.[0] === NAME
    )
    expect(byName.length).toBeGreaterThan(1)
    // Tagged as ours before the start.
    const v = emu.versions(projectArn).find((x) => x.arn === arn)!
    expect(v.status).toBe('RUNNING')
    expect(v.tags['train-action:deployed-by']).toBe('acme/vision')
    expect(v.tags['train-action:deployed-ref']).toBe('refs/heads/main')
    expect(v.tags['train-action:started-at']).toMatch(/^\d{4}-\d\d-\d\dT/)
    const tagAt = emu.requests.findIndex(
      (q) => q.operation === 'TagResource' && q.body.ResourceArn === arn
    )
    expect(tagAt).toBeGreaterThanOrEqual(0)
    expect(tagAt).toBeLessThan(startAt)
    // The summary: cost, smoke table, what runs now and for how long.
    expect(r.summary).toContain('Deployment: RUNNING')
    expect(r.summary).toContain('2-3 inference units (auto-scaling) at $4.00 per unit hour')
    expect(r.summary).toContain('$8.00 to $12.00 an hour')
    expect(r.summary).toMatch(
      /\| `s3:\/\/acme-images\/smoke\/dent.jpg` \| dent \| dent \| 97.5% \| ✅ \|/
    )
    expect(r.summary).toContain('100.0% right (2 of 2)')
    expect(r.summary).toMatch(/Running in the project now\*\*: 4 versions/)
    expect(r.summary).toContain('by hand or another tool')
    expect(r.summary).toContain('Training completed')
  })

  test('a re-run finds the version RUNNING and does not start it again', async () => {
    const first = await run()
    expect(first.code).toBe(0)
    const again = await run()
    expect(again.code).toBe(0)
    expect(starts()).toHaveLength(1)
    expect(again.outputs['deploy-status']).toBe('RUNNING')
    expect(again.stdout).toContain('is already RUNNING: not started again')
    expect(again.outputs['deployed-version-arn']).toBe(first.outputs['deployed-version-arn'])
    // The first run's start time stays: its clock does not restart.
    expect(
      emu.requests.filter(
        (q) =>
          q.operation === 'TagResource' &&
          q.body.ResourceArn === first.outputs['project-version-arn']
      )
    ).toHaveLength(1)
  })

  test('a start that ends FAILED fails the step with the service’s message; the old one serves on', async () => {
    const old = seedServing()
    emu.setHosting({ failWith: 'The model could not be started: internal capacity error.' })
    const r = await run()
    expect(r.code).toBe(1)
    expect(r.outputs['deploy-status']).toBe('FAILED')
    expect(r.errors.join('\n')).toContain('internal capacity error')
    expect(r.outputs['deployed-version-arn']).toBeUndefined()
    expect(status(old.ours)).toBe('RUNNING')
    expect(stops()).toHaveLength(0)
    expect(mine().filter((q) => q.operation === 'DetectCustomLabels')).toHaveLength(0)
    expect(r.summary).toContain('Deployment: FAILED')
  })

  test('a failed smoke test stops the new version, leaves the old serving, fails the step', async () => {
    const old = seedServing()
    emu.setDetectAnswer('s3://acme-images/smoke/scratch.jpg', [{ Name: 'dent', Confidence: 60 }])
    const r = await run()
    expect(r.code).toBe(1)
    const arn = r.outputs['project-version-arn']
    expect(r.outputs['deploy-status']).toBe('SMOKE_TEST_FAILED')
    expect(r.outputs['smoke-test-accuracy']).toBe('0.5')
    expect(r.outputs['stopped-versions']).toBe(arn)
    expect(stops().map((s) => s.body.ProjectVersionArn)).toEqual([arn])
    expect(status(old.ours)).toBe('RUNNING')
    expect(r.errors.join('\n')).toMatch(/Smoke test failed: 50.0% of 2 image\(s\)/)
    expect(r.summary).toMatch(/smoke\/scratch.jpg` \| scratch \| dent \| 60.0% \| ❌/)
  })

  test('a re-run after a failed smoke test does not pay to start the same version again', async () => {
    emu.setDetectAnswer('s3://acme-images/smoke/scratch.jpg', [])
    const first = await run()
    expect(first.outputs['deploy-status']).toBe('SMOKE_TEST_FAILED')
    const again = await run()
    expect(again.code).toBe(1)
    expect(again.outputs['deploy-status']).toBe('SMOKE_TEST_FAILED')
    expect(again.errors.join('\n')).toContain('failed its smoke test at')
    expect(again.errors.join('\n')).toContain('--tag-keys train-action:smoke-test-failed')
    expect(starts()).toHaveLength(1)
  })

  test('the smoke test passes at smoke-test-min-accuracy', async () => {
    emu.setDetectAnswer('s3://acme-images/smoke/scratch.jpg', [])
    const r = await run({ 'smoke-test-min-accuracy': '0.5' })
    expect(r.code).toBe(0)
    expect(r.outputs['smoke-test-accuracy']).toBe('0.5')
    expect(r.outputs['deploy-status']).toBe('RUNNING')
  })

  test('throttled smoke-test calls are tried again', async () => {
    emu.injectFault('DetectCustomLabels', { kind: 'provisioned-throughput' }, 3)
    const r = await run()
    expect(r.code).toBe(0)
    expect(r.outputs['smoke-test-accuracy']).toBe('1')
    expect(
      mine().filter(
        (q) => q.operation === 'DetectCustomLabels' && q.fault === 'provisioned-throughput'
      )
    ).toHaveLength(3)
  })

  test('LimitExceededException names the limit; nothing else is stopped', async () => {
    const old = seedServing()
    emu.setHosting({ unitLimit: 8 })
    const r = await run({ 'min-inference-units': '1' })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain('LimitExceededException')
    expect(r.errors.join('\n')).toContain(
      'lower min-inference-units, or ask AWS for a higher quota'
    )
    expect(status(old.ours)).toBe('RUNNING')
    expect(stops()).toHaveLength(0)
  })

  test('a start still STARTING at deploy-timeout-minutes is stopped and fails the step', async () => {
    emu.setHosting({ held: true })
    const r = await run({ 'deploy-timeout-minutes': '0.02' })
    expect(r.code).toBe(1)
    expect(r.outputs['deploy-status']).toBe('TIMEOUT')
    expect(r.errors.join('\n')).toContain('was not RUNNING after 0.02 min')
    expect(stops().map((s) => s.body.ProjectVersionArn)).toEqual([r.outputs['project-version-arn']])
  })

  test('a cancel while starting says the model is starting and how it will be stopped', async () => {
    emu.setHosting({ held: true })
    const r = await run({}, { runnerCancel: { when: /waiting up to 30 min for RUNNING/ } })
    expect(r.outputs['deploy-status']).toBe('STARTING')
    expect(r.stdout).toMatch(/Cancelled while .* is starting/)
    // The training ended long ago: nothing says it goes on.
    expect(r.stdout).not.toContain('Training on AWS cannot be stopped')
    expect(r.summary).toContain('Cancelled while starting')
    expect(r.summary).toContain('aws rekognition stop-project-version --project-version-arn')
    expect(r.summary).toContain('a re-run of this job attaches to it')
    expect(starts()).toHaveLength(1)
  })
})

describe('states that cannot be started', () => {
  test('a re-run that finds the version STOPPING says so and starts nothing', async () => {
    const first = await run()
    expect(first.code).toBe(0)
    emu.setHosting({ checksUntilStopped: 100 })
    const arn = first.outputs['project-version-arn']
    const { rek } = await import('../emulator/testing.js')
    expect((await rek(emu, 'StopProjectVersion', { ProjectVersionArn: arn })).status).toBe(200)
    const again = await run()
    expect(again.code).toBe(1)
    expect(again.outputs['deploy-status']).toBe('FAILED')
    expect(again.errors.join('\n')).toContain(
      'is STOPPING: it can be started again once it is STOPPED'
    )
    expect(starts()).toHaveLength(1)
  })
})

describe('nothing is started', () => {
  test('on a pull request from a fork without credentials', async () => {
    const before = emu.requests.length
    const r = await run(
      {},
      {
        event: {
          name: 'pull_request',
          payload: {
            pull_request: {
              number: 5,
              head: { sha: 'ab'.repeat(20), ref: 'x', repo: { full_name: 'fork/vision' } },
              base: { ref: 'main', repo: { full_name: 'acme/vision' } }
            }
          }
        },
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SESSION_TOKEN: undefined
        }
      }
    )
    expect(r.code).toBe(0)
    expect(r.outputs['deploy-status']).toBe('not started: fork')
    expect(r.summary).toContain('**Deployment**: nothing started (fork).')
    expect(emu.requests.length).toBe(before)
  })

  test('when a quality gate failed', async () => {
    const r = await run({ 'min-f1-score': '0.99' })
    expect(r.code).toBe(1)
    expect(r.outputs['deploy-status']).toBe('not started: quality gate failed')
    expect(starts()).toHaveLength(0)
    expect(r.summary).toContain('Nothing was started: quality gate failed.')
  })

  test('when the training failed', async () => {
    emu.setTraining({ finalStatus: 'TRAINING_FAILED' })
    const r = await run()
    expect(r.code).toBe(1)
    expect(r.outputs['deploy-status']).toBe('not started: training failed')
    expect(starts()).toHaveLength(0)
  })

  test('on a dry run (the smoke manifest is still checked)', async () => {
    const before = emu.requests.length
    const r = await run({ 'dry-run': 'true' })
    expect(r.code).toBe(0)
    expect(r.outputs['deploy-status']).toBe('not started: dry-run')
    expect(r.summary).toContain('**Deployment**: nothing started (dry-run).')
    expect(emu.requests.length).toBe(before)
  })
})

describe('inputs are checked before any AWS call', () => {
  test.each([
    [
      { 'min-inference-units': '0' },
      'min-inference-units "0" is out of range; it must be a whole number >= 1'
    ],
    [{ 'min-inference-units': '1.5' }, 'min-inference-units "1.5" is not a whole number'],
    [
      { 'min-inference-units': '3', 'max-inference-units': '2' },
      'max-inference-units "2" is less than min-inference-units (3); it must be >= min-inference-units'
    ],
    [
      { 'smoke-test-min-accuracy': '1.5' },
      'smoke-test-min-accuracy "1.5" is out of range; it must be a decimal number >= 0 and <= 1'
    ],
    [{ 'inference-price-per-hour': '-1' }, 'inference-price-per-hour "-1" is not a number'],
    [
      { 'deploy-timeout-minutes': '0' },
      'deploy-timeout-minutes "0" is out of range; it must be a decimal number > 0'
    ],
    [{ 'stop-after-minutes': 'soon' }, 'stop-after-minutes "soon" is not a number'],
    [
      { 'smoke-test-manifest': 's3://bucket/m.manifest' },
      'smoke-test-manifest "s3://bucket/m.manifest" is not one file in the repository'
    ],
    [{ wait: 'false' }, 'deploy is true but wait is false'],
    [{ deploy: 'yes' }, 'deploy "yes" is not a boolean']
  ])('%j', async (inputs, message) => {
    const before = emu.requests.length
    const r = await run(inputs)
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain(message)
    expect(emu.requests.length).toBe(before)
  })

  test('a smoke manifest with a bad line is annotated on its line', async () => {
    const before = emu.requests.length
    const r = await run({}, { files: { 'smoke.manifest': `${SMOKE}\n{"source-ref": "http://x"}` } })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error file=smoke.manifest,line=3::/)
    expect(emu.requests.length).toBe(before)
  })
})
