import { describe, expect, test } from '@jest/globals'
import { errorName, explainAwsError } from '../../src/aws/explain.js'

const ARN = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/1700000000000'
const CREATE = 'rekognition:CreateProjectVersion'

function awsError(name: string, message: string, status?: number): Error {
  const err = new Error(message)
  err.name = name
  return Object.assign(err, status ? { $metadata: { httpStatusCode: status } } : {})
}

describe('errorName', () => {
  test('name, then Code, then code', () => {
    expect(errorName(awsError('ThrottlingException', 'x'))).toBe('ThrottlingException')
    expect(errorName({ Code: 'AccessDenied' })).toBe('AccessDenied')
    expect(errorName({ code: 'ECONNRESET' })).toBe('ECONNRESET')
    expect(errorName(undefined)).toBe('Error')
  })
})

describe('explainAwsError', () => {
  test('AccessDeniedException names the IAM action and is permanent', () => {
    const e = explainAwsError(
      awsError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/ci is not authorized'),
      CREATE,
      ARN
    )
    expect(e.permanent).toBe(true)
    expect(e.message).toContain(`allow ${CREATE}`)
    expect(e.message).toContain(ARN)
    expect(e.message).toContain('is not authorized')
  })

  test('S3 AccessDenied names the s3: action', () => {
    const e = explainAwsError(
      { name: 'AccessDenied', message: 'Access Denied' },
      's3:PutObject',
      's3://b/k'
    )
    expect(e.permanent).toBe(true)
    expect(e.message).toContain('allow s3:PutObject')
  })

  test.each(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired'])(
    '%s says how to lengthen the session',
    (name) => {
      const e = explainAwsError(
        awsError(name, 'The security token included in the request is expired'),
        'rekognition:DescribeProjectVersions',
        ARN
      )
      expect(e.permanent).toBe(true)
      expect(e.message).toContain('role-duration-seconds')
      expect(e.message).toContain('rekognition:DescribeProjectVersions')
    }
  )

  test('ResourceNotFoundException names the resource and is permanent', () => {
    const e = explainAwsError(
      awsError('ResourceNotFoundException', 'Project not found'),
      CREATE,
      ARN
    )
    expect(e.permanent).toBe(true)
    expect(e.message.startsWith(`${ARN} was not found`)).toBe(true)
    expect(e.message).toContain('check project-arn')
  })

  test('bad credentials and missing credentials are permanent', () => {
    const bad = explainAwsError(awsError('UnrecognizedClientException', 'bad token'), CREATE, ARN)
    expect(bad.permanent).toBe(true)
    expect(bad.message).toContain('configure-aws-credentials')
    const none = explainAwsError(
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      CREATE,
      ARN
    )
    expect(none.permanent).toBe(true)
    expect(none.message).toContain('id-token: write')
  })

  test('a quota: ServiceQuotaExceeded permanent, LimitExceeded not', () => {
    expect(
      explainAwsError(awsError('ServiceQuotaExceededException', 'q'), CREATE, ARN).permanent
    ).toBe(true)
    const limit = explainAwsError(awsError('LimitExceededException', 'slow down'), CREATE, ARN)
    expect(limit.permanent).toBe(false)
    expect(limit.message).toContain('quota')
  })

  test('InvalidParameterException is permanent and passes on what AWS said', () => {
    const e = explainAwsError(
      awsError('InvalidParameterException', 'Manifest has errors'),
      CREATE,
      ARN
    )
    expect(e).toEqual({
      permanent: true,
      message: `AWS refused the ${CREATE} request (InvalidParameterException): Manifest has errors`
    })
  })

  test.each([
    ['ThrottlingException', 400],
    ['InternalServerError', 500],
    ['TimeoutError', undefined],
    ['SomethingNew', 503]
  ])('%s is not permanent', (name, status) => {
    const e = explainAwsError(awsError(name, 'boom', status), CREATE, ARN)
    expect(e.permanent).toBe(false)
    expect(e.message).toContain(name)
    expect(e.message).toContain(CREATE)
    if (status) expect(e.message).toContain(`(HTTP ${status})`)
  })

  test('a plain network error is not permanent', () => {
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    const e = explainAwsError(err, CREATE, ARN)
    expect(e.permanent).toBe(false)
    expect(e.message).toContain('socket hang up')
  })

  test('a multi-line AWS message becomes one line', () => {
    const e = explainAwsError(
      awsError('AccessDeniedException', 'line one\n  line two\r\n'),
      CREATE,
      ARN
    )
    expect(e.message).not.toMatch(/[\r\n]/)
    expect(e.message.endsWith('AWS said: line one line two')).toBe(true)
  })

  test('a non-Error value is explained too', () => {
    const e = explainAwsError('weird', CREATE, ARN)
    expect(e.permanent).toBe(false)
    expect(e.message).toContain('weird')
  })
})

describe('a proxy answering 407', () => {
  test('AWS: the proxy refused the credentials, whatever the SDK made of its page', () => {
    const err = awsError('UnknownError', 'Unexpected token < in JSON', 407)
    const e = explainAwsError(err, 'rekognition:DescribeProjectVersions', ARN)
    expect(e.permanent).toBe(true)
    expect(e.message).toContain('the proxy refused the credentials (HTTP 407')
    expect(e.message).not.toContain('JSON')
  })
})
