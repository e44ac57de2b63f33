import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { defaultTags, mergeTags, parseUserTags, sanitizeTagValue } from '../../src/inputs/tags.js'
import { SHA, prContext, runContext } from './helpers.js'

/** The API's tag patterns (REKOGNITION.md, CreateProjectVersion Tags). */
const API_TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const API_TAG_VALUE = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u
const codePoints = (s: string): number => [...s].length

function expectApiValid(tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    expect(key).toMatch(API_TAG_KEY)
    expect(codePoints(key)).toBeGreaterThanOrEqual(1)
    expect(codePoints(key)).toBeLessThanOrEqual(128)
    expect(value).toMatch(API_TAG_VALUE)
    expect(codePoints(value)).toBeLessThanOrEqual(256)
  }
}

describe('sanitizeTagValue', () => {
  test('runs of refused characters collapse to one -', () => {
    expect(sanitizeTagValue('refs/heads/fix/#12-crash!')).toBe('refs/heads/fix/-12-crash-')
    expect(sanitizeTagValue('dependabot[bot]')).toBe('dependabot-bot-')
    expect(sanitizeTagValue('a<>*&b')).toBe('a-b')
  })

  test('Unicode letters, numbers and separators are kept', () => {
    expect(sanitizeTagValue('Entraînement 模型 ٣')).toBe('Entraînement 模型 ٣')
  })

  test('emoji are replaced', () => {
    expect(sanitizeTagValue('Deploy 🚀 now 👍🏽')).toBe('Deploy - now -')
  })

  test('long values are cut to 256 code points, not UTF-16 units', () => {
    const astral = '𝒜'.repeat(300)
    const cut = sanitizeTagValue(astral)
    expect(codePoints(cut)).toBe(256)
    expect(cut.length).toBe(512)
    expect(cut).toMatch(API_TAG_VALUE)
    expect(sanitizeTagValue('v'.repeat(300))).toHaveLength(256)
  })
})

describe('defaultTags', () => {
  test('a push run: all seven, no PR number', () => {
    expect(defaultTags(runContext())).toEqual({
      'github:repository': 'acme/defects',
      'github:sha': SHA,
      'github:ref': 'refs/heads/main',
      'github:workflow': 'CI',
      'github:run-id': '987654321',
      'github:run-attempt': '1',
      'github:actor': 'octocat'
    })
  })

  test('a pull request adds the PR number', () => {
    const tags = defaultTags(prContext())
    expect(tags['github:pr-number']).toBe('17')
    expect(Object.keys(tags)).toHaveLength(8)
  })

  test('repository and sha are always present; empty others are left out', () => {
    const tags = defaultTags(
      runContext({
        repository: '',
        sha: '',
        ref: '',
        workflow: '',
        runId: '',
        runAttempt: '',
        actor: ''
      })
    )
    expect(tags).toEqual({ 'github:repository': '', 'github:sha': '' })
  })

  test('values from GitHub are sanitised to match the API pattern', () => {
    const tags = defaultTags(
      prContext({
        ref: 'refs/heads/fix/#12-crash!',
        workflow: 'Build & test 🚀 (nightly)',
        actor: 'dependabot[bot]'
      })
    )
    expect(tags['github:ref']).toBe('refs/heads/fix/-12-crash-')
    expect(tags['github:actor']).toBe('dependabot-bot-')
    expect(tags['github:workflow']).toBe('Build - test - -nightly-')
    expectApiValid(tags)
  })

  test('a Unicode workflow name is kept', () => {
    const tags = defaultTags(runContext({ workflow: 'Entraînement du modèle' }))
    expect(tags['github:workflow']).toBe('Entraînement du modèle')
    expectApiValid(tags)
  })

  test('an over-long workflow name is cut to 256', () => {
    const tags = defaultTags(runContext({ workflow: 'w'.repeat(400) }))
    expect(tags['github:workflow']).toHaveLength(256)
    expectApiValid(tags)
  })
})

describe('parseUserTags', () => {
  test('empty text gives no tags', () => {
    expect(parseUserTags('')).toEqual({})
    expect(parseUserTags('\n  \n# only a comment\n')).toEqual({})
  })

  test('parses key=value lines; the value may be empty or hold =', () => {
    expect(parseUserTags('a=1\n b = two words \nc=\nd=x=y')).toEqual({
      a: '1',
      b: 'two words',
      c: '',
      d: 'x=y'
    })
  })

  test.each([
    ['no =', 'novalue', /^tags line 1 "novalue" has no "="/],
    ['empty key', ' = v', /^tags line 1 key "" is empty/],
    ['aws: prefix', 'aws:x=1', /^tags line 1 key "aws:x" starts with "aws:"/],
    ['AWS: prefix', 'AWS:x=1', /^tags line 1 key "AWS:x" starts with "aws:"/],
    ['duplicate', 'a=1\n\na=2', /^tags line 3 key "a" is given twice/],
    ['bad key char', 'a<b=1', /^tags line 1 key "a<b" has characters outside/],
    ['bad value char', 'a=b*', /^tags line 1 value "b\*" has characters outside/]
  ])('refuses %s', (_label, text, expected) => {
    let caught: unknown
    try {
      parseUserTags(text)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InputError)
    expect((caught as Error).message).toMatch(expected)
    expect((caught as Error).message).not.toContain('\n')
  })

  test('accepted user tags match the API patterns', () => {
    expectApiValid(parseUserTags('équipe=données\nチーム=画像\nk:/=+-@_.=v 1'))
  })
})

describe('mergeTags', () => {
  test('user tags win over defaults', () => {
    expect(mergeTags({ a: '1', b: '2' }, { b: 'user', c: '3' })).toEqual({
      a: '1',
      b: 'user',
      c: '3'
    })
  })

  const many = (n: number): Record<string, string> =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`u${i}`, String(i)]))

  test('200 in all is accepted, 201 refused with the counts', () => {
    const defaults = { d1: '1', d2: '2' }
    expect(Object.keys(mergeTags(defaults, many(198)))).toHaveLength(200)
    expect(() => mergeTags(defaults, many(199))).toThrow(InputError)
    expect(() => mergeTags(defaults, many(199))).toThrow(
      'tags gives 199 tags, 201 with the 2 default tags; at most 200 tags in all'
    )
  })

  test('an override does not count twice', () => {
    const user = { ...many(199), d1: 'x' }
    expect(() => mergeTags({ d1: '1', d2: '2' }, user)).toThrow(
      'tags gives 200 tags, 201 with the 1 default tags'
    )
    expect(Object.keys(mergeTags({ d1: '1', d2: '2' }, { ...many(197), d1: 'x' }))).toHaveLength(
      199
    )
  })
})
