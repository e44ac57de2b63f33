// Never pay twice for the same data (issue 18), end to end: the bundle against the emulator, with
// the event payloads GitHub sends. A commit whose data this repository already trained attaches
// to that version (no CreateProjectVersion) and gets its status in seconds; changed data, a failed
// earlier version and `if-data-unchanged: train` train. Also: a merge queue's commit, a cancel
// while the create answers (the pending status is written, and the collector finishes it), and a
// project name too long for GitHub's 255-character status context.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import {
  GITHUB_TOKEN,
  SHA,
  SIGKILL_AFTER_SIGTERM_MS,
  SIGTERM_AFTER_SIGINT_MS,
  baseInputs,
  runAction,
  type RunOptions
} from './harness.js'

const SHA2 = '1111111111111111111111111111111111111111'
const SHA3 = '2222222222222222222222222222222222222222'
const GROUP_SHA = '3333333333333333333333333333333333333333'
const BASE_SHA = '4444444444444444444444444444444444444444'
// The runner's SIGKILL, from its SIGINT, in real time (the cancel test runs at time scale 1).
const KILL_AT_MS = SIGTERM_AFTER_SIGINT_MS + SIGKILL_AFTER_SIGTERM_MS

let emu: Emulator
let project: string
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.setGitHubToken(GITHUB_TOKEN)
})
afterAll(() => emu.stop())
beforeEach(() => {
  project = `reuse-${++n}`
  projectArn = emu.addProject(project)
  emu.clearFaults()
  emu.setListOrder('newest-first')
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    f1Score: 0.92
  })
})

const classification = (image: string, index: number) =>
  JSON.stringify({
    'source-ref': `s3://acme-images/${image}`,
    defect: index,
    'defect-metadata': {
      'class-name': index ? 'scratch' : 'dent',
      confidence: 1,
      type: 'groundtruth/image-classification',
      'human-annotated': 'yes',
      'creation-date': '2026-11-01T00:00:00',
      'job-name': 'labeling'
    }
  })
const manifest = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => classification(`${prefix}/${i}.jpg`, i % 2)).join('\n')

const DATA = {
  'data/train.manifest': manifest('train', 30),
  'data/test.manifest': manifest('test', 12)
}
const REPO_MANIFESTS = {
  'training-manifests': 'data/train.manifest',
  'testing-manifests': 'data/test.manifest'
}

const onPush = (sha: string): Partial<RunOptions> => ({
  env: { GITHUB_SHA: sha },
  event: { name: 'push', payload: { ref: 'refs/heads/main', after: sha } }
})

const run = (
  inputs: Record<string, string> = {},
  extra: Partial<RunOptions> = {},
  files: Record<string, string> = DATA
) =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      ...REPO_MANIFESTS,
      'poll-interval-seconds': '0.2',
      wait: 'true',
      ...inputs
    },
    files,
    timeoutMs: 60_000,
    ...extra
  })

const ofProject = (operation: string) =>
  emu.requestsFor(operation).filter((q) => q.body?.ProjectArn === projectArn)
const creates = () => ofProject('CreateProjectVersion')
const context = () => `train-action/${project}`
const statuses = (sha: string) =>
  emu.statuses('acme', 'vision', sha).filter((s) => s.context === context())
const lastStatus = (sha: string) => statuses(sha).at(-1)

