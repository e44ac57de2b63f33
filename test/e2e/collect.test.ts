// Trainings longer than a job: the PR step starts a training and exits, a scheduled collector
// finishes it. A 24-hour training compressed in time (the emulator's clock is moved forward).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, scaled, type RunOptions } from './harness.js'

const HEAD = 'feedfacecafebeef00112233445566778899aabb'
const MERGE = '9999999999999999999999999999999999999999'
const HOUR = 3_600_000

let emu: Emulator
let projectArn: string
let project: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.setGitHubToken(GITHUB_TOKEN)
})
afterAll(() => emu.stop())
beforeEach(() => {
  project = `long-${++n}`
  projectArn = emu.addProject(project)
  emu.clearFaults()
  emu.denyGitHubWrites(false)
  emu.denyStatusWrites(false)
  emu.setPullRequest('acme', 'vision', 17, HEAD)
  emu.setTraining({
    durationMs: 24 * HOUR,
    f1Score: 0.93,
    finalStatus: 'TRAINING_COMPLETED',
    summaryShape: 'metrics'
  })
})

const prEvent = (head: string) => ({
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 17,
      head: { sha: head, ref: 'data/more-scratches', repo: { full_name: 'acme/vision' } },
      base: { ref: 'main', repo: { full_name: 'acme/vision' } }
    }
  }
})

/** The PR step: starts the training and exits. */
const start = (inputs: Record<string, string> = {}, head = HEAD) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), 'poll-interval-seconds': '0.2', ...inputs },
    event: prEvent(head),
    env: {
      GITHUB_SHA: MERGE,
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_REF_NAME: '17/merge',
      GITHUB_HEAD_REF: 'data/more-scratches'
    }
  })

/** The scheduled collector: no output-bucket, no PR. */
const collector = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    ...extra,
    endpoint: emu.url,
    inputs: {
      'project-arn': projectArn,
      mode: 'collect',
      'poll-interval-seconds': '0.2',
      ...inputs
    },
    event: { name: 'schedule', payload: { schedule: '*/15 * * * *' } },
    env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000777', GITHUB_HEAD_REF: '' }
  })

const statuses = (sha = HEAD) =>
  emu.statuses('acme', 'vision', sha).filter((s) => s.context === `train-action/${project}`)
const comments = () => emu.comments('acme', 'vision', 17).filter((c) => c.body.includes(projectArn))
const writes = () =>
  emu.requests.filter((q) =>
    ['GitHub:CreateStatus', 'GitHub:CreateComment', 'GitHub:UpdateComment'].includes(q.operation)
  ).length

