// Which commit the workspace holds, read from the checkout's .git without running git (no shell,
// no new dependency): HEAD, the refs it points at, packed-refs, and the `.git` file of a linked
// worktree or submodule (`gitdir: ...`, with `commondir` for the shared refs). Layout as in
// git's gitrepository-layout(5) documentation. The edge for those reads.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'

export type CheckoutCommit =
  | { kind: 'commit'; sha: string; root: string }
  | { kind: 'unknown'; root: string; why: string }
  | { kind: 'none' }

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
/** Refs that live in each worktree's own git directory, not the common one. */
const PER_WORKTREE = /^(?:[A-Z_]+|refs\/(?:bisect|worktree|rewritten)\/.*)$/
const MAX_LINKS = 10

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** The git directory a `.git` entry stands for: itself, or where its `gitdir:` line points. */
function gitDirOf(root: string): string | undefined {
  const dotGit = path.join(root, '.git')
  try {
    if (statSync(dotGit).isDirectory()) return dotGit
  } catch {
    return undefined
  }
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(read(dotGit) ?? '')
  return m ? path.resolve(root, m[1]) : undefined
}

function packedRef(commonDir: string, name: string): string | undefined {
  for (const line of (read(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue
    const [id, ref] = line.trim().split(' ')
    if (ref === name) return id
  }
  return undefined
}

/** The object id a ref (or HEAD) names, following symbolic refs. */
function resolveRef(gitDir: string, commonDir: string, name: string): string | { why: string } {
  let current = name
  for (let i = 0; i < MAX_LINKS; i++) {
    const dir = PER_WORKTREE.test(current) ? gitDir : commonDir
    const text = (read(path.join(dir, current)) ?? packedRef(commonDir, current))?.trim()
    if (text === undefined) return { why: `${current} names no commit yet` }
    if (OBJECT_ID.test(text)) return text
    const link = /^ref:\s*(\S+)$/.exec(text)
    if (!link) return { why: `${current} holds something other than a commit id` }
    current = link[1]
  }
  return { why: `${name} is a chain of more than ${MAX_LINKS} symbolic refs` }
}

/** The commit checked out at `root` (a directory holding `.git`). */
export function readCheckoutCommit(root: string): CheckoutCommit {
  const gitDir = gitDirOf(root)
  if (!gitDir) return { kind: 'unknown', root, why: 'its .git could not be read' }
  const common = read(path.join(gitDir, 'commondir'))?.trim()
  const commonDir = common ? path.resolve(gitDir, common) : gitDir
  if (existsSync(path.join(commonDir, 'reftable')))
    return { kind: 'unknown', root, why: 'its refs are in the reftable format' }
  const head = resolveRef(gitDir, commonDir, 'HEAD')
  if (typeof head !== 'string') return { kind: 'unknown', root, why: head.why }
  return { kind: 'commit', sha: head, root }
}

/** The checkout holding `file`: the nearest directory with a `.git`, up to the workspace. */
export function checkoutOf(file: string, workspace: string): CheckoutCommit {
  const top = realpathSync(workspace)
  let dir = path.dirname(realpathSync(file))
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return readCheckoutCommit(dir)
    if (dir === top || path.dirname(dir) === dir) return { kind: 'none' }
    dir = path.dirname(dir)
  }
}