describe('repository manifests', () => {
  test('identical data on a new commit: no create, created=false, success on the new commit', async () => {
    const first = await run({}, onPush(SHA))
    expect(first.code).toBe(0)
    expect(creates()).toHaveLength(1)
    const [v] = emu.versions(projectArn)
    const fingerprint = first.outputs['data-sha256']
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(v.tags['train-action:data-sha256']).toBe(fingerprint)

    const second = await run({}, onPush(SHA2))
    expect(second.code).toBe(0)
    expect(creates()).toHaveLength(1)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(second.outputs).toMatchObject({
      'project-version-arn': v.arn,
      'version-name': v.name,
      created: 'false',
      status: 'TRAINING_COMPLETED',
      'f1-score': '0.92',
      'data-sha256': fingerprint
    })
    expect(second.stdout).toContain(
      `Same data as ${v.name}, trained for ${SHA.slice(0, 12)} (TRAINING_COMPLETED): attaching to it`
    )
    const status = lastStatus(SHA2)
    expect(status?.state).toBe('success')
    expect(status?.description).toMatch(
      new RegExp(`^same data as ${v.name}, trained for ${SHA.slice(0, 7)}: F1 0\\.920`)
    )
    expect([...(status?.description ?? '')].length).toBeLessThanOrEqual(140)
    expect(second.summary).toContain(`same data as \`${v.name}\``)
    expect(second.summary).toContain(`data-sha256 \`${fingerprint}\``)
    // One listing, and a tag read for the one candidate; no second training.
    const lists = ofProject('DescribeProjectVersions').filter((q) => q.body?.MaxResults === 100)
    expect(lists.length).toBeGreaterThanOrEqual(1)
  })

  test('changed data trains; the same data as an older version attaches to that one', async () => {
    await run({}, onPush(SHA))
    const changed = { ...DATA, 'data/train.manifest': manifest('train', 32) }
    const second = await run({}, onPush(SHA2), changed)
    expect(second.outputs.created).toBe('true')
    expect(creates()).toHaveLength(2)
    const first = emu.versions(projectArn).find((v) => v.tags['github:sha'] === SHA)!
    const third = await run({}, onPush(SHA3))
    expect(creates()).toHaveLength(2)
    expect(third.outputs['project-version-arn']).toBe(first.arn)
    expect(third.outputs['data-sha256']).not.toBe(second.outputs['data-sha256'])
  })

  test('a failed earlier version is never reused: the data trains again', async () => {
    emu.setTraining({ finalStatus: 'TRAINING_FAILED' })
    const first = await run({}, onPush(SHA))
    expect(first.code).toBe(1)
    emu.setTraining({ finalStatus: 'TRAINING_COMPLETED' })
    const second = await run({}, onPush(SHA2))
    expect(second.code).toBe(0)
    expect(creates()).toHaveLength(2)
    expect(second.outputs.created).toBe('true')
    expect(lastStatus(SHA2)?.state).toBe('success')
  })

  test('a version still training is attached to: pending on the new commit, no create', async () => {
    emu.setTraining({ durationMs: 24 * 3_600_000 })
    const first = await run({ wait: 'false' }, onPush(SHA))
    expect(first.outputs.status).toBe('TRAINING_IN_PROGRESS')
    const [v] = emu.versions(projectArn)
    const second = await run({ wait: 'false' }, onPush(SHA2))
    expect(second.code).toBe(0)
    expect(creates()).toHaveLength(1)
    expect(second.outputs).toMatchObject({
      'project-version-arn': v.arn,
      created: 'false',
      status: 'TRAINING_IN_PROGRESS'
    })
    const status = lastStatus(SHA2)
    expect(status?.state).toBe('pending')
    expect(status?.description).toMatch(
      new RegExp(`^same data as ${v.name}, trained for ${SHA.slice(0, 7)}: training since`)
    )
  })

  test('if-data-unchanged: train always trains', async () => {
    await run({}, onPush(SHA))
    const second = await run({ 'if-data-unchanged': 'train' }, onPush(SHA2))
    expect(second.outputs.created).toBe('true')
    expect(creates()).toHaveLength(2)
    // The fingerprint is still recorded.
    expect(emu.versions(projectArn).map((v) => v.tags['train-action:data-sha256'])).toEqual([
      second.outputs['data-sha256'],
      second.outputs['data-sha256']
    ])
  })

  test('a tag read refused (a tag-scoped policy): the candidate is skipped with a warning, and the data trains', async () => {
    await run({}, onPush(SHA))
    emu.injectFault('ListTagsForResource', { kind: 'access-denied' })
    const second = await run({}, onPush(SHA2))
    expect(second.code).toBe(0)
    expect(creates()).toHaveLength(2)
    expect(second.stdout).toMatch(/::warning::Could not read the tags of 1 version/)
  })

  test('a bad if-data-unchanged fails before any AWS call', async () => {
    const r = await run({ 'if-data-unchanged': 'sometimes' }, onPush(SHA))
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/if-data-unchanged "sometimes" .*must be reuse or train/)
    expect(emu.requests.filter((q) => q.body?.ProjectArn === projectArn)).toHaveLength(0)
  })
})

