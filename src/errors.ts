/** A problem with what the user wrote: reported as one line, no stack trace, no AWS call made. */
export class InputError extends Error {
  override name = 'InputError'
}

/** A failure already explained for a person; the message is shown as it is. */
export class ActionError extends Error {
  override name = 'ActionError'
}

const MAX_SHOWN = 80

/** A value as it appears in an error line: quoted, control characters escaped, long ones cut. */
export function shown(value: string): string {
  const chars = [...value]
  const cut = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : value
  const quoted = JSON.stringify(cut)
  return chars.length > MAX_SHOWN ? `${quoted} (${chars.length} chars)` : quoted
}

/** `version-name "has space" has characters outside the allowed set; it must match ...` */
export function inputError(
  input: string,
  value: string,
  problem: string,
  rule?: string
): InputError {
  const tail = rule ? `; it ${rule}` : ''
  return new InputError(`${input} ${shown(value)} ${problem}${tail}`)
}
