// The example workflows as a fork's pull request and a data push see them (issue 11): no vars or
// secrets where a fork runs them, the credentials step guarded, the fork's data checked with a
// dry run, the head (not the merge commit) checked out, repository manifests trained.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

interface Step {
  uses?: string
  if?: string
  with?: Record<string, string | number | boolean>
}
interface Workflow {
  on: Record<string, { paths?: string[] } | null>
  env?: Record<string, string>
  jobs: Record<string, { if?: string; environment?: string; steps: Step[] }>
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
    test('a data trigger on the dataset files (or the run that checked them)', () => {
      const paths = Object.values(wf.on).flatMap((t) => t?.paths ?? [])
      if (name === 'workflow-run.yml') expect(Object.keys(wf.on)).toEqual(['workflow_run'])
      else expect(paths).toContain('datasets/**')
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
