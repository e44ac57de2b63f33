// The quality gates: min-f1-score and max-f1-drop (the per-label ones: label-gates.ts). Pure.

export interface GateVerdict {
  gate: 'min-f1-score' | 'max-f1-drop' | 'min-label-f1-score' | 'max-label-f1-drop'
  passed: boolean
  /** One sentence: what was compared, and by how much it passed or failed. */
  detail: string
}

export interface GateInput {
  f1?: number
  minF1Score?: number
  maxF1Drop?: number
  baselineF1?: number
  /** Why there is no baseline F1 (none found, not readable...), when there is none. */
  baselineMissing?: string
  /** With `auto` and no earlier version, there is nothing to drop from: the gate passes. */
  firstVersion?: boolean
}

const f = (n: number): string => n.toFixed(3)

/**
 * Why an F1 score cannot be compared, if it cannot: missing, or not a finite number. The JSON
 * protocol carries `"NaN"`, `"Infinity"`, `"-Infinity"` for floats and the SDK turns them (and a
 * number too large for a double, like 1e999) into NaN and ±Infinity; a comparison with those
 * could pass (Infinity >= 0.9), so they fail every gate.
 */
function unusableF1(f1: number | undefined, with_: string): string | undefined {
  if (f1 === undefined) return `no F1 score to compare with ${with_}`
  if (typeof f1 !== 'number' || !Number.isFinite(f1)) {
    return `F1 score ${String(f1)} is not a finite number: it cannot be compared with ${with_}`
  }
  return undefined
}

export function evaluateGates(g: GateInput): GateVerdict[] {
  const verdicts: GateVerdict[] = []
  if (g.minF1Score !== undefined) {
    const problem = unusableF1(g.f1, f(g.minF1Score))
    if (problem || g.f1 === undefined) {
      verdicts.push({ gate: 'min-f1-score', passed: false, detail: problem! })
    } else {
      const passed = g.f1 >= g.minF1Score
      const by = Math.abs(g.f1 - g.minF1Score)
      verdicts.push({
        gate: 'min-f1-score',
        passed,
        detail: passed
          ? `F1 ${f(g.f1)} ≥ ${f(g.minF1Score)} (by ${f(by)})`
          : `F1 ${f(g.f1)} is below min-f1-score ${f(g.minF1Score)} by ${f(by)}`
      })
    }
  }
  if (g.maxF1Drop !== undefined) {
    const problem = unusableF1(g.f1, 'the baseline')
    const baselineProblem =
      g.baselineF1 !== undefined && !Number.isFinite(g.baselineF1)
        ? `the baseline's F1 score ${String(g.baselineF1)} is not a finite number: it cannot be compared with`
        : undefined
    if (problem || g.f1 === undefined) {
      verdicts.push({ gate: 'max-f1-drop', passed: false, detail: problem! })
    } else if (baselineProblem) {
      verdicts.push({ gate: 'max-f1-drop', passed: false, detail: baselineProblem })
    } else if (g.baselineF1 === undefined) {
      verdicts.push(
        g.firstVersion
          ? {
              gate: 'max-f1-drop',
              passed: true,
              detail: `${g.baselineMissing ?? 'no earlier version with an F1 score'}: nothing to drop from`
            }
          : {
              gate: 'max-f1-drop',
              passed: false,
              detail: `no baseline F1 to compare with: ${g.baselineMissing ?? 'not found'}`
            }
      )
    } else {
      const drop = g.baselineF1 - g.f1
      const passed = drop <= g.maxF1Drop + 1e-12
      verdicts.push({
        gate: 'max-f1-drop',
        passed,
        detail: passed
          ? `F1 ${f(g.f1)} vs baseline ${f(g.baselineF1)}: ${drop > 0 ? `drop ${f(drop)}` : `gain ${f(-drop)}`}, within ${f(g.maxF1Drop)}`
          : `F1 ${f(g.f1)} dropped ${f(drop)} from the baseline's ${f(g.baselineF1)}, more than max-f1-drop ${f(g.maxF1Drop)} by ${f(drop - g.maxF1Drop)}`
      })
    }
  }
  return verdicts
}