describe('a 24-hour training finished by the collector', () => {
  test('pending while it trains (three collector runs), then success with the results; a later run writes nothing', async () => {
    const started = await start({ 'min-f1-score': '0.9' })
    expect(started.code).toBe(0)
    expect(started.outputs.status).toBe('TRAINING_IN_PROGRESS')
    const [v] = emu.versions(projectArn)
    // The starting step's gate is recorded on the version for whoever sees the end.
    expect(v.tags['train-action:min-f1-score']).toBe('0.9')
    expect(statuses()).toEqual([
      expect.objectContaining({
        state: 'pending',
        description: expect.stringMatching(new RegExp(`^${v.name}: training since \\d{4}-`)),
        targetUrl: 'https://github.com/acme/vision/actions/runs/9000001'
      })
    ])
    expect(comments()[0].body).toContain('Training started')

    for (let i = 0; i < 3; i++) {
      emu.advanceClock(7 * HOUR)
      const before = writes()
      const c = await collector()
      expect(c.code).toBe(0)
      expect(c.outputs).toMatchObject({ collected: '0', pending: '1' })
      expect(writes()).toBe(before)
      expect(c.summary).toContain(`${v.name} (\`${HEAD.slice(0, 12)}\`): still training`)
    }
    expect(statuses()).toHaveLength(1)

    emu.advanceClock(4 * HOUR)
    const done = await collector()
    expect(done.code).toBe(0)
    expect(done.outputs).toMatchObject({ collected: '1', pending: '0' })
    const last = statuses().at(-1)!
    expect(last.state).toBe('success')
    expect(last.description).toBe(`${v.name}: F1 0.930, gates passed: min-f1-score`)
    expect(last.targetUrl).toBe('https://github.com/acme/vision/actions/runs/9000777')
    const [comment] = comments()
    expect(comments()).toHaveLength(1)
    expect(comment.body).toContain('Training completed')
    expect(comment.body).toContain('0.930')
    expect(comment.body).toMatch(/\| scratch \| 24 \|/)
    expect(comment.body).toContain('✅ `min-f1-score`')
    // The comment still links the run that started the training.
    expect(comment.body).toContain('/actions/runs/9000001')
    expect(done.summary).toContain('Collector: 1 collected, 0 still training')
    expect(done.summary).toMatch(/\| scratch \| 24 \|/)

    const before = writes()
    const again = await collector()
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ collected: '0', pending: '0' })
    expect(writes()).toBe(before)
  })

  test('a failed gate recorded by the starting step gives failure', async () => {
    const started = await start({ 'min-f1-score': '0.95' })
    expect(started.code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const c = await collector()
    expect(c.code).toBe(0)
    expect(c.outputs.collected).toBe('1')
    expect(c.stdout).toMatch(/::warning::.*quality gate min-f1-score failed/)
    const last = statuses().at(-1)!
    expect(last.state).toBe('failure')
    expect(last.description).toMatch(/: F1 0\.930, gate failed: min-f1-score$/)
    expect(comments()[0].body).toContain('❌ `min-f1-score`')
  })

  test('baseline auto: the collector compares with the PR’s base branch, as the starting step would', async () => {
    emu.addVersion(projectArn, {
      name: 'main-model',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.96,
      createdAt: new Date(Date.now() - 48 * HOUR),
      outputBucket: 'acme-training-out',
      tags: { 'github:repository': 'acme/vision', 'github:ref': 'refs/heads/main' }
    })
    emu.addVersion(projectArn, {
      name: 'other-pr-model',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.99,
      createdAt: new Date(Date.now() - 24 * HOUR),
      outputBucket: 'acme-training-out',
      tags: { 'github:repository': 'acme/vision', 'github:ref': 'refs/pull/9/merge' }
    })
    const started = await start({ 'baseline-version': 'auto', 'max-f1-drop': '0.02' }, HEAD)
    expect(started.code).toBe(0)
    expect(emu.versions(projectArn)[0].tags['train-action:base-ref']).toBe('main')
    emu.advanceClock(25 * HOUR)
    const c = await collector()
    expect(c.outputs.collected).toBe('1')
    const last = statuses().at(-1)!
    expect(last.state).toBe('failure')
    expect(last.description).toMatch(/F1 0\.930 \(-0\.030 vs baseline\), gate failed: max-f1-drop$/)
    expect(comments()[0].body).toContain('main-model')
  })

  test('a failed training gives failure', async () => {
    emu.setTraining({ finalStatus: 'TRAINING_FAILED' })
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const c = await collector()
    expect(c.outputs.collected).toBe('1')
    expect(statuses().at(-1)).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/: TRAINING_FAILED$/)
    })
    expect(comments()[0].body).toContain('Training failed')
  })

  test('two collectors at once finish the training once', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const updates = emu.requestsFor('GitHub:UpdateComment').length
    const claims = () =>
      emu.requestsFor('GitHub:CreateStatus').filter((q) => /\(claim /.test(q.body.description))
    const claimsBefore = claims().length
    // Each collector's read-back of its claim is held back, so both claims are written before
    // either is read back: both see the training pending and claim it, one goes on. Held for
    // 8 s of the 20 s call budget, both at half the real time scale: the two processes start
    // seconds apart on a busy machine.
    const timeScale = 0.5
    emu.injectFault('GitHub:ListStatuses', { kind: 'slow', delayMs: scaled(8_000, timeScale) }, 2)
    const [a, b] = await Promise.all([collector({}, { timeScale }), collector({}, { timeScale })])
    expect(claims().length - claimsBefore).toBe(2)
    expect([a.code, b.code]).toEqual([0, 0])
    expect(Number(a.outputs.collected) + Number(b.outputs.collected)).toBe(1)
    expect(statuses().filter((s) => s.state !== 'pending')).toHaveLength(1)
    expect(statuses().at(-1)!.state).toBe('success')
    expect(comments()).toHaveLength(1)
    expect(emu.requestsFor('GitHub:UpdateComment')).toHaveLength(updates + 1)
  })

  test('bounded: 250 older versions cost three list calls and one tag read (the recent training)', async () => {
    for (let i = 0; i < 250; i++) {
      emu.addVersion(projectArn, {
        name: `old-${i}`,
        status: 'TRAINING_COMPLETED',
        createdAt: new Date(Date.now() - (10 + i) * 24 * HOUR),
        tags: { 'github:repository': 'acme/vision', 'github:sha': HEAD }
      })
    }
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const mine = (op: string) =>
      emu.requestsFor(op).filter((q) => JSON.stringify(q.body).includes(project))
    const lists = mine('DescribeProjectVersions').length
    const tagReads = mine('ListTagsForResource').length
    const c = await collector()
    expect(c.outputs.collected).toBe('1')
    expect(mine('DescribeProjectVersions').length - lists).toBe(3)
    expect(mine('ListTagsForResource').length - tagReads).toBe(1)
    expect(c.stdout).toContain('251 versions in')
  })

  test('another repository’s trainings and superseded versions are left alone', async () => {
    // A training of the same commit by another repository sharing the project.
    emu.addVersion(projectArn, {
      name: 'other-repo-run',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.5,
      tags: { 'github:repository': 'someone/else', 'github:sha': HEAD }
    })
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    const c = await collector()
    expect(c.outputs).toMatchObject({ collected: '1', pending: '0' })
    expect(statuses().at(-1)!.description).not.toContain('other-repo-run')
  })
})

