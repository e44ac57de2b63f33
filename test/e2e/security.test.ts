// Secrets never leave the process, and untrusted values cannot inject workflow commands or
// Markdown, on success and on every error path, with step debug on.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator, type Fault } from '../emulator/server.js'
import {
  AWS_SECRET,
  AWS_SESSION,
  GITHUB_TOKEN,
  baseInputs,
  runAction,
  type ActionRun,
  type RunOptions,
  whenStarted
} from './harness.js'

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
  projectArn = emu.addProject(`sec-${++n}`)
  emu.setPullRequest('acme', 'vision', 9, 'cd'.repeat(20))
  emu.clearFaults()
  emu.denyGitHubWrites(false)
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    statusMessage: undefined
  })
})

const DEBUG = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }
const prEvent = (head: Record<string, unknown> = {}): RunOptions['event'] => ({
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 9,
      title: 'Evil <img src=x onerror=alert(1)> @everyone',
      head: { sha: 'cd'.repeat(20), ref: 'data', repo: { full_name: 'acme/vision' }, ...head },
      base: { repo: { full_name: 'acme/vision' } }
    }
  }
})
const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), wait: 'true', 'poll-interval-seconds': '0.2', ...inputs },
    event: prEvent(),
    ...extra,
    env: { ...DEBUG, ...extra.env }
  })

/** Everything a person or a later step can see, minus the add-mask commands the runner consumes. */
function visible(r: ActionRun): string {
  const log = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  const comments = emu.comments('acme', 'vision', 9).map((c) => c.body)
  return [log, r.summary, JSON.stringify(r.outputs), ...comments].join('\n')
}

const expectNoSecrets = (r: ActionRun) => {
  const text = visible(r)
  for (const secret of [AWS_SECRET, AWS_SESSION, GITHUB_TOKEN]) expect(text).not.toContain(secret)
}

describe('secrets never appear, with step debug on', () => {
  test('the secrets are masked for the runner', async () => {
    const r = await run({ 'dry-run': 'true' })
    expect(r.stdout).toContain(`::add-mask::${AWS_SECRET}`)
    expect(r.stdout).toContain(`::add-mask::${AWS_SESSION}`)
    expect(r.stdout).toContain(`::add-mask::${GITHUB_TOKEN}`)
  })

  const paths: [string, () => Partial<RunOptions>, Record<string, string>][] = [
    ['a successful PR run with a comment', () => ({}), {}],
    ['dry-run', () => ({}), { 'dry-run': 'true' }],
    [
      'AccessDenied on create',
      () => (emu.injectFault('CreateProjectVersion', { kind: 'access-denied' }), {}),
      {}
    ],
    [
      'an expired token while waiting',
      () => ({
        onLog: whenStarted(() =>
          emu.injectFault('DescribeProjectVersions', { kind: 'expired-token' })
        )
      }),
      {}
    ],
    [
      'a malformed answer',
      () => (emu.injectFault('CreateProjectVersion', { kind: 'malformed' } as Fault, 10), {}),
      {}
    ],
    ['GitHub refusing the token', () => (emu.setGitHubToken('ghs_other'), {}), {}],
    ['GitHub denying writes', () => (emu.denyGitHubWrites(true), {}), {}],
    ['a failed training', () => (emu.setTraining({ finalStatus: 'TRAINING_FAILED' }), {}), {}],
    ['a bad input echoing a value', () => ({}), { tags: `token=${GITHUB_TOKEN}!` }],
    [
      'a timeout',
      () => (emu.setTraining({ durationMs: 3_600_000 }), {}),
      { 'wait-timeout-minutes': '0.02' }
    ]
  ]
  test.each(paths)('%s', async (_what, setup, inputs) => {
    const extra = setup()
    const r = await run(inputs, extra)
    emu.setGitHubToken(GITHUB_TOKEN)
    expectNoSecrets(r)
  })
})

describe('untrusted values stay inert', () => {
  test('workflow-command injection through GitHub values and service messages does nothing', async () => {
    emu.setTraining({
      statusMessage: 'done\n::error::injected-by-message\n::set-output name=status::PWNED'
    })
    const r = await run(
      { 'version-name': '{ref_name}-{short_sha}' },
      {
        env: {
          GITHUB_WORKFLOW: 'Retrain\n::error::injected-by-workflow',
          GITHUB_HEAD_REF: 'x%0A::error::injected-by-branch',
          GITHUB_ACTOR: 'eve\n::add-mask::x'
        }
      }
    )
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.filter((l) => /^::error::injected/.test(l))).toHaveLength(0)
    expect(lines.filter((l) => /^::set-output/.test(l))).toHaveLength(0)
    expect(lines.filter((l) => l === '::add-mask::x')).toHaveLength(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    const [v] = emu.versions(projectArn)
    expect(v.name).toMatch(/^[a-zA-Z0-9_.-]+$/)
    for (const value of Object.values(v.tags)) expect(value).not.toMatch(/[\n%]/)
  })

  test('Markdown and mentions in service messages and tags cannot reach the summary or the comment raw', async () => {
    emu.setTraining({
      statusMessage: '<img src=x onerror=alert(1)> [click](http://evil) @everyone #1 | x |'
    })
    const r = await run({ tags: 'note=@everyone' })
    const comment = emu.comments('acme', 'vision', 9).find((c) => c.body.includes(projectArn))!.body
    for (const text of [r.summary, comment]) {
      expect(text).not.toContain('<img')
      expect(text).not.toContain('](http://evil)')
      expect(text).not.toMatch(/(^|[^\w`])@everyone/)
      expect(text).not.toContain('Evil') // the PR title is never used
    }
  })

  test('manifest paths outside the workspace are refused, absolute or relative', async () => {
    for (const path of ['/etc/passwd', '../outside.manifest', 'data/../../outside.manifest']) {
      const r = await run({ 'training-manifests': path, 'auto-create-testing': 'true' })
      expect(r.code).toBe(1)
      expect(r.errors[0]).toMatch(/^training-manifests .* is outside the workspace/)
    }
    expect(emu.requests.filter((q) => q.body?.ProjectArn === projectArn)).toHaveLength(0)
  })
})
