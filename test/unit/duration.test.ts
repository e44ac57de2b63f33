import { describe, expect, test } from '@jest/globals'
import { formatDuration } from '../../src/inputs/duration.js'

const S = 1_000
const MIN = 60 * S
const H = 60 * MIN

describe('formatDuration', () => {
  test.each([
    [0, '0 s'],
    [9 * S, '9 s'],
    [59 * S, '59 s'],
    [MIN, '1 min 00 s'],
    [4 * MIN + 3 * S, '4 min 03 s'],
    [59 * MIN + 59 * S, '59 min 59 s'],
    [H, '1 h 00 min 00 s'],
    [H + 5 * MIN + 12 * S, '1 h 05 min 12 s'],
    [25 * H + 30 * MIN, '25 h 30 min 00 s']
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  test('rounds to the nearest second, carrying into minutes and hours', () => {
    expect(formatDuration(499)).toBe('0 s')
    expect(formatDuration(500)).toBe('1 s')
    expect(formatDuration(9_499)).toBe('9 s')
    expect(formatDuration(9_500)).toBe('10 s')
    expect(formatDuration(59_500)).toBe('1 min 00 s')
    expect(formatDuration(H - 400)).toBe('1 h 00 min 00 s')
    expect(formatDuration(4 * MIN + 2_600)).toBe('4 min 03 s')
  })

  test('a negative duration (clock skew) reads as 0 s', () => {
    expect(formatDuration(-1)).toBe('0 s')
    expect(formatDuration(-5 * MIN)).toBe('0 s')
  })
})