describe('s3:// manifests: the ETag (HeadObject), never a download', () => {
  const S3_INPUTS = {
    'training-manifests': 's3://acme-datasets/defects/train.manifest',
    'testing-manifests': 's3://acme-datasets/defects/test.manifest'
  }
  test('unchanged objects attach; a rewritten one trains', async () => {
    emu.putObject('acme-datasets', 'defects/train.manifest', DATA['data/train.manifest'])
    emu.putObject('acme-datasets', 'defects/test.manifest', DATA['data/test.manifest'])
    const gets = () =>
      emu.requestsFor('S3:GetObject').filter((q) => q.path.startsWith('/acme-datasets/'))
    const first = await run(S3_INPUTS, onPush(SHA), {})
    expect(first.outputs.created).toBe('true')
    const second = await run(S3_INPUTS, onPush(SHA2), {})
    expect(second.outputs.created).toBe('false')
    expect(second.outputs['data-sha256']).toBe(first.outputs['data-sha256'])
    expect(creates()).toHaveLength(1)
    expect(
      emu.requestsFor('S3:HeadObject').filter((q) => q.path.startsWith('/acme-datasets/')).length
    ).toBeGreaterThanOrEqual(4)
    expect(gets()).toHaveLength(0)

    emu.putObject('acme-datasets', 'defects/train.manifest', manifest('train', 34))
    const third = await run(S3_INPUTS, onPush(SHA3), {})
    expect(third.outputs.created).toBe('true')
    expect(third.outputs['data-sha256']).not.toBe(first.outputs['data-sha256'])
    expect(creates()).toHaveLength(2)
    expect(gets()).toHaveLength(0)
  })
})

describe('a merge queue', () => {
  test('merge_group with the PR head’s data: success on the group’s commit, no training', async () => {
    const head = await run(
      {},
      {
        env: {
          GITHUB_SHA: '5555555555555555555555555555555555555555',
          GITHUB_REF: 'refs/pull/17/merge',
          GITHUB_REF_NAME: '17/merge',
          GITHUB_HEAD_REF: 'data/more',
          GITHUB_BASE_REF: 'main'
        },
        event: {
          name: 'pull_request',
          payload: {
            action: 'synchronize',
            number: 17,
            pull_request: {
              number: 17,
              head: { ref: 'data/more', sha: SHA, repo: { full_name: 'acme/vision' } },
              base: { ref: 'main', sha: BASE_SHA, repo: { full_name: 'acme/vision' } }
            },
            repository: { full_name: 'acme/vision', default_branch: 'main' }
          }
        }
      }
    )
    expect(head.outputs.created).toBe('true')
    const [v] = emu.versions(projectArn)
    const queueRef = `refs/heads/gh-readonly-queue/main/pr-17-${BASE_SHA}`
    const group = await run(
      {},
      {
        env: {
          GITHUB_SHA: GROUP_SHA,
          GITHUB_REF: queueRef,
          GITHUB_REF_NAME: queueRef.replace('refs/heads/', ''),
          GITHUB_HEAD_REF: '',
          GITHUB_BASE_REF: ''
        },
        event: {
          name: 'merge_group',
          payload: {
            action: 'checks_requested',
            merge_group: {
              head_sha: GROUP_SHA,
              head_ref: queueRef,
              base_sha: BASE_SHA,
              base_ref: 'refs/heads/main',
              head_commit: {
                id: GROUP_SHA,
                tree_id: '6666666666666666666666666666666666666666',
                message: 'Merge pull request #17 from acme/data/more',
                timestamp: '2026-12-01T10:00:00Z',
                author: { name: 'Data Person', email: 'data@example.com' },
                committer: { name: 'GitHub', email: 'noreply@github.com' }
              }
            },
            repository: { full_name: 'acme/vision', default_branch: 'main' },
            sender: { login: 'octocat' }
          }
        }
      }
    )
    expect(group.code).toBe(0)
    expect(group.durationMs).toBeLessThan(30_000)
    expect(creates()).toHaveLength(1)
    expect(group.outputs).toMatchObject({ 'project-version-arn': v.arn, created: 'false' })
    expect(lastStatus(GROUP_SHA)?.state).toBe('success')
    expect(lastStatus(GROUP_SHA)?.description).toContain(`same data as ${v.name}`)
  })
})

