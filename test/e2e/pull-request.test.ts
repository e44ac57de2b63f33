// Pull requests end to end: the PR head commit, one comment per project updated in place,
// baselines across result pages, per-label metrics, the gates, denied permissions, forks.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, type RunOptions, whenStarted } from './harness.js'

const HEAD = 'feedfacecafebeef00112233445566778899aabb'
const HEAD2 = 'abcdef0123456789abcdef0123456789abcdef01'
const MERGE = '9999999999999999999999999999999999999999'

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
  projectArn = emu.addProject(`pr-${++n}`)
  emu.clearFaults()
  emu.denyGitHubWrites(false)
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    f1Score: 0.912,
    finalStatus: 'TRAINING_COMPLETED',
    summaryShape: 'metrics'
  })
})

function prEvent(pr: number, head: string, fork = false): RunOptions['event'] {
  return {
    name: 'pull_request',
    payload: {
      pull_request: {
        number: pr,
        head: {
          sha: head,
          ref: 'data/more-scratches',
          repo: { full_name: fork ? 'someone/vision' : 'acme/vision' }
        },
        base: { ref: 'main', repo: { full_name: 'acme/vision' } }
      }
    }
  }
}

const prEnv = {
  GITHUB_SHA: MERGE,
  GITHUB_REF: 'refs/pull/17/merge',
  GITHUB_REF_NAME: '17/merge',
  GITHUB_HEAD_REF: 'data/more-scratches',
  GITHUB_BASE_REF: 'main'
}

const run = (inputs: Record<string, string>, head = HEAD, extra: Partial<RunOptions> = {}) => {
  // The PR exists on GitHub, its head the commit pushed.
  emu.setPullRequest('acme', 'vision', 17, head)
  return runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2', ...inputs },
    event: prEvent(17, head),
    ...extra,
    env: { ...prEnv, ...extra.env }
  })
}

const comments = () => emu.comments('acme', 'vision', 17).filter((c) => c.body.includes(projectArn))

describe('the pull request’s commit', () => {
  test('is the PR head, not the merge commit; {pr_number} and the PR tag work', async () => {
    const r = await run({ 'version-name': 'pr{pr_number}-{short_sha}', 'comment-on-pr': 'false' })
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(v.name).toBe(`pr17-${HEAD.slice(0, 12)}`)
    expect(v.tags['github:sha']).toBe(HEAD)
    expect(v.tags['github:pr-number']).toBe('17')
    expect(JSON.stringify(v.tags)).not.toContain(MERGE)
  })
})

describe('the PR comment', () => {
  test('is created when training starts, updated with the results, and reused on the next push', async () => {
    const first = await run({})
    expect(first.code).toBe(0)
    let mine = comments()
    expect(mine).toHaveLength(1)
    expect(first.outputs['comment-url']).toBe(
      `https://github.com/acme/vision/pull/17#issuecomment-${mine[0].id}`
    )
    // Created ("started"), then updated in place with the results.
    expect(emu.requestsFor('GitHub:CreateComment')).toHaveLength(1)
    expect(mine[0].body).toContain('Training completed')
    expect(mine[0].body).toContain('0.912')
    expect(mine[0].body).toContain('scratch')
    expect(mine[0].body).toContain(HEAD)
    expect(mine[0].body).toContain('/actions/runs/9000001')

    const second = await run({}, HEAD2)
    expect(second.code).toBe(0)
    mine = comments()
    expect(mine).toHaveLength(1)
    expect(mine[0].body).toContain(HEAD2)
    expect(mine[0].body).not.toContain(HEAD.slice(0, 12))
    expect(emu.requestsFor('GitHub:CreateComment')).toHaveLength(1)
  })

  test('shows "training started" while the training runs', async () => {
    emu.setTraining({ durationMs: 3_600_000 })
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(comments()[0].body).toContain('Training started')
  })

  test('a token without pull-requests: write gives a warning; the result is unaffected', async () => {
    emu.denyGitHubWrites(true)
    const r = await run({})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Could not write the PR comment \(HTTP 403\).*pull-requests: write/
    )
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.outputs['comment-url']).toBeUndefined()
    expect(comments()).toHaveLength(0)
  })

  test('nothing is posted outside pull requests', async () => {
    const isComment = (q: { operation: string }) => q.operation.includes('Comment')
    const before = emu.requests.filter(isComment).length
    const r = await runAction({
      endpoint: emu.url,
      inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2' }
    })
    expect(r.code).toBe(0)
    expect(emu.requests.filter(isComment).length).toBe(before)
  })
})

