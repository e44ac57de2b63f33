import { beforeEach, describe, expect, test } from '@jest/globals'
import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { Readable } from 'node:stream'
import { readS3Lines, readS3Text } from '../../src/aws/s3-text.js'
import { splitS3Uri } from '../../src/aws/s3-uri.js'

const s3 = mockClient(S3Client)

/** A GetObject body as the SDK hands it over: a stream with transformToString. */
function body(text: string): GetObjectCommandOutput['Body'] {
  return {
    transformToString: async (encoding?: string) => {
      encodings.push(encoding)
      return text
    }
  } as unknown as GetObjectCommandOutput['Body']
}

let encodings: (string | undefined)[]

beforeEach(() => {
  s3.reset()
  encodings = []
})

describe('splitS3Uri', () => {
  test('bucket and key; the key keeps its slashes', () => {
    expect(splitS3Uri('s3://acme-training-out/out/v1/EvaluationResultSummary-x.json')).toEqual({
      bucket: 'acme-training-out',
      key: 'out/v1/EvaluationResultSummary-x.json'
    })
    expect(splitS3Uri('s3://b/k')).toEqual({ bucket: 'b', key: 'k' })
  })

  test('a joined Bucket/Name keeps ? and # in the key; a written URI has a query and no #', () => {
    expect(splitS3Uri('s3://b/odd?name#1')).toEqual({ bucket: 'b', key: 'odd?name#1' })
    expect(splitS3Uri('s3://b/k.manifest?versionId=7', true)).toEqual({
      bucket: 'b',
      key: 'k.manifest',
      query: 'versionId=7'
    })
    expect(splitS3Uri('s3://b/k#frag', true)).toBeUndefined()
    // An empty bucket or key is the caller's to name (with the rule it breaks).
    expect(splitS3Uri('s3://b/', true)).toEqual({ bucket: 'b', key: '' })
  })

  test.each([
    'https://acme.s3.amazonaws.com/key',
    's3://bucket',
    's3://bucket/',
    's3:///key',
    'S3://bucket/key',
    'bucket/key',
    ''
  ])('%p is not an s3 object URI', (uri) => {
    expect(splitS3Uri(uri)).toBeUndefined()
  })
})

describe('readS3Text', () => {
  test('returns the body text of s3://bucket/key, asking S3 for that bucket and key', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"AggregatedEvaluationResults":{}}') })
    const text = await readS3Text(
      'eu-west-1',
      's3://acme-training-out/out/v1/summary.json',
      1000,
      {}
    )
    expect(text).toBe('{"AggregatedEvaluationResults":{}}')
    expect(encodings).toEqual(['utf8'])
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1)
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'acme-training-out',
      Key: 'out/v1/summary.json'
    })
  })

  test('no body: an empty string', async () => {
    s3.on(GetObjectCommand).resolves({})
    await expect(readS3Text('eu-west-1', 's3://b/k', 1000, {})).resolves.toBe('')
  })

  test('an S3 error is passed on as it is (the caller explains it)', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })
    s3.on(GetObjectCommand).rejects(denied)
    await expect(readS3Text('eu-west-1', 's3://b/k', 1000, {})).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied'
    })
  })

  test.each(['https://b.s3.amazonaws.com/k', 's3://bucket-only', '/tmp/summary.json'])(
    'rejects %p without calling S3',
    async (uri) => {
      await expect(readS3Text('eu-west-1', uri, 1000, {})).rejects.toThrow(
        `not an s3:// URI: ${uri}`
      )
      expect(s3).not.toHaveReceivedAnyCommand()
    }
  )
})

describe('readS3Lines', () => {
  /** A body that arrives in these chunks, as a socket would deliver it. */
  const chunked = (...chunks: string[]) =>
    Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as GetObjectCommandOutput['Body']
  const lines = async (limits?: { maxLineBytes: number; maxBytes: number }) => {
    const seen: [string, number][] = []
    await readS3Lines(
      'eu-west-1',
      's3://b/v.json',
      1000,
      {},
      (t, n) => seen.push([t, n]),
      undefined,
      limits
    )
    return seen
  }

  test('lines split across chunks, \\r\\n split between two, numbered from 1', async () => {
    s3.on(GetObjectCommand).resolves({ Body: chunked('{"a":1}\r', '\n{"b"', ':2}\n{"c":3}') })
    expect(await lines()).toEqual([
      ['{"a":1}', 1],
      ['{"b":2}', 2],
      ['{"c":3}', 3]
    ])
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'b', Key: 'v.json' })
  })

  test('a line over the limit is skipped, never held, and still counted', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: chunked('short\n', 'x'.repeat(50), 'x'.repeat(50), '\nlast')
    })
    expect(await lines({ maxLineBytes: 20, maxBytes: 1000 })).toEqual([
      ['short', 1],
      ['last', 3]
    ])
  })

  test('reading stops past the size limit', async () => {
    s3.on(GetObjectCommand).resolves({ Body: chunked('one\ntwo\n', 'three\nfour\n') })
    expect(await lines({ maxLineBytes: 100, maxBytes: 9 })).toEqual([
      ['one', 1],
      ['two', 2]
    ])
  })

  test('no body: no lines', async () => {
    s3.on(GetObjectCommand).resolves({})
    expect(await lines()).toEqual([])
  })
})
