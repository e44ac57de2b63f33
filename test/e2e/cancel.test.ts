// Cancels with GitHub's timing, sent to the bundle's process: SIGINT, SIGTERM 7.5 s later, SIGKILL
// 2.5 s after that (harness runnerCancel), both sides at the time scale SCALE, and the emulator's
// delays scaled alike, so events come in the real order. A cancel starts no new
// training, and never leaves one the log does not name.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { SHA, baseInputs, runAction, scaled, type RunOptions } from './harness.js'
import { classificationLines } from '../fixtures/manifest-builders.js'

/**
 * Real time: what is tested is the order of the process's own work against GitHub's deadlines,
 * and a loaded machine slows the process, not the deadlines.
 */
const SCALE = 1

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`cancel-${++n}`)
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 2, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

const NAME = `vision-${SHA.slice(0, 12)}`
const KILL_AT_MS = scaled(10_000, SCALE)

const manifest = (prefix: string, count: number) =>
  classificationLines(prefix, count, { jobName: 'labeling' }).join('\n')

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), 'poll-interval-seconds': '0.2', ...inputs },
    timeoutMs: 60_000,
    timeScale: SCALE,
    ...extra
  })

const creates = () =>
  emu.requestsFor('CreateProjectVersion').filter((q) => q.body?.ProjectArn === projectArn)

describe('a cancel before the create', () => {
  test('during the manifest upload: no training is started', async () => {
    let putArrived: () => void = () => undefined
    const arrived = new Promise<void>((resolve) => (putArrived = resolve))
    emu.onRequest('S3:PutObject', () => putArrived())
    // The upload outlasts the SIGINT: the cancel lands in the middle of it.
    emu.injectFault('S3:PutObject', { kind: 'slow', delayMs: scaled(2_000, SCALE) })
    const r = await run(
      {
        'training-manifests': 'data/train.manifest',
        'testing-manifests': 'data/test.manifest'
      },
      {
        files: {
          'data/train.manifest': manifest('train', 30),
          'data/test.manifest': manifest('test', 12)
        },
        runnerCancel: { at: arrived }
      }
    )
    expect(r.cancelSignals[0]).toBe('SIGINT')
    expect(r.cancelSignals).not.toContain('SIGKILL')
    expect(r.code).toBe(1)
    expect(creates()).toHaveLength(0)
    expect(emu.versions(projectArn)).toHaveLength(0)
    expect(r.errors[0]).toMatch(/Cancelled before version .* was created: no training was started/)
    expect(r.outputs['project-version-arn']).toBeUndefined()
  })
})

describe('a cancel while CreateProjectVersion is answering', () => {
  test('a late answer: the ARN is output and logged before SIGKILL', async () => {
    // The service acts at once; its answer comes 5 s (scaled) later, after the SIGINT.
    emu.injectFault('CreateProjectVersion', { kind: 'late', delayMs: scaled(5_000, SCALE) })
    const r = await run({ wait: 'true' }, { runnerCancel: { when: /Starting training/ } })
    const versions = emu.versions(projectArn)
    expect(versions).toHaveLength(1)
    const [v] = versions
    expect(r.cancelSignals).not.toContain('SIGKILL')
    expect(r.exitAfterCancelMs).toBeLessThan(KILL_AT_MS)
    expect(r.code).toBe(1)
    expect(r.outputs).toMatchObject({ 'project-version-arn': v.arn, created: 'true' })
    const afterCancel = r.stdout.slice(r.stdout.indexOf('SIGINT received'))
    expect(afterCancel).toContain(`Started training ${v.arn}`)
    expect(r.errors[0]).toMatch(/cannot be stopped and goes on/)
    expect(r.errors[0]).toContain(v.arn)
    expect(creates()).toHaveLength(1)
  }, 60_000)

  test('an answer that never comes: the name is looked up once, and the ARN output', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'late', delayMs: 120_000 })
    const r = await run({ wait: 'true' }, { runnerCancel: { when: /Starting training/ } })
    const [v] = emu.versions(projectArn)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.cancelSignals).not.toContain('SIGKILL')
    expect(r.exitAfterCancelMs).toBeLessThan(KILL_AT_MS)
    expect(r.outputs['project-version-arn']).toBe(v.arn)
    expect(r.stdout).toContain(`Found version ${NAME} by name after the cancel: ${v.arn}`)
    expect(r.errors[0]).toContain(v.arn)
    // Exactly one look, after the create: the existence check before it is the other.
    const looks = emu
      .requestsFor('DescribeProjectVersions')
      .filter((q) => q.body?.ProjectArn === projectArn)
    expect(looks).toHaveLength(2)
  }, 60_000)

  test('an answer that never comes and no version: the log names the version to look for', async () => {
    emu.injectFault('CreateProjectVersion', { kind: 'hang' })
    const r = await run({ wait: 'true' }, { runnerCancel: { when: /Starting training/ } })
    expect(emu.versions(projectArn)).toHaveLength(0)
    expect(r.cancelSignals).not.toContain('SIGKILL')
    expect(r.code).toBe(1)
    expect(r.outputs['project-version-arn']).toBeUndefined()
    expect(r.errors[0]).toMatch(
      new RegExp(
        `CreateProjectVersion for ${NAME} got no answer before the job was stopped.*a training named ${NAME} goes on`
      )
    )
  }, 60_000)
})

describe('a cancel while waiting', () => {
  test('exits at the SIGINT, long before SIGTERM, with the ARN', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      { wait: 'true', 'wait-timeout-minutes': '10' },
      { runnerCancel: { when: /next check in/ } }
    )
    const [v] = emu.versions(projectArn)
    expect(r.cancelSignals).toEqual(['SIGINT'])
    expect(r.code).toBe(1)
    expect(r.outputs['project-version-arn']).toBe(v.arn)
    expect(r.stdout).toMatch(/SIGINT received\. Cancelled\. Training on AWS cannot be stopped/)
    expect(r.summary).toContain('Job cancelled')
  })
})
