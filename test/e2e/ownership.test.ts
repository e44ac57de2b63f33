// Exactly one run owns a training: runs racing on one name (`on: [push, pull_request]` on one head
// commit), lost and late CreateProjectVersion answers, a service that lists a new version late,
// clocks that disagree, and re-runs of a failed training. Asserted on the emulator's state.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { SHA, baseInputs, runAction, type ActionRun, type RunOptions } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`owner-${++n}`)
  emu.clearFaults()
  emu.setClockSkew(0)
  emu.setTraining({
    checksUntilEnd: 1,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    hiddenForDescribes: 0
  })
})

const NAME = `vision-${SHA.slice(0, 12)}`
const fast = { 'poll-interval-seconds': '0.2', 'comment-on-pr': 'false' }

/** The PR event of the same head commit a push already triggered. */
const PULL_REQUEST: RunOptions['event'] = {
  name: 'pull_request',
  payload: {
    pull_request: {
      number: 7,
      head: { sha: SHA, ref: 'main', repo: { full_name: 'acme/vision' } },
      base: { ref: 'release', repo: { full_name: 'acme/vision' } }
    }
  }
}

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: { ...baseInputs(projectArn), ...fast, ...inputs },
    timeoutMs: 120_000,
    ...extra
  })

/** Run i of a race: its own workflow run (id), push or pull_request, same commit, same name. */
const racer = (i: number, inputs: Record<string, string> = {}) =>
  run(inputs, {
    env: { GITHUB_RUN_ID: String(9_100_000 + i) },
    event: i % 2 === 0 ? undefined : PULL_REQUEST
  })

const created = (runs: ActionRun[]) => runs.filter((r) => r.outputs.created === 'true')

describe('runs racing on one name', () => {
  test('reuse: three runs, one training, one ARN everywhere, exactly one created=true', async () => {
    // All three pass the existence check before any create reaches the service; the winner's
    // answer is lost on the way back, so it too meets ResourceInUseException on the SDK's retry.
    emu.holdUntil('CreateProjectVersion', 3)
    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const runs = await Promise.all([0, 1, 2].map((i) => racer(i)))

    const versions = emu.versions(projectArn)
    expect(versions).toHaveLength(1)
    const [v] = versions
    for (const r of runs) {
      expect(r.code).toBe(0)
      expect(r.outputs['project-version-arn']).toBe(v.arn)
      expect(r.stdout).toContain(v.arn)
    }
    const owners = created(runs)
    expect(owners).toHaveLength(1)
    // The owner is the run whose id the version carries.
    expect(runs.indexOf(owners[0])).toBe(Number(v.tags['github:run-id']) - 9_100_000)
    expect(runs.filter((r) => /created by another run meanwhile/.test(r.stdout))).toHaveLength(2)
    // The losers' only attempt was refused as a duplicate: no need to read tags. The winner, whose
    // retry met its own version, read them once.
    const tagReads = emu
      .requestsFor('ListTagsForResource')
      .filter((q) => q.body?.ResourceArn === v.arn)
    expect(tagReads).toHaveLength(1)
  }, 150_000)

  test('fail: the loser fails naming the winner’s version; one training', async () => {
    emu.holdUntil('CreateProjectVersion', 2)
    const runs = await Promise.all([0, 1].map((i) => racer(i, { 'if-version-exists': 'fail' })))
    const [v] = emu.versions(projectArn)
    expect(emu.versions(projectArn)).toHaveLength(1)
    const winners = runs.filter((r) => r.code === 0)
    const losers = runs.filter((r) => r.code === 1)
    expect(winners).toHaveLength(1)
    expect(losers).toHaveLength(1)
    expect(winners[0].outputs).toMatchObject({ created: 'true', 'project-version-arn': v.arn })
    expect(losers[0].errors[0]).toMatch(
      /created by another run meanwhile.*if-version-exists is fail/
    )
    expect(losers[0].errors[0]).toContain(v.arn)
    expect(losers[0].outputs.created).toBeUndefined()
  }, 150_000)

  test('new: each of three runs trains under its own name', async () => {
    emu.holdUntil('CreateProjectVersion', 3)
    const runs = await Promise.all([0, 1, 2].map((i) => racer(i, { 'if-version-exists': 'new' })))
    const versions = emu.versions(projectArn)
    expect(versions.map((v) => v.name).sort()).toEqual([NAME, `${NAME}-2`, `${NAME}-3`])
    for (const r of runs) {
      expect(r.code).toBe(0)
      expect(r.outputs.created).toBe('true')
      const own = versions.find((v) => v.name === r.outputs['version-name'])
      expect(r.outputs['project-version-arn']).toBe(own?.arn)
    }
    expect(new Set(runs.map((r) => r.outputs['version-name'])).size).toBe(3)
    // Each version carries the id of the run that reports it as created.
    for (const v of versions) {
      const r = runs[Number(v.tags['github:run-id']) - 9_100_000]
      expect(r.outputs['version-name']).toBe(v.name)
    }
  }, 150_000)

  test('a service clock 10 minutes ahead does not make two owners', async () => {
    emu.setClockSkew(10 * 60_000)
    emu.holdUntil('CreateProjectVersion', 2)
    const runs = await Promise.all([0, 1].map((i) => racer(i)))
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(created(runs)).toHaveLength(1)
  }, 150_000)
})

