// What the collect suites (collect.test.ts, collect-converge.test.ts) share: one emulator a file
// (with the output bucket and the GitHub token), a fresh project a test, the PR step of pull
// request #17 of acme/vision that starts a training, the scheduled collector, and the statuses and
// comments this test's project wrote there.
import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, type RunOptions } from './harness.js'

export const HEAD = 'feedfacecafebeef00112233445566778899aabb'
const MERGE = '9999999999999999999999999999999999999999'
export const HOUR = 3_600_000

// Live bindings: set by the hooks useCollectFixture registers (each test file has its own copy).
export let emu: Emulator
export let project: string
export let projectArn: string

/**
 * Registers the hooks: the emulator started before the file's tests and stopped after them; before
 * each test, a new project `${prefix}-<n>` and no faults. Call it before the file's own beforeEach.
 */
export function useCollectFixture(prefix: string): void {
  let n = 0
  beforeAll(async () => {
    emu = await Emulator.start()
    emu.addBucket('acme-training-out')
    emu.setGitHubToken(GITHUB_TOKEN)
  })
  afterAll(() => emu.stop())
  beforeEach(() => {
    project = `${prefix}-${++n}`
    projectArn = emu.addProject(project)
    emu.clearFaults()
  })
}

export const prEvent = (head: string) => ({
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 17,
      head: { sha: head, ref: 'data/more-scratches', repo: { full_name: 'acme/vision' } },
      base: { ref: 'main', repo: { full_name: 'acme/vision' } }
    }
  }
})

/** The PR step of `head`: starts the training and exits. */
export const start = (
  inputs: Record<string, string> = {},
  head = HEAD,
  extra: Partial<RunOptions> = {}
) =>
  runAction({
    ...extra,
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), 'poll-interval-seconds': '0.2', ...inputs },
    event: prEvent(head),
    env: {
      GITHUB_SHA: MERGE,
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_REF_NAME: '17/merge',
      GITHUB_HEAD_REF: 'data/more-scratches',
      ...extra.env
    }
  })

/** The scheduled collector: no output-bucket, no PR. */
export const collector = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
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
    env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000777', GITHUB_HEAD_REF: '', ...extra.env }
  })

/** This test's project's commit statuses on `sha`. */
export const statuses = (sha = HEAD) =>
  emu.statuses('acme', 'vision', sha).filter((s) => s.context === `train-action/${project}`)
/** This test's project's comments on pull request #17. */
export const comments = () =>
  emu.comments('acme', 'vision', 17).filter((c) => c.body.includes(projectArn))
