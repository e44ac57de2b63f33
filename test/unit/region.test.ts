import { describe, expect, test } from '@jest/globals'
import { chooseRegion } from '../../src/inputs/region.js'

describe('chooseRegion', () => {
  test('the input wins', () => {
    expect(chooseRegion('eu-west-1', { AWS_REGION: 'us-east-1' }, 'eu-west-1')).toEqual({
      region: 'eu-west-1'
    })
  })

  test('AWS_REGION, then AWS_DEFAULT_REGION, when they match the ARN', () => {
    expect(chooseRegion(undefined, { AWS_REGION: 'eu-west-1' }, 'eu-west-1')).toEqual({
      region: 'eu-west-1'
    })
    expect(chooseRegion(undefined, { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1')).toEqual({
      region: 'eu-west-1'
    })
  })

  test('the ARN region when nothing else is set', () => {
    expect(chooseRegion(undefined, {}, 'ap-southeast-2')).toEqual({ region: 'ap-southeast-2' })
    expect(chooseRegion('', { AWS_REGION: '' }, 'ap-southeast-2')).toEqual({
      region: 'ap-southeast-2'
    })
  })

  test('an environment region that differs gives the ARN region and a notice', () => {
    const choice = chooseRegion(undefined, { AWS_REGION: 'us-east-1' }, 'eu-west-1')
    expect(choice.region).toBe('eu-west-1')
    expect(choice.notice).toContain('us-east-1')
    expect(choice.notice).toContain('calling eu-west-1')
  })

  test('AWS_REGION is consulted before AWS_DEFAULT_REGION', () => {
    const choice = chooseRegion(
      undefined,
      { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' },
      'eu-west-1'
    )
    expect(choice.region).toBe('eu-west-1')
    expect(choice.notice).toContain('us-west-2')
  })
})
