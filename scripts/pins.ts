// Every third-party action a workflow uses must be pinned to a full commit SHA, with the version it
// stands for in a trailing comment (`uses: actions/checkout@<40 hex> # v7.0.1`): a tag can be moved
// to other code, a commit cannot. Local actions (`./`) need no pin; a docker:// image needs a digest.
// This action's own placeholder in the user-facing examples (`org/train-action@v1`) is the one
// exception: it stands for the reader's choice, and docs/versioning.md says how to pin it.

/** The one spelling of this action in examples and docs. */
export const THIS_ACTION = 'org/train-action'
export const THIS_ACTION_REF = `${THIS_ACTION}@v1`

export interface Problem {
  file: string
  line: number
  problem: string
}

const USES = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"\s#]+)\1\s*(?:#\s*(.*))?$/

/** The problems of one file's `uses:` lines (workflows, or Markdown with YAML snippets). */
export function pinProblems(file: string, text: string): Problem[] {
  const out: Problem[] = []
  text.split('\n').forEach((raw, i) => {
    const m = USES.exec(raw)
    if (!m) return
    const [, , ref, comment] = m
    const at = (problem: string) => out.push({ file, line: i + 1, problem: `${ref}: ${problem}` })
    if (ref.startsWith('./')) return
    if (ref.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref)) at('a docker image must be pinned by @sha256 digest')
      return
    }
    const [name, version] = ref.split('@')
    if (name.split('/')[1] === 'train-action' || name.endsWith('/train-action')) {
      if (ref !== THIS_ACTION_REF) at(`this action is written ${THIS_ACTION_REF} everywhere`)
      return
    }
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[^@]+)?$/.test(name) || version === undefined) {
      at('expected owner/repo[/path]@<commit sha>')
      return
    }
    if (!/^[0-9a-f]{40}$/.test(version)) {
      at('not pinned to a full commit SHA (40 hex digits)')
      return
    }
    if (!comment || !/^v\d+(\.\d+)*\b/.test(comment.trim()))
      at('add the version the SHA stands for as a trailing comment, e.g. "# v4.2.2"')
  })
  return out
}
