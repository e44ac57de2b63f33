import { describe, expect, test } from '@jest/globals'
import { evaluateGates } from '../../src/results/gates.js'

describe('evaluateGates', () => {
  test('no gate configured: no verdicts', () => {
    expect(evaluateGates({ f1: 0.5 })).toEqual([])
    expect(evaluateGates({ f1: 0.5, baselineF1: 0.9 })).toEqual([])
  })

  describe('min-f1-score', () => {
    test('passes above the minimum, saying by how much', () => {
      expect(evaluateGates({ f1: 0.9, minF1Score: 0.8 })).toEqual([
        { gate: 'min-f1-score', passed: true, detail: 'F1 0.900 ≥ 0.800 (by 0.100)' }
      ])
    })

    test('passes at exactly the minimum', () => {
      expect(evaluateGates({ f1: 0.8, minF1Score: 0.8 })).toEqual([
        { gate: 'min-f1-score', passed: true, detail: 'F1 0.800 ≥ 0.800 (by 0.000)' }
      ])
    })

    test('fails below the minimum, saying by how much', () => {
      expect(evaluateGates({ f1: 0.75, minF1Score: 0.8 })).toEqual([
        {
          gate: 'min-f1-score',
          passed: false,
          detail: 'F1 0.750 is below min-f1-score 0.800 by 0.050'
        }
      ])
    })

    test('fails without an F1 score', () => {
      expect(evaluateGates({ minF1Score: 0.8 })).toEqual([
        { gate: 'min-f1-score', passed: false, detail: 'no F1 score to compare with 0.800' }
      ])
    })

    test('a minimum of 0 passes an F1 of 0', () => {
      expect(evaluateGates({ f1: 0, minF1Score: 0 })[0].passed).toBe(true)
    })
  })

  describe('max-f1-drop', () => {
    test('a drop within the limit passes', () => {
      expect(evaluateGates({ f1: 0.88, baselineF1: 0.9, maxF1Drop: 0.05 })).toEqual([
        {
          gate: 'max-f1-drop',
          passed: true,
          detail: 'F1 0.880 vs baseline 0.900: drop 0.020, within 0.050'
        }
      ])
    })

    test('a gain passes and is called a gain', () => {
      expect(evaluateGates({ f1: 0.93, baselineF1: 0.9, maxF1Drop: 0 })).toEqual([
        {
          gate: 'max-f1-drop',
          passed: true,
          detail: 'F1 0.930 vs baseline 0.900: gain 0.030, within 0.000'
        }
      ])
    })

    test('no change passes a max-f1-drop of 0', () => {
      const [v] = evaluateGates({ f1: 0.9, baselineF1: 0.9, maxF1Drop: 0 })
      expect(v.passed).toBe(true)
      expect(v.detail).toBe('F1 0.900 vs baseline 0.900: gain 0.000, within 0.000')
    })

    test('a drop beyond the limit fails, saying by how much', () => {
      expect(evaluateGates({ f1: 0.8, baselineF1: 0.9, maxF1Drop: 0.05 })).toEqual([
        {
          gate: 'max-f1-drop',
          passed: false,
          detail:
            "F1 0.800 dropped 0.100 from the baseline's 0.900, more than max-f1-drop 0.050 by 0.050"
        }
      ])
    })

    test.each([
      [0.95, 0.93, 0.02],
      [0.9, 0.87, 0.03],
      [0.3, 0.2, 0.1]
    ])('the exact boundary passes despite floating-point error (%p − %p vs %p)', (b, f1, max) => {
      const [v] = evaluateGates({ f1, baselineF1: b, maxF1Drop: max })
      expect(v.passed).toBe(true)
      expect(v.detail).toBe(
        `F1 ${f1.toFixed(3)} vs baseline ${b.toFixed(3)}: drop ${max.toFixed(3)}, within ${max.toFixed(3)}`
      )
    })

    test('the boundary case really has the drop above the limit in floating point', () => {
      // 0.9 - 0.87 is 0.030000000000000027: without a tolerance the gate would fail.
      expect(0.9 - 0.87 > 0.03).toBe(true)
    })

    test('just past the boundary fails', () => {
      const [v] = evaluateGates({ f1: 0.929, baselineF1: 0.95, maxF1Drop: 0.02 })
      expect(v.passed).toBe(false)
      expect(v.detail).toMatch(/dropped 0\.021 .* by 0\.001$/)
    })

    test('no baseline, first version: passes', () => {
      expect(evaluateGates({ f1: 0.5, maxF1Drop: 0.01, firstVersion: true })).toEqual([
        {
          gate: 'max-f1-drop',
          passed: true,
          detail: 'no earlier version with an F1 score: nothing to drop from'
        }
      ])
    })

    test('no baseline otherwise: fails with the reason', () => {
      expect(
        evaluateGates({
          f1: 0.5,
          maxF1Drop: 0.01,
          baselineMissing: 'baseline-version v0 is not in the project'
        })
      ).toEqual([
        {
          gate: 'max-f1-drop',
          passed: false,
          detail: 'no baseline F1 to compare with: baseline-version v0 is not in the project'
        }
      ])
    })

    test('no baseline and no reason: fails with "not found"', () => {
      expect(evaluateGates({ f1: 0.5, maxF1Drop: 0.01 })[0]).toEqual({
        gate: 'max-f1-drop',
        passed: false,
        detail: 'no baseline F1 to compare with: not found'
      })
    })

    test('no F1 score: fails, even on a first version', () => {
      const expected = {
        gate: 'max-f1-drop',
        passed: false,
        detail: 'no F1 score to compare with the baseline'
      }
      expect(evaluateGates({ baselineF1: 0.9, maxF1Drop: 0.05 })).toEqual([expected])
      expect(evaluateGates({ maxF1Drop: 0.05, firstVersion: true })).toEqual([expected])
    })
  })

  describe('an F1 score that is not a finite number fails every gate', () => {
    test.each([Infinity, -Infinity, NaN])('F1 %s', (f1) => {
      const verdicts = evaluateGates({
        f1,
        minF1Score: 0,
        maxF1Drop: 1,
        baselineF1: 0.5,
        firstVersion: true
      })
      expect(verdicts.map((v) => [v.gate, v.passed])).toEqual([
        ['min-f1-score', false],
        ['max-f1-drop', false]
      ])
      expect(verdicts[0].detail).toBe(
        `F1 score ${String(f1)} is not a finite number: it cannot be compared with 0.000`
      )
      expect(verdicts[1].detail).toBe(
        `F1 score ${String(f1)} is not a finite number: it cannot be compared with the baseline`
      )
    })

    test('on a first version too (nothing to drop from is no pass for a non-finite F1)', () => {
      expect(evaluateGates({ f1: Infinity, maxF1Drop: 0.1, firstVersion: true })[0].passed).toBe(
        false
      )
    })

    test.each([Infinity, -Infinity, NaN])('a baseline F1 of %s fails max-f1-drop', (baselineF1) => {
      expect(evaluateGates({ f1: 0.9, maxF1Drop: 1, baselineF1 })).toEqual([
        {
          gate: 'max-f1-drop',
          passed: false,
          detail: `the baseline's F1 score ${String(baselineF1)} is not a finite number: it cannot be compared with`
        }
      ])
    })
  })

  test('both gates: min-f1-score first, then max-f1-drop, each judged on its own', () => {
    const out = evaluateGates({ f1: 0.85, minF1Score: 0.9, baselineF1: 0.86, maxF1Drop: 0.05 })
    expect(out.map((v) => [v.gate, v.passed])).toEqual([
      ['min-f1-score', false],
      ['max-f1-drop', true]
    ])
  })
})
