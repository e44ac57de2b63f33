// Markdown cut to fit a size limit (a PR comment's 65,536 characters, a job summary's 1 MiB), with
// a note saying so. Cut at a line end, so no table row or link is left half; an open code fence or
// <details> block is closed first. Pure.

export type Unit = 'chars' | 'bytes'

const size = (text: string, unit: Unit): number =>
  unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length

/**
 * `text` if it fits in `limit` (UTF-16 code units for 'chars', which never undercounts GitHub's
 * characters; UTF-8 bytes for 'bytes'), else its longest head of whole lines that fits with the
 * closing tags and `note(limit)` after it.
 */
export function fitText(
  text: string,
  limit: number,
  unit: Unit,
  note: (limit: number) => string
): string {
  if (size(text, unit) <= limit) return text
  const tail = note(limit)
  // Room for the note and for closing what the head leaves open.
  const room = limit - size(tail, unit) - 64
  let head = text.slice(0, Math.max(0, Math.min(text.length, room)))
  while (size(head, unit) > room) head = head.slice(0, Math.floor(head.length * 0.9))
  const lineEnd = head.lastIndexOf('\n')
  head = lineEnd > 0 ? head.slice(0, lineEnd) : ''
  // Never end between the halves of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1)
  return `${head}${closers(head)}${tail}`
}

/** What the head leaves open: a ``` fence, <details> blocks. */
function closers(head: string): string {
  let out = ''
  const fences = head.match(/^```/gm)?.length ?? 0
  if (fences % 2 === 1) out += '\n```'
  const open = (head.match(/<details>/g)?.length ?? 0) - (head.match(/<\/details>/g)?.length ?? 0)
  for (let i = 0; i < open; i++) out += '\n\n</details>'
  return out
}
