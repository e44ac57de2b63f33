// The deployment's planning: tags, what to start, what to stop, the smoke test's verdict, the
// summary section, the inputs. Pure functions, no AWS.
import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseDeployInputs } from '../../src/inputs/deploy-inputs.js'
import {
  accuracy,
  answeredRight,
  DEPLOY_TAGS,
  deployTags,
  expired,
  ofPullRequest,
  startStep,
  tagsToWrite,
  tagValue,
  toStop,
  type Hosted
} from '../../src/deploy/plan.js'
import { renderDeploySection } from '../../src/deploy/report.js'
import { WORKSPACE } from './helpers.js'

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0)
const arn = (name: string) =>
  `arn:aws:rekognition:eu-west-1:123456789012:project/p/version/${name}/1700000000000`
const hosted = (name: string, tags: Record<string, string>, status = 'RUNNING'): Hosted => ({
  arn: arn(name),
  status,
  tags,
  minUnits: 1
})
const by = (repo: string, extra: Record<string, string> = {}) => ({
  [DEPLOY_TAGS.deployedBy]: repo,
  ...extra
})

describe('tags', () => {
  test('a deployment says who, from where, when, and for a preview until when', () => {
    expect(
      deployTags({
        repository: 'acme/vision',
        ref: 'refs/pull/17/merge',
        prNumber: 17,
        now: T0,
        stopAfterMinutes: 90
      })
    ).toEqual({
      'train-action:deployed-by': 'acme/vision',
      'train-action:deployed-ref': 'refs/pull/17/merge',
      'train-action:deployed-pr': '17',
      'train-action:started-at': '2026-12-07T12:00:00Z',
      'train-action:stop-after': '2026-12-07T13:30:00Z'
    })
  })
  test('values the API refuses are replaced, never refused', () => {
    expect(tagValue('refs/heads/feat#1 (wip)')).toBe('refs/heads/feat-1 -wip-')
    expect(tagValue('x'.repeat(300))).toHaveLength(256)
  })
  test('only what differs is written; a running version keeps its start time', () => {
    const wanted = deployTags({ repository: 'acme/vision', ref: 'refs/heads/main', now: T0 })
    const current = { ...wanted, [DEPLOY_TAGS.startedAt]: '2026-12-07T10:00:00Z' }
    expect(tagsToWrite(wanted, current, true)).toEqual({})
    expect(tagsToWrite(wanted, current, false)).toEqual({
      [DEPLOY_TAGS.startedAt]: '2026-12-07T12:00:00Z'
    })
    expect(tagsToWrite(wanted, {}, true)).toEqual(wanted)
  })
})

describe('startStep: from what the service says about the version', () => {
  test.each(['TRAINING_COMPLETED', 'COPYING_COMPLETED', 'STOPPED', 'FAILED'])('%s: start', (s) =>
    expect(startStep(s)).toEqual({ kind: 'start' })
  )
  test.each(['STARTING', 'RUNNING'])('%s: attach, never a second start', (s) =>
    expect(startStep(s)).toEqual({ kind: 'attach' })
  )
  test.each(['STOPPING', 'TRAINING_FAILED', 'DELETING', 'EXPIRED', undefined])(
    '%s: refused, naming the state',
    (s) => {
      const step = startStep(s)
      expect(step.kind).toBe('refuse')
      expect(step.kind === 'refuse' && step.why).toContain(s ?? 'unknown')
    }
  )
})

describe('what is stopped', () => {
  const all = [
    hosted('new', by('acme/vision')),
    hosted('old', by('acme/vision')),
    hosted('old-starting', by('acme/vision'), 'STARTING'),
    hosted('old-stopped', by('acme/vision'), 'STOPPED'),
    hosted('other-repo', by('other/repo')),
    hosted('by-hand', { 'github:repository': 'acme/vision' }),
    hosted('pr-17', by('acme/vision', { [DEPLOY_TAGS.pr]: '17' })),
    hosted('pr-18', by('acme/vision', { [DEPLOY_TAGS.pr]: '18' }))
  ]
  const names = (h: Hosted[]) => h.map((x) => x.arn.split('/')[3])
  test('a main deployment stops this repository’s earlier main deployments only', () => {
    expect(names(toStop(all, arn('new'), 'acme/vision', undefined))).toEqual([
      'old',
      'old-starting'
    ])
  })
  test('a preview stops the same pull request’s earlier previews only', () => {
    expect(names(toStop(all, arn('new'), 'acme/vision', 17))).toEqual(['pr-17'])
  })
  test('a closed pull request: its deployments', () => {
    expect(names(ofPullRequest(all, 'acme/vision', 18))).toEqual(['pr-18'])
  })
  test('expired previews: this repository’s, past their time, still up', () => {
    const stop = (at: number) => ({ [DEPLOY_TAGS.stopAfter]: new Date(at).toISOString() })
    const list = [
      hosted('due', by('acme/vision', stop(T0 - 1))),
      hosted('due-stopped', by('acme/vision', stop(T0 - 1)), 'STOPPING'),
      hosted('later', by('acme/vision', stop(T0 + 60_000))),
      hosted('theirs', by('other/repo', stop(T0 - 1))),
      hosted('no-time', by('acme/vision')),
      hosted('garbage', by('acme/vision', { [DEPLOY_TAGS.stopAfter]: 'soon' }))
    ]
    expect(names(expired(list, 'acme/vision', T0))).toEqual(['due'])
  })
})

