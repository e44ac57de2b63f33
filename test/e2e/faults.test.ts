// Fault storms on every call the action makes: transient failures are ridden out, and whatever
// the faults, exactly one training exists at the end (asserted on the emulator's state).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator, type Fault } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, type RunOptions, whenStarted } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.setGitHubToken(GITHUB_TOKEN)
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`storm-${++n}`)
  emu.setPullRequest('acme', 'vision', 5, 'ab'.repeat(20))
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

/** Eight transient failures in a row, of every kind the issue names. */
const STORM: Fault[] = [
  { kind: 'throttling' },
  { kind: 'provisioned-throughput' },
  { kind: 'internal-error', status: 500 },
  { kind: 'internal-error', status: 503 },
  { kind: 'drop-before' },
  { kind: 'limit-exceeded' },
  { kind: 'throttling' },
  { kind: 'internal-error', status: 503 }
]
const GITHUB_STORM: Fault[] = [{ kind: 'throttling' }, { kind: 'internal-error', status: 503 }]
const storm = (operation: string, faults: Fault[] = STORM) => {
  for (const f of faults) emu.injectFault(operation, f)
}

const PR_EVENT: RunOptions['event'] = {
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 5,
      head: { sha: 'ab'.repeat(20), ref: 'data', repo: { full_name: 'acme/vision' } },
      base: { repo: { full_name: 'acme/vision' } }
    }
  }
}

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2', ...inputs },
    timeoutMs: 90_000,
    ...extra
  })

describe('fault storms', () => {
  test('eight transient failures on the existence check, then on the create', async () => {
    storm('DescribeProjectVersions')
    storm('CreateProjectVersion')
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.outputs['project-version-arn']).toBe(emu.versions(projectArn)[0].arn)
  }, 90_000)

  test('a storm with a lost CreateProjectVersion response in the middle: still one training', async () => {
    storm('CreateProjectVersion', [
      ...STORM.slice(0, 4),
      { kind: 'drop-after' },
      ...STORM.slice(4, 7)
    ])
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.outputs.created).toBe('true')
  }, 90_000)

  test('storms on polling and on the S3 read, and short ones on every GitHub call, are ridden out', async () => {
    const r = await run(
      { 'baseline-version': 'auto' },
      {
        event: PR_EVENT,
        onLog: whenStarted(() => {
          storm('DescribeProjectVersions')
          storm('S3:GetObject')
          // GitHub's share is bounded (a long storm there costs seconds and a warning:
          // github-api.test.ts); a secondary rate limit and a 503 on each call are ridden out.
          for (const op of [
            'GitHub:GetPull',
            'GitHub:ListComments',
            'GitHub:CreateComment',
            'GitHub:UpdateComment'
          ])
            storm(op, GITHUB_STORM)
        }),
        // Half the real time: the retry waits shrink with the comment's budget, the requests'
        // own cost on a busy machine does not.
        timeScale: 0.5
      }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.summary).toContain('Per-label metrics')
    expect(
      emu.comments('acme', 'vision', 5).filter((c) => c.body.includes(projectArn))
    ).toHaveLength(1)
    expect(r.outputs['comment-url']).toBeDefined()
    expect(emu.versions(projectArn)).toHaveLength(1)
    const faulted = emu.requests.filter(
      (q) => q.fault && (q.body?.ProjectArn === projectArn || q.service !== 'rekognition')
    )
    expect(faulted.length).toBeGreaterThanOrEqual(2 * STORM.length + 4 * GITHUB_STORM.length)
    expect(r.stdout).not.toMatch(/Could not write the PR comment/)
  }, 90_000)
})

describe('malformed responses fail clearly', () => {
  test('a malformed CreateProjectVersion answer: looked for a minute, then one clear line, no training', async () => {
    // A 200 with a garbled body may be a create that acted: the name is looked up until it has
    // been missing from several answers over a minute (new versions can be listed late; a minute
    // at the test's time scale).
    emu.injectFault('CreateProjectVersion', { kind: 'malformed' }, 10)
    const from = emu.requests.length
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(/rekognition:CreateProjectVersion/)
    const lookups = Number(/was not listed in (\d+) lookups over \d+ s/.exec(r.errors[0])?.[1])
    // At least three empty answers (src/training/wait.ts MISSING_CHECKS), each a request seen.
    expect(lookups).toBeGreaterThanOrEqual(3)
    const seen = emu.requests
      .slice(from)
      .filter((q) => q.operation === 'DescribeProjectVersions' && q.body?.ProjectArn === projectArn)
    // The existence check before the create, then the lookups.
    expect(seen.length).toBeGreaterThanOrEqual(lookups)
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /)
    expect(emu.versions(projectArn)).toHaveLength(0)
  }, 120_000)

  test('malformed status answers end the wait after three in a row, ARN kept', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      {},
      {
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'malformed' }, 10)
        )
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/Status checks failed 3 times in a row/)
    expect(r.outputs['project-version-arn']).toBe(emu.versions(projectArn)[0].arn)
  })

  test('a malformed evaluation summary only costs the per-label table', async () => {
    const r = await run(
      {},
      { onLog: whenStarted(() => emu.injectFault('S3:GetObject', { kind: 'malformed' }, 10)) }
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::Per-label metrics of this version unavailable/)
    expect(r.outputs['f1-score']).toBe('0.912')
  })
})

describe('a slow service', () => {
  test('slower than the deadline cannot hold the job past it', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run(
      { 'wait-timeout-minutes': '0.05' },
      {
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'slow', delayMs: 60_000 }, 50)
        )
      }
    )
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/still/)
    expect(r.durationMs).toBeLessThan(3_000 + 5_000)
    expect(emu.versions(projectArn)).toHaveLength(1)
  })
})
