// The per-label gates: parsing the inputs, the tag form a collector reads back, and the verdicts.
import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import {
  evaluateLabelGates,
  labelFloorsTag,
  parseLabelFloors,
  parseLabelFloorsTag
} from '../../src/results/label-gates.js'
import { compareLabels } from '../../src/results/evaluation.js'
import { TAG_VALUE, breaks } from '../../src/inputs/constraints.js'
import { gateTags } from '../../src/inputs/tags.js'
import { recordedGates } from '../../src/modes/collect.js'

describe('parseLabelFloors', () => {
  test('one floor for every label, label=value lines, or both', () => {
    expect(parseLabelFloors('m', '')).toBeUndefined()
    expect(parseLabelFloors('m', '0.8')).toEqual({ all: 0.8, labels: [] })
    expect(parseLabelFloors('m', 'rust-spot=0.7\r\n# a comment\n\n scratch = .9 \n0.5')).toEqual({
      all: 0.5,
      labels: [
        ['rust-spot', 0.7],
        ['scratch', 0.9]
      ]
    })
    // A label may hold `=`: the last one splits.
    expect(parseLabelFloors('m', 'a=b=1')).toEqual({ labels: [['a=b', 1]] })
  })

  test.each([
    ['1.5', 'm "1.5" is not a number 0-1'],
    ['scratch=', 'm "scratch=" has no value'],
    ['=0.5', 'm "=0.5" names no label'],
    ['a=0.5\na=0.6', 'm "a=0.6" names a twice'],
    ['0.5\n0.6', 'm "0.6" is a second floor for every label'],
    ['a=-0.1', 'm "a=-0.1" is not a number 0-1'],
    ['a=1e-3', 'm "a=1e-3" is not a number 0-1']
  ])('%p is refused with one line naming the input and the rule', (text, start) => {
    expect(() => parseLabelFloors('m', text)).toThrow(InputError)
    expect(() => parseLabelFloors('m', text)).toThrow(
      `${start}; it must be a number 0-1 (a floor for every label) or label=value lines (0-1 each)`
    )
  })
})

describe('the tag form', () => {
  test('fits the tag value pattern and comes back the same, whatever the label names', () => {
    const floors = {
      all: 0.5,
      labels: [
        ['rust-spot', 0.7],
        ['Kratzer äöü', 0.6],
        ['a=b:c/d+e', 0.9],
        ['#weird, (label)', 1]
      ] as [string, number][]
    }
    const value = labelFloorsTag('min-label-f1-score', floors)
    expect(breaks(value, TAG_VALUE)).toBeUndefined()
    expect(value.startsWith('0.5 rust-spot=0.7 b64:')).toBe(true)
    expect(parseLabelFloorsTag('t', value)).toEqual(floors)
  })

  test('floors too long for one tag are refused before any AWS call', () => {
    const labels = Array.from({ length: 40 }, (_, i) => [`label-${i}`, 0.5] as [string, number])
    expect(() => labelFloorsTag('min-label-f1-score', { labels })).toThrow(
      /^min-label-f1-score takes \d+ characters when recorded as a tag on the version, at most 256/
    )
  })

  test('recorded with the other gates and read back by a collector', () => {
    const tags = gateTags({
      minLabelF1Score: { labels: [['scratch', 0.9]] },
      maxLabelF1Drop: 0.05,
      baselineVersion: 'auto'
    })
    expect(tags).toEqual({
      'train-action:min-label-f1-score': 'scratch=0.9',
      'train-action:max-label-f1-drop': '0.05',
      'train-action:baseline-version': 'auto'
    })
    expect(recordedGates(tags)).toEqual({
      minLabelF1Score: { labels: [['scratch', 0.9]] },
      maxLabelF1Drop: 0.05,
      baselineVersion: 'auto'
    })
    expect(() => recordedGates({ 'train-action:max-label-f1-drop': '7' })).toThrow(InputError)
    expect(() => recordedGates({ 'train-action:min-label-f1-score': 'a=x' })).toThrow(InputError)
  })
})

const base = [
  { label: 'scratch', f1: 0.884 },
  { label: 'dent', f1: 0.9 },
  { label: 'rust-spot', f1: 0.88 },
  { label: 'gone', f1: 0.5 }
]
const now = [
  { label: 'scratch', f1: 0.912 },
  { label: 'dent', f1: 0.85 },
  { label: 'rust-spot', f1: 0.64 },
  { label: 'crack', f1: 0.3 }
]
const compared = compareLabels(now, base)

describe('max-label-f1-drop', () => {
  const gate = (maxLabelF1Drop: number, extra = {}) =>
    evaluateLabelGates({
      labels: compared,
      maxLabelF1Drop,
      baselineFound: true,
      baselineLabelsRead: true,
      ...extra
    })[0]

  test('fails naming each label that dropped too far, with its numbers; new labels are not compared', () => {
    expect(gate(0.04)).toEqual({
      gate: 'max-label-f1-drop',
      passed: false,
      detail:
        '2 labels dropped too far: "dent" F1 0.850 dropped 0.050 from 0.900, more than 0.040 by 0.010; "rust-spot" F1 0.640 dropped 0.240 from 0.880, more than 0.040 by 0.200 (new, not compared: "crack")'
    })
  })

  test('passes within the bound, naming the largest drop; exactly the bound passes', () => {
    expect(gate(0.24)).toEqual({
      gate: 'max-label-f1-drop',
      passed: true,
      detail: 'largest drop "rust-spot" 0.240, within 0.240 (new, not compared: "crack")'
    })
  })

  test('a first version passes; a missing baseline, unread labels or a NaN fail', () => {
    const missing = { labels: compared, maxLabelF1Drop: 0.1, baselineMissing: 'none yet' }
    expect(evaluateLabelGates({ ...missing, firstVersion: true })[0].passed).toBe(true)
    expect(evaluateLabelGates(missing)[0]).toMatchObject({
      passed: false,
      detail: 'no baseline to compare per-label F1 with: none yet'
    })
    expect(gate(0.5, { baselineLabelsRead: false }).passed).toBe(false)
    expect(gate(0.5, { labels: undefined, labelsNote: 'unreadable' })).toMatchObject({
      passed: false,
      detail: 'no per-label F1 scores to compare: unreadable'
    })
    const nan = compareLabels([{ label: 'dent', f1: NaN }], base)
    expect(gate(0.5, { labels: nan })).toMatchObject({ passed: false })
  })
})

describe('min-label-f1-score', () => {
  const gate = (all: number | undefined, labels: [string, number][] = []) =>
    evaluateLabelGates({ labels: compared, minLabelF1Score: { all, labels } })[0]

  test('a floor for every label fails naming each one under it', () => {
    expect(gate(0.8)).toEqual({
      gate: 'min-label-f1-score',
      passed: false,
      detail:
        '2 labels below the floor: "rust-spot" F1 0.640 < 0.800 by 0.160; "crack" F1 0.300 < 0.800 by 0.500'
    })
  })

  test('named floors override the floor of the others; a named label missing fails', () => {
    expect(gate(0.2, [['rust-spot', 0.6]])).toEqual({
      gate: 'min-label-f1-score',
      passed: true,
      detail: '4 labels at or above their floor; lowest "crack" F1 0.300'
    })
    expect(gate(undefined, [['gone', 0.1]])).toMatchObject({
      passed: false,
      detail: '1 label below the floor: "gone" has no F1 in this version\'s results (floor 0.100)'
    })
  })
})
