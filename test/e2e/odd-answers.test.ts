// Odd but possible service answers: a Status value the action does not know (the API's enum grows
// over time) and an F1 score that is not a finite number ("NaN", "Infinity" on the JSON wire).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import { baseInputs, runAction, type RunOptions } from './harness.js'

let emu: Emulator
let projectArn: string
let n = 0
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
})
afterAll(() => emu.stop())
beforeEach(() => {
  projectArn = emu.addProject(`odd-${++n}`)
  emu.clearFaults()
  emu.setTraining({
    checksUntilEnd: 2,
    durationMs: undefined,
    finalStatus: 'TRAINING_COMPLETED',
    f1Score: 0.912,
    inProgressStatus: undefined
  })
})

const run = (inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) =>
  runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      wait: 'true',
      'poll-interval-seconds': '0.2',
      ...inputs
    },
    ...extra
  })

const warnings = (stdout: string, about: string) =>
  stdout.split('\n').filter((l) => l.startsWith('::warning') && l.includes(about))

describe('a status the action does not know', () => {
  test('that never resolves: one warning naming it, then a timeout, never "completed"', async () => {
    emu.setTraining({ durationMs: 3_600_000, inProgressStatus: 'TRAINING_PAUSED' })
    const r = await run({ 'wait-timeout-minutes': '0.05', 'min-f1-score': '0' })
    expect(r.code).toBe(1)
    expect(warnings(r.stdout, 'TRAINING_PAUSED')).toHaveLength(1)
    expect(warnings(r.stdout, 'TRAINING_PAUSED')[0]).toMatch(/does not know/)
    expect(r.outputs.status).toBe('TRAINING_PAUSED')
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(/still TRAINING_PAUSED after wait-timeout-minutes/)
    expect(r.summary).not.toMatch(/Training completed/)
    expect(r.stdout).not.toMatch(/Quality gate/)
    expect(r.summary).toContain('Still training')
  })

  test('that resolves into a known status: the wait carries on to it', async () => {
    emu.setTraining({ checksUntilEnd: 3, inProgressStatus: 'TRAINING_QUEUED' })
    const r = await run()
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(warnings(r.stdout, 'TRAINING_QUEUED')).toHaveLength(1)
  })

  test('on a version attached to without waiting: reported as started, not completed', async () => {
    emu.setTraining({ durationMs: 3_600_000, inProgressStatus: 'TRAINING_PAUSED' })
    await run({ wait: 'false' })
    const r = await run({ wait: 'false', 'min-f1-score': '0' })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ created: 'false', status: 'TRAINING_PAUSED' })
    expect(r.summary).not.toMatch(/Training completed/)
    expect(r.stdout).not.toMatch(/Quality gate/)
  })
})

describe('an F1 score that is not a finite number', () => {
  test.each([
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['-Infinity', -Infinity]
  ])('%s fails min-f1-score and max-f1-drop', async (shown, f1) => {
    emu.addVersion(projectArn, {
      name: 'base',
      f1Score: 0.5,
      outputBucket: 'acme-training-out'
    })
    emu.setTraining({ f1Score: f1 })
    const r = await run({ 'min-f1-score': '0.1', 'baseline-version': 'base', 'max-f1-drop': '0.5' })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('TRAINING_COMPLETED')
    expect(r.outputs['f1-score']).toBe(shown)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain(
      `Quality gate min-f1-score failed: F1 score ${shown} is not a finite number`
    )
    expect(r.errors[0]).toContain(
      `Quality gate max-f1-drop failed: F1 score ${shown} is not a finite number`
    )
    expect(warnings(r.stdout, 'not a finite number')).toHaveLength(1)
  })
})
