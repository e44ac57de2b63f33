// Previews that stop themselves (stop-after-minutes, mode: collect, mode: stop) and GitHub's
// deployment record (deployment-environment), end to end against the emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { GITHUB_TOKEN, baseInputs, runAction, type RunOptions } from './harness.js'

const HEAD = 'feedfacecafebeef00112233445566778899aabb'
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
  projectArn = emu.addProject(`preview-${++n}`)
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
  emu.setHosting({ checksUntilRunning: 1, failWith: undefined, held: false })
  emu.setPullRequest('acme', 'vision', 17, HEAD)
})

const prEvent = (action = 'opened') => ({
  name: 'pull_request',
  payload: {
    action,
    number: 17,
    pull_request: {
      number: 17,
      head: { sha: HEAD, ref: 'data/more', repo: { full_name: 'acme/vision' } },
      base: { ref: 'main', repo: { full_name: 'acme/vision' } }
    }
  }
})
const run = (inputs: Record<string, string>, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), 'poll-interval-seconds': '0.2', ...inputs },
    ...extra
  })
const deployInputs = { wait: 'true', deploy: 'true' }
const status = (arn: string) => emu.versions(projectArn).find((v) => v.arn === arn)?.status
const running = (name: string, tags: Record<string, string>) =>
  emu.addVersion(projectArn, {
    name,
    status: 'RUNNING',
    createdAt: new Date(Date.now() - 86_400_000),
    tags
  })
const iso = (ms: number) => new Date(ms).toISOString()

describe('previews', () => {
  test('a pull request deploys a preview: tagged with its PR and stop time; main’s deployment serves on', async () => {
    const main = running('vision-main', { 'train-action:deployed-by': 'acme/vision' })
    const earlier = running('vision-pr17-old', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:deployed-pr': '17'
    })
    const before = Date.now()
    const r = await run(
      { ...deployInputs, 'stop-after-minutes': '90', 'comment-on-pr': 'false' },
      { event: prEvent() }
    )
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const arn = r.outputs['project-version-arn']
    const tags = emu.versions(projectArn).find((v) => v.arn === arn)!.tags
    expect(tags['train-action:deployed-pr']).toBe('17')
    const stopAt = Date.parse(tags['train-action:stop-after'])
    expect(stopAt).toBeGreaterThanOrEqual(before + 90 * 60_000 - 1000)
    expect(stopAt).toBeLessThanOrEqual(Date.now() + 90 * 60_000)
    expect(r.outputs['stopped-versions']).toBe(earlier)
    expect(status(main)).toBe('RUNNING')
    expect(r.summary).toContain('A preview: mode: collect stops it after 90 min.')
  })

  test('mode: collect stops this repository’s previews whose time has passed, and says so', async () => {
    const due = running('vision-due', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:stop-after': iso(Date.now() - 60_000)
    })
    const later = running('vision-later', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:stop-after': iso(Date.now() + 3_600_000)
    })
    const theirs = running('other-due', {
      'train-action:deployed-by': 'other/repo',
      'train-action:stop-after': iso(Date.now() - 60_000)
    })
    const forever = running('vision-main', { 'train-action:deployed-by': 'acme/vision' })
    const r = await run(
      { mode: 'collect', 'output-bucket': '' },
      { event: { name: 'schedule', payload: {} } }
    )
    expect(r.code).toBe(0)
    expect(status(due)).toBe('STOPPING')
    expect(status(later)).toBe('RUNNING')
    expect(status(theirs)).toBe('RUNNING')
    expect(status(forever)).toBe('RUNNING')
    expect(r.summary).toContain(
      'Stopped 1 preview deployment(s) past their stop-after-minutes: `vision-due`'
    )
  })

  test('mode: collect with commit-status: false still stops the previews whose time has passed', async () => {
    const due = running('vision-due', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:stop-after': iso(Date.now() - 60_000)
    })
    const later = running('vision-later', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:stop-after': iso(Date.now() + 3_600_000)
    })
    const r = await run(
      { mode: 'collect', 'output-bucket': '', 'commit-status': 'false' },
      { event: { name: 'schedule', payload: {} } }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.collected).toBe('0')
    expect(status(due)).toBe('STOPPING')
    expect(status(later)).toBe('RUNNING')
    expect(r.summary).toContain('Stopped 1 preview deployment(s) past their stop-after-minutes')
  })

  test('mode: stop on a closed pull request stops its deployments only', async () => {
    const pr = running('vision-pr17', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:deployed-pr': '17'
    })
    const otherPr = running('vision-pr18', {
      'train-action:deployed-by': 'acme/vision',
      'train-action:deployed-pr': '18'
    })
    const otherRepo = running('other-pr17', {
      'train-action:deployed-by': 'other/repo',
      'train-action:deployed-pr': '17'
    })
    const main = running('vision-main', { 'train-action:deployed-by': 'acme/vision' })
    const r = await run({ mode: 'stop', 'output-bucket': '' }, { event: prEvent('closed') })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs['stopped-versions']).toBe(pr)
    expect(status(pr)).toBe('STOPPING')
    for (const arn of [otherPr, otherRepo, main]) expect(status(arn)).toBe('RUNNING')
    expect(r.summary).toContain('Pull request #17 closed: 1 deployment(s) stopped')
    const inProject = (q: { body?: { ProjectVersionArn?: string } }) =>
      q.body?.ProjectVersionArn?.startsWith(projectArn.replace(/\/\d+$/, '/'))
    expect(emu.requestsFor('StartProjectVersion').filter(inProject)).toHaveLength(0)
  })

  test('mode: stop outside a pull request event refuses before any AWS call', async () => {
    const before = emu.requests.length
    const r = await run({ mode: 'stop', 'output-bucket': '' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('mode: stop stops the versions deployed for a pull request')
    expect(emu.requests.length).toBe(before)
  })
})

