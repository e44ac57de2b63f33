// The PR comment against a GitHub that misbehaves the ways GitHub does: no answer, 502 storms,
// secondary rate limits (403 and 429 with retry-after), a PR that is gone, a token without
// permission, bodies over 65,536 characters, two runs racing on one PR, a stale re-run, a user's
// comment quoting the marker. The training and the job summary never depend on GitHub.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator, type LabelResult } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, scaled, type RunOptions } from './harness.js'

const HEAD = 'feedfacecafebeef00112233445566778899aabb'
const NEWER = 'abcdef0123456789abcdef0123456789abcdef01'
const PR = 23

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
  projectArn = emu.addProject(`gh-${++n}`)
  emu.clearFaults()
  emu.denyGitHubWrites(false)
  emu.setGitHubIdentity({ login: 'github-actions[bot]', kind: 'installation' })
  emu.setPullRequest('acme', 'vision', PR, HEAD)
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    f1Score: 0.912,
    finalStatus: 'TRAINING_COMPLETED',
    summaryShape: 'metrics',
    labels: [
      {
        label: 'scratch',
        testImages: 24,
        precision: 0.931,
        recall: 0.893,
        f1: 0.912,
        threshold: 0.512
      }
    ]
  })
})

const event: RunOptions['event'] = {
  name: 'pull_request',
  payload: {
    pull_request: {
      number: PR,
      head: { sha: HEAD, ref: 'data', repo: { full_name: 'acme/vision' } },
      base: { ref: 'main', repo: { full_name: 'acme/vision' } }
    }
  }
}

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2', ...inputs },
    event,
    env: {
      GITHUB_SHA: '9999999999999999999999999999999999999999',
      GITHUB_REF: `refs/pull/${PR}/merge`,
      GITHUB_HEAD_REF: 'data'
    },
    timeoutMs: 120_000,
    ...extra
  })

const ours = () => emu.comments('acme', 'vision', PR).filter((c) => c.body.includes(projectArn))
const since = (from: number, operation: string) =>
  emu.requests.slice(from).filter((q) => q.operation === operation)
/** The log without the runner's `::add-mask::` lines (the one place a secret is meant to be). */
const unmasked = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
const GITHUB_OPERATIONS = [
  'GitHub:GetPull',
  'GitHub:ListComments',
  'GitHub:CreateComment',
  'GitHub:UpdateComment'
]

describe('a GitHub that does not answer', () => {
  test('costs seconds, not the wait: the training is watched from the start, the summary written', async () => {
    // The training takes 6 s; the wait allows 15 s. A comment write that ate the wait would
    // leave no time for it.
    emu.setTraining({ checksUntilEnd: undefined, durationMs: 6_000 })
    for (const op of GITHUB_OPERATIONS) emu.injectFault(op, { kind: 'hang' }, 20)
    const from = emu.requests.length
    const r = await run({ 'wait-timeout-minutes': '0.25' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.summary).toContain('Training completed')
    expect(r.summary).toContain('The PR comment could not be written')
    // The same bound, told by whichever gives up first: the call's budget or its one exchange.
    const budget = scaled(20_000)
    expect(r.stdout).toMatch(
      new RegExp(
        `::warning::Could not write the PR comment: .*within (${budget / 1000} s|${budget} ms)`
      )
    )
    // The first status check follows the create at once, while the comment hangs.
    const created = since(from, 'CreateProjectVersion')[0].time
    const checks = emu.requests
      .slice(from)
      .filter((q) => q.operation === 'DescribeProjectVersions' && q.time > created)
    expect(checks[0].time - created).toBeLessThan(5_000)
    // One call was tried (with one retry inside its budget), then the comment gave up: no more.
    expect(since(from, 'GitHub:GetPull').length).toBeLessThanOrEqual(3)
    expect(since(from, 'GitHub:CreateComment')).toHaveLength(0)
    expect(r.durationMs).toBeLessThan(60_000)
  }, 120_000)

  test('after the training: the step ends within the comment’s budget', async () => {
    for (const op of GITHUB_OPERATIONS) emu.injectFault(op, { kind: 'hang' }, 20)
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.outputs['project-version-arn']).toBeDefined()
    expect(r.summary).toContain('Training started')
    expect(r.stdout).toMatch(/::warning::Could not write the PR comment/)
    expect(r.durationMs).toBeLessThan(45_000)
  }, 120_000)
})

