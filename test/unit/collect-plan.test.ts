import { describe, expect, test } from '@jest/globals'
import { planCommit } from '../../src/modes/collect-plan.js'
import { finalStatus, pendingDescription } from '../../src/reporting/status-text.js'

const t = (name: string, status: string, createdAt: number) => ({ name, status, createdAt })
const pending = (name: string) => ({
  state: 'pending' as const,
  description: pendingDescription(name, new Date(0))
})
const success = (name: string) =>
  finalStatus({ versionName: name, outcome: 'trained', f1: 0.9, gates: [] })

describe('planCommit: what every finisher decides from the same facts', () => {
  test('the newest training still training, or in a status not known yet: wait', () => {
    expect(planCommit([t('a', 'TRAINING_IN_PROGRESS', 1)], pending('a')).action).toBe('wait')
    expect(planCommit([t('a', 'TRAINING_PAUSED', 1)], pending('a')).action).toBe('wait')
    // An older ended one does not matter while the newest trains.
    expect(
      planCommit(
        [t('old', 'TRAINING_COMPLETED', 1), t('new', 'TRAINING_IN_PROGRESS', 2)],
        pending('old')
      ).action
    ).toBe('wait')
  })

  test('its pending status: finish; its final status: leave (never written again)', () => {
    expect(planCommit([t('a', 'TRAINING_COMPLETED', 1)], pending('a')).action).toBe('finish')
    expect(planCommit([t('a', 'TRAINING_COMPLETED', 1)], success('a')).action).toBe('leave')
    expect(
      planCommit([t('a', 'TRAINING_COMPLETED', 1)], { state: 'failure', description: 'a: x' })
        .action
    ).toBe('leave')
  })

  test('a status naming an earlier training of the commit: the newest one is finished', () => {
    const trainings = [t('first', 'TRAINING_FAILED', 1), t('retrain', 'TRAINING_COMPLETED', 2)]
    expect(planCommit(trainings, success('first')).action).toBe('finish')
    expect(planCommit(trainings, pending('first')).action).toBe('finish')
  })

  test('no status, or one naming a training the collector does not see: left alone', () => {
    expect(planCommit([t('a', 'TRAINING_COMPLETED', 1)], undefined).action).toBe('leave')
    expect(planCommit([t('a', 'TRAINING_COMPLETED', 1)], pending('someone-else')).action).toBe(
      'leave'
    )
  })

  test('long names sharing a prefix are told apart by their full names', () => {
    const a = `${'n'.repeat(180)}-a`
    const b = `${'n'.repeat(180)}-b`
    // b is newest; the status is b's own pending: finish. A status of a (older): finish b.
    expect(
      planCommit([t(a, 'TRAINING_FAILED', 1), t(b, 'TRAINING_COMPLETED', 2)], pending(b)).action
    ).toBe('finish')
    // a is newest and its status is final; the pending naming b (older, a prefix twin) is not a's.
    expect(
      planCommit([t(b, 'TRAINING_FAILED', 1), t(a, 'TRAINING_COMPLETED', 2)], success(a)).action
    ).toBe('leave')
  })
})
