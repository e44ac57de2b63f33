import { describe, expect, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { LOOK_BACK_MS, collectable } from '../../src/training/collectable.js'
import { recordedGates, startingContext } from '../../src/modes/collect.js'
import { autoScope } from '../../src/results/baseline.js'
import { runUrl } from '../../src/modes/run-state.js'
import { runContext } from './helpers.js'

const NOW = Date.UTC(2026, 10, 28, 12)
const HOUR = 3_600_000

const v = (
  name: string,
  status: string,
  createdHoursAgo: number,
  endedHoursAgo?: number
): ProjectVersionDescription => ({
  ProjectVersionArn: `arn:aws:rekognition:eu-west-1:123456789012:project/p/version/${name}/1`,
  Status: status as ProjectVersionDescription['Status'],
  CreationTimestamp: new Date(NOW - createdHoursAgo * HOUR),
  TrainingEndTimestamp:
    endedHoursAgo === undefined ? undefined : new Date(NOW - endedHoursAgo * HOUR)
})

describe('collectable', () => {
  test('versions training, and versions ended within the window; newest first', () => {
    const versions = [
      v('old', 'TRAINING_COMPLETED', 200, 190),
      v('training', 'TRAINING_IN_PROGRESS', 5),
      v('recent', 'TRAINING_COMPLETED', 30, 2),
      v('recent-failed', 'TRAINING_FAILED', 3, 1),
      v('no-end', 'TRAINING_COMPLETED', 500),
      { Status: 'TRAINING_COMPLETED' } as ProjectVersionDescription
    ]
    const c = collectable(versions, NOW)
    const names = (list: ProjectVersionDescription[]) =>
      list.map((x) => x.ProjectVersionArn!.split('/')[3])
    expect(names(c.inProgress)).toEqual(['training'])
    expect(names(c.ended)).toEqual(['recent-failed', 'recent', 'no-end'])
    expect(c.skipped).toBe(0)
  })

  test('a status the action does not know (one the service may add) stays with the trainings, not the ended', () => {
    const out = collectable([v('new-status', 'TRAINING_PAUSED', 2, 1)], NOW)
    expect(out.inProgress.map((d) => d.Status)).toEqual(['TRAINING_PAUSED'])
    expect(out.ended).toEqual([])
  })

  test('the window edge, and the cap on tag reads', () => {
    const edge = v('edge', 'TRAINING_COMPLETED', 100, LOOK_BACK_MS / HOUR)
    expect(collectable([edge], NOW).ended).toHaveLength(1)
    const many = Array.from({ length: 5 }, (_, i) => v(`v${i}`, 'TRAINING_IN_PROGRESS', i))
    const c = collectable(many, NOW, LOOK_BACK_MS, 3)
    expect(c.inProgress).toHaveLength(3)
    expect(c.skipped).toBe(2)
  })
})

describe('what a collector reads from a version’s tags', () => {
  test('the gates the starting step recorded', () => {
    expect(
      recordedGates({
        'train-action:min-f1-score': '0.9',
        'train-action:max-f1-drop': '0.02',
        'train-action:baseline-version': 'auto'
      })
    ).toEqual({ minF1Score: 0.9, maxF1Drop: 0.02, baselineVersion: 'auto' })
    expect(recordedGates({})).toEqual({})
    expect(() => recordedGates({ 'train-action:min-f1-score': 'high' })).toThrow(
      'tag train-action:min-f1-score "high" is not a number'
    )
    expect(() => recordedGates({ 'train-action:baseline-version': 'has space' })).toThrow(
      'is not a version name'
    )
  })

  test('the starting run: commit, ref, run and PR from the tags', () => {
    const ctx = startingContext(runContext({ runId: '5', eventName: 'schedule' }), {
      'github:sha': 'abc',
      'github:ref': 'refs/pull/17/merge',
      'github:run-id': '42',
      'github:pr-number': '17'
    })
    expect(ctx).toMatchObject({ sha: 'abc', ref: 'refs/pull/17/merge', runId: '42', prNumber: 17 })
    expect(ctx.baseRef).toBeUndefined()
    expect(startingContext(runContext(), { 'train-action:base-ref': 'main' }).baseRef).toBe('main')
    expect(startingContext(runContext(), { 'github:pr-number': 'x' }).prNumber).toBeUndefined()
  })

  test('a run id from the tags makes a link only when it is a number', () => {
    const ctx = (runId: string) => startingContext(runContext(), { 'github:run-id': runId })
    expect(runUrl(ctx('42'))).toMatch(/\/actions\/runs\/42$/)
    expect(runUrl(ctx('1 https://evil.example/'))).toBeUndefined()
    expect(runUrl(ctx('42)'))).toBeUndefined()
    expect(runUrl(ctx(''))).toBeUndefined()
  })

  test("the starting run's baseline scope: the PR base branch from the tags, never the collector's", () => {
    const fromPr = startingContext(runContext({ eventName: 'schedule', baseRef: 'develop' }), {
      'github:sha': 'abc',
      'github:ref': 'refs/pull/17/merge',
      'train-action:base-ref': 'main'
    })
    expect(autoScope(fromPr).ref).toBe('refs/heads/main')
    const fromPush = startingContext(runContext({ eventName: 'schedule', baseRef: 'develop' }), {
      'github:sha': 'abc',
      'github:ref': 'refs/heads/release'
    })
    expect(autoScope(fromPush)).toMatchObject({ ref: 'refs/heads/release', before: true })
  })
})