describe('a lost CreateProjectVersion answer', () => {
  test('with a service clock 10 minutes behind, the run still owns its training', async () => {
    emu.setClockSkew(-10 * 60_000)
    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const r = await run()
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.outputs).toMatchObject({ created: 'true', 'project-version-arn': v.arn })
    // Ownership came from the tags the version carries, not from timestamps.
    expect(emu.requestsFor('ListTagsForResource').some((q) => q.body?.ResourceArn === v.arn)).toBe(
      true
    )
  })

  test('lookups that keep failing are retried until one answers: the ARN is not lost', async () => {
    let armed = false
    emu.onRequest('CreateProjectVersion', () => {
      if (armed) return
      armed = true
      // Three SDK calls' worth of 500s (ten attempts each) on every lookup after the create.
      emu.injectFault('DescribeProjectVersions', { kind: 'internal-error', status: 500 }, 25)
    })
    emu.injectFault('CreateProjectVersion', { kind: 'drop-after' })
    const r = await run()
    expect(r.code).toBe(0)
    const [v] = emu.versions(projectArn)
    expect(emu.versions(projectArn)).toHaveLength(1)
    expect(r.outputs).toMatchObject({ created: 'true', 'project-version-arn': v.arn })
    expect(r.stdout).toMatch(/::warning::Looking up version .* failed/)
  }, 90_000)

  test('ResourceInUseException for a version not listed yet: looked up until it shows', async () => {
    // Another run's version, which the service does not list for its next few lookups.
    emu.setTraining({ hiddenForDescribes: 4 })
    const first = await run({}, { env: { GITHUB_RUN_ID: '9200001' } })
    expect(first.outputs.created).toBe('true')
    const second = await run({}, { env: { GITHUB_RUN_ID: '9200002' } })
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({
      created: 'false',
      'project-version-arn': first.outputs['project-version-arn']
    })
    expect(emu.versions(projectArn)).toHaveLength(1)
  }, 90_000)
})

describe('eventual consistency while waiting', () => {
  test('a new version missing from the first answers does not end the wait', async () => {
    // Left out of the history read and the first two status checks.
    emu.setTraining({ hiddenForDescribes: 3 })
    const r = await run({ wait: 'true' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.stdout).toMatch(/is not listed by DescribeProjectVersions \(1 time\)/)
    expect(r.stdout).not.toMatch(/no longer in the project/)
  })
})

describe('re-running a failed training', () => {
  test('reuse trains again under the next free name, then attaches to that one', async () => {
    const failedArn = emu.addVersion(projectArn, {
      name: NAME,
      status: 'TRAINING_FAILED',
      outputBucket: 'acme-training-out'
    })
    const rerun = await run({}, { env: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.code).toBe(0)
    expect(rerun.outputs).toMatchObject({ created: 'true', 'version-name': `${NAME}-2` })
    expect(rerun.stdout).toMatch(
      new RegExp(`::notice::Version ${NAME} ended TRAINING_FAILED .*training again as ${NAME}-2`)
    )
    expect(rerun.stdout).toContain(failedArn)

    const again = await run({}, { env: { GITHUB_RUN_ATTEMPT: '3' } })
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({
      created: 'false',
      'version-name': `${NAME}-2`,
      'project-version-arn': rerun.outputs['project-version-arn']
    })
    expect(emu.versions(projectArn).map((v) => v.name)).toEqual([`${NAME}-2`, NAME])
  })

  test('a retraining that failed too is retrained under the next name', async () => {
    emu.addVersion(projectArn, { name: NAME, status: 'TRAINING_FAILED' })
    emu.addVersion(projectArn, { name: `${NAME}-2`, status: 'TRAINING_FAILED' })
    const r = await run()
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ created: 'true', 'version-name': `${NAME}-3` })
  })

  test('fail still refuses a failed version', async () => {
    emu.addVersion(projectArn, { name: NAME, status: 'TRAINING_FAILED' })
    const r = await run({ 'if-version-exists': 'fail' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/already exists .*TRAINING_FAILED.*if-version-exists is fail/)
    expect(emu.versions(projectArn)).toHaveLength(1)
  })

  test('new trains under the first free name, as before', async () => {
    emu.addVersion(projectArn, { name: NAME, status: 'TRAINING_FAILED' })
    const r = await run({ 'if-version-exists': 'new' })
    expect(r.outputs).toMatchObject({ created: 'true', 'version-name': `${NAME}-2` })
  })
})
