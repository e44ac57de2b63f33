// The relative links of Markdown files and the anchors GitHub gives their headings, so a test can
// check that every link in the documentation leads somewhere.

/** GitHub's heading anchor (github-slugger): lower case, punctuation and symbols dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** The text GitHub renders for a heading's Markdown: links become their text, code its content. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
}

/** Drops fenced code blocks (their lines become empty, so line numbers stay right). */
function withoutFences(text: string): string[] {
  let fence: string | undefined
  return text.split('\n').map((line) => {
    const m = /^\s*(```+|~~~+)/.exec(line)
    if (m && (fence === undefined || m[1].startsWith(fence))) {
      fence = fence === undefined ? m[1] : undefined
      return ''
    }
    return fence === undefined ? line : ''
  })
}

/** Every anchor of a Markdown file, numbered as GitHub numbers repeated headings (`-1`, `-2`). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of withoutFences(markdown)) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!m) continue
    const base = githubSlug(headingText(m[1]))
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

export interface Link {
  line: number
  target: string
}

/** The links of a Markdown file that stay in the repository (no scheme), outside code. */
export function relativeLinks(markdown: string): Link[] {
  const out: Link[] = []
  withoutFences(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '')
    const targets = [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
      ...[...line.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1])
    ]
    for (const target of targets)
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push({ line: i + 1, target })
  })
  return out
}
