import { beforeEach, describe, expect, test } from '@jest/globals'
import { ListTagsForResourceCommand, mockRekognition, testClient } from './rekognition-mock.js'
import {
  attemptsOf,
  ownerByTags,
  ownerOf,
  refusedAsDuplicate
} from '../../src/training/ownership.js'

const rekognition = mockRekognition()
const client = testClient('eu-west-1')
const ARN = 'arn:aws:rekognition:eu-west-1:123456789012:project/p/version/v/1'
const OURS = { 'github:run-id': '42', 'github:run-attempt': '2', 'github:sha': 'abc' }

const error = (name: string, attempts?: number) =>
  Object.assign(new Error(name), {
    name,
    ...(attempts !== undefined && { $metadata: { attempts } })
  })

beforeEach(() => {
  rekognition.reset()
})

describe('attemptsOf and refusedAsDuplicate', () => {
  test('read the SDK’s attempt count', () => {
    expect(attemptsOf(error('X', 3))).toBe(3)
    expect(attemptsOf(error('X'))).toBeUndefined()
    expect(attemptsOf(undefined)).toBeUndefined()
  })

  test('only ResourceInUseException on the first attempt is a refusal of this run’s request', () => {
    expect(refusedAsDuplicate(error('ResourceInUseException', 1))).toBe(true)
    expect(refusedAsDuplicate(error('ResourceInUseException', 2))).toBe(false)
    expect(refusedAsDuplicate(error('ResourceInUseException'))).toBe(false)
    expect(refusedAsDuplicate(error('InternalServerError', 1))).toBe(false)
  })
})

describe('ownerByTags', () => {
  test('the same run id and attempt: this run', () => {
    expect(ownerByTags({ ...OURS, other: 'x' }, OURS)).toBe('this-run')
  })

  test('another run id, or another attempt of this run: another run', () => {
    expect(ownerByTags({ ...OURS, 'github:run-id': '43' }, OURS)).toBe('another-run')
    expect(ownerByTags({ ...OURS, 'github:run-attempt': '1' }, OURS)).toBe('another-run')
    expect(ownerByTags({}, OURS)).toBe('another-run')
  })

  test('nothing to compare: unknown', () => {
    expect(ownerByTags(undefined, OURS)).toBe('unknown')
    expect(ownerByTags(OURS, { 'github:sha': 'abc' })).toBe('unknown')
    expect(ownerByTags(OURS, undefined)).toBe('unknown')
  })
})

describe('ownerOf', () => {
  test('reads the version’s tags', async () => {
    rekognition.on(ListTagsForResourceCommand, { ResourceArn: ARN }).resolves({ Tags: OURS })
    expect(await ownerOf(client, ARN, OURS, 1_000)).toEqual({ owner: 'this-run' })
  })

  test('a refused read: unknown, naming the permission', async () => {
    rekognition
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    expect(await ownerOf(client, ARN, OURS, 1_000)).toEqual({
      owner: 'unknown',
      problem:
        'ListTagsForResource failed (AccessDeniedException): allow rekognition:ListTagsForResource'
    })
  })

  test('no run tags sent: unknown without a call', async () => {
    const got = await ownerOf(client, ARN, { 'github:sha': 'abc' }, 1_000)
    expect(got.owner).toBe('unknown')
    expect(rekognition.commandCalls(ListTagsForResourceCommand)).toHaveLength(0)
  })
})
