// deploy: true after a training, with the SDK mocked (aws-sdk-client-mock): what is started, in
// which order, what is stopped (only this slot's earlier deployments, only after the smoke test),
// what the outputs and the summary say, and the GitHub deployment record (the emulator's GitHub).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  DetectCustomLabelsCommand,
  ListTagsForResourceCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  TagResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Deployer, type TrainingEnd } from '../../src/deploy/deploy.js'
import { DEPLOY_TAGS } from '../../src/deploy/plan.js'
import type { RunContext } from '../../src/github/github-context.js'
import { parseInputs } from '../../src/inputs/inputs.js'
import type { RunState } from '../../src/modes/run-state.js'
import { timing } from '../../src/timing.js'
import { Emulator } from '../emulator/server.js'
import { NOW, arnOf, createInputs, prContext, recordingIo, runContext } from './helpers.js'

const rekognition = mockRekognition()
const client = testClient('eu-west-1')
const NAME = 'v-new'
const ARN = arnOf(NAME)
const awsError = (name: string, message = `${name} said no`, httpStatusCode = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } })

const line = (image: string, label: string): string =>
  JSON.stringify({
    'source-ref': `s3://acme-images/${image}`,
    defect: 1,
    'defect-metadata': {
      'class-name': label,
      type: 'groundtruth/image-classification',
      confidence: 1,
      'human-annotated': 'yes',
      'creation-date': '2026-01-01T00:00:00'
    }
  })

let workspace: string
let logs: { level: string; line: string }[]
let outputs: Record<string, string>
let outputLog: [string, string][]
let summaries: string[]
let emu: Emulator | undefined

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'deploy-'))
  writeFileSync(
    join(workspace, 'smoke.manifest'),
    [line('a.jpg', 'scratch'), line('b.jpg', 'dent')].join('\n') + '\n'
  )
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
beforeEach(() => {
  rekognition.reset()
  logs = []
  outputs = {}
  outputLog = []
  summaries = []
})
afterEach(async () => {
  await emu?.stop()
  emu = undefined
})

const io = (read: (name: string) => string) =>
  recordingIo({
    logs,
    outputs,
    outputLog,
    onSummary: (markdown) => summaries.push(markdown),
    getInput: read,
    env: { GITHUB_API_URL: emu?.url ?? 'http://127.0.0.1:9' },
    // GitHub's one-second spacing of writes is for github.com, not the emulator.
    timing: timing(0.5)
  })

interface Setup {
  inputs?: Record<string, string>
  ctx?: RunContext
  cancel?: AbortSignal
}

async function setup(s: Setup = {}) {
  const ctx = { ...(s.ctx ?? runContext()), workspace }
  const read = createInputs({
    deploy: 'true',
    wait: 'true',
    'poll-interval-seconds': '0.01',
    'version-name': NAME,
    ...s.inputs
  })
  const inputs = parseInputs(read, ctx, NOW)
  const theIo = io(read)
  const deployer = await Deployer.prepare(theIo, inputs, ctx)
  const state: RunState = {
    ctx,
    inputs,
    region: 'eu-west-1',
    version: { arn: ARN, name: NAME, created: true }
  }
  const deps = { client, sockets: {}, cancel: s.cancel ?? new AbortController().signal }
  const ok: TrainingEnd = { outcome: 'trained', failedGates: [] }
  const after = (
    trained: ProjectVersionDescription = { ProjectVersionArn: ARN, Status: 'TRAINING_COMPLETED' },
    end: TrainingEnd = ok
  ) => deployer.afterTraining(state, end, trained, deps)
  return { deployer, state, after, inputs }
}

/** The commands sent, in order, by name. */
const sent = () => rekognition.calls().map((c) => (c.args[0] as object).constructor.name)
const inputsOf = <T>(cmd: new (i: T) => unknown) =>
  rekognition.commandCalls(cmd as never).map((c) => (c.args[0] as { input: T }).input)
const MINE = { [DEPLOY_TAGS.deployedBy]: 'acme/defects', [DEPLOY_TAGS.ref]: 'refs/heads/main' }