describe('a cancel while CreateProjectVersion answers', () => {
  test('the pending status is written before the process leaves, and the collector finishes it', async () => {
    // Ended at the first look, which is the collector's.
    emu.setTraining({ checksUntilEnd: 0 })
    emu.injectFault('CreateProjectVersion', { kind: 'late', delayMs: 5_000 })
    // Real time, as the cancel tests: what counts is the process's work against the runner's
    // deadlines, and a loaded machine slows the process, not the deadlines.
    const r = await run(
      {},
      { ...onPush(SHA), runnerCancel: { when: /Starting training/ }, timeScale: 1 }
    )
    const [v] = emu.versions(projectArn)
    expect(r.cancelSignals).not.toContain('SIGKILL')
    expect(r.exitAfterCancelMs).toBeLessThan(KILL_AT_MS)
    expect(r.code).toBe(1)
    expect(r.outputs['project-version-arn']).toBe(v.arn)
    const pending = lastStatus(SHA)
    expect(pending?.state).toBe('pending')
    expect(pending?.description).toMatch(new RegExp(`^${v.name}: training since`))

    const collector = await runAction({
      endpoint: emu.url,
      inputs: { 'project-arn': projectArn, mode: 'collect', 'poll-interval-seconds': '0.2' },
      event: { name: 'schedule', payload: { schedule: '*/15 * * * *' } },
      env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000777' }
    })
    expect(collector.code).toBe(0)
    expect(collector.outputs.collected).toBe('1')
    expect(lastStatus(SHA)?.state).toBe('success')
  }, 60_000)
})

describe('a commit attached to a training still running', () => {
  test('is recorded on the version, and the collector finishes its status too', async () => {
    const HOUR = 3_600_000
    emu.setTraining({ durationMs: 2 * HOUR, checksUntilEnd: undefined })
    const first = await run({ wait: 'false' }, onPush(SHA))
    expect(first.outputs.created).toBe('true')
    // A push that changes no data, while the first training runs: attached, pending, no training.
    const second = await run({ wait: 'false' }, onPush(SHA2))
    expect(second.outputs.created).toBe('false')
    expect(creates()).toHaveLength(1)
    const [v] = emu.versions(projectArn)
    expect(v.tags[`train-action:also-for:${SHA2}`]).toBe('')
    expect(lastStatus(SHA2)?.state).toBe('pending')
    expect(lastStatus(SHA2)?.description).toMatch(new RegExp(`^same data as ${v.name}`))

    emu.advanceClock(3 * HOUR)
    const collector = await runAction({
      endpoint: emu.url,
      inputs: { 'project-arn': projectArn, mode: 'collect', 'poll-interval-seconds': '0.2' },
      event: { name: 'schedule', payload: { schedule: '*/15 * * * *' } },
      env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000778' }
    })
    expect(collector.errors).toEqual([])
    expect(collector.code).toBe(0)
    expect(collector.outputs.collected).toBe('2')
    expect(lastStatus(SHA)?.state).toBe('success')
    expect(lastStatus(SHA2)?.state).toBe('success')
    expect(lastStatus(SHA2)?.description).toMatch(
      new RegExp(`^same data as ${v.name}, trained for ${SHA.slice(0, 7)}: F1 0\\.920`)
    )
    // Once is enough: the next collector finds both final and writes nothing.
    const writes = emu.requestsFor('GitHub:CreateStatus').length
    const again = await runAction({
      endpoint: emu.url,
      inputs: { 'project-arn': projectArn, mode: 'collect', 'poll-interval-seconds': '0.2' },
      event: { name: 'schedule', payload: { schedule: '*/15 * * * *' } },
      env: { GITHUB_WORKFLOW: 'Collect', GITHUB_RUN_ID: '9000779' }
    })
    expect(again.code).toBe(0)
    expect(emu.requestsFor('GitHub:CreateStatus')).toHaveLength(writes)
  })
})

