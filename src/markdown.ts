// Untrusted text (tag values, status messages, branch names) made inert in Markdown. Pure.

/**
 * Escapes what Markdown or HTML would interpret (links, emphasis, tags, table pipes, @mentions,
 * #references) and flattens newlines, so the text stays one inert line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#|<>~&@]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Inline code that cannot be broken out of: backticks inside become a look-alike. */
export function code(text: string): string {
  return `\`${text.replace(/[\r\n]+/g, ' ').replace(/`/g, 'ˋ')}\``
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
