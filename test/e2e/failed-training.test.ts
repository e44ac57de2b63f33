// A failed training explained, end to end: the emulator reads the manifests it trains on as the
// guide documents, ends the training TRAINING_FAILED and writes its validation results; the action
// reads them and puts the codes, counts and lines (mapped to the repository) in the log, the
// annotations, the job summary and the PR comment.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Emulator } from '../emulator/server.js'
import { ROOT, baseInputs, runAction, type RunOptions } from './harness.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

const FIXTURES = path.join(ROOT, 'test/fixtures/manifests')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const NOT_AN_IMAGE = Buffer.from('GIF89a, or anything that is not PNG or JPEG')

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  emu.addBucket('acme-images')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`failing-${++n}`, { datasets: false })
  emu.clearFaults()
  emu.setTraining({ checksUntilEnd: 1, durationMs: undefined, finalStatus: 'TRAINING_COMPLETED' })
})

const image = (key: string, label: string) => classificationLine(`s3://acme-images/${key}`, label)

/** The service-only fixture: a valid manifest whose images are not PNG or JPEG. */
const SERVICE_FIXTURE = readFileSync(
  path.join(FIXTURES, 'service/ERROR_INVALID_IMAGE.manifest'),
  'utf8'
)
const TEST = [0, 1, 2, 3].map((i) => image(`test/${i}.png`, i % 2 ? 'scratch' : 'dent')).join('\n')

function uploadImages(): void {
  for (const line of SERVICE_FIXTURE.trim().split('\n')) {
    const key = (JSON.parse(line) as { 'source-ref': string })['source-ref'].replace(
      's3://acme-images/',
      ''
    )
    emu.putObject('acme-images', key, NOT_AN_IMAGE)
  }
  for (let i = 0; i < 4; i++) emu.putObject('acme-images', `test/${i}.png`, PNG)
}

const run = (
  inputs: Record<string, string>,
  files: Record<string, string>,
  extra: Partial<RunOptions> = {}
) =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      wait: 'true',
      'poll-interval-seconds': '0.2',
      ...inputs
    },
    files,
    ...extra
  })

describe('a training that fails on its data', () => {
  test('ERROR_INVALID_IMAGE (only the service sees it): explained, mapped to the repository lines', async () => {
    uploadImages()
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'testing-manifests': 'data/test.manifest' },
      // The first line is blank: the uploaded manifest keeps it, so the lines still match.
      { 'data/train.manifest': `\n${SERVICE_FIXTURE}`, 'data/test.manifest': TEST }
    )
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('TRAINING_FAILED')
    expect(r.outputs['status-message']).toBe('The manifest file contains too many invalid rows.')
    // Billable time is reported for successful trainings only.
    expect(r.outputs['billable-training-seconds']).toBeUndefined()
    // Each line in error is an annotation on the repository file and line.
    const annotated = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error file=data/train.manifest'))
    expect(annotated.map((l) => Number(/line=(\d+)/.exec(l)![1]))).toEqual([2, 3, 4, 5, 6])
    expect(annotated[0]).toContain(
      '::ERROR_INVALID_IMAGE: The image is invalid. Check S3 path and/or image properties.'
    )
    expect(r.stdout).toContain('training data: 5 lines in error: ERROR_INVALID_IMAGE ×5')
    expect(r.stdout).toContain(
      'Manifest error: ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST (training data): The manifest file contains too many invalid rows.'
    )
    // One failure: the training's, after the explanation.
    expect(r.errors.at(-1)).toMatch(
      /^Training TRAINING_FAILED: The manifest file contains too many invalid rows\./
    )
    expect(r.stdout.match(/^::warning::Could not read/m)).toBeNull()
    expect(r.summary).toContain('### Why training failed')
    expect(r.summary).toContain('`ERROR_INVALID_IMAGE` ×5')
    expect(r.summary).toMatch(/\| training \| 6 \| 0 \| 5 \|/)
    expect(r.summary).toContain('`data/train.manifest:2`: `ERROR_INVALID_IMAGE`')
  })

  test('the PR comment carries the explanation', async () => {
    uploadImages()
    const head = 'fedcba9876543210fedcba9876543210fedcba98'
    // The PR exists on GitHub with this head (the comment is written only for the PR's head).
    emu.setPullRequest('acme', 'vision', 41, head)
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'testing-manifests': 'data/test.manifest' },
      { 'data/train.manifest': SERVICE_FIXTURE, 'data/test.manifest': TEST },
      {
        event: {
          name: 'pull_request',
          payload: {
            pull_request: {
              number: 41,
              head: { sha: head, ref: 'data/new', repo: { full_name: 'acme/vision' } },
              base: { ref: 'main', repo: { full_name: 'acme/vision' } }
            }
          }
        },
        env: { GITHUB_REF: 'refs/pull/41/merge', GITHUB_HEAD_REF: 'data/new' },
        prepare: () => undefined
      }
    )
    expect(r.code).toBe(1)
    const [comment] = emu.comments('acme', 'vision', 41).filter((c) => c.body.includes(projectArn))
    expect(comment.body).toContain('### Why training failed')
    expect(comment.body).toContain('`data/train.manifest:1`: `ERROR_INVALID_IMAGE`')
  })

  test('unreadable validation results: a warning naming s3:GetObject, one failure only', async () => {
    uploadImages()
    const r = await run(
      { 'training-manifests': 'data/train.manifest', 'testing-manifests': 'data/test.manifest' },
      { 'data/train.manifest': SERVICE_FIXTURE, 'data/test.manifest': TEST },
      {
        onLog: (stdout) => {
          if (/Status: TRAINING_IN_PROGRESS/.test(stdout))
            emu.injectFault('S3:GetObject', { kind: 'access-denied' }, 10)
        }
      }
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::warning::Could not read s3:\/\/acme-training-out\/.*manifest_summary\.json \(AccessDenied\): allow s3:GetObject on arn:aws:s3:::acme-training-out\/\* to read it\./
    )
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(/^Training TRAINING_FAILED: /)
  })

  test('a terminal manifest file error (an S3 manifest without an extension): the status message, no validation files', async () => {
    emu.putObject(
      'acme-images',
      'lists/train',
      `${image('a/0.jpg', 'dent')}\n${image('a/1.jpg', 'scratch')}\n`
    )
    const r = await run(
      { 'training-manifests': 's3://acme-images/lists/train', 'auto-create-testing': 'true' },
      {}
    )
    expect(r.code).toBe(1)
    expect(r.outputs['status-message']).toBe('The manifest file extension or contents are invalid.')
    expect(r.stdout).not.toContain('::warning::Could not read')
    expect(r.summary).not.toContain('### Why training failed')
    const [v] = emu.versions(projectArn)
    expect(
      emu
        .objects('acme-training-out')
        .filter(
          (o) =>
            o.key.includes(`${projectArn.split('/')[1]}-${v.name}/`) &&
            o.key.endsWith('_validation.json')
        )
    ).toEqual([])
  })
})
