// Untrusted text (tag values, status messages, branch names) made inert in Markdown. Pure.

/** A zero-width space: GitHub finds @mentions and #references after rendering, so entities do not
 * stop them (github/cmark-gfm#181); a break between the sign and the name does. */
const ZWSP = '\u200B'

/**
 * Escapes what Markdown or HTML would interpret (links, emphasis, tags, table pipes) as entities,
 * breaks @mentions and #references, and flattens newlines, so the text stays one inert line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[@#]/g, (c) => `${c}${ZWSP}`)
    .replace(/[\\`*_{}[\]()|<>~&]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Inline code that cannot be broken out of: backticks inside become a look-alike. */
export function code(text: string): string {
  return `\`${text.replace(/[\r\n]+/g, ' ').replace(/`/g, 'ˋ')}\``
}

/**
 * A GitHub table. Rows are split at every unescaped `|` before inline code is recognised, so pipes
 * left in cells (inside code spans) are escaped here, where the split happens.
 */
export function table(header: string[], rows: string[][]): string {
  const cell = (c: string): string => c.replace(/(?<!\\)\|/g, '\\|')
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** A change in a score: `+0.012`, `−0.034` (a true minus sign). */
export const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(3)}`
