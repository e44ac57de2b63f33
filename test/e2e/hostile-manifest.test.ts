// Hostile manifests: a file of any size with one enormous line is refused by the line limit,
// naming the input, in bounded memory, dry run or not, before any AWS call and without a stack
// trace. The files are sparse (truncate), so they cost no disk. Peak memory is the child's own
// maxRSS (process.resourceUsage), written at exit by a preloaded script.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Emulator } from '../emulator/server.js'
import { ROOT, baseInputs, runAction, type ActionRun } from './harness.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

let emu: Emulator
let projectArn: string
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('acme-training-out')
  projectArn = emu.addProject('hostile')
})
afterAll(() => emu.stop())

const MB = 1024 * 1024
/** Well under the 200 MB the action may use on a runner; a run without manifests takes ~70 MB. */
const RSS_LIMIT_MB = 150

const valid = (i: number, label: string) =>
  classificationLine(`s3://acme-data/${i}.jpg`, label, { attr: 'animal', jobName: 'j' })

async function runWith(
  prepare: (workspace: string) => void,
  inputs: Record<string, string>
): Promise<{ run: ActionRun; peakMb: number; requests: number }> {
  const rssFile = path.join(mkdtempSync(path.join(tmpdir(), 'hostile-rss-')), 'rss')
  const before = emu.requests.length
  const run = await runAction({
    endpoint: emu.url,
    inputs: {
      ...baseInputs(projectArn),
      'training-manifests': 'data/train.manifest',
      'auto-create-testing': 'true',
      ...inputs
    },
    prepare: (workspace) => {
      mkdirSync(path.join(workspace, 'data'))
      prepare(workspace)
    },
    env: {
      NODE_OPTIONS: `--require ${path.join(ROOT, 'scripts/max-rss.cjs')}`,
      BENCH_RSS_FILE: rssFile
    },
    timeoutMs: 180_000
  })
  const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024
  return { run, peakMb, requests: emu.requests.length - before }
}

function expectRefusedByLineLimit(run: ActionRun, line: number): void {
  expect(run.code).toBe(1)
  const error = run.errors.at(-1) ?? ''
  expect(error).toMatch(/^training-manifests: /)
  expect(error).toContain(`data/train.manifest line ${line}: line: `)
  expect(error).toContain('one JSON line may hold at most 100000')
  // One line, no stack trace anywhere.
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(run.stderr).not.toMatch(/RangeError|heap out of memory|Invalid string length/)
}

describe('a manifest with one enormous line', () => {
  test('2 GB, one line, dry run: refused by the line limit, in bounded memory', async () => {
    const { run, peakMb, requests } = await runWith(
      (ws) => {
        const f = path.join(ws, 'data/train.manifest')
        writeFileSync(f, '')
        truncateSync(f, 2 * 1024 * MB)
      },
      { 'dry-run': 'true' }
    )
    expectRefusedByLineLimit(run, 1)
    expect(run.stdout).toMatch(/larger than 1000000000 bytes \(1 GB\)/)
    expect(peakMb).toBeLessThan(RSS_LIMIT_MB)
    expect(requests).toBe(0)
  })

  test('a 400 MB line between valid ones: refused before any AWS call, in bounded memory', async () => {
    const { run, peakMb, requests } = await runWith((ws) => {
      const f = path.join(ws, 'data/train.manifest')
      writeFileSync(f, `${valid(1, 'cat')}\n`)
      truncateSync(f, 400 * MB) // the rest of the file: one 400 MB line
      appendFileSync(f, `\n${valid(2, 'dog')}\n`)
    }, {})
    expectRefusedByLineLimit(run, 2)
    expect(peakMb).toBeLessThan(RSS_LIMIT_MB)
    expect(requests).toBe(0)
  })
})
