import { describe, expect, test } from '@jest/globals'
import { fitText } from '../../src/github/fit.js'

const note = (limit: number) => `\n> cut at ${limit}\n`

describe('fitText', () => {
  test('text that fits is left as it is', () => {
    expect(fitText('a\nb\n', 4, 'chars', note)).toBe('a\nb\n')
  })

  test('cut at a line end, with the note, within the limit in characters', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `| row ${i} | x |`).join('\n')
    const out = fitText(text, 2_000, 'chars', note)
    expect(out.length).toBeLessThanOrEqual(2_000)
    expect(out.endsWith('\n> cut at 2000\n')).toBe(true)
    const head = out.slice(0, out.indexOf('\n> cut'))
    for (const line of head.split('\n')) expect(line).toMatch(/^\| row \d+ \| x \|$/)
  })

  test('bytes: multi-byte text is measured in UTF-8', () => {
    const text = 'é'.repeat(10_000).replace(/(.{50})/g, '$1\n')
    const out = fitText(text, 4_096, 'bytes', note)
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(4_096)
    expect(out).toContain('cut at 4096')
  })

  test('an open code fence and <details> blocks are closed before the note', () => {
    const text = `<details><summary>x</summary>\n\n\`\`\`\n${'line\n'.repeat(1_000)}\`\`\`\n</details>\n`
    const out = fitText(text, 500, 'chars', note)
    expect(out.length).toBeLessThanOrEqual(500)
    expect(out.match(/^```/gm)).toHaveLength(2)
    expect(out).toContain('</details>')
    expect(out.indexOf('</details>')).toBeLessThan(out.indexOf('> cut'))
  })

  test('a single line longer than the limit leaves only the note', () => {
    expect(fitText('x'.repeat(1_000), 100, 'chars', note)).toBe('\n> cut at 100\n')
  })

  test('never ends between the halves of a surrogate pair', () => {
    const text = `${'😀'.repeat(40)}\n`.repeat(50)
    const out = fitText(text, 1_000, 'chars', note)
    expect(out.length).toBeLessThanOrEqual(1_000)
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})
