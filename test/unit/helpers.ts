// Shared fixtures for the unit tests: a workflow run and an input reader that answers the way
// @actions/core's getInput does (an unset input reads as '').
import type { RunContext } from '../../src/github/github-context.js'
import type { InputReader } from '../../src/inputs/inputs.js'

export const SHA = '0123456789abcdef0123456789abcdef01234567'
export const PROJECT_ARN =
  'arn:aws:rekognition:eu-west-1:123456789012:project/defects/1700000000000'
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
