import { describe, expect, test } from '@jest/globals'
import { versionConsoleUrl } from '../../src/reporting/console-link.js'
import {
  formatUsd,
  renderSummary,
  trainingCost,
  type Outcome,
  type TrainingReport
} from '../../src/reporting/report.js'
import { PROJECT_ARN } from './helpers.js'

const VERSION_ARN = `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/defects-0123/1700000000001`
const HOSTILE = '<img src=x onerror=alert(1)> | [click](http://evil) @team #1'

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
    pricePerHour: 1,
    tags: { 'github:repository': 'acme/defects', 'github:sha': '0123456789abcdef' },
    ...overrides
  }
}

/** GFM splits a table row at every `|` not escaped with a backslash, even inside code spans. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
const tableRows = (md: string): string[] => md.split('\n').filter((l) => l.startsWith('|'))
/** The row of the overview table whose first cell is `name`. */
const row = (md: string, name: string): string | undefined =>
  tableRows(md).find((l) => l.startsWith(`| ${name} |`))
/**
 * Markdown outside inline code spans, where Markdown and HTML are interpreted. As in GFM, table
 * rows are split into cells first, and code spans are found inside each cell.
 */
const outsideCode = (md: string): string =>
  md
    .split('\n')
    .map((line) => (line.startsWith('|') ? cells(line) : [line]))
    .map((parts) => parts.map((p) => p.replace(/`[^`]*`/g, '')).join(' ¦ '))
    .join('\n')
/** What a reader sees: GitHub renders the Markdown first, so numeric entities become characters. */
const rendered = (md: string): string =>
  md.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))

/** Every table row has exactly two cells (both tables of the summary are two columns wide). */
function expectTablesIntact(md: string): void {
  const rows = tableRows(md)
  expect(rows.length).toBeGreaterThan(2)
  for (const r of rows) expect(cells(r)).toHaveLength(2)
}

describe('renderSummary', () => {
  const HEADLINES: [Outcome, RegExp][] = [
    ['started', /Training started/],
    ['trained', /Training completed/],
    ['failed', /Training failed/],
    ['timeout', /Still training/],
    ['cancelled', /cancelled.*goes on/i],
    ['unusable', /cannot be used/]
  ]

  test.each(HEADLINES)('outcome %s: its headline, with the project', (outcome, headline) => {
    const first = renderSummary(report({ outcome })).split('\n')[0]
    expect(first.startsWith('## ')).toBe(true)
    expect(first).toMatch(headline)
    expect(first).toContain('defects')
  })

  test('every outcome has its own headline', () => {
    const firsts = HEADLINES.map(([o]) => renderSummary(report({ outcome: o })).split('\n')[0])
    expect(new Set(firsts).size).toBe(HEADLINES.length)
  })

  test('version, ARN and status rows', () => {
    const md = renderSummary(report())
    expect(row(md, 'Version')).toContain('`defects-0123`')
    expect(row(md, 'Version')).toContain('started by this run')
    expect(row(md, 'ARN')).toContain(`\`${VERSION_ARN}\``)
    expect(row(md, 'Status')).toContain('`TRAINING_COMPLETED`')
    expectTablesIntact(md)
    expect(md.endsWith('\n')).toBe(true)
  })

  test('a reused version says so; an unknown status says unknown', () => {
    const md = renderSummary(report({ created: false, status: undefined }))
    expect(row(md, 'Version')).toContain('reused')
    expect(row(md, 'Version')).not.toContain('started by this run')
    expect(row(md, 'Status')).toContain('unknown')
  })

  test('the cost line: billed time and its approximate cost', () => {
    const md = renderSummary(report({ billableSeconds: 5_400, pricePerHour: 1.5 }))
    const line = row(md, 'Training time')
    expect(line).toContain('1 h 30 min 00 s')
    expect(line).toContain('about $2.25')
    expect(line).toContain('$1.50/h')
  })

  test('no billable time, no cost line', () => {
    const md = renderSummary(report({ outcome: 'started', status: 'TRAINING_IN_PROGRESS' }))
    expect(row(md, 'Training time')).toBeUndefined()
    expect(md).not.toContain('about $')
  })

  test('trainingCost and formatUsd', () => {
    expect(trainingCost(5_400, 1.5)).toBeCloseTo(2.25, 10)
    expect(trainingCost(3_600, 1)).toBe(1)
    expect(trainingCost(0, 1)).toBe(0)
    expect(formatUsd(2.25)).toBe('$2.25')
    expect(formatUsd(1)).toBe('$1.00')
    expect(formatUsd(trainingCost(20_000, 1))).toBe('$5.56')
  })

  test('F1 with 3 decimals', () => {
    expect(row(renderSummary(report({ f1Score: 0.91234 })), 'F1 score')).toContain('0.912')
    expect(row(renderSummary(report({ f1Score: 0.9 })), 'F1 score')).toContain('0.900')
    expect(row(renderSummary(report({ f1Score: 0 })), 'F1 score')).toContain('0.000')
    expect(row(renderSummary(report()), 'F1 score')).toBeUndefined()
  })

  test('the evaluation summary URI, when known', () => {
    const uri = 's3://acme-training-out/runs/EvaluationResultSummary-defects.json'
    expect(
      row(renderSummary(report({ evaluationSummaryUri: uri })), 'Evaluation summary')
    ).toContain(`\`${uri}\``)
  })

  test('tags in a collapsed table', () => {
    const md = renderSummary(report())
    expect(md).toContain('<details><summary>Tags (2)</summary>')
    expect(md).toContain('| Key | Value |')
    expect(md).toContain('| `github:repository` | `acme/defects` |')
    expect(md).toContain('| `github:sha` | `0123456789abcdef` |')
    expect(md.indexOf('</details>')).toBeGreaterThan(md.indexOf('| `github:sha`'))
    expect(renderSummary(report({ tags: {} }))).not.toContain('<details>')
  })

  test.each([
    ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com/'],
    ['cn-north-1', 'https://console.amazonaws.cn/'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com/']
  ])('a link to the version in the console (%s)', (region, prefix) => {
    const url = versionConsoleUrl(region, 'defects', 'defects-0123')
    expect(url.startsWith(prefix)).toBe(true)
    expect(renderSummary(report({ region }))).toContain(`](${url})`)
  })

  test('advice is shown, escaped', () => {
    const md = renderSummary(report({ outcome: 'timeout', advice: `Re-run. ${HOSTILE}` }))
    const advice = md.split('\n').find((l) => l.startsWith('> '))
    expect(advice).toContain('Re-run.')
    expect(advice).not.toContain('<img')
    expect(advice).not.toContain('[click](')
  })

  describe('Markdown injection', () => {
    test('a status message cannot inject HTML, links or table cells', () => {
      const md = renderSummary(
        report({ outcome: 'failed', statusMessage: `${HOSTILE}\n| x | y |` })
      )
      expect(md).not.toContain('<img')
      expect(md).not.toContain('[click](')
      expect(md).not.toContain('@team')
      expectTablesIntact(md)
      // The reader still sees what the service said.
      expect(rendered(row(md, 'Message') ?? '').replace(/\u200B/g, '')).toContain(HOSTILE)
    })

    test('a status message cannot @mention anyone once GitHub has rendered it', () => {
      const md = renderSummary(report({ outcome: 'failed', statusMessage: HOSTILE }))
      expect(rendered(outsideCode(md))).not.toMatch(/(^|[^\w])@team/)
    })

    test('a project name in the headline is escaped', () => {
      const first = renderSummary(report({ projectName: HOSTILE })).split('\n')[0]
      expect(first).not.toContain('<img')
      expect(first).not.toContain('[click](')
    })

    test('a tag value cannot inject HTML, links or mentions', () => {
      const md = renderSummary(report({ tags: { note: HOSTILE, [HOSTILE]: 'x' } }))
      const live = outsideCode(md)
      expect(live).not.toContain('<img')
      expect(live).not.toContain('[click](')
      expect(live).not.toContain('@team')
    })

    test('a tag value cannot split its table cell', () => {
      expectTablesIntact(renderSummary(report({ tags: { note: HOSTILE } })))
    })

    // Reachable today: output-prefix takes any characters, and the evaluation summary is
    // written under it.
    test('an evaluation summary URI with a pipe cannot split its table cell', () => {
      expectTablesIntact(
        renderSummary(
          report({ evaluationSummaryUri: 's3://out/team|x/EvaluationResultSummary.json' })
        )
      )
    })

    test('backticks in a tag value cannot break out of inline code', () => {
      const md = renderSummary(
        report({ tags: { note: '`` [click](http://evil) <img src=x> `', ['k`ey']: 'v' } })
      )
      const line = tableRows(md).find((l) => l.includes('click'))
      expect(line?.split('`')).toHaveLength(5)
      expect(outsideCode(md)).not.toContain('[click](')
      expect(outsideCode(md)).not.toContain('<img')
      const keyLine = tableRows(md).find((l) => l.includes('ey`'))
      expect(keyLine?.split('`')).toHaveLength(5)
    })
  })
})
