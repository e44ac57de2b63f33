// Reuse by data (issue 18): the fingerprint, the choice of a version to reuse, the status texts
// that name it, the one status context of long project names, merge_group runs, and the input.
import { beforeEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  mockRekognition,
  testClient
} from './rekognition-mock.js'
import 'aws-sdk-client-mock-jest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { uploadedSha256 } from '../../src/datasets/fingerprint-sources.js'
import type { CheckedManifest } from '../../src/datasets/repo-manifests.js'
import { ActionError, InputError } from '../../src/errors.js'
import { readRunContext } from '../../src/github/github-context.js'
import { parseInputs } from '../../src/inputs/inputs.js'
import {
  describeReused,
  finalStatus,
  namesVersion,
  pendingDescription,
  statusContext
} from '../../src/reporting/status-text.js'
import {
  MAX_TAG_READS,
  alsoForTag,
  attachedCommits,
  findSameData,
  reuseCandidates,
  sameData
} from '../../src/training/data-reuse.js'
import { dataFingerprint, type FingerprintParts } from '../../src/training/fingerprint.js'
import { createInputs } from './helpers.js'
import { PROJECT_ARN, runContext } from './helpers.js'
import { createHash } from 'node:crypto'

const FP = 'a'.repeat(64)
const REPO = 'acme/vision'

describe('dataFingerprint', () => {
  const uploaded: FingerprintParts = {
    training: { kind: 'uploaded', sha256: '1'.repeat(64) },
    testing: { kind: 'uploaded', sha256: '2'.repeat(64) }
  }
  test('64 hex, a function of the parts only', () => {
    expect(dataFingerprint(uploaded)).toMatch(/^[0-9a-f]{64}$/)
    expect(dataFingerprint(structuredClone(uploaded))).toBe(dataFingerprint(uploaded))
  })
  test('any part changed changes it: bytes, swapped datasets, auto-create, ETag, versionId, key', () => {
    const s3 = (over: object = {}): FingerprintParts => ({
      training: { kind: 's3', bucket: 'b', key: 'train.manifest', etag: '"e1"', ...over },
      testing: 'auto-create'
    })
    const all = [
      dataFingerprint(uploaded),
      dataFingerprint({ ...uploaded, training: { kind: 'uploaded', sha256: '3'.repeat(64) } }),
      dataFingerprint({ training: uploaded.testing as never, testing: uploaded.training }),
      dataFingerprint({ ...uploaded, testing: 'auto-create' }),
      dataFingerprint(s3()),
      dataFingerprint(s3({ etag: '"e2"' })),
      dataFingerprint(s3({ versionId: 'v1' })),
      dataFingerprint(s3({ key: 'other.manifest' }))
    ]
    expect(new Set(all).size).toBe(all.length)
  })
})

describe('uploadedSha256: the bytes as uploaded', () => {
  test('files combined, each ended by a newline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fp-'))
    const a = path.join(dir, 'a.manifest')
    const b = path.join(dir, 'b.manifest')
    writeFileSync(a, '{"a":1}') // no final newline: one is added
    writeFileSync(b, '{"b":2}\n')
    const m = (file: string, size: number) => ({ file, size }) as CheckedManifest
    const got = await uploadedSha256([m(a, 7), m(b, 8)])
    expect(got).toBe(createHash('sha256').update('{"a":1}\n{"b":2}\n').digest('hex'))
  })
})

