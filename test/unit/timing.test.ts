import { describe, expect, test } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { TEST_TIME_SCALE_ENV, timing, timingFrom } from '../../src/timing.js'

describe('the test-only time scale', () => {
  test('unset or empty: real time', () => {
    for (const env of [{}, { [TEST_TIME_SCALE_ENV]: '' }, { [TEST_TIME_SCALE_ENV]: '  ' }]) {
      const t = timingFrom(env)
      expect(t.scale).toBe(1)
      expect(t.ms(60_000)).toBe(60_000)
    }
  })

  test('a factor scales every wait, rounded, never to 0 unless it was 0', () => {
    const t = timingFrom({ [TEST_TIME_SCALE_ENV]: '0.25' })
    expect(t.scale).toBe(0.25)
    expect(t.ms(60_000)).toBe(15_000)
    expect(t.ms(7_500)).toBe(1_875)
    expect(t.ms(1)).toBe(1)
    expect(t.ms(0)).toBe(0)
    expect(timing(0.001).ms(100)).toBe(1)
  })

  test.each(['0', '-1', '2', 'fast', 'NaN', 'Infinity'])('%s is refused with one line', (raw) => {
    expect(() => timingFrom({ [TEST_TIME_SCALE_ENV]: raw })).toThrow(ActionError)
    expect(() => timingFrom({ [TEST_TIME_SCALE_ENV]: raw })).toThrow(
      new RegExp(`^${TEST_TIME_SCALE_ENV} "${raw}" must be a number greater than 0 and at most 1`)
    )
  })
})
