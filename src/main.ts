// The entry's edge: masks secrets, builds the one redacting logger and the runner I/O every mode
// gets, handles the runner's cancel signals, and hands over to the mode. No mode reads the
// runner's environment itself.
import { nameRefusingProxy } from './aws/proxy-env.js'
import { ActionError, InputError } from './errors.js'
import { RunnerCancel } from './github/runner-cancel.js'
import { stepRunner, type StepRunner } from './github/runner.js'
import type { ActionIo } from './modes/io.js'
import { report } from './modes/publish.js'
import { outcomeOf, type RunState } from './modes/run-state.js'
import { collect } from './modes/collect.js'
import { stopMode } from './deploy/stop-mode.js'
import { train } from './modes/train.js'
import { readMode, type Mode } from './inputs/inputs.js'
import { redactor, safeLog } from './reporting/safe-log.js'
import { cancelMessage } from './training/outcome.js'
import { timingFrom, type Timing } from './timing.js'

function runnerIo(core: StepRunner, secrets: (string | undefined)[], timing: Timing): ActionIo {
  // Known before any input is parsed, so not even an error echoing an input can show them.
  for (const secret of secrets) if (secret) core.setSecret(secret)
  const redact = redactor(secrets)
  return {
    log: safeLog(core, redact),
    redact,
    debug: (line) => core.debug(redact(line)),
    infoBlock: (text) => core.info(redact(text)),
    setOutput: (name, value) => core.setOutput(name, value),
    annotate: (message, file, line) => core.error(redact(message), { file, startLine: line }),
    writeSummary: (markdown) => core.writeSummary(markdown),
    getInput: (name) => core.getInput(name),
    env: process.env,
    timing
  }
}

export async function run(): Promise<void> {
  const core = stepRunner(process.env)
  let timing: Timing
  try {
    timing = timingFrom(process.env)
  } catch (err) {
    core.setFailed((err as Error).message)
    return
  }
  const io = runnerIo(
    core,
    [
      process.env.AWS_SECRET_ACCESS_KEY,
      process.env.AWS_SESSION_TOKEN,
      core.getInput('github-token')
    ],
    timing
  )
  const { log } = io
  const state: RunState = {}
  // After a cancel, the process leaves on its own just before the runner's SIGKILL (outputs are on
  // disk as soon as they are known); until then a create in flight may still answer.
  const runner = new RunnerCancel(() => process.exit(1), undefined, timing)
  let mode: Mode = 'train'
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!runner.received(signal)) return
    // The deploy says itself what a cancel leaves starting, and how it will be stopped.
    if (state.deploying) return
    const pending =
      mode === 'collect'
        ? 'The collector stops; the trainings it did not finish stay pending for its next run.'
        : !state.version && state.creating
          ? `Cancelled while version ${state.creating} was being created: waiting for the service's answer, so the training is not lost.`
          : cancelMessage(state.version?.arn)
    log.warning(`${signal} received. ${pending}`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    mode = readMode(io.getInput)
    if (mode === 'collect') await collect(io, runner.cancel)
    else if (mode === 'stop') await stopMode(io, runner.cancel)
    else await train(io, state, { cancel: runner.cancel, lastChance: runner.lastChance })
  } catch (err) {
    if (err instanceof InputError || err instanceof ActionError) {
      const message = nameRefusingProxy(err.message, io.env)
      if (state.version) await report(io, state, outcomeOf(state.last), message)
      log.setFailed(message)
    } else {
      io.debug(err instanceof Error ? (err.stack ?? err.message) : String(err))
      log.setFailed(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`)
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    runner.dispose()
  }
  // A cancelled run is done: leave now, even if a late answer still holds a connection open.
  if (runner.cancel.aborted) process.exit(process.exitCode ?? 1)
}
