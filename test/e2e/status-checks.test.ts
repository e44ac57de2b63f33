// The next poll is the retry: a throttled status check is not retried inside itself, while the
// lookups and the create that protect a training keep their patient retries.
// ThrottlingException is among DescribeProjectVersions' documented errors (the service model, as
// @aws-sdk/client-rekognition's DescribeProjectVersionsCommand lists it: "@throws
// ThrottlingException (server fault)"); the SDK classes it as throttling by its name.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { baseInputs, runAction, whenStarted } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`checks-${++n}`)
  emu.clearFaults()
})

const describes = () =>
  emu.requestsFor('DescribeProjectVersions').filter((q) => q.body?.ProjectArn === projectArn)

describe('under constant throttling', () => {
  test('each status check sends one request; the wait carries on to its timeout', async () => {
    emu.setTraining({ checksUntilEnd: 1_000, durationMs: undefined })
    let before = 0
    const r = await runAction({
      endpoint: emu.url,
      inputs: {
        ...baseInputs(projectArn),
        wait: 'true',
        'poll-interval-seconds': '0.5',
        'wait-timeout-minutes': '0.1',
        'fail-on-timeout': 'false'
      },
      onLog: whenStarted(() => {
        before = describes().length
        emu.injectFault('DescribeProjectVersions', { kind: 'throttling' }, 100_000)
      }),
      timeoutMs: 60_000
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::Training was still/)
    const checks = r.stdout.match(/Status check failed \(ThrottlingException\)/g) ?? []
    expect(checks.length).toBeGreaterThanOrEqual(3)
    // One request per check: no retries inside. The checks ask by VersionNames; the history read
    // (a listing) may come before or after the fault is set, on a loaded machine.
    const after = describes().slice(before)
    expect(after.every((q) => q.fault === 'throttling')).toBe(true)
    const checkRequests = after.filter((q) => q.body?.VersionNames !== undefined)
    expect(checkRequests).toHaveLength(checks.length)
    expect(after.length - checkRequests.length).toBeLessThanOrEqual(1)
  })

  test('a dropped connection gets one more attempt within the same check', async () => {
    emu.setTraining({ checksUntilEnd: 5, durationMs: undefined })
    let injected = false
    const r = await runAction({
      endpoint: emu.url,
      inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2' },
      onLog: (stdout) => {
        // After the history read, before the first check: its first attempt is dropped.
        if (!injected && /Waiting up to/.test(stdout)) {
          injected = true
          emu.injectFault('DescribeProjectVersions', { kind: 'drop-before' })
        }
      }
    })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(describes().filter((q) => q.fault === 'drop-before')).toHaveLength(1)
    expect(r.stdout).not.toMatch(/Status check failed/)
  })
})

describe('the lookups and the create stay patient', () => {
  test('throttling before the create is ridden out: one training', async () => {
    emu.injectFault('DescribeProjectVersions', { kind: 'throttling' }, 4)
    emu.injectFault('CreateProjectVersion', { kind: 'throttling' }, 4)
    const r = await runAction({
      endpoint: emu.url,
      inputs: { ...baseInputs(projectArn), 'poll-interval-seconds': '0.2' }
    })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.outputs.created).toBe('true')
    expect(describes().filter((q) => q.fault === 'throttling')).toHaveLength(4)
  })
})
