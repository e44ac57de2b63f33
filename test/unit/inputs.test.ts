import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import type { RunContext } from '../../src/github/github-context.js'
import {
  parseCollectInputs,
  parseInputs,
  readMode,
  type ActionInputs
} from '../../src/inputs/inputs.js'
import { parseBoolean, parseNumber } from '../../src/inputs/values.js'
import { TAG_KEY, TAG_VALUE, breaks } from '../../src/inputs/constraints.js'
import {
  NOW,
  OUTPUT_BUCKET,
  PROJECT_ARN,
  SHA,
  WORKSPACE,
  createInputs,
  prContext,
  runContext
} from './helpers.js'

const parse = (
  overrides: Record<string, string> = {},
  ctx: RunContext = runContext()
): ActionInputs => parseInputs(createInputs(overrides), ctx, NOW)

/**
 * Parses inputs that must be refused and checks the shape every refusal shares: an InputError,
 * one line, starting with the input's name and naming the rule (`rule`).
 */
function refusal(
  input: string,
  overrides: Record<string, string>,
  rule: string | RegExp,
  ctx: RunContext = runContext()
): string {
  let caught: unknown
  try {
    parse(overrides, ctx)
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(InputError)
  const message = (caught as InputError).message
  expect(message).not.toContain('\n')
  expect(message.startsWith(`${input} `)).toBe(true)
  if (typeof rule === 'string') expect(message).toContain(rule)
  else expect(message).toMatch(rule)
  return message
}

const ARN_RULE = 'arn:<partition>:rekognition:<region>:<12-digit account>:project/<name>/<digits>'
const NAME_RULE = 'must match [a-zA-Z0-9_.-]+ (1-255 chars)'
const TAG_VALUE_RULE = 'must match [\\p{L}\\p{Z}\\p{N}_.:/=+-@]*'
const TAG_KEY_RULE = 'must match [\\p{L}\\p{Z}\\p{N}_.:/=+-@]+'
const MANIFEST_A = 's3://acme-data/train/a.manifest'
const MANIFEST_B = 's3://acme-data/test/b.manifest'

describe('defaults', () => {
  test('only the two required inputs give the documented defaults', () => {
    const got = parse()
    expect(got).toMatchObject({
      projectArn: PROJECT_ARN,
      projectName: 'defects',
      arnRegion: 'eu-west-1',
      outputBucket: OUTPUT_BUCKET,
      outputPrefix: '',
      versionName: `defects-${SHA.slice(0, 12)}`,
      versionDescription: `acme-defects ${SHA.slice(0, 12)}, run 987654321 attempt 1 (CI)`,
      trainingManifests: [],
      testingManifests: [],
      autoCreateTesting: false,
      ifVersionExists: 'reuse',
      wait: false,
      waitTimeoutMinutes: 350,
      pollIntervalSeconds: 60,
      failOnTimeout: true,
      commentOnPr: true,
      trainingPricePerHour: 1,
      dryRun: false,
      commitStatus: true
    })
    expect(got.kmsKeyId).toBeUndefined()
    expect(got.region).toBeUndefined()
    expect(got.minF1Score).toBeUndefined()
    expect(got.maxF1Drop).toBeUndefined()
    expect(got.baselineVersion).toBeUndefined()
    expect(got.tags['github:sha']).toBe(SHA)
    expect(got.tags['github:repository']).toBe('acme/defects')
  })
})

describe('project-arn', () => {
  test('is required', () => {
    const msg = refusal('project-arn', { 'project-arn': '' }, 'required')
    expect(msg).toBe('project-arn is required and was not given')
  })

  test.each([
    ['aws-cn partition', 'arn:aws-cn:rekognition:cn-north-1:123456789012:project/p/1'],
    ['GovCloud', 'arn:aws-us-gov:rekognition:us-gov-west-1:123456789012:project/a_b.c-d/42'],
    [
      '255-char project name',
      `arn:aws:rekognition:eu-west-1:123456789012:project/${'n'.repeat(255)}/1`
    ]
  ])('accepts %s', (_label, arn) => {
    expect(parse({ 'project-arn': arn }).projectArn).toBe(arn)
  })

  test('gives the project name and region from the ARN', () => {
    const got = parse({
      'project-arn': 'arn:aws:rekognition:us-east-1:123456789012:project/my.proj_1-x/99'
    })
    expect(got.projectName).toBe('my.proj_1-x')
    expect(got.arnRegion).toBe('us-east-1')
  })

  test.each([
    ['wrong service', 'arn:aws:s3:eu-west-1:123456789012:project/defects/1700000000000'],
    ['11-digit account', 'arn:aws:rekognition:eu-west-1:12345678901:project/defects/1700000000000'],
    ['no digits suffix', 'arn:aws:rekognition:eu-west-1:123456789012:project/defects'],
    ['non-digit suffix', 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/abc'],
    ['a version ARN', `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/v1/1700000000001`],
    [
      'project name too long',
      `arn:aws:rekognition:eu-west-1:123456789012:project/${'n'.repeat(256)}/1`
    ],
    ['a space', 'arn:aws:rekognition:eu-west-1:123456789012:project/my defects/1']
  ])('refuses %s', (_label, arn) => {
    const msg = refusal('project-arn', { 'project-arn': arn }, ARN_RULE)
    expect(msg).toContain('has characters outside the allowed set')
    expect(msg).toContain('(20-2048 chars)')
  })

  test('refuses fewer than 20 characters', () => {
    const msg = refusal('project-arn', { 'project-arn': 'arn:aws:rekognition' }, ARN_RULE)
    expect(msg).toContain('is too short (19 chars)')
  })

  test('refuses 2049 characters even when the pattern would match', () => {
    const base = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/'
    const arn = base + '1'.repeat(2049 - base.length)
    expect(arn).toHaveLength(2049)
    const msg = refusal('project-arn', { 'project-arn': arn }, ARN_RULE)
    expect(msg).toContain('is too long (2049 chars)')
    // The long value is cut in the message, which stays readable.
    expect(msg.length).toBeLessThan(400)
  })

  test('accepts exactly 2048 characters', () => {
    const base = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/'
    const arn = base + '1'.repeat(2048 - base.length)
    expect(parse({ 'project-arn': arn }).projectArn).toBe(arn)
  })
})

describe('output-bucket', () => {
  test('is required', () => {
    expect(refusal('output-bucket', { 'output-bucket': '' }, 'required')).toBe(
      'output-bucket is required and was not given'
    )
  })

  test.each(['abc', 'My.Bucket_1-x', 'b'.repeat(255)])('accepts %s', (bucket) => {
    expect(parse({ 'output-bucket': bucket }).outputBucket).toBe(bucket)
  })

  test.each([
    ['ab', 'is too short (2 chars)'],
    ['b'.repeat(256), 'is too long (256 chars)'],
    ['acme/out', 'has characters outside the allowed set'],
    ['acme out', 'has characters outside the allowed set'],
    ['s3://acme', 'has characters outside the allowed set']
  ])('refuses %s', (bucket, problem) => {
    const msg = refusal('output-bucket', { 'output-bucket': bucket }, '(3-255 chars)')
    expect(msg).toContain(problem)
  })
})

describe('output-prefix', () => {
  test('is kept as given, slashes included', () => {
    expect(parse({ 'output-prefix': 'models/defects/' }).outputPrefix).toBe('models/defects/')
  })

  test('expands tokens', () => {
    const got = parse({ 'output-prefix': 'runs/{repo}/{short_sha}/{run_id}-{run_attempt}/' })
    expect(got.outputPrefix).toBe(`runs/defects/${SHA.slice(0, 12)}/987654321-1/`)
  })

  test('expands {timestamp} and {pr_number} on a pull request', () => {
    const got = parse({ 'output-prefix': 'pr/{pr_number}/{timestamp}' }, prContext())
    expect(got.outputPrefix).toBe('pr/17/20261127T132557Z')
  })

  test('accepts 1024 characters and refuses 1025', () => {
    expect(parse({ 'output-prefix': 'p'.repeat(1024) }).outputPrefix).toHaveLength(1024)
    const msg = refusal('output-prefix', { 'output-prefix': 'p'.repeat(1025) }, '(0-1024 chars)')
    expect(msg).toContain('is too long (1025 chars)')
  })

  test('refuses a prefix that is too long only after expansion', () => {
    const msg = refusal(
      'output-prefix',
      { 'output-prefix': `${'p'.repeat(1000)}/{sha}` },
      '(0-1024 chars)'
    )
    expect(msg).toContain('is too long (1041 chars)')
  })

  test('an unknown token is reported against output-prefix', () => {
    refusal('output-prefix', { 'output-prefix': 'runs/{nope}/' }, 'unknown token {nope}')
  })

  test('a token value longer than a version name is fine in a prefix (max 1024)', () => {
    const refName = 'r'.repeat(300)
    const got = parse({ 'output-prefix': 'b/{ref_name}/' }, runContext({ refName }))
    expect(got.outputPrefix).toBe(`b/${refName}/`)
  })

  test('{pr_number} outside a pull request is reported against output-prefix', () => {
    refusal('output-prefix', { 'output-prefix': 'pr-{pr_number}/' }, 'not for a pull request')
  })
})

describe('version-name', () => {
  const ctx = runContext({ refName: 'main', runNumber: '42', runAttempt: '3' })
  test.each([
    ['{sha}', SHA],
    ['{short_sha}', SHA.slice(0, 12)],
    ['{repo}', 'defects'],
    ['{ref_name}', 'main'],
    ['{run_id}', '987654321'],
    ['{run_number}', '42'],
    ['{run_attempt}', '3'],
    ['{timestamp}', '20261127T132557Z']
  ])('expands %s', (template, expected) => {
    expect(parse({ 'version-name': template }, ctx).versionName).toBe(expected)
  })

  test('expands {pr_number} on a pull request', () => {
    expect(parse({ 'version-name': 'pr-{pr_number}' }, prContext()).versionName).toBe('pr-17')
  })

  test('mixes literals and tokens', () => {
    expect(parse({ 'version-name': 'v1.{run_number}_{short_sha}' }, ctx).versionName).toBe(
      `v1.42_${SHA.slice(0, 12)}`
    )
  })

  test('{pr_number} outside a pull request is refused', () => {
    const msg = refusal('version-name', { 'version-name': 'pr-{pr_number}' }, 'may only use tokens')
    expect(msg).toContain('not for a pull request')
  })

  test('an unknown token is refused and the known ones are listed', () => {
    const msg = refusal('version-name', { 'version-name': 'v-{branch}' }, '{short_sha}')
    expect(msg).toContain('unknown token {branch}')
    expect(msg).toContain('{timestamp}')
  })

  test('a token the runner left empty is refused', () => {
    const msg = refusal(
      'version-name',
      { 'version-name': 'run-{run_id}' },
      'did not set it',
      runContext({ runId: '' })
    )
    expect(msg).toContain('{run_id}')
  })

  test.each(['has space', 'v1/{short_sha}', 'v!{run_id}', 'v{sha', 'ünicode'])(
    'refuses the literal %s instead of rewriting it',
    (template) => {
      const msg = refusal('version-name', { 'version-name': template }, NAME_RULE)
      expect(msg).toContain('has characters outside the allowed set')
      expect(msg).toContain(JSON.stringify(template))
    }
  )

  test('characters from tokens that a name refuses become one -', () => {
    const got = parse(
      { 'version-name': 'br-{ref_name}' },
      runContext({ refName: 'fix/#12-crash!' })
    )
    expect(got.versionName).toBe('br-fix-12-crash-')
  })

  test('a Unicode branch name becomes a valid name', () => {
    const got = parse({ 'version-name': '{ref_name}' }, runContext({ refName: 'équipe/données' }))
    expect(got.versionName).toBe('-quipe-donn-es')
    expect(got.versionName).toMatch(/^[a-zA-Z0-9_.-]{1,255}$/)
  })

  test('255 characters are accepted, 256 refused', () => {
    expect(parse({ 'version-name': 'v'.repeat(255) }).versionName).toHaveLength(255)
    const msg = refusal('version-name', { 'version-name': 'v'.repeat(256) }, NAME_RULE)
    expect(msg).toContain('is too long (256 chars)')
  })

  test('a result over 255 characters after expansion is refused', () => {
    const msg = refusal('version-name', { 'version-name': `${'v'.repeat(220)}-{sha}` }, NAME_RULE)
    expect(msg).toContain('is too long (261 chars)')
  })
})

describe('version-description', () => {
  test('a given one is kept when valid', () => {
    const text = "Nightly (defects): retrain; why? it's due, ok-1_2.3"
    expect(parse({ 'version-description': text }).versionDescription).toBe(text)
  })

  test.each(['models/v1', 'great!', 'tab\there', 'd'.repeat(256)])(
    'a given %j is refused',
    (text) => {
      const msg = refusal('version-description', { 'version-description': text }, '(1-255 chars)')
      expect(msg).toMatch(/has characters outside the allowed set|is too long \(256 chars\)/)
    }
  )

  test('a derived one is sanitised to the API set', () => {
    const got = parse(
      {},
      runContext({ repository: 'acme/défauts', workflow: 'Build & test 🚀', runAttempt: '2' })
    )
    expect(got.versionDescription).toBe(
      `acme-d-fauts ${SHA.slice(0, 12)}, run 987654321 attempt 2 (Build - test -)`
    )
    expect(got.versionDescription).toMatch(/^[a-zA-Z0-9\-_. ()':,;?]{1,255}$/)
  })

  test('a derived one is cut to 255 characters', () => {
    const got = parse({}, runContext({ workflow: 'w'.repeat(400) }))
    expect(got.versionDescription).toHaveLength(255)
  })
})

describe('tags', () => {
  test('key=value lines are added; blank lines and # comments skipped; spaces trimmed', () => {
    const got = parse({
      tags: '\n# owner of the model\nteam = vision\n\n  cost-center=4711  \nempty=\n'
    })
    expect(got.tags).toMatchObject({ team: 'vision', 'cost-center': '4711', empty: '' })
    expect(got.tags['github:sha']).toBe(SHA)
    expect(Object.keys(got.tags)).not.toContain('# owner of the model')
  })

  test('CRLF line ends are accepted', () => {
    expect(parse({ tags: 'a=1\r\nb=2\r\n' }).tags).toMatchObject({ a: '1', b: '2' })
  })

  test('a value may hold "="', () => {
    expect(parse({ tags: 'expr=a=b' }).tags.expr).toBe('a=b')
  })

  test.each([
    ['équipe=données', 'équipe', 'données'],
    ['チーム=画像', 'チーム', '画像'],
    ['path:to/x@y+z=a b.c_d-e', 'path:to/x@y+z', 'a b.c_d-e']
  ])('Unicode and the allowed symbols are accepted: %s', (line, key, value) => {
    expect(parse({ tags: line }).tags[key]).toBe(value)
  })

  test('a line without "=" is refused with its line number', () => {
    const msg = refusal('tags', { tags: 'a=1\nno-equals-here' }, 'must be key=value')
    expect(msg).toMatch(/^tags line 2 "no-equals-here" has no "="/)
  })

  test('an empty key is refused', () => {
    const msg = refusal('tags', { tags: '=value' }, TAG_KEY_RULE)
    expect(msg).toContain('tags line 1 key "" is empty')
  })

  test('a key of 128 characters is accepted, 129 refused', () => {
    expect(parse({ tags: `${'k'.repeat(128)}=v` }).tags['k'.repeat(128)]).toBe('v')
    const msg = refusal('tags', { tags: `${'k'.repeat(129)}=v` }, '(1-128 chars)')
    expect(msg).toContain('is too long (129 chars)')
  })

  test('a value of 256 characters is accepted, 257 refused', () => {
    expect(parse({ tags: `k=${'v'.repeat(256)}` }).tags.k).toHaveLength(256)
    const msg = refusal('tags', { tags: `k=${'v'.repeat(257)}` }, '(0-256 chars)')
    expect(msg).toMatch(/^tags line 1 value .* is too long \(257 chars\)/)
  })

  test.each(['a<b=1', 'a*=1', 'a,b=1', 'a!=1'])('the key of %s is refused', (line) => {
    const msg = refusal('tags', { tags: line }, TAG_KEY_RULE)
    expect(msg).toMatch(/^tags line 1 key /)
    expect(msg).toContain('has characters outside the allowed set')
  })

  test.each(['k=<script>', 'k=a*b', 'k=a;b', 'k=🚀'])('the value of %s is refused', (line) => {
    const msg = refusal('tags', { tags: line }, TAG_VALUE_RULE)
    expect(msg).toMatch(/^tags line 1 value /)
    expect(msg).toContain('has characters outside the allowed set')
  })

  test.each(['aws:team=x', 'AWS:team=x', 'Aws:cost=1'])(
    'the reserved prefix in %s is refused',
    (line) => {
      const msg = refusal('tags', { tags: line }, 'reserved for AWS')
      expect(msg).toContain('starts with "aws:"')
    }
  )

  test('a key may contain aws: later on', () => {
    expect(parse({ tags: 'my-aws:x=1' }).tags['my-aws:x']).toBe('1')
  })

  test('a key given twice is refused', () => {
    const msg = refusal('tags', { tags: 'team=a\nother=b\nteam=c' }, 'each key once')
    expect(msg).toMatch(/^tags line 3 key "team" is given twice/)
  })

  test('a user tag overrides a default tag', () => {
    const got = parse({ tags: 'github:actor=release-bot' })
    expect(got.tags['github:actor']).toBe('release-bot')
    expect(got.tags['github:sha']).toBe(SHA)
  })

  const userTags = (n: number, prefix = 't'): string =>
    Array.from({ length: n }, (_, i) => `${prefix}${i}=${i}`).join('\n')

  test('200 tags in all, defaults counted, are accepted; 201 refused', () => {
    const defaults = Object.keys(parse().tags).length
    expect(defaults).toBe(7)
    expect(Object.keys(parse({ tags: userTags(200 - defaults) }).tags)).toHaveLength(200)
    const msg = refusal('tags', { tags: userTags(201 - defaults) }, 'at most 200 tags')
    expect(msg).toContain('201')
  })

  test('the pull request number tag counts too', () => {
    const defaults = Object.keys(parse({}, prContext()).tags).length
    expect(defaults).toBe(8)
    refusal('tags', { tags: userTags(193) }, 'at most 200 tags', prContext())
  })

  test('overriding a default does not count twice', () => {
    const tags = `${userTags(193)}\ngithub:actor=bot`
    expect(Object.keys(parse({ tags }).tags)).toHaveLength(200)
  })
})

describe('training-manifests and testing-manifests', () => {
  test('s3 URIs with and without versionId, spaces escaped, blank lines around', () => {
    const got = parse({
      'training-manifests': `${MANIFEST_A}?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY`,
      'testing-manifests': `\ns3://acme-data/train/more%20images.manifest\n`
    })
    expect(got.trainingManifests).toEqual([
      {
        kind: 's3',
        bucket: 'acme-data',
        key: 'train/a.manifest',
        version: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
        text: `${MANIFEST_A}?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY`
      }
    ])
    expect(got.testingManifests).toEqual([
      {
        kind: 's3',
        bucket: 'acme-data',
        key: 'train/more images.manifest',
        version: undefined,
        text: 's3://acme-data/train/more%20images.manifest'
      }
    ])
  })

  test('two S3 manifests for one dataset are refused, naming the rule', () => {
    expect(() =>
      parse({
        'training-manifests': `${MANIFEST_A}, s3://acme-data/train/b.manifest`,
        'auto-create-testing': 'true'
      })
    ).toThrow(
      /^training-manifests .* lists 2 S3 manifests for one dataset; .*version of a model is 1/
    )
  })

  test('a path in the workspace is resolved against it', () => {
    const got = parse({
      'training-manifests': 'data/train.manifest',
      'testing-manifests': './data/../data/test.manifest'
    })
    expect(got.trainingManifests[0]).toEqual({
      kind: 'path',
      path: `${WORKSPACE}/data/train.manifest`,
      relative: 'data/train.manifest',
      text: 'data/train.manifest'
    })
    expect(got.testingManifests[0]).toMatchObject({ relative: 'data/test.manifest' })
  })

  test.each([
    ['no key', 's3://acme-data', 'is not an s3:// URI with a bucket and a key'],
    ['an empty bucket', 's3:///key', 'has a bucket that is empty'],
    ['an empty key', 's3://acme-data/', 'has a key that is empty'],
    ['a 2-char bucket', 's3://ab/key', 'has a bucket that is too short (2 chars)'],
    ['a bucket with "!"', 's3://bad!bucket/key', 'has a bucket that has characters outside'],
    [
      'a 1025-char key',
      `s3://acme-data/${'k'.repeat(1025)}`,
      'has a key that is too long (1025 chars)'
    ],
    ['another query', 's3://acme-data/key?version=1', 'has a query other than versionId'],
    ['an extra query', 's3://acme-data/key?versionId=1&x=2', 'has a query other than versionId'],
    ['an empty versionId', 's3://acme-data/key?versionId=', 'has a versionId that is empty'],
    ['a broken escape', 's3://acme-data/%E0%A4%A', 'has a key with a broken %-escape'],
    ['http://', 'http://acme-data/key', 'is a URI that is not s3://'],
    ['https://', 'https://acme-data.s3.amazonaws.com/key', 'is a URI that is not s3://'],
    ['../', '../outside.manifest', 'is outside the workspace'],
    ['a/../../', 'data/../../outside.manifest', 'is outside the workspace'],
    ['an absolute path outside', '/etc/passwd', 'is outside the workspace'],
    ['the workspace itself', '.', 'is outside the workspace']
  ])('%s is refused', (_label, ref, problem) => {
    const msg = refusal(
      'training-manifests',
      { 'training-manifests': ref, 'auto-create-testing': 'true' },
      /must (be|match)/
    )
    expect(msg).toContain(problem)
  })

  test('testing-manifests are checked the same way', () => {
    const msg = refusal(
      'testing-manifests',
      { 'training-manifests': MANIFEST_A, 'testing-manifests': 'ftp://host/x' },
      'must be s3://bucket/key or a path inside the workspace'
    )
    expect(msg).toContain('is a URI that is not s3://')
  })

  test('an absolute path inside the workspace is accepted', () => {
    const got = parse({
      'training-manifests': `${WORKSPACE}/data/train.manifest`,
      'auto-create-testing': 'true'
    })
    expect(got.trainingManifests[0]).toMatchObject({
      kind: 'path',
      relative: 'data/train.manifest'
    })
  })

  test('a file whose name starts with two dots is inside the workspace', () => {
    const got = parse({ 'training-manifests': '..train.manifest', 'auto-create-testing': 'true' })
    expect(got.trainingManifests[0]).toMatchObject({ kind: 'path', relative: '..train.manifest' })
  })
})

describe('dataset rules', () => {
  test('neither training nor testing manifests: the project datasets are used', () => {
    const got = parse()
    expect(got.trainingManifests).toEqual([])
    expect(got.testingManifests).toEqual([])
  })

  test('training with testing manifests is accepted', () => {
    const got = parse({ 'training-manifests': MANIFEST_A, 'testing-manifests': MANIFEST_B })
    expect(got.trainingManifests).toHaveLength(1)
    expect(got.testingManifests).toHaveLength(1)
  })

  test('training with auto-create-testing is accepted', () => {
    const got = parse({ 'training-manifests': MANIFEST_A, 'auto-create-testing': 'true' })
    expect(got.autoCreateTesting).toBe(true)
  })

  test('training without testing and without auto-create is refused', () => {
    refusal('training-manifests', { 'training-manifests': MANIFEST_A }, 'auto-create-testing: true')
  })

  test('testing without training is refused', () => {
    refusal('testing-manifests', { 'testing-manifests': MANIFEST_B }, 'give both')
  })

  test('auto-create without training is refused', () => {
    refusal('auto-create-testing', { 'auto-create-testing': 'true' }, 'give them')
  })

  test('testing manifests and auto-create together are refused', () => {
    refusal(
      'testing-manifests',
      {
        'training-manifests': MANIFEST_A,
        'testing-manifests': MANIFEST_B,
        'auto-create-testing': 'true'
      },
      'give one'
    )
  })
})

describe('booleans', () => {
  const inputs = ['wait', 'fail-on-timeout', 'comment-on-pr', 'dry-run', 'auto-create-testing']
  const field: Record<string, keyof ActionInputs> = {
    wait: 'wait',
    'fail-on-timeout': 'failOnTimeout',
    'comment-on-pr': 'commentOnPr',
    'dry-run': 'dryRun',
    'auto-create-testing': 'autoCreateTesting'
  }
  const withTraining = (name: string, value: string): Record<string, string> =>
    name === 'auto-create-testing'
      ? { [name]: value, 'training-manifests': MANIFEST_A }
      : { [name]: value }

  test.each(inputs)('%s takes true/True/TRUE and false/False/FALSE', (name) => {
    for (const v of ['true', 'True', 'TRUE'])
      expect(parse(withTraining(name, v))[field[name]]).toBe(true)
    for (const v of ['false', 'False', 'FALSE']) {
      const overrides = withTraining(name, v)
      if (name === 'auto-create-testing') overrides['testing-manifests'] = MANIFEST_B
      expect(parse(overrides)[field[name]]).toBe(false)
    }
  })

  test.each(
    inputs.flatMap((name) =>
      ['yes', '1', 'on', 'no', '0', 'off', 'tRue', ' true'].map((v) => [name, v])
    )
  )('%s refuses %j', (name, value) => {
    const msg = refusal(name, withTraining(name, value), 'must be true or false')
    expect(msg).toContain('is not a boolean')
  })

  test('parseBoolean uses the fallback only for an empty value', () => {
    expect(parseBoolean('x', '', true)).toBe(true)
    expect(parseBoolean('x', '', false)).toBe(false)
    expect(parseBoolean('x', 'false', true)).toBe(false)
  })
})

describe('numbers', () => {
  test('decimals are accepted', () => {
    const got = parse({
      'wait-timeout-minutes': '0.5',
      'poll-interval-seconds': '.25',
      'training-price-per-hour': '4.00'
    })
    expect(got.waitTimeoutMinutes).toBe(0.5)
    expect(got.pollIntervalSeconds).toBe(0.25)
    expect(got.trainingPricePerHour).toBe(4)
  })

  test('a price of 0 is accepted', () => {
    expect(parse({ 'training-price-per-hour': '0' }).trainingPricePerHour).toBe(0)
  })

  test.each(['wait-timeout-minutes', 'poll-interval-seconds'])('%s refuses 0', (name) => {
    const msg = refusal(name, { [name]: '0' }, 'must be a decimal number > 0')
    expect(msg).toContain('is out of range')
    refusal(name, { [name]: '0.0' }, 'is out of range')
  })

  test.each(
    [
      'wait-timeout-minutes',
      'poll-interval-seconds',
      'training-price-per-hour',
      'min-f1-score'
    ].flatMap((name) =>
      ['-1', '1e3', '0x10', 'Infinity', 'NaN', '10m', '1.', '1,5', 'abc'].map((v) => [name, v])
    )
  )('%s refuses %j', (name, value) => {
    const msg = refusal(name, { [name]: value }, 'must be a decimal number')
    expect(msg).toContain('is not a number')
  })

  test('wait-timeout-minutes over a week is refused', () => {
    refusal('wait-timeout-minutes', { 'wait-timeout-minutes': '10081' }, '<= 10080')
  })

  test('parseNumber: inclusive and exclusive bounds', () => {
    expect(parseNumber('n', '0', { min: 0 })).toBe(0)
    expect(parseNumber('n', '1', { min: 0, max: 1 })).toBe(1)
    expect(() => parseNumber('n', '1.01', { min: 0, max: 1 })).toThrow(InputError)
    expect(() => parseNumber('n', '0', { min: 0, exclusiveMin: true })).toThrow(
      'n "0" is out of range; it must be a decimal number > 0'
    )
  })
})

describe('quality gates', () => {
  test.each(['0', '0.85', '1', '1.0'])('min-f1-score %s is accepted', (v) => {
    expect(parse({ 'min-f1-score': v }).minF1Score).toBe(Number(v))
  })

  test.each(['1.01', '2', '85'])('min-f1-score %s is refused', (v) => {
    refusal('min-f1-score', { 'min-f1-score': v }, 'must be a decimal number >= 0 and <= 1')
  })

  test('max-f1-drop with a baseline is accepted', () => {
    const got = parse({ 'max-f1-drop': '0.05', 'baseline-version': 'auto' })
    expect(got.maxF1Drop).toBe(0.05)
    expect(got.baselineVersion).toBe('auto')
  })

  test('max-f1-drop out of 0..1 is refused', () => {
    refusal(
      'max-f1-drop',
      { 'max-f1-drop': '1.5', 'baseline-version': 'auto' },
      'must be a decimal number >= 0 and <= 1'
    )
  })

  test('max-f1-drop without baseline-version is refused', () => {
    refusal('max-f1-drop', { 'max-f1-drop': '0.05' }, 'give baseline-version')
  })

  test('baseline-version may be auto or a version name', () => {
    expect(parse({ 'baseline-version': 'auto' }).baselineVersion).toBe('auto')
    expect(parse({ 'baseline-version': 'defects-v1.2_3' }).baselineVersion).toBe('defects-v1.2_3')
  })

  test.each(['has space', 'v/1', 'b'.repeat(256)])('baseline-version %j is refused', (v) => {
    refusal('baseline-version', { 'baseline-version': v }, 'must be auto or a version name')
  })
})

describe('if-version-exists', () => {
  test.each(['reuse', 'fail', 'new'])('%s is accepted', (v) => {
    expect(parse({ 'if-version-exists': v }).ifVersionExists).toBe(v)
  })

  test.each(['Reuse', 'overwrite', 'skip'])('%s is refused', (v) => {
    const msg = refusal(
      'if-version-exists',
      { 'if-version-exists': v },
      'must be reuse, fail or new'
    )
    expect(msg).toContain('is not a known choice')
  })
})

describe('kms-key-id', () => {
  test.each([
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'alias/training-key',
    'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
  ])('%s is accepted', (v) => {
    expect(parse({ 'kms-key-id': v }).kmsKeyId).toBe(v)
  })

  test.each(['-starts-with-dash', 'alias/has space', 'key#1', `k${'1'.repeat(2048)}`])(
    '%s is refused',
    (v) => {
      refusal('kms-key-id', { 'kms-key-id': v }, '(1-2048 chars)')
    }
  )
})

describe('aws-region', () => {
  test('the ARN region itself is accepted', () => {
    expect(parse({ 'aws-region': 'eu-west-1' }).region).toBe('eu-west-1')
  })

  test('a GovCloud region matching its ARN is accepted', () => {
    const got = parse({
      'aws-region': 'us-gov-west-1',
      'project-arn': 'arn:aws-us-gov:rekognition:us-gov-west-1:123456789012:project/p/1'
    })
    expect(got.region).toBe('us-gov-west-1')
  })

  test.each(['Europe', 'eu_west_1', 'EU-WEST-1', 'eu-west', 'eu-west-1a'])('%s is refused', (v) => {
    refusal('aws-region', { 'aws-region': v }, 'eu-west-1')
  })

  test('a region that differs from the ARN is refused', () => {
    const msg = refusal('aws-region', { 'aws-region': 'us-east-1' }, 'must be the project’s region')
    expect(msg).toContain('differs from the region of project-arn (eu-west-1)')
  })
})

describe('the gates are recorded on the version as tags', () => {
  test('each given gate, with values the API accepts', () => {
    const got = parse({
      'min-f1-score': '0.9',
      'max-f1-drop': '0.02',
      'baseline-version': 'defects-v1.2_3'
    })
    const recorded = Object.entries(got.tags).filter(([k]) => k.startsWith('train-action:'))
    expect(Object.fromEntries(recorded)).toEqual({
      'train-action:min-f1-score': '0.9',
      'train-action:max-f1-drop': '0.02',
      'train-action:baseline-version': 'defects-v1.2_3'
    })
    for (const [k, v] of recorded) {
      expect(breaks(k, TAG_KEY)).toBeUndefined()
      expect(breaks(v, TAG_VALUE)).toBeUndefined()
    }
  })

  test('baseline-version auto on a pull request records the base branch for a collector', () => {
    const got = parse({ 'baseline-version': 'auto' }, prContext({ baseRef: 'release/2.x' }))
    expect(got.tags['train-action:base-ref']).toBe('release/2.x')
    expect(parse({ 'baseline-version': 'auto' }).tags['train-action:base-ref']).toBeUndefined()
  })

  test('none without gates', () => {
    expect(Object.keys(parse().tags).some((k) => k.startsWith('train-action:'))).toBe(false)
  })

  test('a user tag may not take the prefix', () => {
    refusal('tags line 1 key', { tags: 'train-action:min-f1-score=0' }, 'may not use the prefix')
  })
})

describe('mode and commit-status', () => {
  test('mode is train by default, or collect; anything else is refused', () => {
    expect(readMode(createInputs())).toBe('train')
    expect(readMode(createInputs({ mode: 'collect' }))).toBe('collect')
    expect(() => readMode(createInputs({ mode: 'Collect' }))).toThrow(
      'mode "Collect" is not a known mode; it must be train, collect or stop'
    )
  })

  test('commit-status is a boolean, true by default', () => {
    expect(parse({ 'commit-status': 'false' }).commitStatus).toBe(false)
    refusal('commit-status', { 'commit-status': 'yes' }, 'must be true or false')
  })

  test('collect needs no output-bucket and reads what it uses', () => {
    const got = parseCollectInputs(
      createInputs({ 'output-bucket': '', 'poll-interval-seconds': '5', 'aws-region': 'eu-west-1' })
    )
    expect(got).toEqual({
      projectArn: PROJECT_ARN,
      projectName: 'defects',
      arnRegion: 'eu-west-1',
      region: 'eu-west-1',
      commitStatus: true,
      commentOnPr: true,
      githubToken: '',
      pollIntervalSeconds: 5,
      trainingPricePerHour: 1,
      collectTimeoutMinutes: 12,
      ignored: []
    })
    expect(
      parseCollectInputs(createInputs({ 'collect-timeout-minutes': '0.5' })).collectTimeoutMinutes
    ).toBe(0.5)
    for (const bad of ['0', '-1', 'abc', '361'])
      expect(() => parseCollectInputs(createInputs({ 'collect-timeout-minutes': bad }))).toThrow(
        /^collect-timeout-minutes /
      )
    expect(
      parseCollectInputs(createInputs({ 'min-f1-score': '0.9', wait: 'true' })).ignored
    ).toEqual(['output-bucket', 'min-f1-score'])
    expect(() => parseCollectInputs(createInputs({ 'project-arn': '' }))).toThrow(
      'project-arn is required'
    )
    expect(() => parseCollectInputs(createInputs({ 'aws-region': 'us-east-1' }))).toThrow(
      'differs from the region of project-arn'
    )
  })
})
