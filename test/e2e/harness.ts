// Runs the committed dist/ bundle as its own process, the way the GitHub runner does: inputs as
// INPUT_* (with action.yml's defaults applied), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and an event
// payload file. The real AWS SDK inside it talks to the emulator through AWS_ENDPOINT_URL_*.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const BUNDLE = path.join(ROOT, 'dist/index.js')
export const PROJECT_NAME = 'defects'
export const SHA = '0123456789abcdef0123456789abcdef01234567'
export const GITHUB_TOKEN = 'ghs_e2eTestToken0000000000000000000000'
export const AWS_SECRET = 'e2eSecretKey/DoNotLog+0000000000000000000'
export const AWS_SESSION = 'e2eSessionToken/DoNotLog+11111111111111111'
/**
 * The test-only time scale every run gets unless it sets its own (`timeScale`): the action's own
 * waits (the missing-version window, the GitHub call budget, retry waits, the runner's cancel
 * timings, see src/timing.ts) are this share of the real ones, and GitHub writes are not spaced.
 * A test whose emulator delays stand for one of these waits scales them with `scaled()`.
 */
export const TIME_SCALE = 0.25
/** A real-world duration at the default time scale. */
export const scaled = (ms: number, scale = TIME_SCALE): number => Math.round(ms * scale)

interface ActionYml {
  inputs: Record<string, { default?: string }>
}

/** Defaults as the runner applies them, `${{ github.token }}` included. */
export function actionDefaults(): Record<string, string> {
  const yml = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(yml.inputs)) {
    const value = spec.default ?? ''
    out[name] = value === '${{ github.token }}' ? GITHUB_TOKEN : value
  }
  return out
}

export interface RunOptions {
  /** The emulator's URL, used for every AWS and GitHub endpoint. */
  endpoint: string
  inputs: Record<string, string>
  env?: Record<string, string | undefined>
  event?: { name: string; payload: unknown }
  /** Which node binary runs the bundle (E2E_NODE, else this one). */
  node?: string
  /** Which bundle runs (default dist/index.js; the benchmark compares another build with it). */
  bundle?: string
  /** Files to put in the workspace first, by path relative to it. */
  files?: Record<string, string>
  /** Anything else to set up in the workspace (links, say) before the action starts. */
  prepare?: (workspace: string) => void
  /** Called with the log so far whenever it grows (to act at a moment of the run). */
  onLog?: (stdout: string) => void
  /** Send this signal once the log contains `when`. */
  signal?: { when: RegExp; signal: NodeJS.Signals }
  /**
   * Cancel the job as GitHub's runner does (docs.github.com, "Workflow cancellation reference"):
   * SIGINT once the log matches `when` (or `at` resolves), SIGTERM 7.5 s later, SIGKILL 2.5 s after
   * that, each only while the process is still running.
   */
  runnerCancel?: { when?: RegExp; at?: Promise<unknown> }
  timeoutMs?: number
  /** TRAIN_ACTION_TEST_TIME_SCALE for this run (default TIME_SCALE; 1: real time). */
  timeScale?: number
}

/** The runner's cancel timing (real time; a run scales it with its timeScale, as the bundle does). */
export const SIGTERM_AFTER_SIGINT_MS = 7_500
export const SIGKILL_AFTER_SIGTERM_MS = 2_500

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The `::error::` lines, unescaped. */
  errors: string[]
  durationMs: number
  /** The workspace the action ran in (GITHUB_WORKSPACE). */
  workspace: string
  /** runnerCancel: the signals sent, in order. */
  cancelSignals: NodeJS.Signals[]
  /** runnerCancel: ms from the SIGINT to the process's exit. */
  exitAfterCancelMs?: number
}