describe('the smoke test’s verdict', () => {
  const a = (expected: string[], answered: string[], error?: string) => ({
    image: 's3://b/i.jpg',
    expected,
    answered: answered.map((name) => ({ name, confidence: 90 })),
    error
  })
  test('right when the sets of labels are equal', () => {
    expect(answeredRight(a(['dent'], ['dent']))).toBe(true)
    expect(answeredRight(a(['dent', 'scratch'], ['scratch', 'dent', 'dent']))).toBe(true)
    expect(answeredRight(a([], []))).toBe(true)
    expect(answeredRight(a(['dent'], ['scratch']))).toBe(false)
    expect(answeredRight(a(['dent'], ['dent', 'scratch']))).toBe(false)
    expect(answeredRight(a(['dent'], ['dent'], 'throttled'))).toBe(false)
  })
  test('accuracy is the share answered right; nothing tested is 0', () => {
    expect(accuracy([a(['dent'], ['dent']), a(['dent'], [])])).toBe(0.5)
    expect(accuracy([])).toBe(0)
  })
})

describe('the summary section', () => {
  test('cost an hour, the smoke table, what runs and for how long', () => {
    const md = renderDeploySection({
      status: 'RUNNING',
      arn: arn('new'),
      units: { min: 2 },
      pricePerHour: 4,
      smoke: {
        answers: [
          {
            image: 's3://b/a|b.jpg',
            expected: ['dent'],
            answered: [{ name: 'dent', confidence: 97.25 }]
          }
        ],
        accuracy: 1,
        min: 0.9
      },
      stopped: [arn('old')],
      hosted: [
        {
          ...hosted(
            'new',
            by('acme/vision', { [DEPLOY_TAGS.startedAt]: new Date(T0 - 5_400_000).toISOString() })
          ),
          minUnits: 2
        },
        hosted('by-hand', {})
      ],
      now: T0
    })
    expect(md).toContain('2 inference units at $4.00 per unit hour: **$8.00 an hour**')
    expect(md).toContain('**Stopped**: `old`')
    expect(md).toContain('| `s3://b/a\\|b.jpg` | dent | dent | 97.3% | ✅ |')
    expect(md).toContain('2 versions, at least $12.00 an hour together')
    expect(md).toContain('| `new` | RUNNING | 2 | $8.00 | 1 h 30 min 00 s | acme/vision |')
    expect(md).toContain('unknown (not started by this action) | by hand or another tool')
  })
})

describe('deploy inputs', () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? ''
  test('defaults', () => {
    expect(parseDeployInputs(read({}), WORKSPACE)).toEqual({
      deploy: false,
      minInferenceUnits: 1,
      maxInferenceUnits: undefined,
      deployTimeoutMinutes: 30,
      smokeTestManifest: undefined,
      smokeTestMinAccuracy: 0.9,
      stopPrevious: true,
      stopAfterMinutes: undefined,
      inferencePricePerHour: 4,
      deploymentEnvironment: undefined
    })
  })
  test.each([
    ['min-inference-units', '0', 'must be a whole number >= 1'],
    ['min-inference-units', '2.0', 'is not a whole number'],
    ['max-inference-units', '0', 'must be a whole number >= 1'],
    ['deploy-timeout-minutes', '0', 'must be a decimal number > 0'],
    ['smoke-test-min-accuracy', '1.01', 'and <= 1'],
    ['inference-price-per-hour', '-4', 'is not a number'],
    ['stop-after-minutes', '0', 'must be a decimal number > 0'],
    ['stop-previous', 'yes', 'must be true or false'],
    ['deployment-environment', 'e'.repeat(256), 'at most 255 characters']
  ])('%s %j is refused in one line naming the input and the rule', (input, value, rule) => {
    let caught: unknown
    try {
      parseDeployInputs(read({ [input]: value }), WORKSPACE)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InputError)
    const message = (caught as Error).message
    expect(message.startsWith(`${input} `)).toBe(true)
    expect(message).toContain(rule)
    expect(message).not.toContain('\n')
  })
  test('max below min is refused', () => {
    expect(() =>
      parseDeployInputs(read({ 'min-inference-units': '3', 'max-inference-units': '2' }), WORKSPACE)
    ).toThrow('max-inference-units "2" is less than min-inference-units (3)')
  })
})
