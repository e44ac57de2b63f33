import { describe, expect, test } from '@jest/globals'
import {
  MAX_DESCRIPTION,
  describeVersion,
  finalStatus,
  namesVersion,
  pendingDescription,
  statusContext
} from '../../src/reporting/status-text.js'
import type { GateVerdict } from '../../src/results/gates.js'

const passed: GateVerdict = { gate: 'min-f1-score', passed: true, detail: 'ok' }
const failed: GateVerdict = { gate: 'max-f1-drop', passed: false, detail: 'dropped' }

describe('commit status text', () => {
  test('context names the project', () => {
    expect(statusContext('defects')).toBe('train-action/defects')
  })

  test('pending: the version and when it started', () => {
    expect(pendingDescription('v1', new Date(Date.UTC(2026, 10, 28, 1, 20, 33)))).toBe(
      'v1: training since 2026-11-28 01:20 UTC'
    )
  })

  test('success needs a completed training and every gate passed', () => {
    expect(finalStatus({ versionName: 'v1', outcome: 'trained', f1: 0.9123, gates: [] })).toEqual({
      state: 'success',
      description: 'v1: F1 0.912, no gates'
    })
    expect(
      finalStatus({
        versionName: 'v1',
        outcome: 'trained',
        f1: 0.9,
        baselineF1: 0.95,
        gates: [passed]
      })
    ).toEqual({
      state: 'success',
      description: 'v1: F1 0.900 (-0.050 vs baseline), gates passed: min-f1-score'
    })
    expect(
      finalStatus({ versionName: 'v1', outcome: 'trained', f1: 0.9, gates: [passed, failed] })
    ).toEqual({ state: 'failure', description: 'v1: F1 0.900, gate failed: max-f1-drop' })
    expect(finalStatus({ versionName: 'v1', outcome: 'trained', gates: [] }).description).toBe(
      'v1: no F1, no gates'
    )
  })

  test('a failed or unusable training is a failure', () => {
    expect(
      finalStatus({ versionName: 'v1', outcome: 'failed', status: 'TRAINING_FAILED', gates: [] })
    ).toEqual({ state: 'failure', description: 'v1: TRAINING_FAILED' })
    expect(
      finalStatus({ versionName: 'v1', outcome: 'unusable', status: 'DELETING', gates: [] })
    ).toEqual({ state: 'failure', description: 'v1: DELETING, cannot be used' })
    expect(finalStatus({ versionName: 'v1', outcome: 'failed', gates: [] }).description).toBe(
      'v1: training failed'
    )
    expect(finalStatus({ versionName: 'v1', outcome: 'unusable', gates: [] }).description).toBe(
      'v1: unknown status, cannot be used'
    )
  })

  test('a 255-character name is shortened so the description fits in 140 characters', () => {
    const name = 'n'.repeat(255)
    const d = finalStatus({
      versionName: name,
      outcome: 'trained',
      f1: 0.5,
      baselineF1: 0.6,
      gates: [passed, { ...passed, gate: 'max-f1-drop' }]
    }).description
    expect([...d].length).toBeLessThanOrEqual(MAX_DESCRIPTION)
    expect(d).toMatch(
      /^n+…#[0-9a-f]{12}: F1 0\.500 \(-0\.100 vs baseline\), gates passed: min-f1-score, max-f1-drop$/
    )
    expect(namesVersion(d, name)).toBe(true)
    expect(namesVersion(d, `m${name.slice(1)}`)).toBe(false)
    expect([...describeVersion('v', 'x'.repeat(200))].length).toBe(MAX_DESCRIPTION)
  })

  test('namesVersion tells which version a description is about', () => {
    expect(namesVersion('v1: training since x', 'v1')).toBe(true)
    expect(namesVersion('v1: training since x', 'v10')).toBe(false)
    expect(namesVersion('no colon here', 'v1')).toBe(false)
  })

  test('two long names sharing their shortened prefix are told apart by their full names', () => {
    const a = `${'p'.repeat(150)}-a`
    const b = `${'p'.repeat(150)}-b`
    const da = pendingDescription(a, new Date(0))
    const db = pendingDescription(b, new Date(0))
    // The prefix shown is the same for both; the hash of the full name is not.
    expect(da.slice(0, 60)).toBe(db.slice(0, 60))
    expect(namesVersion(da, a)).toBe(true)
    expect(namesVersion(da, b)).toBe(false)
    expect(namesVersion(db, b)).toBe(true)
    expect(namesVersion(db, a)).toBe(false)
    // A shortened prefix alone (no hash) names no version.
    expect(namesVersion(`${'p'.repeat(90)}…: training since x`, a)).toBe(false)
  })
})
