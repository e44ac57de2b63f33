import { describe, expect, test } from '@jest/globals'
import { VERSION_NAME_CHAR } from '../../src/inputs/constraints.js'
import { InputError } from '../../src/errors.js'
import {
  DEFAULT_VERSION_NAME,
  TOKENS,
  compactTimestamp,
  deriveDescription,
  expandVersionName,
  fitParts,
  numberedName,
  sanitize,
  validateDescription
} from '../../src/inputs/naming.js'
import { NOW, SHA, prContext, runContext } from './helpers.js'

describe('sanitize', () => {
  test('each run of refused characters becomes one replacement', () => {
    expect(sanitize('fix/#12--crash!!', VERSION_NAME_CHAR)).toBe('fix-12--crash-')
    expect(sanitize('a / b', VERSION_NAME_CHAR)).toBe('a-b')
    expect(sanitize('///', VERSION_NAME_CHAR)).toBe('-')
  })

  test('valid input is unchanged', () => {
    expect(sanitize('v1.2_3-x', VERSION_NAME_CHAR)).toBe('v1.2_3-x')
  })

  test('an astral character counts as one character, not two halves', () => {
    expect(sanitize('a🚀b', VERSION_NAME_CHAR)).toBe('a-b')
    expect(sanitize('a👍🏽b', VERSION_NAME_CHAR, '_')).toBe('a_b')
  })
})

describe('compactTimestamp', () => {
  test('is sortable and valid in a version name', () => {
    expect(compactTimestamp(NOW)).toBe('20261127T132557Z')
    expect(compactTimestamp(NOW)).toMatch(/^[a-zA-Z0-9_.-]+$/)
  })
})

describe('expandVersionName', () => {
  test('the default template gives repo and 12 hex of the commit', () => {
    expect(DEFAULT_VERSION_NAME).toBe('{repo}-{short_sha}')
    expect(expandVersionName(DEFAULT_VERSION_NAME, runContext(), NOW)).toBe(
      `defects-${SHA.slice(0, 12)}`
    )
  })

  test('all nine tokens expand in one template', () => {
    expect(TOKENS).toHaveLength(9)
    const template = TOKENS.map((t) => `{${t}}`).join('.')
    const ctx = prContext({ refName: 'feat', runNumber: '7', runAttempt: '2' })
    expect(expandVersionName(template, ctx, NOW)).toBe(
      [
        SHA,
        SHA.slice(0, 12),
        'defects',
        'feat',
        '17',
        '987654321',
        '7',
        '2',
        '20261127T132557Z'
      ].join('.')
    )
  })

  test('a Unicode repository name is sanitised', () => {
    expect(expandVersionName('{repo}', runContext({ repo: 'modèle-été' }), NOW)).toBe('mod-le--t-')
  })

  test('braces left open are literal characters, refused', () => {
    expect(() => expandVersionName('v{sha', runContext(), NOW)).toThrow(InputError)
    expect(() => expandVersionName('v}', runContext(), NOW)).toThrow(
      /has characters outside the allowed set/
    )
  })

  test('{} is an unknown token', () => {
    expect(() => expandVersionName('v{}', runContext(), NOW)).toThrow('unknown token {}')
  })

  test('an empty result is refused', () => {
    expect(() => expandVersionName('', runContext(), NOW)).toThrow('version-name "" is empty')
  })
})

describe('numberedName', () => {
  test('appends -n', () => {
    expect(numberedName('defects-abc', 2)).toBe('defects-abc-2')
    expect(numberedName('defects-abc', 1000)).toBe('defects-abc-1000')
  })

  test('stays within 255 characters, keeping the suffix', () => {
    const base = 'v'.repeat(255)
    expect(numberedName(base, 2)).toHaveLength(255)
    expect(numberedName(base, 2).endsWith('v-2')).toBe(true)
    expect(numberedName(base, 1000)).toHaveLength(255)
    expect(numberedName(base, 1000).endsWith('-1000')).toBe(true)
    expect(numberedName('v'.repeat(253), 10)).toBe(`${'v'.repeat(252)}-10`)
  })

  test('distinct n give distinct names even at the limit', () => {
    const base = 'v'.repeat(255)
    const names = new Set([2, 3, 10, 11, 100, 999].map((n) => numberedName(base, n)))
    expect(names.size).toBe(6)
  })
})

