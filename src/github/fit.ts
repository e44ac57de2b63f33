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

/**
 * One part of a report, cut as a whole. `cutOrder` 0 is the headline, never cut; the others are
 * cut highest first (on a tie, the later one first): first to their `shorter` form if they have
 * one, then by whole lines to what room is left, or left out.
 */
export interface Section {
  text: string
  cutOrder: number
  /** A shorter form, tried before the section is cut by lines (a long message shortened, say). */
  shorter?: string
}

/** Below this much room a section is left out rather than cut to a stub. */
const MIN_SECTION_ROOM = 200

/**
 * The sections joined by blank lines, between `before` and `after`, within `limit`: when they do
 * not fit, the sections are cut by their order and `note(limit)` is added after them. Pure.
 */
export function fitSections(
  sections: Section[],
  limit: number,
  unit: Unit,
  note: (limit: number) => string,
  frame: { before?: string; after?: string } = {}
): string {
  const before = frame.before ?? ''
  const after = frame.after ?? ''
  const parts = sections.map((s) => s.text)
  const render = (tail: string): string =>
    `${before}${parts.filter((p) => p !== '').join('\n\n')}${tail}${after}`
  if (size(render(''), unit) <= limit) return render('')
  const tail = note(limit)
  const fits = (): boolean => size(render(tail), unit) <= limit
  const order = sections
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.cutOrder - a.s.cutOrder || b.i - a.i)
  // First the shorter forms (a long message shortened), then whole sections cut by lines.
  for (const { s, i } of order) {
    if (fits()) break
    if (s.shorter !== undefined) parts[i] = s.shorter
  }
  for (const { s, i } of order) {
    if (fits()) break
    if (s.cutOrder === 0) continue
    const whole = parts[i]
    parts[i] = ''
    const room = limit - size(render(tail), unit) - 2
    parts[i] = room >= MIN_SECTION_ROOM ? fitText(whole, room, unit, () => '') : ''
  }
  const out = render(tail)
  // Only a headline longer than the limit itself comes here.
  return size(out, unit) <= limit ? out : fitText(out, limit, unit, note)
}

/** GitHub refuses comment bodies longer than this (422 "body is too long (maximum is 65536 characters)"). */
export const COMMENT_MAX_CHARS = 65_536

export const commentCutNote = (limit: number): string =>
  `\n\n> ✂️ Cut to fit GitHub's limit of ${limit.toLocaleString('en-US')} characters for a comment; the job summary of the run has the full report.`