describe('per-label metrics', () => {
  test('are read from the evaluation summary into the job summary', async () => {
    const r = await run({ 'comment-on-pr': 'false' })
    expect(r.summary).toContain('Per-label metrics')
    expect(r.summary).toMatch(/\| scratch \| 24 \| 0\.931 \| 0\.893 \| 0\.912 \| 0\.512 \|/)
    expect(r.summary).toMatch(/\| dent \| 18 \|/)
  })

  test('the guide’s older flat summary shape is read too', async () => {
    emu.setTraining({ summaryShape: 'flat' })
    const r = await run({ 'comment-on-pr': 'false' })
    expect(r.summary).toMatch(/\| scratch \| 24 \|/)
  })

  test('an unreadable summary warns, naming s3:GetObject, and the aggregate F1 stays', async () => {
    const r = await run({ 'comment-on-pr': 'false' }, HEAD, {
      onLog: whenStarted(() => emu.injectFault('S3:GetObject', { kind: 'access-denied' }, 10))
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Per-label metrics of this version unavailable.*s3:GetObject on arn:aws:s3:::acme-training-out/
    )
    expect(r.outputs['f1-score']).toBe('0.912')
    emu.clearFaults()
  })
})

describe('baseline and gates', () => {
  const seed = (name: string, f1: number | undefined, minutesAgo: number) =>
    emu.addVersion(projectArn, {
      name,
      status: f1 === undefined ? 'TRAINING_FAILED' : 'TRAINING_COMPLETED',
      f1Score: f1,
      createdAt: new Date(Date.now() - minutesAgo * 60_000),
      outputBucket: 'acme-training-out'
    })

  test('auto reads every result page; a version trained outside CI (no github:ref tag) is the fallback', async () => {
    const goodArn = seed('good-old', 0.95, 10_000)
    for (let i = 0; i < 130; i++) seed(`failed-${i}`, undefined, 5_000 - i)
    const r = await run({ 'baseline-version': 'auto', 'comment-on-pr': 'false' })
    expect(r.code).toBe(0)
    expect(r.outputs['baseline-version-arn']).toBe(goodArn)
    expect(r.outputs['baseline-f1-score']).toBe('0.95')
    expect(r.outputs['f1-delta']).toBe('-0.038')
    const pages = emu
      .requestsFor('DescribeProjectVersions')
      .filter((q) => q.body.ProjectArn === projectArn && q.body.NextToken)
    expect(pages.length).toBeGreaterThanOrEqual(1)
    expect(r.summary).toContain('good-old')
    expect(r.summary).toContain('−0.038')
    expect(r.stdout).toMatch(/::notice::Baseline good-old: .*trained outside CI/)
  })

  test('min-f1-score fails the step after outputs, summary and comment are written', async () => {
    emu.setTraining({ f1Score: 0.85 })
    const r = await run({ 'min-f1-score': '0.9' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toBe(
      'Quality gate min-f1-score failed: F1 0.850 is below min-f1-score 0.900 by 0.050'
    )
    expect(r.outputs['f1-score']).toBe('0.85')
    expect(r.summary).toContain('❌ `min-f1-score`')
    expect(comments()[0].body).toContain('❌ `min-f1-score`')
  })

  test('max-f1-drop against a named baseline fails by how much, and passes within the bound', async () => {
    seed('v-prev', 0.95, 60)
    emu.setTraining({ f1Score: 0.9 })
    const r = await run({
      'baseline-version': 'v-prev',
      'max-f1-drop': '0.02',
      'comment-on-pr': 'false'
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain(
      "Quality gate max-f1-drop failed: F1 0.900 dropped 0.050 from the baseline's 0.950, more than max-f1-drop 0.020 by 0.030"
    )
    expect(r.outputs['f1-delta']).toBe('-0.05')

    const ok = await run({
      'baseline-version': 'v-prev',
      'max-f1-drop': '0.06',
      'comment-on-pr': 'false',
      'version-name': 'v-ok'
    })
    expect(ok.code).toBe(0)
    expect(ok.summary).toContain('✅ `max-f1-drop`')
  })

  test('per-label deltas against the baseline', async () => {
    emu.addVersion(projectArn, {
      name: 'v-labels',
      status: 'TRAINING_COMPLETED',
      f1Score: 0.9,
      createdAt: new Date(Date.now() - 60_000),
      outputBucket: 'acme-training-out',
      labels: [
        { label: 'scratch', testImages: 20, precision: 0.9, recall: 0.9, f1: 0.9, threshold: 0.5 }
      ]
    })
    const r = await run({ 'baseline-version': 'auto', 'comment-on-pr': 'false' })
    expect(r.code).toBe(0)
    expect(r.summary).toMatch(/\| scratch \| 24 \| .* \| \+0\.012 \|/)
    expect(r.summary).toMatch(/\| dent \| 18 \| .* \| new \|/)
  })

  test('a first version with auto passes max-f1-drop: nothing to drop from', async () => {
    const r = await run({
      'baseline-version': 'auto',
      'max-f1-drop': '0.01',
      'comment-on-pr': 'false'
    })
    expect(r.code).toBe(0)
    expect(r.summary).toContain('nothing to drop from')
  })
})

describe('credentials', () => {
  const noCredentials = {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined
  }

  test('a fork PR without AWS credentials is skipped with a notice, no AWS call', async () => {
    const before = emu.requests.length
    const r = await runAction({
      endpoint: emu.url,
      inputs: baseInputs(projectArn),
      event: prEvent(17, HEAD, true),
      env: { ...prEnv, ...noCredentials }
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::notice::Skipped: this pull request comes from a fork/)
    expect(emu.requests.length).toBe(before)
  })

  test('a fork PR still gets its inputs checked', async () => {
    const r = await runAction({
      endpoint: emu.url,
      inputs: { ...baseInputs(projectArn), 'version-name': 'bad name' },
      event: prEvent(17, HEAD, true),
      env: { ...prEnv, ...noCredentials }
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/^version-name /)
  })

  test('elsewhere missing credentials fail with advice on configure-aws-credentials', async () => {
    const r = await runAction({
      endpoint: emu.url,
      inputs: baseInputs(projectArn),
      env: noCredentials
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/No AWS credentials were found.*configure-aws-credentials/)
  })
})
