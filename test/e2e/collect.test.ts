// Trainings longer than a job: the PR step starts a training and exits, a scheduled collector
// finishes it. A 24-hour training compressed in time (the emulator's clock is moved forward).
import { beforeEach, describe, expect, test } from '@jest/globals'
import {
  HEAD,
  HOUR,
  collector,
  comments,
  emu,
  project,
  projectArn,
  start,
  statuses,
  useCollectFixture
} from './collect-fixture.js'

useCollectFixture('long')
beforeEach(() => {
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
    // Every finisher links the run that started the training: racing ones write the same status.
    expect(last.targetUrl).toBe('https://github.com/acme/vision/actions/runs/9000001')
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
    // No claim: the result goes straight over the pending status.
    expect(statuses().map((s) => s.state)).toEqual(['pending', 'success'])
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
