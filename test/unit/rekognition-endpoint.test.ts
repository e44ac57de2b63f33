// The action's endpoint rules against the SDK's resolver for Rekognition, over every partition,
// FIPS and dual-stack.
import { describe, expect, test } from '@jest/globals'
import { RekognitionClient } from '@aws-sdk/client-rekognition'
import { configuredEndpoint, rekognitionEndpoint } from '../../src/aws/rekognition/endpoint.js'

const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-5',
  'mx-central-1',
  'cn-north-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'us-isof-south-1',
  'eusc-de-east-1',
  'xx-unknown-1'
]
const sdk = new RekognitionClient({ region: 'us-east-1' })

describe('rekognitionEndpoint', () => {
  const cases = REGIONS.flatMap((region) =>
    [false, true].flatMap((fips) => [false, true].map((dualStack) => ({ region, fips, dualStack })))
  )
  test.each(cases)(
    '$region fips=$fips dual-stack=$dualStack as the SDK',
    ({ region, fips, dualStack }) => {
      const expected = sdk.config.endpointProvider({
        Region: region,
        UseFIPS: fips,
        UseDualStack: dualStack
      }).url.href
      const env = {
        AWS_USE_FIPS_ENDPOINT: String(fips),
        AWS_USE_DUALSTACK_ENDPOINT: String(dualStack)
      }
      expect(rekognitionEndpoint(region, env).href).toBe(expected)
    }
  )

  test('a configured endpoint wins; the service-specific variable before the general one', () => {
    expect(configuredEndpoint({ AWS_ENDPOINT_URL: 'http://a:1' })).toBe('http://a:1')
    expect(
      configuredEndpoint({
        AWS_ENDPOINT_URL: 'http://a:1',
        AWS_ENDPOINT_URL_REKOGNITION: 'http://b:2'
      })
    ).toBe('http://b:2')
    expect(
      configuredEndpoint({
        AWS_ENDPOINT_URL: 'http://a:1',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true'
      })
    ).toBeUndefined()
    expect(rekognitionEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://a:1' }).href).toBe(
      'http://a:1/'
    )
  })

  test('the combinations the SDK refuses are refused with its words', () => {
    const custom = { AWS_ENDPOINT_URL: 'http://a:1' }
    expect(() =>
      rekognitionEndpoint('eu-west-1', { ...custom, AWS_USE_FIPS_ENDPOINT: 'true' })
    ).toThrow('FIPS and custom endpoint are not supported')
    expect(() =>
      rekognitionEndpoint('eu-west-1', { ...custom, AWS_USE_DUALSTACK_ENDPOINT: 'true' })
    ).toThrow('Dualstack and custom endpoint are not supported')
    expect(() => rekognitionEndpoint('', {})).toThrow('Missing Region')
  })
})