/** A project where the new version starts, then runs; old ones of several slots are up. */
function project(o: {
  current?: Record<string, string>
  afterStart?: ProjectVersionDescription[]
  hosted?: { name: string; tags: Record<string, string> }[]
  labels?: Record<string, string>
}) {
  const hosted = o.hosted ?? []
  rekognition
    .on(ListTagsForResourceCommand, { ResourceArn: ARN })
    .resolves({ Tags: o.current ?? {} })
    .on(TagResourceCommand)
    .resolves({})
    .on(StartProjectVersionCommand)
    .resolves({ Status: 'STARTING' })
    .on(StopProjectVersionCommand)
    .resolves({ Status: 'STOPPING' })
    .on(DescribeProjectVersionsCommand, { MaxResults: 100 })
    .resolves({
      ProjectVersionDescriptions: [
        { ProjectVersionArn: ARN, Status: 'RUNNING', MinInferenceUnits: 1 },
        ...hosted.map((h): ProjectVersionDescription => ({
          ProjectVersionArn: arnOf(h.name),
          Status: 'RUNNING',
          MinInferenceUnits: 1
        }))
      ]
    })
  for (const h of hosted)
    rekognition
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf(h.name) })
      .resolves({ Tags: h.tags })
  const seq = o.afterStart ?? [
    { ProjectVersionArn: ARN, Status: 'STARTING' },
    { ProjectVersionArn: ARN, Status: 'RUNNING', MinInferenceUnits: 1, MaxInferenceUnits: 2 }
  ]
  let d = rekognition.on(DescribeProjectVersionsCommand, { VersionNames: [NAME] })
  for (const x of seq.slice(0, -1)) d = d.resolvesOnce({ ProjectVersionDescriptions: [x] })
  d.resolves({ ProjectVersionDescriptions: [seq.at(-1)!] })
  const labels = o.labels ?? { 'a.jpg': 'scratch', 'b.jpg': 'dent' }
  for (const [key, label] of Object.entries(labels))
    rekognition
      .on(DetectCustomLabelsCommand, {
        Image: { S3Object: { Bucket: 'acme-images', Name: key } }
      })
      .resolves({ CustomLabels: label ? [{ Name: label, Confidence: 95 }] : [] })
}

const SMOKE = { 'smoke-test-manifest': 'smoke.manifest' }
const OLD_SLOTS: { name: string; tags: Record<string, string> }[] = [
  { name: 'old-main', tags: MINE },
  { name: 'pr-preview', tags: { ...MINE, [DEPLOY_TAGS.pr]: '17' } },
  { name: 'theirs', tags: { [DEPLOY_TAGS.deployedBy]: 'someone/else' } },
  { name: 'by-hand', tags: {} }
]

