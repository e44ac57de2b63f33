import { describe, expect, test } from '@jest/globals'
import { versionConsoleUrl } from '../../src/reporting/console-link.js'
import type { LabelComparison } from '../../src/results/evaluation.js'
import { signed } from '../../src/reporting/markdown.js'
import {
  commentMarker,
  f1Delta,
  renderComment,
  type TrainingReport
} from '../../src/reporting/report.js'
import { PROJECT_ARN } from './helpers.js'

const VERSION_ARN = `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/defects-0123/1700000000001`
const RUN_URL = 'https://github.com/acme/defects/actions/runs/987654321/attempts/1'

const LABELS: LabelComparison[] = [
  {
    label: 'scratch',
    testImages: 18,
    precision: 0.95,
    recall: 0.9,
    f1: 0.924,
    threshold: 0.42,
    f1Delta: 0.02
  },
  {
    label: 'dent',
    testImages: 12,
    precision: 0.85,
    recall: 0.84,
    f1: 0.845,
    threshold: 0.5,
    f1Delta: -0.04
  },
  {
    label: 'rust',
    testImages: 4,
    precision: 0.6,
    recall: 0.5,
    f1: 0.545,
    threshold: 0.3,
    added: true
  },
  { label: 'chip', f1: 0.5 }
]

function report(overrides: Partial<TrainingReport> = {}): TrainingReport {
  return {
    outcome: 'trained',
    region: 'eu-west-1',
    projectName: 'defects',
    projectArn: PROJECT_ARN,
    versionName: 'defects-0123',
    arn: VERSION_ARN,
    created: true,
    status: 'TRAINING_COMPLETED',
    f1Score: 0.9,
    pricePerHour: 1,
    tags: { 'github:sha': '0123456789abcdef' },
    runUrl: RUN_URL,
    ...overrides
  }
}

/** What a reader sees: numeric entities become characters. */
const rendered = (md: string): string =>
  md.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
/** Cells of a table row, split at unescaped pipes. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())
const lines = (md: string): string[] => md.split('\n')
/** The per-label table: its header and rows, as cells. */
function labelTable(md: string): { header: string[]; rows: string[][] } {
  const all = lines(md)
  const start = all.findIndex((l) => l.startsWith('| Label |'))
  expect(start).toBeGreaterThanOrEqual(0)
  const rows: string[][] = []
  for (let i = start + 2; i < all.length && all[i].startsWith('|'); i++) rows.push(cells(all[i]))
  return { header: cells(all[start]), rows }
}

