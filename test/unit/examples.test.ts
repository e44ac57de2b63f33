// The example workflows as a fork's pull request and a data push see them (issue 11): no vars or
// secrets where a fork runs them, the credentials step guarded, the fork's data checked with a
// dry run, the head (not the merge commit) checked out, repository manifests trained.
import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

interface Step {
  uses?: string
  if?: string
  with?: Record<string, string | number | boolean>
}
type Permissions = Record<string, string> | string
interface Concurrency {
  group: string
  'cancel-in-progress'?: boolean | string
}
interface Job {
  if?: string
  environment?: string
  permissions?: Permissions
  concurrency?: Concurrency | string
  steps: Step[]
}
interface Workflow {
  on: Record<string, { paths?: string[]; 'paths-ignore'?: string[] } | null>
  env?: Record<string, string>
  permissions?: Permissions
  concurrency?: Concurrency | string
  jobs: Record<string, Job>
}

const ROOT = path.resolve(import.meta.dirname, '../..')
const read = (name: string) => readFileSync(path.join(ROOT, 'examples', name), 'utf8')
const load = (name: string) => parse(read(name)) as Workflow
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps)
const step = (wf: Workflow, uses: string) => steps(wf).find((s) => s.uses?.startsWith(uses))!

describe.each(['pr-retrain.yml', 'matrix.yml'])('%s on a fork’s pull request', (name) => {
  const wf = load(name)
  test('reads no vars or secrets (GitHub passes neither to a fork’s run)', () => {
    expect(read(name)).not.toMatch(/\$\{\{[^}]*\b(vars|secrets)\./)
  })
  test('guards the credentials step with if:, on the fork test', () => {
    const creds = step(wf, 'aws-actions/configure-aws-credentials')
    expect(creds.if).toBe("env.FROM_FORK == 'false'")
    expect(wf.env?.FROM_FORK).toBe(
      '${{ github.event.pull_request.head.repo.full_name != github.repository }}'
    )
  })
  test('gives a fork dry-run: true on the repository’s manifests', () => {
    const train = step(wf, 'org/train-action')
    expect(train.with?.['dry-run']).toBe('${{ env.FROM_FORK }}')
    expect(String(train.with?.['training-manifests'])).toMatch(/^datasets\//)
  })
  test('checks out the PR head, the commit the version is named after', () => {
    expect(step(wf, 'actions/checkout').with?.ref).toBe('${{ github.event.pull_request.head.sha }}')
  })
})

describe.each(['pr-retrain.yml', 'matrix.yml', 'train-on-main.yml', 'workflow-run.yml'])(
  '%s trains the data in the repository',
  (name) => {
    const wf = load(name)
    test('repository manifests, never a fixed s3:// object', () => {
      const train = step(wf, 'org/train-action')
      expect(String(train.with?.['training-manifests'])).toMatch(/^datasets\/.*train\.manifest$/)
      expect(read(name)).not.toContain('s3://')
    })
    test('a trigger for the data: pull requests, pushes of main, or the run that checked them', () => {
      const triggers = Object.keys(wf.on)
      if (name === 'workflow-run.yml') expect(triggers).toEqual(['workflow_run'])
      else expect(triggers.some((t) => ['pull_request', 'push'].includes(t))).toBe(true)
    })
  }
)

test('pr-retrain.yml starts without waiting; the collector finishes it', () => {
  const wf = load('pr-retrain.yml')
  expect(step(wf, 'org/train-action').with?.wait).toBe(false)
  expect(read('pr-retrain.yml')).toContain('examples/collect.yml')
  expect(read('pr-retrain.yml')).toContain('train-action/<project-name>')
})

test('workflow-run.yml trains the triggering commit after a maintainer’s approval', () => {
  const wf = load('workflow-run.yml')
  const job = Object.values(wf.jobs)[0]
  expect(job.environment).toBe('fork-training')
  expect(job.if).toContain("github.event.workflow_run.conclusion == 'success'")
  expect(step(wf, 'actions/checkout').with).toMatchObject({
    repository: '${{ github.event.workflow_run.head_repository.full_name }}',
    ref: '${{ github.event.workflow_run.head_sha }}',
    'persist-credentials': false
  })
})

// The rules every example keeps, as GitHub runs workflows (issue 18).
const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yml'))
const groupOf = (c: Concurrency | string | undefined): string | undefined =>
  typeof c === 'string' ? c : c?.group
const groups = (wf: Workflow): string[] =>
  [groupOf(wf.concurrency), ...Object.values(wf.jobs).map((j) => groupOf(j.concurrency))].filter(
    (g): g is string => g !== undefined
  )
/** Whether the job's token may write commit statuses (job permissions replace the workflow's). */
const canWriteStatuses = (wf: Workflow, job: Job): boolean => {
  const p = job.permissions ?? wf.permissions
  return p === 'write-all' || (typeof p === 'object' && p.statuses === 'write')
}

test('there are examples to check', () => {
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(6)
})

describe.each(EXAMPLES)('%s as GitHub runs it', (name) => {
  const wf = load(name)
  test('no paths filter on pull_request: a skipped workflow leaves a required check pending', () => {
    const pr = wf.on.pull_request
    expect(pr?.paths).toBeUndefined()
    expect(pr?.['paths-ignore']).toBeUndefined()
  })
  test('statuses: write wherever a step sets a commit status', () => {
    for (const job of Object.values(wf.jobs)) {
      const setsStatus = job.steps.some(
        (s) =>
          s.uses?.startsWith('org/train-action') && String(s.with?.['commit-status']) !== 'false'
      )
      if (setsStatus) expect(canWriteStatuses(wf, job)).toBe(true)
    }
  })
  test('no concurrency group that cancels a queued push: push groups are keyed by the commit', () => {
    for (const group of groups(wf)) {
      if ('push' in wf.on) expect(group).toContain('github.sha')
    }
    const all = [wf.concurrency, ...Object.values(wf.jobs).map((j) => j.concurrency)]
    for (const c of all)
      if (c && typeof c === 'object') expect(c['cancel-in-progress']).not.toBe(true)
  })
})

test('no two examples share a concurrency group name (groups are shared across workflows)', () => {
  const all = EXAMPLES.flatMap((name) => groups(load(name)).map((g) => g.replace(/\s+/g, '')))
  expect(new Set(all).size).toBe(all.length)
})

test('force-retrain.yml trains the manifests train-on-main.yml trains, whatever the data', () => {
  const force = step(load('force-retrain.yml'), 'org/train-action').with!
  const main = step(load('train-on-main.yml'), 'org/train-action').with!
  for (const input of ['training-manifests', 'testing-manifests', 'auto-create-testing'])
    expect(force[input]).toEqual(main[input])
  expect(force['training-manifests']).toBeDefined()
  expect(force['if-data-unchanged']).toBe('train')
})

test("the README's first usage block is a complete workflow with the permissions the defaults need", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const block = /```yaml\n([\s\S]*?)```/.exec(readme)![1]
  const wf = parse(block) as Workflow
  expect(wf.on).toBeDefined()
  expect(Object.keys(wf.jobs).length).toBeGreaterThan(0)
  expect(wf.permissions).toMatchObject({
    'id-token': 'write',
    contents: 'read',
    statuses: 'write',
    'pull-requests': 'write'
  })
  expect(step(wf, 'org/train-action')).toBeDefined()
  expect(wf.on.pull_request?.paths).toBeUndefined()
})
describe('preview.yml: a preview model per pull request that stops itself', () => {
  const wf = load('preview.yml') as Workflow & { permissions?: Record<string, string> }
  const on = wf.on as unknown as { pull_request: { types: string[] } }
  test('deploys on pushes to the PR and stops on closed', () => {
    expect(on.pull_request.types).toEqual(['opened', 'synchronize', 'reopened', 'closed'])
    const deploy = wf.jobs.deploy.steps.find((s) => s.uses?.startsWith('org/train-action'))!
    expect(deploy.with).toMatchObject({ deploy: true, wait: true, 'stop-after-minutes': 1440 })
    expect(String(deploy.with?.['smoke-test-manifest'])).toMatch(/^datasets\//)
    expect(wf.jobs.deploy.if).toContain("github.event.action != 'closed'")
    const stop = wf.jobs.stop.steps.find((s) => s.uses?.startsWith('org/train-action'))!
    expect(stop.with?.mode).toBe('stop')
    expect(wf.jobs.stop.if).toContain("github.event.action == 'closed'")
  })
  test('asks for deployments: write (the GitHub deployment record)', () => {
    expect(wf.permissions?.deployments).toBe('write')
  })
})
