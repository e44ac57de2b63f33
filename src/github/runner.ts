// The step's side of the runner protocol, the part this action uses: inputs from INPUT_*, outputs
// to the GITHUB_OUTPUT file, the job summary to GITHUB_STEP_SUMMARY, and workflow commands
// (`::add-mask::`, `::debug::`, `::notice::`, `::warning::`, `::error file=,line=::`) on stdout.
// It writes exactly what @actions/core writes, without loading core: core imports its OIDC client
// and with it an HTTP client built on undici, which this action never needs at start-up.
//
// The rules, as the runner reads them:
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
// (multiline values: `name<<delimiter`, a delimiter that occurs in no line of the value), and the
// runner's escaping (actions/runner src/Runner.Worker/ActionCommandManager.cs, ActionCommand.cs):
// in a command's data `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`; in a property also `:` and `,`
// become `%3A`, `%2C`.
import { randomUUID } from 'node:crypto'
import { appendFileSync, constants, existsSync, promises as fsp } from 'node:fs'
import { EOL } from 'node:os'

export interface AnnotationProperties {
  file?: string
  startLine?: number
}

export interface StepRunner {
  /** The input as the runner passes it (INPUT_<NAME>, spaces as `_`), trimmed; '' when unset. */
  getInput(name: string): string
  setOutput(name: string, value: string): void
  /** Asks the runner to mask the value in every later log line. */
  setSecret(secret: string): void
  info(line: string): void
  debug(line: string): void
  notice(line: string): void
  warning(line: string): void
  error(line: string, properties?: AnnotationProperties): void
  /** An error annotation, and the step's exit code set to 1. */
  setFailed(line: string): void
  /** Replaces the job summary with `markdown`. */
  writeSummary(markdown: string): Promise<void>
}

const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

const escapeProperty = (s: string): string =>
  escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** `::name key=value,...::data`: properties without a value are left out, as core does. */
function command(
  name: string,
  properties: Record<string, string | number | undefined>,
  data: string
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(data)}`
}

/** One GITHUB_OUTPUT record: `name<<delimiter`, the value, the delimiter. */
function outputRecord(name: string, value: string, delimiter: string): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Unexpected input: the output ${name} contains its delimiter`)
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`
}

/** The runner protocol over `env` (process.env at the edge) and `write` (stdout). */
export function stepRunner(
  env: NodeJS.ProcessEnv,
  write: (text: string) => void = (text) => void process.stdout.write(text)
): StepRunner {
  const issue = (
    name: string,
    data: string,
    properties: Record<string, string | number | undefined> = {}
  ): void => write(command(name, properties, data) + EOL)
  const error = (line: string, p: AnnotationProperties = {}): void =>
    issue('error', line, { file: p.file, line: p.startLine })
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setOutput: (name, value) => {
      const file = env.GITHUB_OUTPUT
      if (!file) {
        // The runner has set GITHUB_OUTPUT since 2022; without it, the older command.
        write(EOL)
        issue('set-output', value, { name })
        return
      }
      if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
      const record = outputRecord(name, value, `ghadelimiter_${randomUUID()}`)
      appendFileSync(file, `${record}${EOL}`, { encoding: 'utf8' })
    },
    setSecret: (secret) => issue('add-mask', secret),
    info: (line) => write(line + EOL),
    debug: (line) => issue('debug', line),
    notice: (line) => issue('notice', line),
    warning: (line) => issue('warning', line),
    error,
    setFailed: (line) => {
      process.exitCode = 1
      error(line)
    },
    writeSummary: async (markdown) => {
      const file = env.GITHUB_STEP_SUMMARY
      if (!file) {
        throw new Error(
          'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
        )
      }
      // fs.promises, read here: node:fs/promises (and the readline it loads) stays off the start.
      await fsp.access(file, constants.R_OK | constants.W_OK)
      await fsp.writeFile(file, markdown, { encoding: 'utf8' })
    }
  }
}
