import { describe, expect, test } from '@jest/globals'
import { keepsWaiting, statusMeaning, type StatusMeaning } from '../../src/training/statuses.js'

// Every status value of the API (REKOGNITION.md, from the service model).
const MEANINGS: [string, StatusMeaning][] = [
  ['TRAINING_IN_PROGRESS', 'in-progress'],
  ['TRAINING_COMPLETED', 'trained'],
  ['TRAINING_FAILED', 'failed'],
  // A trained model being started, running, stopped...: the training itself is done.
  ['STARTING', 'trained'],
  ['RUNNING', 'trained'],
  ['FAILED', 'trained'],
  ['STOPPING', 'trained'],
  ['STOPPED', 'trained'],
  ['DELETING', 'unusable'],
  ['COPYING_IN_PROGRESS', 'in-progress'],
  ['COPYING_COMPLETED', 'trained'],
  ['COPYING_FAILED', 'failed'],
  ['DEPRECATED', 'unusable'],
  ['EXPIRED', 'unusable']
]

describe('statusMeaning', () => {
  test.each(MEANINGS)('%s means %s', (status, meaning) => {
    expect(statusMeaning(status)).toBe(meaning)
  })

  test('covers all 14 API statuses', () => {
    expect(new Set(MEANINGS.map(([s]) => s)).size).toBe(14)
  })

  test('no status yet means still in progress', () => {
    expect(statusMeaning(undefined)).toBe('in-progress')
    expect(statusMeaning('')).toBe('in-progress')
  })

  test('statuses are matched exactly (case matters): anything else is unknown', () => {
    expect(statusMeaning('training_failed')).toBe('unknown')
    expect(statusMeaning(' TRAINING_IN_PROGRESS')).toBe('unknown')
  })

  test('a status the service adds one day is unknown, never trained', () => {
    expect(statusMeaning('TRAINING_PAUSED')).toBe('unknown')
    expect(statusMeaning('TRAINING_COMPLETED_WITH_WARNINGS')).toBe('unknown')
  })
})

describe('keepsWaiting', () => {
  test.each(MEANINGS)('%s', (status, meaning) => {
    expect(keepsWaiting(status)).toBe(meaning === 'in-progress')
  })

  test('no status yet, and unknown statuses, keep the wait going', () => {
    expect(keepsWaiting(undefined)).toBe(true)
    expect(keepsWaiting('TRAINING_PAUSED')).toBe(true)
  })
})