describe('a cancel while GitHub hangs', () => {
  test('the job summary is written before the comment, so the cancel keeps it', async () => {
    emu.setTraining({ checksUntilEnd: undefined, durationMs: 3_600_000 })
    for (const op of GITHUB_OPERATIONS) emu.injectFault(op, { kind: 'hang' }, 20)
    const r = await run({}, { signal: { when: /Waiting up to/, signal: 'SIGINT' } })
    expect(r.code).toBe(1)
    expect(r.summary).toContain('Job cancelled; the training goes on in AWS')
    expect(r.summary).toContain(r.outputs['project-version-arn'])
    // The runner's SIGTERM comes 7.5 s after SIGINT: the step is gone before it.
    expect(r.durationMs).toBeLessThan(15_000)
  }, 120_000)
})

describe('a 502 storm', () => {
  test('a long one costs a few retries and one warning; the result is unaffected', async () => {
    for (const op of GITHUB_OPERATIONS)
      emu.injectFault(op, { kind: 'internal-error', status: 502 }, 100)
    const from = emu.requests.length
    const r = await run()
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.summary).toContain('Per-label metrics')
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::Could not write the PR comment'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('502')
    // Not 10 x 10 nested retries: one call, retried twice, then no more GitHub calls.
    // (The commit statuses are their own calls, not faulted here.)
    const github = emu.requests
      .slice(from)
      .filter((q) => q.service === 'github' && !q.operation.includes('Status'))
    expect(github.length).toBe(3)
    expect(r.durationMs).toBeLessThan(45_000)
  }, 120_000)

  test('a short one is ridden out: the comment is written once', async () => {
    for (const op of GITHUB_OPERATIONS)
      emu.injectFault(op, { kind: 'internal-error', status: 502 }, 2)
    // Half the real time: the retries' waits (1 s, 4 s) shrink with the budgets, the requests'
    // own cost does not, and a busy machine needs room for eight of them.
    const r = await run({ wait: 'false' }, { timeScale: 0.5 })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/Could not write the PR comment/)
    expect(ours()).toHaveLength(1)
    expect(r.outputs['comment-url']).toContain(`#issuecomment-${ours()[0].id}`)
  }, 120_000)
})

describe('secondary rate limits', () => {
  test.each([403, 429] as const)(
    'HTTP %i with retry-after: waits as told, then writes the comment once',
    async (status) => {
      emu.injectFault('GitHub:CreateComment', {
        kind: 'secondary-rate-limit',
        status,
        retryAfterSeconds: 2
      })
      const from = emu.requests.length
      const r = await run({ wait: 'false' })
      expect(r.code).toBe(0)
      expect(r.stdout).not.toMatch(/Could not write the PR comment/)
      const creates = since(from, 'GitHub:CreateComment')
      expect(creates).toHaveLength(2)
      expect(creates[0].fault).toBe('secondary-rate-limit')
      // Retried only after the 2 s GitHub asked for (at the test's time scale).
      expect(creates[1].time - creates[0].time).toBeGreaterThanOrEqual(scaled(1_900))
      expect(ours()).toHaveLength(1)
      expect(r.outputs['comment-url']).toBeDefined()
    },
    120_000
  )

  test('a retry-after longer than the comment may take is not waited for', async () => {
    emu.injectFault('GitHub:GetPull', { kind: 'secondary-rate-limit', retryAfterSeconds: 3600 })
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Could not write the PR comment: GitHub's rate limit \(HTTP 403\)/
    )
    expect(r.stdout).not.toMatch(/pull-requests: write/)
    expect(r.durationMs).toBeLessThan(30_000)
  }, 120_000)
})

describe('refusals get their own messages', () => {
  test('404: the pull request is gone', async () => {
    emu.removePullRequest('acme', 'vision', PR)
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Could not write the PR comment: pull request #23 of acme\/vision was not found \(HTTP 404\)/
    )
    expect(r.stdout).not.toMatch(/pull-requests: write/)
    expect(ours()).toHaveLength(0)
  })

  test('403: the token lacks the permission', async () => {
    emu.denyGitHubWrites(true)
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /::warning::Could not write the PR comment \(HTTP 403\).*pull-requests: write/
    )
    expect(r.stdout).not.toMatch(/not found/)
  })
})

describe('sizes', () => {
  test('a comment over 65,536 characters is cut with a note; the summary stays under 1 MiB', async () => {
    // 6,000 labels with long names: a per-label table of about 1.7 MB.
    const labels: LabelResult[] = Array.from({ length: 6_000 }, (_, i) => ({
      label: `defect-${String(i).padStart(5, '0')}-${'x'.repeat(240)}`,
      testImages: 3,
      precision: 0.9,
      recall: 0.8,
      f1: 0.85,
      threshold: 0.5
    }))
    emu.setTraining({ labels })
    const r = await run()
    expect(r.code).toBe(0)
    const [comment] = ours()
    expect(comment.body.length).toBeLessThanOrEqual(65_536)
    expect(comment.body).toContain("Cut to fit GitHub's limit of 65,536 characters")
    expect(comment.body).toContain('Training completed')
    expect(r.outputs['comment-url']).toBeDefined()
    expect(Buffer.byteLength(r.summary)).toBeLessThan(1024 * 1024)
    expect(r.summary).toContain("Cut to fit GitHub's limit of 1 MiB")
    expect(r.summary).toContain('defect-00000')
  }, 120_000)
})

