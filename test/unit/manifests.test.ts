import { describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { InputError } from '../../src/errors.js'
import {
  parseManifestList,
  parseS3Uri,
  parseWorkspacePath,
  splitList
} from '../../src/inputs/manifest-refs.js'
import { WORKSPACE } from './helpers.js'

function refused(fn: () => unknown): string {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(InputError)
  const msg = (caught as Error).message
  expect(msg).not.toContain('\n')
  return msg
}

describe('splitList', () => {
  test('splits on newlines and commas, trims, drops empties', () => {
    expect(splitList(' a ,b\n\n c,\n,d ')).toEqual(['a', 'b', 'c', 'd'])
    expect(splitList('')).toEqual([])
  })
})

describe('parseS3Uri', () => {
  test('bucket and key', () => {
    expect(parseS3Uri('m', 's3://acme-data/dir/train.manifest')).toEqual({
      kind: 's3',
      bucket: 'acme-data',
      key: 'dir/train.manifest',
      version: undefined,
      text: 's3://acme-data/dir/train.manifest'
    })
  })

  test('versionId', () => {
    const ref = parseS3Uri('m', 's3://acme-data/k.manifest?versionId=Lv.1_a-b')
    expect(ref).toMatchObject({ bucket: 'acme-data', key: 'k.manifest', version: 'Lv.1_a-b' })
  })

  test('a %-escaped key is decoded', () => {
    expect(parseS3Uri('m', 's3://acme-data/a%20b/%C3%A9.manifest')).toMatchObject({
      key: 'a b/é.manifest'
    })
  })

  test.each([
    ['s3://acme-data', 'is not an s3:// URI with a bucket and a key'],
    ['s3://acme-data/k#frag', 'is not an s3:// URI with a bucket and a key'],
    ['s3://a/k', 'has a bucket that is too short (1 chars)'],
    [`s3://${'b'.repeat(256)}/k`, 'has a bucket that is too long (256 chars)'],
    ['s3://acme data/k', 'has a bucket that has characters outside the allowed set'],
    ['s3://acme-data/k?versionId=1&versionId=2', 'has a query other than versionId'],
    ['s3://acme-data/k?foo', 'has a query other than versionId'],
    [`s3://acme-data/k?versionId=${'v'.repeat(1025)}`, 'has a versionId that is too long']
  ])('%s is refused', (uri, problem) => {
    const msg = refused(() => parseS3Uri('training-manifests', uri))
    expect(msg.startsWith('training-manifests ')).toBe(true)
    expect(msg).toContain(problem)
  })
})

describe('parseWorkspacePath', () => {
  test('a relative path inside the workspace', () => {
    expect(parseWorkspacePath('m', 'data/train.manifest', WORKSPACE)).toEqual({
      kind: 'path',
      path: path.join(WORKSPACE, 'data/train.manifest'),
      relative: 'data/train.manifest',
      text: 'data/train.manifest'
    })
  })

  test('a relative workspace is resolved against the current directory', () => {
    const ref = parseWorkspacePath('m', 'data/x.manifest', '.')
    expect(ref).toMatchObject({
      path: path.resolve('data/x.manifest'),
      relative: 'data/x.manifest'
    })
  })

  test.each([
    ['../x.manifest', 'is outside the workspace'],
    ['data/../../x.manifest', 'is outside the workspace'],
    ['/etc/passwd', 'is outside the workspace'],
    [`${WORKSPACE}-other/x.manifest`, 'is outside the workspace'],
    ['', 'is outside the workspace'],
    ['http://example.com/x.manifest', 'is a URI that is not s3://'],
    ['S3A://bucket/x', 'is a URI that is not s3://'],
    ['file:///etc/passwd', 'is a URI that is not s3://'],
    ['data/x\0.manifest', 'holds a NUL character']
  ])('%j is refused', (text, problem) => {
    const msg = refused(() => parseWorkspacePath('testing-manifests', text, WORKSPACE))
    expect(msg.startsWith('testing-manifests ')).toBe(true)
    expect(msg).toContain(problem)
  })

  test('a file named with a leading ".." is still inside the workspace', () => {
    expect(parseWorkspacePath('m', '..hidden.manifest', WORKSPACE)).toMatchObject({
      kind: 'path',
      relative: '..hidden.manifest'
    })
  })
})

describe('parseManifestList', () => {
  test('several repository files, newline or comma separated, in order', () => {
    const refs = parseManifestList(
      'training-manifests',
      'data/a.manifest\ndata/b.manifest, c.manifest',
      WORKSPACE
    )
    expect(refs.map((r) => r.kind === 'path' && r.relative)).toEqual([
      'data/a.manifest',
      'data/b.manifest',
      'c.manifest'
    ])
  })

  test('one S3 manifest, with its version', () => {
    const [ref] = parseManifestList('m', 's3://acme-data/c.manifest?versionId=7', WORKSPACE)
    expect(ref).toMatchObject({ kind: 's3', key: 'c.manifest', version: '7' })
  })

  test('the same manifest listed twice is used once', () => {
    const paths = parseManifestList('m', 'data/a.manifest, ./data/a.manifest', WORKSPACE)
    expect(paths).toHaveLength(1)
    const s3 = parseManifestList('m', 's3://bkt/k.manifest\ns3://bkt/k.manifest', WORKSPACE)
    expect(s3).toHaveLength(1)
  })

  test.each([
    [
      's3://acme-data/a.manifest, s3://acme-data/b.manifest',
      'lists 2 S3 manifests for one dataset'
    ],
    [
      's3://acme-data/a.manifest?versionId=1, s3://acme-data/a.manifest?versionId=2',
      'lists 2 S3 manifests for one dataset'
    ],
    ['s3://acme-data/a.manifest, data/b.manifest', 'mixes an S3 manifest with repository files']
  ])('one dataset, one S3 manifest: %s', (text, problem) => {
    const msg = refused(() => parseManifestList('training-manifests', text, WORKSPACE))
    expect(msg).toContain(problem)
    expect(msg).toContain('Maximum number of training datasets in a version of a model is 1')
  })

  test('the first bad item fails the list, naming the input', () => {
    const msg = refused(() =>
      parseManifestList('training-manifests', 's3://acme-data/a.manifest,../b', WORKSPACE)
    )
    expect(msg).toMatch(/^training-manifests "..\/b" is outside the workspace/)
  })
})