describe('deploy: a new version', () => {
  test('tags, starts, waits for RUNNING, smoke-tests, and only then stops the same slot’s old deployment', async () => {
    project({ hosted: OLD_SLOTS })
    const { after } = await setup({ inputs: { ...SMOKE, 'max-inference-units': '2' } })
    expect(await after()).toBeUndefined()

    expect(sent()).toEqual([
      'ListTagsForResourceCommand',
      'TagResourceCommand',
      'StartProjectVersionCommand',
      'DescribeProjectVersionsCommand',
      'DescribeProjectVersionsCommand',
      'DetectCustomLabelsCommand',
      'DetectCustomLabelsCommand',
      'DescribeProjectVersionsCommand',
      'ListTagsForResourceCommand',
      'ListTagsForResourceCommand',
      'ListTagsForResourceCommand',
      'ListTagsForResourceCommand',
      'ListTagsForResourceCommand',
      'StopProjectVersionCommand'
    ])
    const [tagged] = inputsOf(TagResourceCommand)
    expect(tagged.ResourceArn).toBe(ARN)
    expect(tagged.Tags).toMatchObject({
      'train-action:deployed-by': 'acme/defects',
      'train-action:deployed-ref': 'refs/heads/main'
    })
    expect(tagged.Tags?.['train-action:started-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(tagged.Tags).not.toHaveProperty('train-action:deployed-pr')
    expect(tagged.Tags).not.toHaveProperty('train-action:stop-after')
    expect(inputsOf(StartProjectVersionCommand)).toEqual([
      { ProjectVersionArn: ARN, MinInferenceUnits: 1, MaxInferenceUnits: 2 }
    ])
    // Only main's earlier deployment: not the PR's preview, another repository's, or one by hand.
    expect(inputsOf(StopProjectVersionCommand)).toEqual([{ ProjectVersionArn: arnOf('old-main') }])

    expect(outputs).toMatchObject({
      'deploy-status': 'RUNNING',
      'deployed-version-arn': ARN,
      'stopped-versions': arnOf('old-main'),
      'inference-units': '1',
      'smoke-test-accuracy': '1'
    })
    // The status followed the wait: STARTING before RUNNING.
    const statuses = outputLog.filter(([k]) => k === 'deploy-status').map(([, v]) => v)
    expect(statuses[0]).toBe('STARTING')
    expect(statuses.at(-1)).toBe('RUNNING')
    expect(logs).toContainEqual({
      level: 'info',
      line: `Started ${ARN} with 1-2 inference unit(s); waiting up to 30 min for RUNNING.`
    })
    expect(logs).toContainEqual({ level: 'info', line: `${ARN} is RUNNING.` })
    expect(logs).toContainEqual({ level: 'info', line: 'Smoke test: 100.0% right (needs 90.0%).' })
    expect(logs).toContainEqual({
      level: 'info',
      line: `Stopped ${arnOf('old-main')}, deployed before by this repository.`
    })
    const last = summaries.at(-1)!
    expect(summaries[0]).toContain('Deployment: STARTING')
    expect(last).toContain('## 🟢 Deployment: RUNNING')
    expect(last).toContain('**Smoke test**: 100.0% right (2 of 2)')
    expect(last).toContain('**Stopped**: `old-main`')
    expect(last).toContain('`pr-preview`')
    expect(last).toContain('`theirs`')
    expect(logs.filter((l) => l.level === 'warning')).toEqual([])
  })

  test('a pull request’s preview: tagged with the PR and its stop time; replaces only that PR’s preview', async () => {
    project({ hosted: OLD_SLOTS })
    const { after } = await setup({ ctx: prContext(), inputs: { 'stop-after-minutes': '90' } })
    expect(await after()).toBeUndefined()
    const [tagged] = inputsOf(TagResourceCommand)
    expect(tagged.Tags).toMatchObject({
      'train-action:deployed-pr': '17',
      'train-action:deployed-ref': 'refs/pull/17/merge'
    })
    const started = Date.parse(tagged.Tags!['train-action:started-at'])
    expect(Date.parse(tagged.Tags!['train-action:stop-after']) - started).toBe(90 * 60_000)
    expect(inputsOf(StopProjectVersionCommand)).toEqual([
      { ProjectVersionArn: arnOf('pr-preview') }
    ])
    expect(sent()).not.toContain('DetectCustomLabelsCommand')
    expect(summaries.at(-1)).toContain('A preview: mode: collect stops it after 90 min.')
  })

  test('stop-previous: false stops nothing', async () => {
    project({ hosted: OLD_SLOTS })
    const { after } = await setup({ inputs: { 'stop-previous': 'false' } })
    expect(await after()).toBeUndefined()
    expect(sent()).not.toContain('StopProjectVersionCommand')
    expect(outputs['stopped-versions']).toBe('')
  })

  test('an earlier deployment that cannot be stopped: RUNNING, but the step fails saying so', async () => {
    project({ hosted: [{ name: 'old-main', tags: MINE }] })
    rekognition
      .on(StopProjectVersionCommand)
      .rejects(awsError('AccessDeniedException', 'no stop for you'))
    const { after } = await setup()
    const failed = await after()
    expect(failed).toMatch(
      new RegExp(
        `^${ARN.replace(/[/.]/g, '\\$&')} is RUNNING, but 1 earlier deployment\\(s\\) could not be stopped: `
      )
    )
    expect(outputs['deploy-status']).toBe('RUNNING')
    expect(outputs['stopped-versions']).toBe('')
  })

  test('the project’s running versions cannot be listed: a warning, nothing stopped', async () => {
    project({})
    rekognition
      .on(DescribeProjectVersionsCommand, { MaxResults: 100 })
      .rejects(awsError('AccessDeniedException', 'no listing'))
    const { after } = await setup()
    expect(await after()).toBeUndefined()
    expect(sent()).not.toContain('StopProjectVersionCommand')
    expect(
      logs.some(
        (l) =>
          l.level === 'warning' &&
          l.line.startsWith("Could not list the project's running versions")
      )
    ).toBe(true)
    expect(outputs['deploy-status']).toBe('RUNNING')
  })
})

describe('deploy: the smoke test', () => {
  test('a failed smoke test tags and stops the new version only; the old ones serve on', async () => {
    project({ hosted: OLD_SLOTS, labels: { 'a.jpg': 'scratch', 'b.jpg': 'scratch' } })
    const { after } = await setup({ inputs: SMOKE })
    const failed = await after()
    expect(failed).toBe(
      `Smoke test failed: 50.0% of 2 image(s) answered right, below smoke-test-min-accuracy 90.0%. ${ARN} was stopped; the versions serving before were not touched.`
    )
    expect(inputsOf(StopProjectVersionCommand)).toEqual([{ ProjectVersionArn: ARN }])
    const tags = inputsOf(TagResourceCommand)
    expect(tags).toHaveLength(2)
    expect(Object.keys(tags[1].Tags!)).toEqual([DEPLOY_TAGS.smokeFailed])
    // The project's versions are never listed: nothing else is looked at, nothing else stopped.
    expect(sent().slice(-2)).toEqual(['TagResourceCommand', 'StopProjectVersionCommand'])
    expect(outputs).toMatchObject({
      'deploy-status': 'SMOKE_TEST_FAILED',
      'smoke-test-accuracy': '0.5',
      'stopped-versions': ARN
    })
    expect(outputs).not.toHaveProperty('deployed-version-arn')
    expect(summaries.at(-1)).toContain('## ❌ Deployment: SMOKE&#95;TEST&#95;FAILED')
  })

  test('throttled images are asked again', async () => {
    project({})
    rekognition
      .on(DetectCustomLabelsCommand, {
        Image: { S3Object: { Bucket: 'acme-images', Name: 'a.jpg' } }
      })
      .rejectsOnce(awsError('ThrottlingException', 'slow down'))
      .resolves({ CustomLabels: [{ Name: 'scratch', Confidence: 95 }] })
    const { after } = await setup({ inputs: SMOKE })
    expect(await after()).toBeUndefined()
    expect(rekognition.commandCalls(DetectCustomLabelsCommand)).toHaveLength(3)
    expect(logs.some((l) => l.line.includes('a.jpg: ThrottlingException; trying again in'))).toBe(
      true
    )
    expect(outputs['deploy-status']).toBe('RUNNING')
  })

  test('a cancel during the smoke test is no verdict: stopped unchecked, not marked failed', async () => {
    const ac = new AbortController()
    project({ hosted: OLD_SLOTS })
    rekognition
      .on(DetectCustomLabelsCommand, {
        Image: { S3Object: { Bucket: 'acme-images', Name: 'a.jpg' } }
      })
      .callsFake(() => {
        ac.abort()
        return { CustomLabels: [{ Name: 'scratch', Confidence: 95 }] }
      })
    const { after } = await setup({ cancel: ac.signal, inputs: SMOKE })
    const said = await after()
    expect(said).toContain(`Cancelled during the smoke test of ${ARN}`)
    expect(outputs['deploy-status']).toBe('CANCELLED')
    expect(inputsOf(StopProjectVersionCommand)).toEqual([{ ProjectVersionArn: ARN }])
    // Only the deploy's own tags: no smoke-failed mark, so a re-run starts it again.
    expect(inputsOf(TagResourceCommand).flatMap((t) => Object.keys(t.Tags!))).not.toContain(
      DEPLOY_TAGS.smokeFailed
    )
  })

  test('a version that failed its smoke test before is not started again', async () => {
    project({ current: { ...MINE, [DEPLOY_TAGS.smokeFailed]: '2026-12-01T10:00:00Z' } })
    const { after } = await setup({ inputs: SMOKE })
    const failed = await after({ ProjectVersionArn: ARN, Status: 'STOPPED' })
    expect(failed).toContain(
      `Version ${ARN} failed its smoke test at 2026-12-01T10:00:00Z and was stopped; it is not started (and paid for) again.`
    )
    expect(failed).toContain(`--tag-keys ${DEPLOY_TAGS.smokeFailed}`)
    expect(sent()).toEqual(['ListTagsForResourceCommand'])
    expect(outputs['deploy-status']).toBe('SMOKE_TEST_FAILED')
  })
})

describe('deploy: a version already up for another deployment', () => {
  const theirs = { [DEPLOY_TAGS.deployedBy]: 'someone/else', [DEPLOY_TAGS.ref]: 'refs/heads/main' }

  test('is used as it is: not re-tagged, not started, nothing stopped for it', async () => {
    project({ current: theirs, hosted: OLD_SLOTS })
    const { after } = await setup()
    expect(
      await after({ ProjectVersionArn: ARN, Status: 'RUNNING', MinInferenceUnits: 3 })
    ).toBeUndefined()
    expect(sent()).toEqual([
      'ListTagsForResourceCommand',
      'DescribeProjectVersionsCommand',
      ...OLD_SLOTS.map(() => 'ListTagsForResourceCommand'),
      'ListTagsForResourceCommand'
    ])
    expect(logs).toContainEqual({
      level: 'notice',
      line: `${ARN} is already RUNNING for another deployment (someone/else, refs/heads/main): it is used as it is; it is not re-tagged, and nothing is stopped for it.`
    })
    expect(outputs).toMatchObject({
      'deploy-status': 'RUNNING',
      'inference-units': '3',
      'stopped-versions': ''
    })
  })

  test('a failed smoke test leaves it running and untagged', async () => {
    project({ current: theirs, labels: { 'a.jpg': '', 'b.jpg': '' } })
    const { after } = await setup({ inputs: SMOKE })
    const failed = await after({ ProjectVersionArn: ARN, Status: 'RUNNING' })
    expect(failed).toContain(`${ARN} serves another deployment and was left running`)
    expect(sent()).not.toContain('StopProjectVersionCommand')
    expect(sent()).not.toContain('TagResourceCommand')
    expect(logs).toContainEqual({
      level: 'warning',
      line: `${ARN} serves another deployment: it was not started by this step, so it is left running.`
    })
  })

  test('one of this slot found STARTING is attached to: re-tagged but its start time kept', async () => {
    project({
      current: {
        ...MINE,
        [DEPLOY_TAGS.ref]: 'refs/heads/old',
        [DEPLOY_TAGS.startedAt]: '2026-12-07T01:00:00Z'
      }
    })
    const { after } = await setup()
    expect(await after({ ProjectVersionArn: ARN, Status: 'STARTING' })).toBeUndefined()
    expect(sent()).not.toContain('StartProjectVersionCommand')
    // Only what differs: the ref; the start time it has is kept (its clock does not restart).
    expect(inputsOf(TagResourceCommand)).toEqual([
      { ResourceArn: ARN, Tags: { [DEPLOY_TAGS.ref]: 'refs/heads/main' } }
    ])
    expect(logs).toContainEqual({
      level: 'info',
      line: `${ARN} is already STARTING: not started again.`
    })
  })
})

describe('deploy: StartProjectVersion refused', () => {
  test('LimitExceededException fails the step with the quota advice', async () => {
    project({})
    rekognition
      .on(StartProjectVersionCommand)
      .rejects(awsError('LimitExceededException', 'too many'))
    const { after } = await setup()
    await expect(after()).rejects.toThrow(
      `StartProjectVersion refused ${ARN}: LimitExceededException, a Rekognition limit on running models or inference units in this account and region was reached (asked for 1 units).`
    )
    expect(sent()).not.toContain('StopProjectVersionCommand')
  })

  test('ResourceInUseException and the version is STARTING: attached to, not started again', async () => {
    project({
      afterStart: [
        { ProjectVersionArn: ARN, Status: 'STARTING', MinInferenceUnits: 2 },
        { ProjectVersionArn: ARN, Status: 'RUNNING', MinInferenceUnits: 2 }
      ]
    })
    rekognition.on(StartProjectVersionCommand).rejects(awsError('ResourceInUseException', 'busy'))
    const { after } = await setup()
    expect(await after()).toBeUndefined()
    expect(rekognition.commandCalls(StartProjectVersionCommand)).toHaveLength(1)
    expect(logs).toContainEqual({
      level: 'info',
      line: `${ARN} is already STARTING: not started again.`
    })
    expect(outputs['inference-units']).toBe('2')
    expect(outputs['deploy-status']).toBe('RUNNING')
  })

  test('ResourceInUseException and the version cannot be started: FAILED, nothing stopped', async () => {
    project({ afterStart: [{ ProjectVersionArn: ARN, Status: 'STOPPING' }] })
    rekognition.on(StartProjectVersionCommand).rejects(awsError('ResourceInUseException', 'busy'))
    const { after } = await setup()
    expect(await after()).toBe(
      `StartProjectVersion refused ${ARN} (ResourceInUseException): the version is STOPPING, a state it cannot be started from. AWS said: busy`
    )
    expect(outputs['deploy-status']).toBe('FAILED')
    expect(sent()).not.toContain('StopProjectVersionCommand')
  })

  test('a version STOPPING is not started', async () => {
    project({})
    const { after } = await setup()
    expect(await after({ ProjectVersionArn: ARN, Status: 'STOPPING' })).toBe(
      `Version ${ARN} is STOPPING: it can be started again once it is STOPPED; re-run the job then.`
    )
    expect(sent()).toEqual(['ListTagsForResourceCommand'])
    expect(outputs['deploy-status']).toBe('FAILED')
  })
})

describe('deploy: the start does not end RUNNING', () => {
  test('FAILED: reported with the service’s words; nothing stopped', async () => {
    project({
      afterStart: [{ ProjectVersionArn: ARN, Status: 'FAILED', StatusMessage: 'no capacity' }]
    })
    const { after } = await setup()
    expect(await after()).toBe(
      `Starting ${ARN} ended FAILED. The service said: no capacity The versions serving before were not touched.`
    )
    expect(outputs['deploy-status']).toBe('FAILED')
    expect(sent()).not.toContain('StopProjectVersionCommand')
  })

  test('past deploy-timeout-minutes: TIMEOUT, and the new version is stopped', async () => {
    project({ afterStart: [{ ProjectVersionArn: ARN, Status: 'STARTING' }] })
    const { after } = await setup({ inputs: { 'deploy-timeout-minutes': '0.002' } })
    expect(await after()).toBe(
      `${ARN} was not RUNNING after 0.002 min (deploy-timeout-minutes): stopped, so it is not billed; the versions serving before were not touched.`
    )
    expect(outputs['deploy-status']).toBe('TIMEOUT')
    expect(inputsOf(StopProjectVersionCommand)).toEqual([{ ProjectVersionArn: ARN }])
  })

  test('the new version cannot be stopped: a warning with the command to stop it by hand', async () => {
    project({ afterStart: [{ ProjectVersionArn: ARN, Status: 'STARTING' }] })
    rekognition.on(StopProjectVersionCommand).rejects(awsError('AccessDeniedException'))
    const { after } = await setup({ inputs: { 'deploy-timeout-minutes': '0.002' } })
    await after()
    const warning = logs.find((l) => l.level === 'warning' && l.line.startsWith('Could not stop'))
    expect(warning?.line).toContain(
      `Stop it by hand: aws rekognition stop-project-version --project-version-arn ${ARN}`
    )
    expect(outputs['deploy-status']).toBe('TIMEOUT')
  })

  test('a cancel while starting leaves it starting and says how it stops', async () => {
    const ac = new AbortController()
    project({ afterStart: [{ ProjectVersionArn: ARN, Status: 'STARTING' }] })
    // Cancelled at the first status check after the start: the wait for RUNNING has begun.
    rekognition.on(DescribeProjectVersionsCommand, { VersionNames: [NAME] }).callsFake(() => {
      ac.abort()
      return { ProjectVersionDescriptions: [{ ProjectVersionArn: ARN, Status: 'STARTING' }] }
    })
    const { after } = await setup({ cancel: ac.signal, inputs: { 'stop-after-minutes': '60' } })
    const said = await after()
    expect(said).toMatch(
      new RegExp(`^Cancelled while ${ARN.replace(/[/.]/g, '\\$&')} was starting\\.`)
    )
    expect(said).toContain('mode: collect stops it after 60 min (tag train-action:stop-after)')
    expect(outputs['deploy-status']).toBe('STARTING')
    expect(sent()).not.toContain('StopProjectVersionCommand')
    expect(logs.some((l) => l.level === 'warning' && l.line.startsWith('Cancelled while'))).toBe(
      true
    )
  })
})

describe('deploy: nothing started', () => {
  const failedEnd = (e: Partial<TrainingEnd>): TrainingEnd => ({
    outcome: 'failed',
    failedGates: [],
    ...e
  })
  test.each([
    ['training failed', failedEnd({ message: 'boom' }), false],
    ['quality gate failed', failedEnd({ failedGates: [{}] }), false],
    ['cancelled', failedEnd({}), true]
  ])('%s', async (why, end, cancelled) => {
    const ac = new AbortController()
    if (cancelled) ac.abort()
    const { after } = await setup({ cancel: ac.signal })
    expect(await after(undefined, end)).toBeUndefined()
    expect(sent()).toEqual([])
    expect(outputs['deploy-status']).toBe(`not started: ${why}`)
    expect(summaries.at(-1)).toContain(`Nothing was started: ${why}.`)
  })

  test('deploy: false does nothing and says nothing', async () => {
    const { after, deployer } = await setup({ inputs: { deploy: 'false', ...SMOKE } })
    expect(await after()).toBeUndefined()
    expect(deployer.skip('dry-run')).toBe('')
    expect(sent()).toEqual([])
    expect(outputs).toEqual({})
    expect(logs).toContainEqual({
      level: 'notice',
      line: 'smoke-test-manifest is set but deploy is false: nothing will be tested.'
    })
  })

  test('skip: the status and the summary line', async () => {
    const { deployer } = await setup()
    expect(deployer.skip('fork')).toBe('\n- **Deployment**: nothing started (fork).\n')
    expect(outputs['deploy-status']).toBe('not started: fork')
  })
})

describe('deploy: the GitHub deployment record', () => {
  const ENV = { 'deployment-environment': 'production', 'github-token': 'ghs_t' }
  beforeEach(async () => {
    emu = await Emulator.start()
    emu.setGitHubToken('ghs_t')
  })

  test('in_progress, then success; the replaced deployment marked inactive', async () => {
    project({ hosted: [{ name: 'old-main', tags: MINE }] })
    const old = emu!.addDeployment('acme', 'defects', 'production', {
      'project-version-arn': arnOf('old-main')
    })
    const { after } = await setup({ inputs: ENV })
    expect(await after()).toBeUndefined()
    const all = emu!.deployments('acme', 'defects')
    expect(all).toHaveLength(2)
    const mine = all[1]
    expect(mine).toMatchObject({
      ref: runContext().sha,
      environment: 'production',
      transient: false
    })
    expect(mine.payload).toEqual({ 'project-version-arn': ARN })
    expect(mine.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(all[0].id).toBe(old)
    expect(all[0].statuses.map((s) => s.state).at(-1)).toBe('inactive')
  })

  test('a failed start records failure', async () => {
    project({ afterStart: [{ ProjectVersionArn: ARN, Status: 'FAILED' }] })
    const { after } = await setup({ inputs: ENV, ctx: prContext() })
    await after()
    const [mine] = emu!.deployments('acme', 'defects')
    expect(mine.transient).toBe(true)
    expect(mine.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
  })
})
