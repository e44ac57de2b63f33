import { describe, expect, test } from '@jest/globals'
import { code, escapeMarkdown, table } from '../../src/reporting/markdown.js'

/** What a reader sees: GitHub renders the Markdown first, so numeric entities become characters. */
const rendered = (md: string): string =>
  md.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))

/** GFM splits a table row at every `|` not escaped with a backslash, even inside code spans. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)

const HOSTILE = '<img src=x onerror=alert(1)> | [click](http://evil) @team #1 *bold* _em_ ~~x~~'

describe('escapeMarkdown', () => {
  test('plain text stays as it is', () => {
    expect(escapeMarkdown('Training failed: 3 images are invalid. Try again, please.')).toBe(
      'Training failed: 3 images are invalid. Try again, please.'
    )
  })

  test('makes HTML, links, emphasis and table pipes inert', () => {
    const e = escapeMarkdown(HOSTILE)
    const bare = e.replace(/&#\d+;/g, '')
    for (const c of ['<', '>', '[', ']', '(', ')', '|', '*', '_', '~', '`', '\\']) {
      expect(bare).not.toContain(c)
    }
    // @ and # stay, each followed by a zero-width space (see the tests below).
    expect(bare).not.toMatch(/[@#][^\u200B]/)
    // What the reader sees is the original text (the zero-width spaces are invisible).
    expect(rendered(e).replace(/\u200B/g, '')).toBe(HOSTILE)
  })

  test('backslashes, backticks, braces and ampersands too (no entity smuggling)', () => {
    const e = escapeMarkdown('a\\b `c` {d} &#124; &amp;')
    expect(e).not.toMatch(/[\\`{}]/)
    expect(e).not.toContain('&#124;')
    expect(e).not.toContain('&amp;')
    expect(rendered(e).replace(/\u200B/g, '')).toBe('a\\b `c` {d} &#124; &amp;')
  })

  test('newlines are flattened to one line', () => {
    expect(escapeMarkdown('one\ntwo\r\nthree\r\r\nfour')).toBe('one two three four')
    expect(escapeMarkdown('x\n| --- |\n# heading')).not.toContain('\n')
  })

  // GitHub finds @mentions and #references after rendering, so `&#64;team` still notifies
  // @team (github/cmark-gfm#181): the entities do not make them inert.
  test('@mentions stay inert once GitHub has rendered the text', () => {
    expect(rendered(escapeMarkdown('ping @team and @octocat'))).not.toMatch(/(^|[^\w])@[a-z]/i)
  })

  test('#references stay inert once GitHub has rendered the text', () => {
    expect(rendered(escapeMarkdown('fixes #1'))).not.toMatch(/(^|[^\w])#\d/)
  })
})

describe('code', () => {
  test('wraps the text in inline code, as it is', () => {
    expect(code('v-0123.a_b*c')).toBe('`v-0123.a_b*c`')
    expect(code('s3://bucket/key [1] <x>')).toBe('`s3://bucket/key [1] <x>`')
  })

  test('backticks inside cannot end the code span', () => {
    const c = code('a`b``c` [x](http://evil) `')
    expect(c.startsWith('`')).toBe(true)
    expect(c.endsWith('`')).toBe(true)
    expect(c.split('`')).toHaveLength(3)
    expect(c).toContain('[x](http://evil)')
  })

  test('newlines are flattened', () => {
    expect(code('a\nb\r\nc')).toBe('`a b c`')
  })

  test('a pipe in code inside a table cell does not split the cell', () => {
    const t = table(['Key', 'Value'], [[code('k'), code('a|b')]])
    const row = t.split('\n')[2]
    expect(cells(row)).toHaveLength(2)
  })
})

describe('table', () => {
  test('header, separator and rows', () => {
    expect(
      table(
        ['Key', 'Value'],
        [
          ['a', '1'],
          ['b', '2']
        ]
      )
    ).toBe('| Key | Value |\n| --- | --- |\n| a | 1 |\n| b | 2 |')
  })

  test('one separator cell per column; no rows is a header only', () => {
    expect(table(['', '', ''], [])).toBe('|  |  |  |\n| --- | --- | --- |')
  })

  test('escaped cells keep the column count', () => {
    const t = table(['', ''], [['Message', escapeMarkdown(HOSTILE)]])
    for (const row of t.split('\n')) expect(cells(row)).toHaveLength(2)
  })
})
