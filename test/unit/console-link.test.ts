import { describe, expect, test } from '@jest/globals'
import { consoleDomain, versionConsoleUrl } from '../../src/reporting/console-link.js'

describe('consoleDomain', () => {
  test.each([
    ['eu-west-1', 'eu-west-1.console.aws.amazon.com'],
    ['us-east-1', 'us-east-1.console.aws.amazon.com'],
    ['ap-southeast-2', 'ap-southeast-2.console.aws.amazon.com'],
    ['cn-north-1', 'console.amazonaws.cn'],
    ['cn-northwest-1', 'console.amazonaws.cn'],
    ['us-gov-west-1', 'console.amazonaws-us-gov.com'],
    ['us-gov-east-1', 'console.amazonaws-us-gov.com']
  ])('%s → %s', (region, domain) => {
    expect(consoleDomain(region)).toBe(domain)
  })
})

describe('versionConsoleUrl', () => {
  test('a regular region', () => {
    expect(versionConsoleUrl('eu-west-1', 'defects', 'v-0123.a_b')).toBe(
      'https://eu-west-1.console.aws.amazon.com/rekognition/custom-labels#/projects/defects/models/v-0123.a_b?region=eu-west-1'
    )
  })

  test('China and GovCloud use their own console domains, with the region kept', () => {
    const cn = new URL(versionConsoleUrl('cn-north-1', 'defects', 'v1'))
    expect(cn.protocol).toBe('https:')
    expect(cn.host).toBe('console.amazonaws.cn')
    expect(cn.pathname).toBe('/rekognition/custom-labels')
    expect(cn.hash).toBe('#/projects/defects/models/v1?region=cn-north-1')

    const gov = new URL(versionConsoleUrl('us-gov-west-1', 'defects', 'v1'))
    expect(gov.host).toBe('console.amazonaws-us-gov.com')
    expect(gov.hash).toBe('#/projects/defects/models/v1?region=us-gov-west-1')
  })

  test('project and version names are URL-encoded', () => {
    const url = versionConsoleUrl('eu-west-1', 'my project/#1?', 'v 1&x=%')
    expect(url).toContain(
      '/projects/my%20project%2F%231%3F/models/v%201%26x%3D%25?region=eu-west-1'
    )
    const hash = new URL(url).hash
    const [, project, , version] = hash.split('?')[0].split('/').slice(1)
    expect(decodeURIComponent(project)).toBe('my project/#1?')
    expect(decodeURIComponent(version)).toBe('v 1&x=%')
    // Only the one '#' that starts the console's route.
    expect(url.split('#')).toHaveLength(2)
  })
})