describe('renderComment', () => {
  test('starts with the marker for the project ARN, on its own line', () => {
    const md = renderComment(report())
    expect(lines(md)[0]).toBe(`<!-- train-action:${PROJECT_ARN} -->`)
    expect(lines(md)[0]).toBe(commentMarker(PROJECT_ARN))
    expect(md.indexOf(commentMarker(PROJECT_ARN))).toBe(0)
    // Then the headline.
    expect(lines(md)[1]).toMatch(/^## .*Training completed.*defects/)
  })

  test('another project has another marker', () => {
    const other = PROJECT_ARN.replace('/defects/', '/scratches/')
    expect(renderComment(report({ projectArn: other }))).not.toContain(commentMarker(PROJECT_ARN))
  })

  test('per-label table without a baseline: no Δ F1 column', () => {
    const md = renderComment(report({ labels: LABELS.map(({ label, f1 }) => ({ label, f1 })) }))
    const { header, rows } = labelTable(md)
    expect(header).toEqual(['Label', 'Test images', 'Precision', 'Recall', 'F1', 'Threshold'])
    expect(md).not.toContain('Δ F1')
    expect(rows.map((r) => r[0])).toEqual(['scratch', 'dent', 'rust', 'chip'])
    for (const r of rows) expect(r).toHaveLength(6)
    expect(rows[0]).toEqual(['scratch', '–', '–', '–', '0.924', '–'])
  })

  test("per-label table with a baseline: a Δ F1 column, 'new' for added labels", () => {
    const md = renderComment(
      report({ labels: LABELS, baseline: { name: 'defects-0122', arn: 'arn:b', f1: 0.95 } })
    )
    const { header, rows } = labelTable(md)
    expect(header).toEqual([
      'Label',
      'Test images',
      'Precision',
      'Recall',
      'F1',
      'Δ F1',
      'Threshold'
    ])
    expect(rows).toEqual([
      ['scratch', '18', '0.950', '0.900', '0.924', '+0.020', '0.420'],
      ['dent', '12', '0.850', '0.840', '0.845', '−0.040', '0.500'],
      ['rust', '4', '0.600', '0.500', '0.545', 'new', '0.300'],
      ['chip', '–', '–', '–', '0.500', '–', '–']
    ])
  })

  test('a hostile label name cannot add table cells', () => {
    const md = renderComment(
      report({
        labels: [{ label: 'a | b | <img src=x> [x](http://evil)', f1: 0.5 }],
        baseline: { name: 'b', arn: 'arn:b', f1: 0.5 }
      })
    )
    const { rows } = labelTable(md)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toHaveLength(7)
    expect(md).not.toContain('<img')
    expect(md).not.toContain('](http://evil)')
  })

  test('no labels: the note instead of the table', () => {
    const md = renderComment(report({ labelsNote: 'No evaluation summary for this version.' }))
    expect(md).not.toContain('| Label |')
    expect(md).toContain('> No evaluation summary for this version.')
  })

  test('the gate list with ✅ and ❌', () => {
    const md = renderComment(
      report({
        gates: [
          { gate: 'min-f1-score', passed: true, detail: 'F1 0.900 ≥ 0.800 (by 0.100)' },
          {
            gate: 'max-f1-drop',
            passed: false,
            detail:
              "F1 0.900 dropped 0.050 from the baseline's 0.950, more than max-f1-drop 0.020 by 0.030"
          }
        ]
      })
    )
    expect(md).toContain('### Quality gates')
    const gateLines = lines(md).filter((l) => /^- (✅|❌) /.test(l))
    expect(gateLines.map(rendered)).toEqual([
      '- ✅ `min-f1-score`: F1 0.900 ≥ 0.800 (by 0.100)',
      "- ❌ `max-f1-drop`: F1 0.900 dropped 0.050 from the baseline's 0.950, more than max-f1-drop 0.020 by 0.030"
    ])
  })

  test('no gates: no gate section', () => {
    expect(renderComment(report({ gates: [] }))).not.toContain('Quality gates')
    expect(renderComment(report())).not.toContain('Quality gates')
  })

  test('the F1 with its delta from the baseline, and the baseline row', () => {
    const md = renderComment(
      report({ f1Score: 0.9, baseline: { name: 'defects-0122', arn: 'arn:b', f1: 0.95 } })
    )
    expect(md).toContain('| F1 score | 0.900 (−0.050) |')
    expect(md).toContain('| Baseline | `defects-0122`, F1 0.950 |')
    const up = renderComment(report({ f1Score: 0.93, baseline: { name: 'b', arn: 'a', f1: 0.9 } }))
    expect(up).toContain('| F1 score | 0.930 (+0.030) |')
  })

  test('no baseline: the F1 alone, and the note on why', () => {
    const md = renderComment(
      report({ baselineNote: 'no other version of the project has an F1 score' })
    )
    expect(md).toContain('| F1 score | 0.900 |')
    expect(md).toContain('| Baseline | no other version of the project has an F1 score |')
  })

  test('links to the run and to the console', () => {
    const md = renderComment(report())
    expect(md).toContain(`[workflow run](${RUN_URL})`)
    expect(md).toContain(
      `[AWS console](${versionConsoleUrl('eu-west-1', 'defects', 'defects-0123')})`
    )
    expect(renderComment(report({ runUrl: undefined }))).not.toContain('workflow run')
  })

  test('says it is updated in place, and leaves the tags to the job summary', () => {
    const md = renderComment(report())
    expect(md).toMatch(/Updated in place/)
    expect(md).not.toContain('<details>')
    expect(md.endsWith('\n')).toBe(true)
  })
})

describe('commentMarker', () => {
  test('wraps the ARN in an HTML comment', () => {
    expect(commentMarker(PROJECT_ARN)).toBe(`<!-- train-action:${PROJECT_ARN} -->`)
  })

  /** The marker stays one comment: the only comment closer is its own, at the very end. */
  function expectOneComment(marker: string): void {
    expect(marker.startsWith('<!-- train-action:')).toBe(true)
    expect(marker.endsWith(' -->')).toBe(true)
    const inner = marker.slice(0, -' -->'.length)
    expect(inner).not.toContain('-->')
  }

  test.each(['x-->y', '-->', 'a --> <img src=x onerror=alert(1)>', '-->-->'])(
    'strips --> from hostile input %p',
    (input) => {
      expectOneComment(commentMarker(input))
    }
  )

  test('stripping once cannot leave a new --> behind ("--->->")', () => {
    // Removing the "-->" in the middle of "--->->" joins "-" and "->" into a new "-->".
    expectOneComment(commentMarker('--->->'))
  })

  test('"--!>" cannot close the comment early either (HTML ends a comment there too)', () => {
    const marker = commentMarker('x--!><img src=x onerror=alert(1)>')
    expect(marker.slice(0, -' -->'.length)).not.toContain('--!>')
  })
})

describe('f1Delta and signed', () => {
  test('f1Delta: F1 minus the baseline F1, only when both are known', () => {
    expect(f1Delta({ f1Score: 0.9, baseline: { name: 'b', arn: 'a', f1: 0.95 } })).toBeCloseTo(
      -0.05,
      10
    )
    expect(f1Delta({ f1Score: 0.9 })).toBeUndefined()
    expect(f1Delta({ baseline: { name: 'b', arn: 'a', f1: 0.95 } })).toBeUndefined()
    expect(f1Delta({ f1Score: 0, baseline: { name: 'b', arn: 'a', f1: 0 } })).toBe(0)
  })

  test('signed: a plus sign or a true minus sign, 3 decimals', () => {
    expect(signed(0.05)).toBe('+0.050')
    expect(signed(-0.05)).toBe('−0.050')
    expect(signed(0)).toBe('+0.000')
    expect(signed(-1)).toBe('−1.000')
  })
})

describe('a comment cut to fit 65,536 characters keeps the headline', () => {
  const many: LabelComparison[] = Array.from({ length: 3_000 }, (_, i) => ({
    label: `label-${i}`,
    testImages: 3,
    precision: 0.5,
    recall: 0.5,
    f1: 0.5,
    threshold: 0.5,
    f1Delta: -0.01
  }))
  const huge = report({
    statusMessage: 'm'.repeat(70_000),
    labels: many,
    baseline: { name: 'main-model', arn: VERSION_ARN, f1: 0.95 },
    gates: [
      { gate: 'min-f1-score', passed: true, detail: 'F1 0.900 >= 0.8' },
      { gate: 'max-f1-drop', passed: false, detail: 'F1 dropped by 0.050' }
    ]
  })

  test('status, F1, delta, gates and verdicts survive; the long parts are cut, with the note', () => {
    const out = renderComment(huge)
    expect(out.length).toBeLessThanOrEqual(65_536)
    expect(out).toContain('`TRAINING_COMPLETED`')
    expect(out).toContain('| F1 score | 0.900 (−0.050) |')
    expect(out).toContain('✅ `min-f1-score`: F1 0.900 &#62;= 0.8')
    expect(out).toContain('❌ `max-f1-drop`: F1 dropped by 0.050')
    expect(out).toContain('main-model')
    // The service's message is shortened, the per-label rows cut by whole rows.
    expect(out).toContain(`${'m'.repeat(300)}… &#40;cut&#41;`)
    expect(out).not.toContain('m'.repeat(301))
    expect(out).toContain('| label-0 |')
    expect(out).not.toContain('| label-2999 |')
    expect(out).toContain("Cut to fit GitHub's limit of 65,536 characters")
    expect(out.startsWith(commentMarker(PROJECT_ARN))).toBe(true)
    expect(out.trimEnd().endsWith('</sub>')).toBe(true)
  })

  test('a report that fits is not cut, its message whole', () => {
    const small = renderComment(report({ statusMessage: 'm'.repeat(1_000) }))
    expect(small).toContain('m'.repeat(1_000))
    expect(small).not.toContain('Cut to fit')
  })

  test('with a smaller limit fewer per-label rows, whole ones; the gates still stay', () => {
    const out = renderComment(huge, 3_000)
    expect(out.length).toBeLessThanOrEqual(3_000)
    expect(out).not.toContain('| label-100 |')
    for (const row of out.split('\n').filter((l) => l.startsWith('| label-')))
      expect(row).toMatch(
        /^\| label-\d+ \| 3 \| 0\.500 \| 0\.500 \| 0\.500 \| −0\.010 \| 0\.500 \|$/
      )
    expect(out).toContain('❌ `max-f1-drop`')
    expect(out).toContain('Cut to fit')
  })
})