describe('one comment per project and PR', () => {
  test('two runs racing on one PR end with one comment, the same URL in both', async () => {
    // Both runs list the comments before either has posted: both post, then one gives way.
    emu.barrier('GitHub:ListComments', 2)
    const [a, b] = await Promise.all([run({ wait: 'false' }), run({ wait: 'false' })])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(emu.requestsFor('GitHub:DeleteComment').length).toBeGreaterThanOrEqual(1)
    const left = ours()
    expect(left).toHaveLength(1)
    expect(a.outputs['comment-url']).toContain(`#issuecomment-${left[0].id}`)
    expect(b.outputs['comment-url']).toBe(a.outputs['comment-url'])
  }, 120_000)

  test('a user’s comment quoting the marker is never taken for ours', async () => {
    const marker = `<!-- train-action:${projectArn} -->`
    const quoted = emu.addComment('acme', 'vision', PR, `> ${marker}\n> quoted`, 'octocat')
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    const all = ours()
    expect(all).toHaveLength(2)
    expect(all.find((c) => c.id === quoted)?.body).toBe(`> ${marker}\n> quoted`)
    expect(all.find((c) => c.id !== quoted)?.user).toBe('github-actions[bot]')
  })

  test('with a personal token, the comment is the token user’s (GET /user)', async () => {
    const pat = 'ghp_personalTokenExample000000000000'
    emu.setGitHubToken(pat)
    emu.setGitHubIdentity({ login: 'release-bot-user', kind: 'user' })
    try {
      const marker = `<!-- train-action:${projectArn} -->`
      // An earlier comment by the GITHUB_TOKEN is not this identity's: left as it is.
      const other = emu.addComment('acme', 'vision', PR, `${marker}\nold`, 'github-actions[bot]')
      const from = emu.requests.length
      const first = await run({ wait: 'false', 'github-token': pat })
      const second = await run({ 'github-token': pat })
      expect([first.code, second.code]).toEqual([0, 0])
      expect(since(from, 'GitHub:GetUser')).toHaveLength(2)
      const mine = ours().filter((c) => c.user === 'release-bot-user')
      expect(mine).toHaveLength(1)
      expect(mine[0].body).toContain('Training completed')
      expect(ours().find((c) => c.id === other)?.body).toBe(`${marker}\nold`)
      expect(unmasked(second.stdout)).not.toContain(pat)
    } finally {
      emu.setGitHubToken(GITHUB_TOKEN)
    }
  }, 120_000)
})

describe('stale runs', () => {
  test('a re-run of an older commit leaves the comment about the head alone and says why', async () => {
    const first = await run({ wait: 'false' })
    expect(first.code).toBe(0)
    const [comment] = ours()
    const before = comment.body
    // The PR moved on; the newer commit's run wrote its result. Then the old job is re-run.
    emu.setPullRequest('acme', 'vision', PR, NEWER)
    const from = emu.requests.length
    const stale = await run()
    expect(stale.code).toBe(0)
    expect(ours()).toHaveLength(1)
    expect(ours()[0].body).toBe(before)
    expect(since(from, 'GitHub:UpdateComment')).toHaveLength(0)
    expect(since(from, 'GitHub:CreateComment')).toHaveLength(0)
    expect(stale.outputs['comment-url']).toBeUndefined()
    expect(stale.summary).toContain('Training completed')
    expect(stale.summary).toContain(
      `The PR comment was left alone: this run trained ${HEAD.slice(0, 12)}, but the head of pull request #${PR} is now ${NEWER.slice(0, 12)}`
    )
    expect(stale.stdout).not.toMatch(/::warning::/)
  }, 120_000)
})

describe('the log', () => {
  test('the GitHub client logs nothing of its own, and never the token', async () => {
    emu.injectFault('GitHub:ListComments', { kind: 'internal-error', status: 502 }, 1)
    const r = await run({ wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.stderr).not.toMatch(/octokit|github/i)
    expect(unmasked(r.stdout)).not.toContain(GITHUB_TOKEN)
    expect(r.stdout).not.toMatch(/octokit|\[@octokit/i)
  })
})
