// Shared fixtures for the unit tests: a workflow run, an input reader that answers the way
// @actions/core's getInput does (an unset input reads as '') and an ActionIo that records.
import type { RunContext } from '../../src/github/github-context.js'
import type { InputReader } from '../../src/inputs/inputs.js'
import type { ActionIo } from '../../src/modes/io.js'
import { timing, type Timing } from '../../src/timing.js'

export const SHA = '0123456789abcdef0123456789abcdef01234567'
export const PROJECT_ARN =
  'arn:aws:rekognition:eu-west-1:123456789012:project/defects/1700000000000'
/** The ARN of the version `name` of PROJECT_ARN's project. */
export const arnOf = (name: string) => `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/1`
export const OUTPUT_BUCKET = 'acme-training-out'
export const WORKSPACE = '/home/runner/work/defects/defects'
/** 2026-11-27T13:25:57.123Z */
export const NOW = new Date(Date.UTC(2026, 10, 27, 13, 25, 57, 123))

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    repository: 'acme/defects',
    owner: 'acme',
    repo: 'defects',
    sha: SHA,
    eventSha: SHA,
    ref: 'refs/heads/main',
    refName: 'main',
    workflow: 'CI',
    runId: '987654321',
    runNumber: '42',
    runAttempt: '1',
    actor: 'octocat',
    eventName: 'push',
    fromFork: false,
    serverUrl: 'https://github.com',
    workspace: WORKSPACE,
    ...overrides
  }
}

/** The pull_request variant of runContext. */
export function prContext(overrides: Partial<RunContext> = {}): RunContext {
  return runContext({
    eventName: 'pull_request',
    ref: 'refs/pull/17/merge',
    refName: 'feature/better-model',
    prNumber: 17,
    ...overrides
  })
}

export const DEFAULT_INPUTS: Readonly<Record<string, string>> = {
  'project-arn': PROJECT_ARN,
  'output-bucket': OUTPUT_BUCKET
}

/** Inputs by name; valid defaults for the required ones; anything unset reads as ''. */
export function createInputs(overrides: Record<string, string> = {}): InputReader {
  const values: Record<string, string> = { ...DEFAULT_INPUTS, ...overrides }
  return (name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : '')
}

export interface IoRecording {
  /** Every log line with its level (info, warning, notice, failed). */
  logs: { level: string; line: string }[]
  /** The last value set for each output. */
  outputs: Record<string, string>
  /** Every setOutput in order, when the test wants the order too. */
  outputLog?: [string, string][]
  /** Called with each job summary written. */
  onSummary: (markdown: string) => void
  getInput: InputReader
  env: NodeJS.ProcessEnv
  /** timing() (real time) unless given. */
  timing?: Timing
}

/** An ActionIo that records the logs, the outputs and the job summaries into `r`. */
export function recordingIo(r: IoRecording): ActionIo {
  const log = (level: string) => (line: string) => r.logs.push({ level, line })
  return {
    log: {
      info: log('info'),
      warning: log('warning'),
      notice: log('notice'),
      setFailed: log('failed')
    },
    redact: (t) => t,
    debug: () => undefined,
    infoBlock: () => undefined,
    setOutput: (name, value) => {
      r.outputs[name] = value
      r.outputLog?.push([name, value])
    },
    annotate: () => undefined,
    writeSummary: async (markdown) => {
      r.onSummary(markdown)
    },
    getInput: r.getInput,
    env: r.env,
    timing: r.timing ?? timing()
  }
}