/** GITHUB_OUTPUT's `name<<delimiter ... delimiter` records. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    out[m[1]] = value.join('\n')
  }
  return out
}

const unescapeCommand = (s: string): string =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

export function runAction(opts: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'train-action-e2e-'))
  const outputFile = path.join(dir, 'output')
  const summaryFile = path.join(dir, 'summary')
  const eventFile = path.join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const event = opts.event ?? { name: 'push', payload: { ref: 'refs/heads/main' } }
  writeFileSync(eventFile, JSON.stringify(event.payload))
  for (const [relative, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true })
    writeFileSync(path.join(dir, relative), content)
  }
  opts.prepare?.(dir)

  const inputs = { ...actionDefaults(), ...opts.inputs }
  const timeScale = opts.timeScale ?? TIME_SCALE
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_REPOSITORY: 'acme/vision',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKFLOW: 'Retrain',
    GITHUB_RUN_ID: '9000001',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: opts.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAE2ETESTEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    AWS_SESSION_TOKEN: AWS_SESSION,
    AWS_ENDPOINT_URL_REKOGNITION: opts.endpoint,
    AWS_ENDPOINT_URL_S3: opts.endpoint,
    // Never reach for instance metadata or a shared config on the test machine.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    TRAIN_ACTION_TEST_TIME_SCALE: String(timeScale),
    ...opts.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]

  const node = opts.node ?? process.env.E2E_NODE ?? process.execPath
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(node, [opts.bundle ?? BUNDLE], { env: env as NodeJS.ProcessEnv, cwd: dir })
    let stdout = ''
    let stderr = ''
    let signalled = false
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000)
    const cancelSignals: NodeJS.Signals[] = []
    const cancelTimers: NodeJS.Timeout[] = []
    let exited = false
    let cancelledAt: number | undefined
    const send = (signal: NodeJS.Signals): void => {
      if (exited) return
      cancelSignals.push(signal)
      child.kill(signal)
    }
    const runnerCancel = (): void => {
      if (cancelledAt !== undefined || exited) return
      cancelledAt = Date.now()
      send('SIGINT')
      // The bundle scales its cancel timings alike (src/github/runner-cancel.ts).
      const term = scaled(SIGTERM_AFTER_SIGINT_MS, timeScale)
      cancelTimers.push(
        setTimeout(() => send('SIGTERM'), term),
        setTimeout(() => send('SIGKILL'), term + scaled(SIGKILL_AFTER_SIGTERM_MS, timeScale))
      )
    }
    void opts.runnerCancel?.at?.then(runnerCancel)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      opts.onLog?.(stdout)
      if (opts.signal && !signalled && opts.signal.when.test(stdout)) {
        signalled = true
        child.kill(opts.signal.signal)
      }
      if (opts.runnerCancel?.when?.test(stdout)) runnerCancel()
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', () => (exited = true))
    child.on('close', (code, signal) => {
      exited = true
      clearTimeout(timer)
      for (const t of cancelTimers) clearTimeout(t)
      resolve({
        cancelSignals,
        exitAfterCancelMs: cancelledAt === undefined ? undefined : Date.now() - cancelledAt,
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        errors: stdout
          .split('\n')
          .filter((l) => l.startsWith('::error'))
          .map((l) => unescapeCommand(l.replace(/^::error[^:]*::/, ''))),
        durationMs: Date.now() - started,
        workspace: dir
      })
    })
  })
}

/** Inputs that make a valid first training in the emulator's seeded project. */
export function baseInputs(
  projectArn: string,
  bucket = 'acme-training-out'
): Record<string, string> {
  return { 'project-arn': projectArn, 'output-bucket': bucket }
}

/**
 * An `onLog` that runs `act` once, when the action logs that the version exists: faults injected
 * then hit what comes after the start (the history, the status checks, S3, GitHub).
 */
export function whenStarted(act: () => void): (stdout: string) => void {
  let done = false
  return (stdout) => {
    if (!done && /(Started training|Attached to) arn:/.test(stdout)) {
      done = true
      act()
    }
  }
}
