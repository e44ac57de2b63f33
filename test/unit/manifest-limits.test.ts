// Reading a manifest stops at the first manifest-wide limit passed, and a line too long to keep
// is refused from its measure alone. Counts of lines pulled, no timings.
import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readLines, type FileLine } from '../../src/datasets/line-reader.js'
import {
  MAX_LINE_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_MANIFEST_LINES,
  validateManifest
} from '../../src/datasets/manifest-validator.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

const line = (i: number, label: string) =>
  classificationLine(`s3://bucket/${i}.jpg`, label, { attr: 'animal', jobName: 'j' })

describe('the line count limit', () => {
  test(`a 1,000,000-line manifest is refused at line ${MAX_MANIFEST_LINES + 1}, and nothing after it is read`, async () => {
    let pulled = 0
    function* lines(): Generator<string> {
      for (let i = 1; i <= 1_000_000; i++) {
        pulled++
        yield line(i, i % 2 ? 'cat' : 'dog')
      }
    }
    const report = await validateManifest(lines())
    expect(pulled).toBe(MAX_MANIFEST_LINES + 1)
    expect(report.problems).toEqual([
      {
        line: MAX_MANIFEST_LINES + 1,
        message: `manifest: more than ${MAX_MANIFEST_LINES} lines (blank and invalid lines count)`,
        code: 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
      }
    ])
    expect(report.cutShort).toBe(true)
  })
})

describe('lines too long to keep', () => {
  test('are refused with their size; the lines around them are still checked', async () => {
    const lines: FileLine[] = [
      line(1, 'cat'),
      { longLine: true, bytes: 400_000_000, complete: true },
      '{not json',
      line(2, 'dog')
    ]
    const report = await validateManifest(lines)
    expect(report.problems.map((p) => p.line)).toEqual([2, 3])
    expect(report.problems[0].message).toBe(
      'line: 400000000 bytes, more than 100000 characters; one JSON line may hold at most 100000'
    )
    expect(report.stats.lines).toBe(4)
    expect(report.stats.images).toBe(2)
  })

  test('a one-line file over the size limit: the line limit first, then the size; reading stops', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'manifest-limits-'))
    const f = path.join(dir, 'huge.manifest')
    writeFileSync(f, '')
    // Sparse: no disk used. A smaller cap stands in for the 1 GB one, the same code path.
    truncateSync(f, 3_000_000)
    const lines = readLines(f, { maxLineBytes: MAX_LINE_BYTES, maxBytes: 1_000_000 })
    const report = await validateManifest(lines, { fileBytes: MAX_MANIFEST_BYTES + 1 })
    expect(report.problems).toEqual([
      {
        line: 1,
        message:
          'line: 1000001 bytes or more, more than 100000 characters; one JSON line may hold at most 100000'
      },
      {
        line: 1,
        message: `manifest: larger than ${MAX_MANIFEST_BYTES} bytes (1 GB): ${MAX_MANIFEST_BYTES + 1} bytes; reading stopped at ${MAX_MANIFEST_BYTES}`,
        code: 'ERROR_MANIFEST_SIZE_TOO_LARGE'
      }
    ])
  })

  test('a file within the size limit is not reported for size', async () => {
    const report = await validateManifest([line(1, 'cat'), line(2, 'dog')], { fileBytes: 500 })
    expect(report.problemCount).toBe(0)
    expect(report.cutShort).toBeUndefined()
  })
})

describe('blank lines past the limit', () => {
  test('a few at the end are no dataset objects', async () => {
    function* lines(): Generator<string> {
      for (let i = 1; i <= MAX_MANIFEST_LINES; i++) yield i % 2 ? line(i, 'cat') : line(i, 'dog')
      for (let i = 0; i < 100; i++) yield ''
    }
    expect((await validateManifest(lines())).problemCount).toBe(0)
  })

  test('a flood of them passes the line limit, and reading stops there', async () => {
    let pulled = 0
    function* lines(): Generator<string> {
      for (let i = 0; i < 10_000_000; i++) {
        pulled++
        yield ''
      }
    }
    const report = await validateManifest(lines())
    expect(pulled).toBe(MAX_MANIFEST_LINES + 101)
    expect(report.problems).toEqual([
      {
        line: MAX_MANIFEST_LINES + 101,
        message: `manifest: more than ${MAX_MANIFEST_LINES} lines (blank and invalid lines count)`,
        code: 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
      }
    ])
  })
})