describe('GitHub deployment record', () => {
  test('in_progress, then success; the replaced deployment becomes inactive', async () => {
    const old = running('vision-old', { 'train-action:deployed-by': 'acme/vision' })
    const oldDeployment = emu.addDeployment('acme', 'vision', 'production', {
      'project-version-arn': old
    })
    const unrelated = emu.addDeployment('acme', 'vision', 'production', {
      'project-version-arn': 'arn:aws:rekognition:eu-west-1:123456789012:project/x/version/y/1'
    })
    const r = await run({ ...deployInputs, 'deployment-environment': 'production' })
    expect(r.code).toBe(0)
    const all = emu.deployments('acme', 'vision')
    const mine = all.find((d) => d.id !== oldDeployment && d.id !== unrelated)!
    expect(mine.environment).toBe('production')
    expect(mine.ref).toBe('0123456789abcdef0123456789abcdef01234567')
    expect(mine.payload).toEqual({ 'project-version-arn': r.outputs['project-version-arn'] })
    expect(mine.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(all.find((d) => d.id === oldDeployment)!.statuses.map((s) => s.state)).toEqual([
      'success',
      'inactive'
    ])
    expect(all.find((d) => d.id === unrelated)!.statuses.map((s) => s.state)).toEqual(['success'])
  })

  test('a failed start records failure', async () => {
    emu.setHosting({ failWith: 'No capacity.' })
    const r = await run({ ...deployInputs, 'deployment-environment': 'staging' })
    expect(r.code).toBe(1)
    const [d] = emu.deployments('acme', 'vision').filter((x) => x.environment === 'staging')
    expect(d.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
  })

  test('a token without deployments: write is a warning; the model still deploys', async () => {
    emu.denyGitHubWrites(true)
    try {
      const r = await run({
        ...deployInputs,
        'deployment-environment': 'qa',
        'commit-status': 'false'
      })
      expect(r.code).toBe(0)
      expect(r.outputs['deploy-status']).toBe('RUNNING')
      expect(r.stdout).toContain('the token needs deployments: write')
    } finally {
      emu.denyGitHubWrites(false)
    }
  })
})
