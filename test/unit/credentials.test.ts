import { describe, expect, test } from '@jest/globals'
import { hasAwsCredentials } from '../../src/aws/credentials.js'

describe('hasAwsCredentials', () => {
  test.each([
    ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE'],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/token'],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials'],
    ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '/v2/credentials/abc'],
    ['AWS_PROFILE', 'ci']
  ])('%s alone is enough', (name, value) => {
    expect(hasAwsCredentials({ [name]: value })).toBe(true)
    expect(hasAwsCredentials({ PATH: '/usr/bin', [name]: value })).toBe(true)
  })

  test('none of them: false', () => {
    expect(hasAwsCredentials({})).toBe(false)
    expect(
      hasAwsCredentials({
        PATH: '/usr/bin',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        GITHUB_TOKEN: 'ghs_x'
      })
    ).toBe(false)
  })

  test('a secret key without its key id is not enough', () => {
    expect(hasAwsCredentials({ AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' })).toBe(false)
  })

  test('empty or unset values count as missing (an unset secret in a fork PR reads as "")', () => {
    expect(
      hasAwsCredentials({
        AWS_ACCESS_KEY_ID: '',
        AWS_WEB_IDENTITY_TOKEN_FILE: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
        AWS_PROFILE: ''
      })
    ).toBe(false)
  })
})
