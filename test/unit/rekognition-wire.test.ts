// The JSON 1.1 reading rules the emulator cannot show on its own.
import { describe, expect, test } from '@jest/globals'
import { readError, readOutput, serializeInput } from '../../src/aws/rekognition/wire.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an output of any shape
type Loose = Record<string, any>

const answer = (statusCode: number, body: string, headers: Record<string, string> = {}) => ({
  statusCode,
  body,
  headers
})

describe('readOutput', () => {
  test('non-finite floats come back as numbers; a string member with the same word stays a string', () => {
    const out = readOutput<Loose>(
      answer(
        200,
        '{"EvaluationResult":{"F1Score":"NaN"},"CustomLabels":[{"Confidence":"Infinity"}],"VersionName":"Infinity","Status":"NaN"}',
        { 'x-amzn-requestid': 'req-1' }
      )
    )
    expect(out.EvaluationResult.F1Score).toBeNaN()
    expect(out.CustomLabels[0].Confidence).toBe(Infinity)
    expect(out.VersionName).toBe('Infinity')
    expect(out.Status).toBe('NaN')
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1' })
  })

  test('timestamps are epoch seconds, read as Dates; nulls are dropped', () => {
    const out = readOutput<Loose>(
      answer(200, '{"CreationTimestamp":1764000000.25,"KmsKeyId":null}')
    )
    expect(out.CreationTimestamp).toEqual(new Date(1764000000250))
    expect('KmsKeyId' in out).toBe(false)
  })
})

describe('readError', () => {
  test('the code from __type, a code member, then the header, cleaned as smithy cleans it', () => {
    expect(
      readError(
        answer(
          400,
          '{"__type":"com.amazonaws.rekognition#ResourceNotFoundException","Message":"gone"}'
        )
      ).name
    ).toBe('ResourceNotFoundException')
    expect(readError(answer(400, '{"code":"ThrottlingException:http://x"}')).name).toBe(
      'ThrottlingException'
    )
    expect(readError(answer(400, '', { 'x-amzn-errortype': 'AccessDeniedException:x' })).name).toBe(
      'AccessDeniedException'
    )
    const unknown = readError(answer(502, ''))
    expect(unknown).toMatchObject({ name: 'Unknown', message: 'UnknownError', $fault: 'server' })
  })

  test('a modeled error keeps the model’s fault whatever the status; its members are kept', () => {
    const err = readError(
      answer(400, '{"__type":"ThrottlingException","Message":"slow down","Code":"T","Logref":"r"}')
    )
    expect(err).toMatchObject({ $fault: 'server', message: 'slow down', Code: 'T', Logref: 'r' })
  })
})

describe('serializeInput', () => {
  test('dates as epoch seconds, bytes as base64, unset members left out', () => {
    expect(
      JSON.parse(
        serializeInput({
          At: new Date(1500),
          Image: { Bytes: new Uint8Array([1, 2, 3]) },
          Skip: undefined
        })
      )
    ).toEqual({ At: 1.5, Image: { Bytes: 'AQID' } })
  })
})
