// Every bad input fails the step with one line naming the input and the rule, and no request
// reaches AWS (the emulator counts them).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { baseInputs, runAction } from './harness.js'

let emu: Emulator
let projectArn: string
beforeAll(async () => {
  emu = await Emulator.start()
  projectArn = emu.addProject('defects')
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())

const ARN = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/1700000000000'
const s3 = 's3://acme-data/train.manifest'

/** [what is wrong, the inputs, the input named first on the error line] */
export const BAD_INPUTS: [string, Record<string, string>, string][] = [
  ['project-arn missing', { 'project-arn': '' }, 'project-arn'],
  [
    'project-arn of another service',
    { 'project-arn': ARN.replace('rekognition', 's3') },
    'project-arn'
  ],
  [
    'project-arn with an 11-digit account',
    { 'project-arn': ARN.replace('123456789012', '12345678901') },
    'project-arn'
  ],
  [
    'project-arn too long',
    { 'project-arn': `${ARN.slice(0, -13)}${'9'.repeat(2000)}` },
    'project-arn'
  ],
  ['output-bucket missing', { 'output-bucket': '' }, 'output-bucket'],
  ['output-bucket too short', { 'output-bucket': 'ab' }, 'output-bucket'],
  ['output-bucket with a slash', { 'output-bucket': 'acme/out' }, 'output-bucket'],
  ['output-prefix too long', { 'output-prefix': 'p'.repeat(1025) }, 'output-prefix'],
  ['version-name with a space', { 'version-name': 'has space' }, 'version-name'],
  ['version-name unknown token', { 'version-name': 'model-{branch}' }, 'version-name'],
  ['version-name {pr_number} on push', { 'version-name': 'pr-{pr_number}' }, 'version-name'],
  ['version-name too long', { 'version-name': 'v'.repeat(256) }, 'version-name'],
  [
    'version-description with a slash',
    { 'version-description': 'acme/defects' },
    'version-description'
  ],
  [
    'version-description too long',
    { 'version-description': 'd'.repeat(256) },
    'version-description'
  ],
  ['tags line without =', { tags: 'team' }, 'tags line 1'],
  ['tags reserved aws: key', { tags: 'aws:owner=me' }, 'tags line 1 key'],
  ['tags key with *', { tags: 'team*=vision' }, 'tags line 1 key'],
  ['tags value too long', { tags: `team=${'v'.repeat(257)}` }, 'tags line 1 value'],
  ['tags key too long', { tags: `${'k'.repeat(129)}=v` }, 'tags line 1 key'],
  [
    '201 tags with the defaults',
    { tags: Array.from({ length: 195 }, (_, i) => `k${i}=v`).join('\n') },
    'tags'
  ],
  [
    'training manifest not an s3 URI',
    { 'training-manifests': 'https://example.com/m', 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'training manifest without a key',
    { 'training-manifests': 's3://acme-data', 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'training manifest with another query',
    { 'training-manifests': `${s3}?x=1`, 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'training manifest outside the workspace',
    { 'training-manifests': '../../etc/passwd', 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  ['training without testing', { 'training-manifests': s3 }, 'training-manifests'],
  ['testing without training', { 'testing-manifests': s3 }, 'testing-manifests'],
  [
    'auto-create-testing with testing',
    { 'training-manifests': s3, 'testing-manifests': s3, 'auto-create-testing': 'true' },
    'testing-manifests'
  ],
  ['auto-create-testing not a boolean', { 'auto-create-testing': 'yes' }, 'auto-create-testing'],
  ['kms-key-id with a space', { 'kms-key-id': 'my key' }, 'kms-key-id'],
  ['aws-region not a region', { 'aws-region': 'Europe' }, 'aws-region'],
  ['aws-region not the project’s', { 'aws-region': 'us-east-1' }, 'aws-region'],
  ['if-version-exists unknown', { 'if-version-exists': 'replace' }, 'if-version-exists'],
  ['wait not a boolean', { wait: '1' }, 'wait'],
  ['wait-timeout-minutes zero', { 'wait-timeout-minutes': '0' }, 'wait-timeout-minutes'],
  ['wait-timeout-minutes with a unit', { 'wait-timeout-minutes': '30m' }, 'wait-timeout-minutes'],
  ['poll-interval-seconds negative', { 'poll-interval-seconds': '-5' }, 'poll-interval-seconds'],
  ['fail-on-timeout not a boolean', { 'fail-on-timeout': 'no' }, 'fail-on-timeout'],
  ['min-f1-score above 1', { 'min-f1-score': '1.5' }, 'min-f1-score'],
  ['max-f1-drop without a baseline', { 'max-f1-drop': '0.02' }, 'max-f1-drop'],
  ['baseline-version invalid', { 'baseline-version': 'last good' }, 'baseline-version'],
  ['comment-on-pr not a boolean', { 'comment-on-pr': 'sure' }, 'comment-on-pr'],
  [
    'training-price-per-hour not a number',
    { 'training-price-per-hour': '$1' },
    'training-price-per-hour'
  ],
  ['dry-run not a boolean', { 'dry-run': 'y' }, 'dry-run'],
  ['project-arn with spaces', { 'project-arn': ` ${ARN} x` }, 'project-arn'],
  [
    'project-arn without the version digits',
    { 'project-arn': ARN.replace(/\/\d+$/, '/') },
    'project-arn'
  ],
  ['output-bucket too long', { 'output-bucket': 'b'.repeat(256) }, 'output-bucket'],
  ['version-name empty token braces', { 'version-name': 'v-{}' }, 'version-name'],
  ['version-name with a slash', { 'version-name': 'team/model' }, 'version-name'],
  ['output-prefix unknown token', { 'output-prefix': 'runs/{nope}/' }, 'output-prefix'],
  ['tags empty key', { tags: '=value' }, 'tags line 1 key'],
  ['tags key given twice', { tags: 'team=a\nteam=b' }, 'tags line 2 key'],
  ['tags reserved AWS: key in capitals', { tags: 'AWS:team=x' }, 'tags line 1 key'],
  ['tags value with a newline-like escape', { tags: 'team=a%0Ab<' }, 'tags line 1 value'],
  [
    'training manifest with an empty bucket',
    { 'training-manifests': 's3:///key', 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'training manifest with an empty key',
    { 'training-manifests': 's3://acme-data/', 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'training manifest with an empty versionId',
    { 'training-manifests': `${s3}?versionId=`, 'auto-create-testing': 'true' },
    'training-manifests'
  ],
  [
    'testing manifest with a bad escape',
    { 'training-manifests': s3, 'testing-manifests': 's3://acme-data/%E0%A4%A' },
    'testing-manifests'
  ],
  ['kms-key-id too long', { 'kms-key-id': `k${'a'.repeat(2048)}` }, 'kms-key-id'],
  ['aws-region with underscores', { 'aws-region': 'eu_west_1' }, 'aws-region'],
  ['if-version-exists in capitals', { 'if-version-exists': 'REUSE' }, 'if-version-exists'],
  [
    'wait-timeout-minutes in exponent form',
    { 'wait-timeout-minutes': '1e3' },
    'wait-timeout-minutes'
  ],
  [
    'wait-timeout-minutes beyond a week',
    { 'wait-timeout-minutes': '20000' },
    'wait-timeout-minutes'
  ],
  ['poll-interval-seconds zero', { 'poll-interval-seconds': '0' }, 'poll-interval-seconds'],
  [
    'poll-interval-seconds hexadecimal',
    { 'poll-interval-seconds': '0x10' },
    'poll-interval-seconds'
  ],
  ['min-f1-score negative', { 'min-f1-score': '-0.1' }, 'min-f1-score'],
  ['max-f1-drop above 1', { 'baseline-version': 'auto', 'max-f1-drop': '2' }, 'max-f1-drop'],
  [
    'training-price-per-hour negative',
    { 'training-price-per-hour': '-1' },
    'training-price-per-hour'
  ]
]

describe('bad inputs', () => {
  test.concurrent.each(BAD_INPUTS)('%s', async (_what, inputs, named) => {
    const run = await runAction({
      endpoint: emu.url,
      inputs: { ...baseInputs(projectArn), ...inputs }
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [line] = run.errors
    expect(line.startsWith(`${named} `)).toBe(true)
    expect(line).not.toContain('\n')
    expect(line).toMatch(/must|give|may|at most|required|each key once/)
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(run.outputs['project-version-arn']).toBeUndefined()
  })

  test('no bad input made a single request to AWS', () => {
    expect(emu.requests).toHaveLength(0)
    console.log(`${BAD_INPUTS.length} bad-input cases refused with zero AWS requests`)
  })
})