const arn = (name: string) =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/17000000${name.length}`
const v = (name: string, status: string, at: number): ProjectVersionDescription => ({
  ProjectVersionArn: arn(name),
  Status: status as ProjectVersionDescription['Status'],
  CreationTimestamp: new Date(at)
})

describe('reuseCandidates', () => {
  test('trained or training, never failed, unusable or unknown; newest first', () => {
    const got = reuseCandidates([
      v('old', 'TRAINING_COMPLETED', 1),
      v('failed', 'TRAINING_FAILED', 5),
      v('running', 'RUNNING', 3),
      v('training', 'TRAINING_IN_PROGRESS', 4),
      v('deleting', 'DELETING', 6),
      v('future', 'SOME_NEW_STATUS', 7),
      { ProjectVersionArn: arn('nostatus'), CreationTimestamp: new Date(8) }
    ])
    expect(got.map((x) => x.ProjectVersionArn)).toEqual([
      arn('training'),
      arn('running'),
      arn('old')
    ])
  })
  test('sameData: this repository and this fingerprint only', () => {
    const tags = { 'github:repository': REPO, 'train-action:data-sha256': FP }
    expect(sameData(tags, REPO, FP)).toBe(true)
    expect(sameData(tags, 'other/repo', FP)).toBe(false)
    expect(sameData(tags, REPO, 'b'.repeat(64))).toBe(false)
  })
})

describe('findSameData', () => {
  const rekognition = mockRekognition()
  const client = testClient('eu-west-1')
  const lines: string[] = []
  const log = {
    info: (l: string) => lines.push(`info ${l}`),
    warning: (l: string) => lines.push(`warning ${l}`),
    debug: (l: string) => lines.push(`debug ${l}`)
  }
  const search = () =>
    findSameData(client, {
      projectArn: PROJECT_ARN,
      repository: REPO,
      fingerprint: FP,
      cancel: new AbortController().signal,
      log
    })
  const ours = (sha: string) => ({
    Tags: { 'github:repository': REPO, 'github:sha': sha, 'train-action:data-sha256': FP }
  })
  beforeEach(() => {
    rekognition.reset()
    lines.length = 0
  })

  test('the newest match; tags read only for candidates, and no further once found', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [
        v('failed', 'TRAINING_FAILED', 9),
        v('other-data', 'TRAINING_COMPLETED', 8),
        v('match', 'TRAINING_COMPLETED', 7),
        v('older-match', 'TRAINING_COMPLETED', 6)
      ]
    })
    rekognition
      .on(ListTagsForResourceCommand, { ResourceArn: arn('other-data') })
      .resolves({ Tags: { 'github:repository': REPO, 'train-action:data-sha256': 'b'.repeat(64) } })
      .on(ListTagsForResourceCommand, { ResourceArn: arn('match') })
      .resolves(ours('c'.repeat(40)))
    const found = await search()
    expect(found?.name).toBe('match')
    expect(found?.sha).toBe('c'.repeat(40))
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 1)
    expect(rekognition).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 2)
    expect(rekognition).not.toHaveReceivedCommandWith(ListTagsForResourceCommand, {
      ResourceArn: arn('failed')
    })
  })

  test('a refused tag read skips that version with one warning; the next is still read', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves({
      ProjectVersionDescriptions: [
        v('denied', 'TRAINING_COMPLETED', 9),
        v('match', 'TRAINING_COMPLETED', 8)
      ]
    })
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' })
    rekognition
      .on(ListTagsForResourceCommand, { ResourceArn: arn('denied') })
      .rejects(denied)
      .on(ListTagsForResourceCommand, { ResourceArn: arn('match') })
      .resolves(ours('d'.repeat(40)))
    expect((await search())?.name).toBe('match')
    expect(lines.filter((l) => l.startsWith('warning'))).toEqual([
      expect.stringContaining('Could not read the tags of 1 version(s) (denied)')
    ])
  })

  test('pages are read until a match; tag reads are capped', async () => {
    const page = (from: number) =>
      Array.from({ length: 30 }, (_, i) => v(`v${from + i}`, 'TRAINING_COMPLETED', 1000 - from - i))
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: page(0), NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: page(30), NextToken: 't2' })
      .resolves({ ProjectVersionDescriptions: page(60) })
    rekognition.on(ListTagsForResourceCommand).resolves({ Tags: {} })
    expect(await search()).toBeUndefined()
    expect(rekognition).toHaveReceivedCommandTimes(ListTagsForResourceCommand, MAX_TAG_READS)
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      MaxResults: 100,
      NextToken: 't1'
    })
  })

  test('a listing that fails ends the step before any training (ActionError)', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }))
    await expect(search()).rejects.toThrow(ActionError)
    await expect(search()).rejects.toThrow(/rekognition:DescribeProjectVersions/)
  })
})

describe('status texts of a reused version', () => {
  const sha = '4f5e6d7c8b9a00112233445566778899aabbccdd'
  test('name the version whose data it is, within 140 characters', () => {
    const d = describeReused('vision-1a2b3c', { sha }, 'F1 0.900, no gates')
    expect(d).toBe('same data as vision-1a2b3c, trained for 4f5e6d7: F1 0.900, no gates')
    const long = describeReused('v'.repeat(255), { sha }, 'training since 2026-12-01 10:00 UTC')
    expect([...long].length).toBeLessThanOrEqual(140)
    expect(long.endsWith(', trained for 4f5e6d7: training since 2026-12-01 10:00 UTC')).toBe(true)
  })
  test('namesVersion reads them back (the collector’s test), and plain ones as before', () => {
    expect(
      namesVersion(pendingDescription('vision-1a2b3c', new Date(0), { sha }), 'vision-1a2b3c')
    ).toBe(true)
    expect(namesVersion(describeReused('v'.repeat(255), { sha }, 'x'), 'v'.repeat(255))).toBe(true)
    expect(namesVersion(describeReused('vision-1a2b3c', { sha }, 'x'), 'vision-1a')).toBe(false)
    expect(namesVersion(pendingDescription('vision-1a2b3c', new Date(0)), 'vision-1a2b3c')).toBe(
      true
    )
  })
  test('finalStatus: success or failure from that version, named as reused', () => {
    const s = finalStatus({
      versionName: 'vision-1a2b3c',
      outcome: 'trained',
      status: 'TRAINING_COMPLETED',
      f1: 0.9,
      gates: [],
      sameData: { sha }
    })
    expect(s).toEqual({
      state: 'success',
      description: 'same data as vision-1a2b3c, trained for 4f5e6d7: F1 0.900, no gates'
    })
  })
})

describe('statusContext', () => {
  test('train-action/<project-name> while it fits', () => {
    expect(statusContext('defects')).toBe('train-action/defects')
    const fits = 'p'.repeat(255 - 'train-action/'.length)
    expect(statusContext(fits)).toBe(`train-action/${fits}`)
  })
  test('longer names: at most 255, stable, and unique for names sharing a prefix', () => {
    const a = `${'x'.repeat(250)}a`
    const b = `${'x'.repeat(250)}b`
    expect([...statusContext(a)].length).toBe(255)
    expect(statusContext(a)).toBe(statusContext(a))
    expect(statusContext(a)).not.toBe(statusContext(b))
    expect(statusContext(a)).toMatch(/^train-action\/x+~[0-9a-f]{12}$/)
  })
})

describe('merge_group runs', () => {
  test('the merge group’s commit and ref; its base branch for baseline-version: auto', () => {
    const group = '3333333333333333333333333333333333333333'
    const ref = 'refs/heads/gh-readonly-queue/main/pr-17-4444444444444444444444444444444444444444'
    const ctx = readRunContext(
      {
        GITHUB_REPOSITORY: REPO,
        GITHUB_EVENT_NAME: 'merge_group',
        GITHUB_SHA: group,
        GITHUB_REF: ref,
        GITHUB_REF_NAME: ref.slice('refs/heads/'.length),
        GITHUB_HEAD_REF: '',
        GITHUB_BASE_REF: ''
      },
      {
        action: 'checks_requested',
        merge_group: {
          head_sha: group,
          head_ref: ref,
          base_sha: '4444444444444444444444444444444444444444',
          base_ref: 'refs/heads/main',
          head_commit: { id: group, message: 'Merge pull request #17' }
        },
        repository: { full_name: REPO, default_branch: 'main' }
      }
    )
    expect(ctx).toMatchObject({
      sha: group,
      ref,
      baseRef: 'main',
      fromFork: false
    })
    expect(ctx.prNumber).toBeUndefined()
  })
})

describe('if-data-unchanged', () => {
  const parse = (over: Record<string, string>) =>
    parseInputs(createInputs(over), runContext(), new Date('2026-12-01T00:00:00Z'))
  test('reuse by default; train; anything else refused naming the rule', () => {
    expect(parse({}).ifDataUnchanged).toBe('reuse')
    expect(parse({ 'if-data-unchanged': 'train' }).ifDataUnchanged).toBe('train')
    expect(() => parse({ 'if-data-unchanged': 'never' })).toThrow(InputError)
    expect(() => parse({ 'if-data-unchanged': 'never' })).toThrow(
      'if-data-unchanged "never" is not a known choice; it must be reuse or train'
    )
  })
})

describe('commits attached to a training still running', () => {
  const SHA_A = 'a'.repeat(40)
  const SHA_B = 'b'.repeat(40)
  test('are recorded as one tag each, with the pull request when there is one', () => {
    expect(alsoForTag(SHA_A.toUpperCase(), 17)).toEqual({
      [`train-action:also-for:${SHA_A}`]: '17'
    })
    expect(alsoForTag(SHA_B, undefined)).toEqual({ [`train-action:also-for:${SHA_B}`]: '' })
  })
  test('are read back from the tags; anything else is ignored', () => {
    expect(
      attachedCommits({
        ...alsoForTag(SHA_A, 17),
        ...alsoForTag(SHA_B, undefined),
        'train-action:also-for:not-a-sha': '',
        'train-action:also-for:': '3',
        'github:sha': SHA_A,
        [`train-action:also-for:${'c'.repeat(40)}`]: 'x'
      })
    ).toEqual([{ sha: SHA_A, pr: 17 }, { sha: SHA_B }, { sha: 'c'.repeat(40) }])
  })
})
