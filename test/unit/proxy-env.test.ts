import { afterEach, describe, expect, test } from '@jest/globals'
import { getProxyUrl } from '@actions/http-client'
import {
  bypassesProxy,
  checkProxyEnv,
  nameRefusingProxy,
  proxyConfigured,
  proxyFor,
  proxySummary,
  type ProxyEnv
} from '../../src/aws/proxy-env.js'

const P = 'http://proxy.corp:3128'
const Q = 'http://other-proxy.corp:8080'

const href = (target: string, env: ProxyEnv) => proxyFor(new URL(target), env)?.href ?? ''

/** The cases both readings are held to (the GitHub calls go through @actions/http-client). */
const CASES: [string, ProxyEnv, string][] = [
  ['https://rekognition.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P }, `${P}/`],
  ['https://rekognition.eu-west-1.amazonaws.com/', { https_proxy: Q, HTTPS_PROXY: P }, `${Q}/`],
  ['https://rekognition.eu-west-1.amazonaws.com/', { HTTP_PROXY: P }, ''],
  ['http://emulator.internal:9000/', { HTTP_PROXY: P }, `${P}/`],
  ['http://emulator.internal:9000/', { http_proxy: Q, HTTP_PROXY: P }, `${Q}/`],
  ['http://emulator.internal:9000/', { HTTPS_PROXY: P }, ''],
  ['https://s3.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: '*' }, ''],
  ['https://s3.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, ''],
  ['https://b.s3.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' }, ''],
  ['https://amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' }, `${P}/`],
  ['https://s3.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: 'AMAZONAWS.COM' }, ''],
  ['https://s3.eu-west-1.amazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: 'example.com' }, `${P}/`],
  ['https://notamazonaws.com/', { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, `${P}/`],
  ['https://api.example.com/', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:443' }, ''],
  ['https://api.example.com/', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:8443' }, `${P}/`],
  ['http://api.example.com:8080/', { HTTP_PROXY: P, NO_PROXY: 'api.example.com:8080' }, ''],
  ['https://api.example.com/', { HTTPS_PROXY: P, NO_PROXY: ' x.org , api.example.com ' }, ''],
  ['https://api.example.com/', { HTTPS_PROXY: P, no_proxy: 'api.example.com' }, ''],
  [
    'https://api.example.com/',
    { HTTPS_PROXY: P, no_proxy: 'x.org', NO_PROXY: 'api.example.com' },
    `${P}/`
  ],
  ['http://localhost:4566/', { HTTP_PROXY: P }, ''],
  ['http://127.0.0.1:4566/', { HTTP_PROXY: P }, ''],
  ['http://[::1]:4566/', { HTTP_PROXY: P }, ''],
  [
    'https://api.example.com/',
    { HTTPS_PROXY: 'http://user:p%40ss@proxy.corp:3128' },
    'http://user:p%40ss@proxy.corp:3128/'
  ],
  ['https://api.example.com/', {}, '']
]

describe('proxyFor', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  test.each(CASES)('%s with %j -> %s', (target, env, expected) => {
    expect(href(target, env)).toBe(expected)
  })

  test('reads the variables exactly as @actions/http-client does (what Octokit uses)', () => {
    for (const [target, env, expected] of CASES) {
      process.env = { ...env }
      expect([target, env, getProxyUrl(target)]).toEqual([target, env, expected])
    }
  })

  test('a proxy without a scheme is http:// (as in curl)', () => {
    expect(href('https://x.org/', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe(`${P}/`)
  })

  test('an IPv6 target is matched by its bracketed host', () => {
    expect(bypassesProxy(new URL('http://[fd00::1]:80/'), { NO_PROXY: '[fd00::1]' })).toBe(true)
  })
})

describe('checkProxyEnv', () => {
  test('accepts http and https proxies, with or without a scheme or credentials', () => {
    expect(() =>
      checkProxyEnv({
        HTTPS_PROXY: 'https://u:p@proxy.corp:443',
        http_proxy: 'proxy.corp:3128',
        NO_PROXY: 'whatever, *'
      })
    ).not.toThrow()
  })

  test.each([
    [
      'HTTPS_PROXY',
      'socks5://127.0.0.1:1080',
      'HTTPS_PROXY names a socks5 proxy; only http:// and https:// proxies are supported'
    ],
    [
      'http_proxy',
      'http://',
      'http_proxy is not a URL; it must look like http://proxy.example:3128'
    ],
    [
      'HTTP_PROXY',
      'http://[bad',
      'HTTP_PROXY is not a URL; it must look like http://proxy.example:3128'
    ]
  ])('%s=%s fails in one line naming the variable', (name, value, message) => {
    expect(() => checkProxyEnv({ [name]: value })).toThrow(message)
  })

  test('an empty variable is no proxy at all', () => {
    expect(() => checkProxyEnv({ HTTPS_PROXY: '' })).not.toThrow()
    expect(proxyConfigured({ HTTPS_PROXY: '', NO_PROXY: 'x' })).toBe(false)
    expect(proxyConfigured({ http_proxy: P })).toBe(true)
  })
})

describe('proxySummary', () => {
  test('names the proxies and the bypass list, never the credentials', () => {
    const line = proxySummary({
      HTTPS_PROXY: 'http://ci:s3cret@proxy.corp:3128',
      no_proxy: '.internal '
    })
    expect(line).toBe(
      'AWS calls go https:// through http://proxy.corp:3128 (HTTPS_PROXY); directly to loopback hosts and to the hosts in no_proxy (.internal).'
    )
    expect(line).not.toContain('s3cret')
  })

  test('nothing without a proxy', () => {
    expect(proxySummary({ NO_PROXY: '*' })).toBeUndefined()
  })
})

describe('nameRefusingProxy', () => {
  test('names the proxies of a refusal without their credentials; other messages are left alone', () => {
    const env = { HTTPS_PROXY: 'http://ci:S3cret@proxy.corp:3128' }
    const out = nameRefusingProxy('x failed: the proxy refused the credentials (HTTP 407)', env)
    expect(out).toContain('[proxy: http://proxy.corp:3128 (HTTPS_PROXY)]')
    expect(out).not.toContain('S3cret')
    expect(nameRefusingProxy('other', env)).toBe('other')
    expect(nameRefusingProxy('the proxy refused the credentials', {})).toBe(
      'the proxy refused the credentials'
    )
  })
})