describe('deriveDescription', () => {
  test('names repository, short SHA, run and workflow', () => {
    expect(deriveDescription(runContext({ runAttempt: '3' }))).toBe(
      `acme-defects ${SHA.slice(0, 12)}, run 987654321 attempt 3 (CI)`
    )
  })

  test('the attempt defaults to 1; no run or workflow when not set', () => {
    expect(deriveDescription(runContext({ runAttempt: '' }))).toContain('attempt 1')
    expect(deriveDescription(runContext({ runId: '', workflow: '' }))).toBe(
      `acme-defects ${SHA.slice(0, 12)}`
    )
  })

  test('falls back to train-action when nothing is known', () => {
    expect(
      deriveDescription(runContext({ repository: '', sha: '', runId: '', workflow: '' }))
    ).toBe('train-action')
  })

  test('a Unicode workflow name is sanitised to the description set', () => {
    const d = deriveDescription(runContext({ workflow: 'Entraînement 模型 🚀!' }))
    expect(d.endsWith('(Entra-nement - -)')).toBe(true)
    expect(d).toMatch(/^[a-zA-Z0-9\-_. ()':,;?]{1,255}$/)
  })
})

describe('validateDescription', () => {
  test('returns a valid description', () => {
    expect(validateDescription("Model (v2): it's better; ok?")).toBe("Model (v2): it's better; ok?")
  })

  test.each([
    ['a slash', 'a/b', 'has characters outside the allowed set'],
    ['an exclamation mark', 'great!', 'has characters outside the allowed set'],
    ['a newline', 'two\nlines', 'has characters outside the allowed set'],
    ['256 chars', 'd'.repeat(256), 'is too long (256 chars)']
  ])('refuses %s', (_label, value, problem) => {
    let caught: unknown
    try {
      validateDescription(value)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InputError)
    const msg = (caught as Error).message
    expect(msg.startsWith('version-description ')).toBe(true)
    expect(msg).toContain(problem)
    expect(msg).toContain("must match [a-zA-Z0-9-_. ()':,;?]+ (1-255 chars)")
    expect(msg).not.toContain('\n')
  })
})

describe('expandVersionName: long values are shortened to fit, the SHA kept whole', () => {
  const long = 'feature/' + 'x'.repeat(300)
  test('a 300-character branch name fits 255 with the full SHA', () => {
    const name = expandVersionName('{ref_name}-{sha}', runContext({ refName: long }), NOW)
    expect(name).toHaveLength(255)
    expect(name.endsWith(`-${SHA}`)).toBe(true)
    expect(name.startsWith('feature-xxx')).toBe(true)
  })
  test('the longest value is cut first; short ones stay', () => {
    const ctx = runContext({ refName: long, repo: 'r'.repeat(100) })
    const name = expandVersionName('{repo}-{ref_name}-{short_sha}-{run_id}', ctx, NOW)
    expect(name).toHaveLength(255)
    expect(name.endsWith(`-${SHA.slice(0, 12)}-987654321`)).toBe(true)
    const [repo] = name.split('-')
    // Both long values shrink towards the same length.
    expect(repo.length).toBeGreaterThan(100 - 1)
  })
  test('two long values shrink together', () => {
    const ctx = runContext({ refName: 'b'.repeat(300), repo: 'r'.repeat(300) })
    const name = expandVersionName('{repo}.{ref_name}', ctx, NOW)
    expect(name).toHaveLength(255)
    const [repo, ref] = name.split('.')
    expect(Math.abs(repo.length - ref.length)).toBeLessThanOrEqual(1)
  })
  test('a template whose own characters are too long is still refused', () => {
    expect(() =>
      expandVersionName('x'.repeat(250) + '-{sha}', runContext({ refName: long }), NOW)
    ).toThrow(/^version-name "x+…" \(291 chars\) is too long/)
  })
  test('a name that fits is unchanged', () => {
    expect(expandVersionName('{ref_name}', runContext({ refName: 'main' }), NOW)).toBe('main')
  })
  test('fitParts keeps at least one character of each value', () => {
    const parts = fitParts(
      [
        { text: 'aaaa', token: 'ref_name' as const },
        { text: 'bb', token: 'repo' as const }
      ],
      2
    )
    expect(parts.map((p) => p.text)).toEqual(['a', 'b'])
    const none = [{ text: 'aaaa', token: 'sha' as const }]
    expect(fitParts(none, 2)).toBe(none)
  })
})
