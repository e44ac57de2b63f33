// What a mode may touch of the runner: the log (secrets redacted, one-line info), outputs, the
// job summary, annotations. Built once in src/main.ts from the runner protocol and passed down, so no
// module holds a logger of its own.
import type { LogSink } from '../reporting/safe-log.js'
import type { Timing } from '../timing.js'

export interface ActionIo {
  log: LogSink
  /** Replaces known secrets in text that is written elsewhere than the log (summary, comment). */
  redact: (text: string) => string
  debug: (line: string) => void
  /** Several lines at info level, redacted; only for text whose lines cannot start a workflow command (indented JSON). */
  infoBlock: (text: string) => void
  setOutput: (name: string, value: string) => void
  /** An `::error file=,line=` annotation. */
  annotate: (message: string, file: string, line: number) => void
  /** Replaces the job summary. */
  writeSummary: (markdown: string) => Promise<void>
  getInput: (name: string) => string
  env: NodeJS.ProcessEnv
  /** The action's own waits: real time, unless a test scales them (src/timing.ts). */
  timing: Timing
}
