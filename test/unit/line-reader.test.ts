import { describe, expect, test } from '@jest/globals'
import { createReadStream, mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { isLongLine, readLines, type FileLine } from '../../src/datasets/line-reader.js'

const dir = mkdtempSync(path.join(tmpdir(), 'line-reader-'))
let n = 0
function file(content: string | Buffer): string {
  const f = path.join(dir, `f${++n}`)
  writeFileSync(f, content)
  return f
}
const wide = { maxLineBytes: 1_000_000, maxBytes: 1e12 }

async function all(lines: AsyncIterable<FileLine>): Promise<FileLine[]> {
  const out: FileLine[] = []
  for await (const l of lines) out.push(l)
  return out
}

async function viaReadline(f: string): Promise<string[]> {
  const out: string[] = []
  const rl = createInterface({ input: createReadStream(f, 'utf8'), crlfDelay: Infinity })
  for await (const l of rl) out.push(l)
  return out
}

describe('readLines splits as readline does (crlfDelay: Infinity)', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['one line, no newline', '{"a":1}'],
    ['trailing newline', 'a\nb\n'],
    ['blank lines', '\n\na\n\n'],
    ['CRLF', 'a\r\nb\r\n'],
    ['lone CR', 'a\rb\rc'],
    ['CRLF around a blank line', 'a\r\n\r\nb'],
    ['mixed', 'a\r\r\nb\n\rc\r'],
    ['BOM kept', '\uFEFF{"a":1}\n{"b":2}'],
    ['multi-byte', 'é😀ü\nñ\r\n中文\r']
  ]
  for (const [name, text] of cases) {
    test(name, async () => {
      const f = file(text)
      const expected = await viaReadline(f)
      // Every chunk size, so each break and each multi-byte character falls on a chunk boundary.
      for (const chunk of [1, 2, 3, 5, 7, 64 * 1024]) {
        expect(await all(readLines(f, wide, chunk))).toEqual(expected)
      }
    })
  }

  test('random text, many chunk sizes', async () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const alphabet = ['a', 'b', '\n', '\r', '\r\n', 'é', '😀', ' ']
    for (let round = 0; round < 20; round++) {
      const text = Array.from({ length: 200 }, () => alphabet[Math.floor(random() * 8)]).join('')
      const f = file(text)
      const expected = await viaReadline(f)
      for (const chunk of [1, 4, 13, 100])
        expect(await all(readLines(f, wide, chunk))).toEqual(expected)
    }
  })
})

describe('bounded', () => {
  test('a line over the limit comes measured, without its text; the next lines still come', async () => {
    const long = 'x'.repeat(1_000)
    const f = file(`a\n${long}\r\nb\n${long}`)
    for (const chunk of [7, 64, 4096]) {
      const lines = await all(readLines(f, { maxLineBytes: 999, maxBytes: 1e9 }, chunk))
      expect(lines).toEqual([
        'a',
        { longLine: true, bytes: 1_000, complete: true },
        'b',
        { longLine: true, bytes: 1_000, complete: true }
      ])
    }
    // At the limit exactly, the line is kept.
    expect(await all(readLines(f, { maxLineBytes: 1_000, maxBytes: 1e9 }, 64))).toEqual([
      'a',
      long,
      'b',
      long
    ])
  })

  test('reading stops once the size limit is passed: a cut long line says so', async () => {
    const f = path.join(dir, 'sparse')
    writeFileSync(f, '')
    truncateSync(f, 10_000_000) // one 10 MB line of NUL bytes, no newline
    const lines = await all(readLines(f, { maxLineBytes: 100, maxBytes: 1_000_000 }, 4096))
    expect(lines).toEqual([{ longLine: true, bytes: 1_000_001, complete: false }])
    expect(isLongLine(lines[0])).toBe(true)
  })

  test('a short line cut by the size limit is not passed on as if whole', async () => {
    const f = file('aaaa\nbbbb\ncccc\n')
    expect(await all(readLines(f, { maxLineBytes: 100, maxBytes: 7 }, 3))).toEqual(['aaaa'])
    // Within the limit, everything.
    expect(await all(readLines(f, { maxLineBytes: 100, maxBytes: 15 }, 3))).toEqual([
      'aaaa',
      'bbbb',
      'cccc'
    ])
  })

  test('stopping early closes the file', async () => {
    const f = file('a\nb\nc\n')
    const lines = readLines(f, wide)
    for await (const l of lines) {
      expect(l).toBe('a')
      break
    }
    expect(await lines.next()).toEqual({ done: true, value: undefined })
  })
})
