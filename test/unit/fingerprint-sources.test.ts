// The fingerprint's edge: an s3:// manifest is known by HeadObject's ETag (nothing downloaded), a
// repository dataset by the SHA-256 of the bytes it is uploaded as; a part that cannot be read
// gives no fingerprint, with a warning, and the step trains as before.
import { beforeEach, describe, expect, test } from '@jest/globals'
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fingerprintData } from '../../src/datasets/fingerprint-sources.js'
import type { CheckedManifest } from '../../src/datasets/repo-manifests.js'
import { ActionError } from '../../src/errors.js'
import type { ManifestRef } from '../../src/inputs/manifest-refs.js'

const s3 = mockClient(S3Client)
beforeEach(() => {
  s3.reset()
})

const s3Ref = (key: string, version?: string): ManifestRef => ({
  kind: 's3',
  bucket: 'data',
  key,
  ...(version && { version }),
  text: `s3://data/${key}`
})

function deps(cancel = new AbortController().signal) {
  const warnings: string[] = []
  return {
    warnings,
    deps: {
      region: 'eu-west-1',
      pollIntervalMs: 10,
      sockets: {},
      cancel,
      log: { warning: (l: string) => warnings.push(l), debug: () => undefined }
    }
  }
}

const inputs = (
  training: ManifestRef[],
  testing: ManifestRef[],
  autoCreateTesting = false
): Parameters<typeof fingerprintData>[0] => ({
  trainingManifests: training,
  testingManifests: testing,
  autoCreateTesting
})

describe('s3:// manifests', () => {
  test('are known by their ETag and versionId, with one HeadObject each and no download', async () => {
    s3.on(HeadObjectCommand, { Key: 'train.manifest' }).resolves({ ETag: '"aaa"' })
    s3.on(HeadObjectCommand, { Key: 'test.manifest' }).resolves({ ETag: '"bbb"' })
    const { deps: d } = deps()
    const a = await fingerprintData(
      inputs([s3Ref('train.manifest', 'v1')], [s3Ref('test.manifest')]),
      [],
      d
    )
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    const heads = s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)
    expect(heads).toEqual([
      { Bucket: 'data', Key: 'train.manifest', VersionId: 'v1' },
      { Bucket: 'data', Key: 'test.manifest' }
    ])
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0)

    // A rewritten object (another ETag) is other data.
    s3.on(HeadObjectCommand, { Key: 'test.manifest' }).resolves({ ETag: '"ccc"' })
    const b = await fingerprintData(
      inputs([s3Ref('train.manifest', 'v1')], [s3Ref('test.manifest')]),
      [],
      d
    )
    expect(b).not.toBe(a)
    // The service's own split is part of what is trained.
    const c = await fingerprintData(inputs([s3Ref('train.manifest', 'v1')], [], true), [], d)
    expect(c).not.toBe(a)
  })

  test('an unreadable ETag gives no fingerprint and a warning that says why', async () => {
    const denied = Object.assign(new Error('Forbidden'), {
      name: '403',
      $metadata: { httpStatusCode: 403 }
    })
    s3.on(HeadObjectCommand).rejects(denied)
    const { deps: d, warnings } = deps()
    expect(await fingerprintData(inputs([s3Ref('t')], [], true), [], d)).toBeUndefined()
    expect(warnings[0]).toMatch(/AccessDenied: allow s3:GetObject on the manifest/)

    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } })
    )
    expect(await fingerprintData(inputs([s3Ref('t')], [], true), [], d)).toBeUndefined()
    expect(warnings[1]).toMatch(/the manifest \(or its versionId\) was not found/)

    s3.on(HeadObjectCommand).resolves({})
    expect(await fingerprintData(inputs([s3Ref('t')], [], true), [], d)).toBeUndefined()
    expect(warnings[2]).toMatch(/HeadObject returned no ETag/)
  })

  test('a cancel is not a missing fingerprint: nothing is started', async () => {
    const ac = new AbortController()
    s3.on(HeadObjectCommand).callsFake(() => {
      ac.abort()
      throw Object.assign(new Error('aborted'), { name: 'AbortError' })
    })
    const { deps: d } = deps(ac.signal)
    await expect(fingerprintData(inputs([s3Ref('t')], [], true), [], d)).rejects.toThrow(
      ActionError
    )
  })
})

describe('repository manifests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fp-'))
  const file = (name: string, text: string, dataset: 'training' | 'testing'): CheckedManifest => {
    const full = path.join(dir, name)
    writeFileSync(full, text)
    return {
      input: `${dataset}-manifests`,
      dataset,
      relative: name,
      file: full,
      size: Buffer.byteLength(text),
      report: {} as CheckedManifest['report'],
      rare: []
    }
  }
  const ref = (name: string): ManifestRef => ({
    kind: 'path',
    path: path.join(dir, name),
    relative: name,
    text: name
  })

  test('are known by the bytes uploaded: a missing final newline is the same data', async () => {
    const { deps: d } = deps()
    const with_ = await fingerprintData(
      inputs([ref('a')], [ref('b')]),
      [file('a', '{"x":1}\n', 'training'), file('b', '{"y":2}\n', 'testing')],
      d
    )
    const without = await fingerprintData(
      inputs([ref('c')], [ref('d')]),
      [file('c', '{"x":1}', 'training'), file('d', '{"y":2}', 'testing')],
      d
    )
    expect(with_).toMatch(/^[0-9a-f]{64}$/)
    expect(without).toBe(with_)
    const other = await fingerprintData(
      inputs([ref('e')], [ref('f')]),
      [file('e', '{"x":1}\n', 'training'), file('f', '{"y":3}\n', 'testing')],
      d
    )
    expect(other).not.toBe(with_)
    // No S3 call for the repository's own files.
    expect(s3.calls()).toHaveLength(0)
  })

  test("a project's own datasets have no fingerprint", async () => {
    const { deps: d } = deps()
    expect(await fingerprintData(inputs([], []), [], d)).toBeUndefined()
  })
})
