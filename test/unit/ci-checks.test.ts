// The checks .ci/run makes of the repository itself: pinned actions and bundled licences.
import { describe, expect, test } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { allowed, bundledLicenses, disallowed } from '../../scripts/licenses.js'
import { pinProblems } from '../../scripts/pins.js'

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1'
const ROOT = path.resolve(import.meta.dirname, '../..')

describe('pinProblems', () => {
  const problems = (text: string) =>
    pinProblems('wf.yml', text).map((p) => `${p.line}: ${p.problem}`)

  test('a full SHA with its version in a comment, a local action, this action placeholder: fine', () => {
    expect(
      problems(
        [
          `      - uses: actions/checkout@${SHA} # v7.0.1`,
          `        uses: github/codeql-action/init@${SHA} # v4.36.2`,
          `      - uses: "actions/setup-node@${SHA}" # v7.0.0`,
          '      - uses: ./',
          '      - uses: ./.github/actions/local',
          '      - uses: org/train-action@v1',
          `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`
        ].join('\n')
      )
    ).toEqual([])
  })

  test('tags, branches, short SHAs, missing comments, other spellings of this action', () => {
    expect(
      problems(
        [
          '      - uses: actions/checkout@v4',
          '      - uses: actions/checkout@main',
          `      - uses: actions/checkout@${SHA.slice(0, 7)} # v7`,
          `      - uses: actions/checkout@${SHA}`,
          `      - uses: actions/checkout@${SHA} # pinned`,
          '      - uses: actions/checkout',
          '      - uses: acme/train-action@v1',
          '      - uses: org/train-action@main',
          '      - uses: docker://alpine:3'
        ].join('\n')
      )
    ).toEqual([
      '1: actions/checkout@v4: not pinned to a full commit SHA (40 hex digits)',
      '2: actions/checkout@main: not pinned to a full commit SHA (40 hex digits)',
      `3: actions/checkout@${SHA.slice(0, 7)}: not pinned to a full commit SHA (40 hex digits)`,
      `4: actions/checkout@${SHA}: add the version the SHA stands for as a trailing comment, e.g. "# v4.2.2"`,
      `5: actions/checkout@${SHA}: add the version the SHA stands for as a trailing comment, e.g. "# v4.2.2"`,
      '6: actions/checkout: expected owner/repo[/path]@<commit sha>',
      '7: acme/train-action@v1: this action is written org/train-action@v1 everywhere',
      '8: org/train-action@main: this action is written org/train-action@v1 everywhere',
      '9: docker://alpine:3: a docker image must be pinned by @sha256 digest'
    ])
  })

  test("the repository's own workflows, examples and documentation pass", () => {
    const files = [
      ...readdirSync(path.join(ROOT, '.github/workflows')).map((f) => `.github/workflows/${f}`),
      ...readdirSync(path.join(ROOT, 'examples'))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => `examples/${f}`),
      'README.md',
      ...readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`)
    ]
    const all = files.flatMap((f) => pinProblems(f, readFileSync(path.join(ROOT, f), 'utf8')))
    expect(all).toEqual([])
  })
})

describe('bundled licences', () => {
  const TEXT = [
    '@aws-sdk/core',
    'Apache-2.0',
    '                                Apache License',
    '',
    '   1. Definitions.',
    '',
    'debug',
    'MIT',
    '(The MIT License)',
    '',
    'dual',
    '(MIT OR GPL-3.0)',
    '',
    'copyleft',
    'GPL-3.0-only',
    'text'
  ].join('\n')

  test("ncc's dist/licenses.txt entries: name, then licence", () => {
    expect(bundledLicenses(TEXT)).toEqual([
      { name: '@aws-sdk/core', license: 'Apache-2.0' },
      { name: 'debug', license: 'MIT' },
      { name: 'dual', license: '(MIT OR GPL-3.0)' },
      { name: 'copyleft', license: 'GPL-3.0-only' }
    ])
  })

  test('SPDX expressions: OR needs one allowed id, AND all of them', () => {
    const allow = ['MIT', 'Apache-2.0']
    expect(allowed('(MIT OR GPL-3.0)', allow)).toBe(true)
    expect(allowed('MIT AND GPL-3.0', allow)).toBe(false)
    expect(allowed('MIT AND Apache-2.0', allow)).toBe(true)
    expect(disallowed(bundledLicenses(TEXT), allow).map((b) => b.name)).toEqual(['copyleft'])
  })

  test('the committed dist/licenses.txt is read: the proxy agents are among the bundled packages', () => {
    const bundled = bundledLicenses(readFileSync(path.join(ROOT, 'dist/licenses.txt'), 'utf8'))
    expect(bundled.length).toBeGreaterThan(0)
    expect(bundled.map((b) => b.name)).toContain('https-proxy-agent')
  })
})