describe('a cancelled collector', () => {
  test('stops, says the unfinished trainings stay pending, and the next run finishes them', async () => {
    expect((await start()).code).toBe(0)
    emu.advanceClock(25 * HOUR)
    emu.injectFault('ListTagsForResource', { kind: 'hang' }, 1)
    const r = await collector({}, { signal: { when: /versions in/, signal: 'SIGTERM' } })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      'SIGTERM received. The collector stops; the trainings it did not finish stay pending for its next run.'
    )
    expect(statuses().map((s) => s.state)).toEqual(['pending'])
    emu.clearFaults()
    expect((await collector()).outputs.collected).toBe('1')
    expect(statuses().at(-1)!.state).toBe('success')
  })
})

describe('the commit status of a step that waits', () => {
  beforeEach(() => emu.setTraining({ durationMs: undefined, checksUntilEnd: 1 }))

  test('pending while waiting, success at the end', async () => {
    const r = await start({ wait: 'true' })
    expect(r.code).toBe(0)
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success'])
  })

  test('a timeout leaves it pending; the collector finishes it later', async () => {
    emu.setTraining({ durationMs: 24 * HOUR })
    const r = await start({
      wait: 'true',
      'wait-timeout-minutes': '0.02',
      'fail-on-timeout': 'false'
    })
    expect(r.code).toBe(0)
    expect(statuses().map((s) => s.state)).toEqual(['pending'])
    emu.advanceClock(25 * HOUR)
    expect((await collector()).outputs.collected).toBe('1')
    // The collector's claim (pending) comes before its result.
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'pending', 'success'])
    expect(statuses()[1].description).toMatch(
      /ended, collecting the results \(claim 9000777\.1-[0-9a-f]{8}\)$/
    )
  })

  test('a token without statuses: write gives one warning; the training is unaffected', async () => {
    emu.denyStatusWrites(true)
    const r = await start({ wait: 'true' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    const warnings = r.stdout.split('\n').filter((l) => l.includes('commit status'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^::warning::Could not set the commit status .*\(HTTP 403\).*statuses: write/
    )
    expect(statuses()).toHaveLength(0)
  })

  test('commit-status: false writes none', async () => {
    const before = emu.requests.filter((q) => q.operation.includes('Status')).length
    const r = await start({ wait: 'true', 'commit-status': 'false' })
    expect(r.code).toBe(0)
    expect(emu.requests.filter((q) => q.operation.includes('Status')).length).toBe(before)
  })
})
