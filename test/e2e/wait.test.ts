// Waiting for training end to end: statuses, failures, timeouts, faults while polling, cancel.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator, type Fault } from '../emulator/server.js'
import { baseInputs, runAction, type RunOptions, whenStarted } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`wait-${++n}`)
  emu.clearFaults()
  emu.setTraining({
    checksUntilEnd: 2,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    statusMessage: undefined
  })
})

const fast = { wait: 'true', 'poll-interval-seconds': '0.2' }
const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), ...fast, ...inputs },
    ...extra
  })
const describes = () =>
  emu.requestsFor('DescribeProjectVersions').filter((q) => q.body?.ProjectArn === projectArn)

describe('training completes', () => {
  test('outputs the status, F1, billable time and summary file; the summary shows them', async () => {
    emu.setTraining({ checksUntilEnd: 3, f1Score: 0.873, billableSeconds: 5400 })
    const r = await run({ 'training-price-per-hour': '1.50' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.outputs['f1-score']).toBe('0.873')
    expect(r.outputs['billable-training-seconds']).toBe('5400')
    const [v] = emu.versions(projectArn)
    expect(r.outputs['evaluation-summary-uri']).toMatch(/^s3:\/\/acme-training-out\/.*\.json$/)
    const key = r.outputs['evaluation-summary-uri'].replace('s3://acme-training-out/', '')
    expect(emu.getObject('acme-training-out', key)).toBeDefined()
    // Progress at info level on every check, with when the next one comes.
    expect(r.stdout).toMatch(/TRAINING_IN_PROGRESS after \d+ s; next check in/)
    expect(r.summary).toContain('Training completed')
    expect(r.summary).toContain(v.arn)
    expect(r.summary).toContain('0.873')
    expect(r.summary).toContain('1 h 30 min 00 s billed, about $2.25 at $1.50/h')
    expect(r.summary).toContain(
      'https://eu-west-1.console.aws.amazon.com/rekognition/custom-labels#/projects/'
    )
    expect(r.summary).toContain('github:sha')
  })
})

describe('training fails', () => {
  test('fails the step with the service message and where the validation results are', async () => {
    emu.setTraining({
      finalStatus: 'TRAINING_FAILED',
      statusMessage: 'The manifest file contains too many invalid data objects.'
    })
    const r = await run()
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('TRAINING_FAILED')
    expect(r.outputs['status-message']).toBe(
      'The manifest file contains too many invalid data objects.'
    )
    expect(r.outputs['project-version-arn']).toBe(emu.versions(projectArn)[0].arn)
    expect(r.errors[0]).toContain('too many invalid data objects')
    expect(r.errors[0]).toMatch(/Manifest validation results: s3:\/\//)
    expect(r.errors[0]).toContain('tm-debugging')
    expect(r.summary).toContain('Training failed')
  })
})

describe('timeout', () => {
  test('fails by default, keeps the ARN, and says how to pick the training up', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run({ 'wait-timeout-minutes': '0.05' })
    expect(r.code).toBe(1)
    expect(r.outputs['project-version-arn']).toBeDefined()
    expect(r.outputs.status).toBe('TRAINING_IN_PROGRESS')
    expect(r.errors[0]).toMatch(/still TRAINING_IN_PROGRESS.*re-run the job.*reuse/)
    expect(r.durationMs).toBeLessThan(3_000 + 5_000)
    expect(r.summary).toContain('Still training')
  })

  test('fail-on-timeout: false warns and succeeds', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run({ 'wait-timeout-minutes': '0.03', 'fail-on-timeout': 'false' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::Training was still/)
    expect(r.outputs.status).toBe('TRAINING_IN_PROGRESS')
  })

  test('a service that never answers cannot hold the job past the deadline', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      { 'wait-timeout-minutes': '0.05' },
      {
        onLog: whenStarted(() => emu.injectFault('DescribeProjectVersions', { kind: 'hang' }, 100))
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/still/)
    // 3 s of wait; the hung requests are cut at the deadline.
    expect(r.durationMs).toBeLessThan(3_000 + 5_000)
  })
})

describe('errors while polling', () => {
  test('AccessDenied ends the wait at once, naming the permission, ARN kept', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      { 'wait-timeout-minutes': '5' },
      {
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'access-denied' })
        )
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('rekognition:DescribeProjectVersions')
    expect(r.outputs['project-version-arn']).toBe(emu.versions(projectArn)[0].arn)
    expect(r.durationMs).toBeLessThan(10_000)
  })

  test('an expired token ends the wait and says how to lengthen the session', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      { 'wait-timeout-minutes': '5' },
      {
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'expired-token' })
        )
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/credentials expired.*role-duration-seconds/)
    expect(r.outputs['project-version-arn']).toBeDefined()
    expect(r.durationMs).toBeLessThan(10_000)
  })

  test('a storm of throttling, 5xx and dropped connections is ridden out to the end', async () => {
    emu.setTraining({ checksUntilEnd: 2 })
    const storm = [
      'throttling',
      'provisioned-throughput',
      'internal-error',
      'drop-before',
      'throttling',
      'limit-exceeded'
    ]
    const r = await run(
      {},
      {
        onLog: whenStarted(() => {
          for (const kind of storm) emu.injectFault('DescribeProjectVersions', { kind } as Fault)
          emu.injectFault('DescribeProjectVersions', { kind: 'internal-error', status: 503 })
        })
      }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(describes().filter((q) => q.fault)).toHaveLength(storm.length + 1)
  })

  test('a slow service is waited for within the request budget', async () => {
    emu.setTraining({ checksUntilEnd: 1 })
    const r = await run(
      {},
      {
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'slow', delayMs: 1_500 })
        )
      }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
  })
})

describe('cancel', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: logs the ARN and how to resume, exits within seconds',
    async (signal) => {
      emu.setTraining({ durationMs: 3_600_000 })
      const r = await run(
        { 'wait-timeout-minutes': '10' },
        { signal: { when: /next check in/, signal } }
      )
      const [v] = emu.versions(projectArn)
      expect(r.code).toBe(1)
      expect(r.durationMs).toBeLessThan(8_000)
      expect(r.outputs['project-version-arn']).toBe(v.arn)
      expect(r.stdout).toContain(`${signal} received`)
      expect(r.stdout).toMatch(/cannot be stopped and goes on/)
      expect(r.stdout).toContain(v.arn)
      expect(r.summary).toContain('Job cancelled')
    }
  )
})

describe('a re-run', () => {
  test('attaches to a training in progress and waits for it, starting nothing', async () => {
    emu.setTraining({ checksUntilEnd: 3 })
    const first = await run({ wait: 'false' })
    expect(first.outputs.status).toBe('TRAINING_IN_PROGRESS')
    const again = await run()
    expect(again.code).toBe(0)
    expect(again.outputs.created).toBe('false')
    expect(again.outputs.status).toBe('TRAINING_COMPLETED')
    expect(again.outputs['project-version-arn']).toBe(first.outputs['project-version-arn'])
    expect(emu.versions(projectArn)).toHaveLength(1)
  })

  test('of a finished training reports it without waiting', async () => {
    emu.addVersion(projectArn, {
      name: 'done',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.8,
      billableSeconds: 100,
      outputBucket: 'acme-training-out'
    })
    const r = await run({ 'version-name': 'done' })
    expect(r.code).toBe(0)
    expect(r.outputs.created).toBe('false')
    expect(r.outputs['f1-score']).toBe('0.8')
    expect(r.stdout).not.toMatch(/next check in/)
  })
})
