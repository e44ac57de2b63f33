import { beforeEach, describe, expect, test } from '@jest/globals'
import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { splitS3Uri, readS3Text } from '../../src/aws/s3-text.js'

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
