// What the action writes to the log is made safe at one place: known secrets are replaced, and
// info lines are kept to one line, so a service message or a branch name cannot start a workflow
// command (`::error::...`) on a line of its own. Pure, apart from the sink it wraps.

export interface LogSink {
  info(line: string): void
  warning(line: string): void
  notice(line: string): void
  setFailed(line: string): void
}

/** Newlines become spaces: workflow commands are only read at the start of a line. */
export const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ')

/** Replaces every occurrence of the secrets (longest first, so none is half-hidden) with `***`. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s): s is string => Boolean(s && s.length >= 4)))].sort(
    (a, b) => b.length - a.length
  )
  return (text) => known.reduce((out, secret) => out.split(secret).join('***'), text)
}

export function safeLog(sink: LogSink, redact: (text: string) => string): LogSink {
  return {
    info: (line) => sink.info(oneLine(redact(line))),
    // The runner protocol (src/github/runner.ts) escapes newlines in these commands itself.
    warning: (line) => sink.warning(redact(line)),
    notice: (line) => sink.notice(redact(line)),
    setFailed: (line) => sink.setFailed(redact(line))
  }
}
