// The runner protocol must be byte for byte what @actions/core writes (the runner parses it): each
// case runs through both, with stdout captured and the same files, and the bytes are compared.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { stepRunner, type StepRunner } from '../../src/github/runner.js'

const HOSTILE = [
  'plain',
  '',
  '100% done',
  'two\nlines',
  'crlf\r\nline',
  '::error::injected',
  'a:b,c=d%0A',
  'ünïcødé ✓'
]

let dir: string
const saved = { ...process.env }

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'runner-test-'))
})
afterEach(() => {
  process.env = { ...saved }
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
})

/** What `act` writes to stdout. */
function stdoutOf(act: () => void): string {
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    act()
  } finally {
    process.stdout.write = write
  }
  return chunks.join('')
}

/** Ours over a captured stdout. */
function ours(env: NodeJS.ProcessEnv = process.env): { runner: StepRunner; out: () => string } {
  let text = ''
  return { runner: stepRunner(env, (t) => (text += t)), out: () => text }
}

describe('workflow commands on stdout', () => {
  test.each(HOSTILE)('%j: info, debug, notice, warning, error, add-mask', (text) => {
    const theirs = stdoutOf(() => {
      core.info(text)
      core.debug(text)
      core.notice(text)
      core.warning(text)
      core.error(text)
      core.setSecret(text)
    })
    const { runner, out } = ours()
    runner.info(text)
    runner.debug(text)
    runner.notice(text)
    runner.warning(text)
    runner.error(text)
    runner.setSecret(text)
    expect(out()).toBe(theirs)
  })

  test.each(HOSTILE)('%j as an annotation file property', (file) => {
    const theirs = stdoutOf(() => core.error('msg\nline 2', { file, startLine: 7 }))
    const { runner, out } = ours()
    runner.error('msg\nline 2', { file, startLine: 7 })
    expect(out()).toBe(theirs)
  })

  test('setFailed: an error line and exit code 1', () => {
    const theirs = stdoutOf(() => core.setFailed('bad: 50%\nsecond'))
    process.exitCode = undefined
    const { runner, out } = ours()
    runner.setFailed('bad: 50%\nsecond')
    expect(out()).toBe(theirs)
    expect(process.exitCode).toBe(1)
  })
})

describe('inputs', () => {
  test.each(['project-arn', 'with space', 'MiXed'])(
    '%s: read and trimmed as core reads it',
    (name) => {
      process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = '  value \n'
      expect(stepRunner(process.env).getInput(name)).toBe(core.getInput(name))
      expect(stepRunner(process.env).getInput(`${name}-unset`)).toBe(core.getInput(`${name}-unset`))
    }
  )
})

describe('files', () => {
  /** GITHUB_OUTPUT with the random delimiters made equal. */
  const outputs = (file: string): string =>
    readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIM')

  test('GITHUB_OUTPUT: the same name<<delimiter records, values with newlines included', () => {
    const mine = path.join(dir, 'mine')
    const theirs = path.join(dir, 'theirs')
    writeFileSync(mine, '')
    writeFileSync(theirs, '')
    process.env.GITHUB_OUTPUT = theirs
    for (const [i, v] of HOSTILE.entries()) core.setOutput(`out-${i}`, v)
    const runner = stepRunner({ GITHUB_OUTPUT: mine })
    for (const [i, v] of HOSTILE.entries()) runner.setOutput(`out-${i}`, v)
    expect(outputs(mine)).toBe(outputs(theirs))
    expect(readFileSync(mine, 'utf8')).toMatch(/^out-0<<ghadelimiter_[0-9a-f-]{36}\nplain\n/)
  })

  test('GITHUB_OUTPUT named but missing: an error, as with core', () => {
    const runner = stepRunner({ GITHUB_OUTPUT: path.join(dir, 'absent') })
    expect(() => runner.setOutput('a', 'b')).toThrow(/Missing file/)
  })

  test('the job summary is replaced, byte for byte what core writes', async () => {
    const mine = path.join(dir, 'mine.md')
    const theirs = path.join(dir, 'theirs.md')
    writeFileSync(mine, 'old\n')
    writeFileSync(theirs, 'old\n')
    process.env.GITHUB_STEP_SUMMARY = theirs
    const markdown = '# Title\n\n| a | b |\n|---|---|\n| 1 | ✓ |\n'
    await core.summary.addRaw(markdown).write({ overwrite: true })
    await stepRunner({ GITHUB_STEP_SUMMARY: mine }).writeSummary(markdown)
    expect(readFileSync(mine, 'utf8')).toBe(readFileSync(theirs, 'utf8'))
  })

  test('no GITHUB_STEP_SUMMARY: the write fails and says so', async () => {
    await expect(stepRunner({}).writeSummary('x')).rejects.toThrow(/GITHUB_STEP_SUMMARY/)
  })
})