describe('a 250-character project name', () => {
  test('the status context is cut to 255 characters, stable, and GitHub takes it', async () => {
    project = `p${'x'.repeat(248)}9`
    projectArn = emu.addProject(project)
    const r = await run({}, onPush(SHA))
    expect(r.code).toBe(0)
    const written = emu
      .statuses('acme', 'vision', SHA)
      .filter((s) => s.context.startsWith('train-action/pxxx'))
    expect(written.map((s) => s.state)).toEqual(['pending', 'success'])
    const [ctx] = new Set(written.map((s) => s.context))
    expect([...ctx].length).toBeLessThanOrEqual(255)
    expect(ctx).toMatch(/^train-action\/px+~[0-9a-f]{12}$/)
    expect(r.stdout).not.toMatch(/Could not set the commit status/)
  })

  test('the emulator refuses a context over 255 characters with 422, as GitHub does', async () => {
    const res = await fetch(`${emu.url}/repos/acme/vision/statuses/${SHA}`, {
      method: 'POST',
      headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'pending', context: `train-action/${'y'.repeat(243)}` })
    })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0].field).toBe('context')
  })
})

describe('reuse by data and deploy together', () => {
  const prRun = {
    env: {
      GITHUB_SHA: '5555555555555555555555555555555555555555',
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_REF_NAME: '17/merge',
      GITHUB_HEAD_REF: 'docs/readme',
      GITHUB_BASE_REF: 'main'
    },
    event: {
      name: 'pull_request',
      payload: {
        action: 'synchronize',
        number: 17,
        pull_request: {
          number: 17,
          head: { ref: 'docs/readme', sha: SHA2, repo: { full_name: 'acme/vision' } },
          base: { ref: 'main', sha: BASE_SHA, repo: { full_name: 'acme/vision' } }
        },
        repository: { full_name: 'acme/vision', default_branch: 'main' }
      }
    }
  }

  test('a preview of a PR with main’s data never takes over main’s serving model', async () => {
    emu.setHosting({
      checksUntilRunning: 1,
      failWith: undefined,
      held: false,
      unitLimit: undefined
    })
    emu.setPullRequest('acme', 'vision', 17, SHA2)
    const main = await run({ deploy: 'true' }, onPush(SHA))
    expect(main.outputs['deploy-status']).toBe('RUNNING')
    const arn = main.outputs['project-version-arn']
    const mainTags = { ...emu.versions(projectArn)[0].tags }

    // The PR changes no data: it reuses main's version, which is already serving for main.
    const preview = await run(
      { deploy: 'true', 'stop-after-minutes': '60', 'comment-on-pr': 'false' },
      prRun
    )
    expect(preview.code).toBe(0)
    expect(preview.outputs.created).toBe('false')
    expect(preview.outputs['project-version-arn']).toBe(arn)
    expect(preview.stdout).toContain('for another deployment (acme/vision, refs/heads/main)')
    const ofVersion = (operation: string) =>
      emu.requestsFor(operation).filter((q) => q.body?.ProjectVersionArn === arn)
    expect(ofVersion('StartProjectVersion')).toHaveLength(1)
    // Not re-tagged as the PR's preview, so neither the collector nor mode: stop will stop it.
    const v = emu.versions(projectArn)[0]
    expect(v.tags).toEqual(mainTags)
    expect(v.tags['train-action:deployed-pr']).toBeUndefined()
    expect(v.tags['train-action:stop-after']).toBeUndefined()

    const closed = await run({ mode: 'stop' }, prRun)
    expect(closed.code).toBe(0)
    expect(ofVersion('StopProjectVersion')).toHaveLength(0)
    expect(emu.versions(projectArn)[0].status).toBe('RUNNING')
  })
})
