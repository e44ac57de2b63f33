// The documentation holds together: every relative link of README.md, docs/ and the other root
// pages leads to a file and, with a #fragment, to a heading GitHub gives that anchor; the README
// stays short and links every page of docs/.
import { describe, expect, test } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { anchors, githubSlug, relativeLinks } from '../../scripts/markdown-links.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const DOCS = readdirSync(path.join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`)
const PAGES = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...DOCS]

/** The broken links of one file, as `file:line: target: why`. */
function brokenLinks(file: string, text = read(file)): string[] {
  const out: string[] = []
  for (const { line, target } of relativeLinks(text)) {
    const [pathPart, fragment] = target.split('#', 2)
    const resolved = pathPart ? path.join(path.dirname(file), decodeURI(pathPart)) : file
    const at = `${file}:${line}: ${target}`
    if (!existsSync(path.join(ROOT, resolved))) {
      out.push(`${at}: ${resolved} does not exist`)
      continue
    }
    if (fragment === undefined) continue
    if (statSync(path.join(ROOT, resolved)).isDirectory() || !resolved.endsWith('.md'))
      out.push(`${at}: an anchor in a file that is not Markdown`)
    else if (!anchors(read(resolved)).has(fragment))
      out.push(`${at}: ${resolved} has no heading with the anchor #${fragment}`)
  }
  return out
}

describe('GitHub heading anchors', () => {
  test.each([
    ['Pull requests, baselines and quality gates', 'pull-requests-baselines-and-quality-gates'],
    ['Guarantees, in plain words', 'guarantees-in-plain-words'],
    ['Fork pull requests and pull_request_target', 'fork-pull-requests-and-pull_request_target'],
    ["Failed trainings and the guide's error codes", 'failed-trainings-and-the-guides-error-codes'],
    ['Proxies, GHES & self-hosted: 2.327.1', 'proxies-ghes--self-hosted-23271'],
    ['Größe über alles', 'größe-über-alles']
  ])('%s -> #%s', (heading, slug) => expect(githubSlug(heading)).toBe(slug))

  test('repeated headings are numbered, code and links are rendered as text', () => {
    const md = '# A\n## `mode: collect`\n## [Setup](setup.md)\n## A\n```\n# not a heading\n```\n'
    expect([...anchors(md)]).toEqual(['a', 'mode-collect', 'setup', 'a-1'])
  })
})

describe('relative links', () => {
  test('links outside code, with or without fragment; absolute URLs are not ours', () => {
    const md = [
      'See [setup](docs/setup.md#the-role) and [top](#top), [web](https://x.y/#a).',
      '`[not](a-link.md)`',
      '```',
      '[not](either.md)',
      '```',
      '[ref]: CHANGELOG.md'
    ].join('\n')
    expect(relativeLinks(md)).toEqual([
      { line: 1, target: 'docs/setup.md#the-role' },
      { line: 1, target: '#top' },
      { line: 6, target: 'CHANGELOG.md' }
    ])
  })

  test('a missing file, a missing anchor and an anchor in a non-Markdown file are found', () => {
    const md = [
      '[a](docs/setup.md#no-such-heading) [b](docs/nothing.md) [c](#license)',
      '[d](action.yml#inputs) [e](docs/setup.md#the-role-and-its-trust-policy) [f](#nope)'
    ].join('\n')
    expect(brokenLinks('README.md', md)).toEqual([
      'README.md:1: docs/setup.md#no-such-heading: docs/setup.md has no heading with the anchor #no-such-heading',
      'README.md:1: docs/nothing.md: docs/nothing.md does not exist',
      'README.md:2: action.yml#inputs: an anchor in a file that is not Markdown',
      'README.md:2: #nope: README.md has no heading with the anchor #nope'
    ])
    // Relative to the page: from docs/, the README is one level up.
    expect(brokenLinks('docs/x.md', '[r](../README.md#license) [s](setup.md)')).toEqual([])
  })

  test.each(PAGES)('%s: every relative link and anchor resolves', (file) => {
    expect(brokenLinks(file)).toEqual([])
  })
})

describe('the README', () => {
  const readme = read('README.md')

  test('is at most 25 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(25 * 1024)
  })

  test('links every page of docs/', () => {
    const linked = new Set(
      relativeLinks(readme)
        .map((l) => l.target.split('#')[0])
        .filter((t) => t.startsWith('docs/'))
    )
    expect(DOCS.filter((d) => !linked.has(d))).toEqual([])
  })

  test('keeps the two commands a newcomer runs', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm ci && npm test')
  })
})
