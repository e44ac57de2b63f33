// mode: stop on a closed pull request, with the SDK mocked (aws-sdk-client-mock): only the
// versions this repository deployed for that pull request are stopped.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  StopProjectVersionCommand,
  mockRekognition
} from './rekognition-mock.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopMode } from '../../src/deploy/stop-mode.js'
import { DEPLOY_TAGS } from '../../src/deploy/plan.js'
import { ActionError, InputError } from '../../src/errors.js'
import { SHA, arnOf, createInputs, recordingIo } from './helpers.js'

const rekognition = mockRekognition()
const by = (repo: string, pr?: string) => ({
  [DEPLOY_TAGS.deployedBy]: repo,
  [DEPLOY_TAGS.ref]: pr ? `refs/pull/${pr}/merge` : 'refs/heads/main',
  ...(pr && { [DEPLOY_TAGS.pr]: pr })
})

let dir: string
let logs: { level: string; line: string }[]
let outputs: Record<string, string>
let summary: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stop-mode-'))
  const pr = (fork: boolean) => ({
    pull_request: {
      number: 17,
      head: {
        sha: SHA,
        ref: 'feature',
        repo: { full_name: fork ? 'someone/defects' : 'acme/defects' }
      },
      base: { ref: 'main', repo: { full_name: 'acme/defects' } }
    }
  })
  writeFileSync(join(dir, 'pr.json'), JSON.stringify(pr(false)))
  writeFileSync(join(dir, 'fork.json'), JSON.stringify(pr(true)))
  writeFileSync(join(dir, 'push.json'), JSON.stringify({}))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeEach(() => {
  rekognition.reset()
  logs = []
  outputs = {}
  summary = ''
})

const io = (event = 'pr.json', env: Record<string, string> = {}) =>
  recordingIo({
    logs,
    outputs,
    onSummary: (markdown) => (summary = markdown),
    getInput: createInputs({ mode: 'stop', 'poll-interval-seconds': '0.05' }),
    env: {
      GITHUB_REPOSITORY: 'acme/defects',
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(dir, event),
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      ...env
    }
  })

function project(versions: { name: string; status?: string; tags: Record<string, string> }[]) {
  rekognition.on(DescribeProjectVersionsCommand).resolves({
    ProjectVersionDescriptions: versions.map(
      (v) =>
        ({
          ProjectVersionArn: arnOf(v.name),
          Status: v.status ?? 'RUNNING'
        }) as ProjectVersionDescription
    )
  })
  for (const v of versions)
    rekognition
      .on(ListTagsForResourceCommand, { ResourceArn: arnOf(v.name) })
      .resolves({ Tags: v.tags })
  rekognition.on(StopProjectVersionCommand).resolves({ Status: 'STOPPING' })
}

const stoppedArns = () =>
  rekognition.commandCalls(StopProjectVersionCommand).map((c) => c.args[0].input.ProjectVersionArn)

describe('mode: stop', () => {
  test('stops only the closed pull request’s deployments of this repository', async () => {
    project([
      { name: 'pr17-a', tags: by('acme/defects', '17') },
      { name: 'pr17-b', status: 'STARTING', tags: by('acme/defects', '17') },
      { name: 'pr18', tags: by('acme/defects', '18') },
      { name: 'main', tags: by('acme/defects') },
      { name: 'theirs-17', tags: by('someone/else', '17') },
      { name: 'by-hand', tags: {} },
      { name: 'stopped-17', status: 'STOPPED', tags: by('acme/defects', '17') }
    ])
    await stopMode(io(), new AbortController().signal)
    expect(stoppedArns()).toEqual([arnOf('pr17-a'), arnOf('pr17-b')])
    expect(outputs).toEqual({ 'stopped-versions': `${arnOf('pr17-a')},${arnOf('pr17-b')}` })
    expect(logs).toContainEqual({
      level: 'info',
      line: `Stopped ${arnOf('pr17-a')}, deployed for pull request #17.`
    })
    expect(logs).toContainEqual({
      level: 'info',
      line: 'Pull request #17: 2 deployment(s) stopped; 4 other version(s) of defects left running.'
    })
    expect(summary).toBe(
      '## ⏹️ Pull request #17 closed: 2 deployment(s) stopped (defects)\n\n- `pr17-a`\n- `pr17-b`\n'
    )
  })

  test('nothing deployed for it: nothing stopped, the summary says so', async () => {
    project([{ name: 'main', tags: by('acme/defects') }])
    await stopMode(io(), new AbortController().signal)
    expect(stoppedArns()).toEqual([])
    expect(outputs).toEqual({ 'stopped-versions': '' })
    expect(summary).toContain('Nothing was running for it.')
  })

  test('a version that cannot be stopped fails the step; the others are still stopped', async () => {
    project([
      { name: 'a', tags: by('acme/defects', '17') },
      { name: 'b', tags: by('acme/defects', '17') }
    ])
    rekognition.on(StopProjectVersionCommand, { ProjectVersionArn: arnOf('a') }).rejects(
      Object.assign(new Error('denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 }
      })
    )
    const err = (await stopMode(io(), new AbortController().signal).catch(
      (e: unknown) => e
    )) as Error
    expect(err).toBeInstanceOf(ActionError)
    expect(err.message).toMatch(/^1 deployment\(s\) could not be stopped: /)
    expect(outputs).toEqual({ 'stopped-versions': arnOf('b') })
    expect(summary).toContain('1 deployment(s) stopped')
  })

  test('an event without a pull request is refused before any AWS call', async () => {
    await expect(
      stopMode(
        io('push.json', { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
        new AbortController().signal
      )
    ).rejects.toThrow(
      new InputError(
        'mode: stop stops the versions deployed for a pull request, and this push event names none; run it on pull_request: types: [closed]'
      )
    )
    expect(rekognition.calls()).toHaveLength(0)
  })

  test('a fork’s pull request without credentials: skipped, nothing asked of AWS', async () => {
    await stopMode(
      io('fork.json', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }),
      new AbortController().signal
    )
    expect(rekognition.calls()).toHaveLength(0)
    expect(outputs).toEqual({ 'stopped-versions': '' })
    expect(logs).toContainEqual({
      level: 'notice',
      line: 'Skipped: a pull request from a fork gets no AWS credentials, and nothing was deployed for it.'
    })
  })
})
