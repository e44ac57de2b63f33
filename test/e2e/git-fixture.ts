// Real git checkouts for the tests, made with the git CLI (the action itself never runs git):
// a repository whose `main` holds a base commit, a PR branch with two commits changing the data,
// and the merge commit GitHub makes for a pull_request run (second parent: the PR head).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { classificationLines, manifestText } from '../fixtures/manifest-builders.js'

const GIT_ENV = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Data Person',
  GIT_AUTHOR_EMAIL: 'data@example.com',
  GIT_COMMITTER_NAME: 'Data Person',
  GIT_COMMITTER_EMAIL: 'data@example.com',
  GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z'
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { env: GIT_ENV, encoding: 'utf8' }).trim()
}

export interface DataRepo {
  /** The repository made once; copy it into a workspace with `checkout`. */
  dir: string
  base: string
  head1: string
  head2: string
  merge: string
  /** The files of each commit, by path. */
  files: Record<string, Record<string, string>>
}

/** A valid classification manifest of `n` images; `tag` makes the content differ. */
export function manifest(n: number, tag: string): string {
  return manifestText(classificationLines(tag, n, { jobName: 'labeling' }))
}

function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), text)
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

export function makeDataRepo(): DataRepo {
  const dir = mkdtempSync(path.join(tmpdir(), 'train-action-git-'))
  git(dir, 'init', '-q', '-b', 'main')
  const test = manifest(12, 'test')
  const files: DataRepo['files'] = {}
  const baseFiles = {
    'datasets/train.manifest': manifest(30, 'base'),
    'datasets/test.manifest': test
  }
  const base = commit(dir, baseFiles, 'base data')
  files[base] = baseFiles
  git(dir, 'checkout', '-q', '-b', 'data/more-scratches')
  const f1 = { ...baseFiles, 'datasets/train.manifest': manifest(32, 'push1') }
  const head1 = commit(dir, f1, 'more scratches')
  files[head1] = f1
  const f2 = { ...baseFiles, 'datasets/train.manifest': manifest(34, 'push2') }
  const head2 = commit(dir, f2, 'even more scratches')
  files[head2] = f2
  // GitHub's refs/pull/N/merge for head1: the base with the head merged in.
  git(dir, 'checkout', '-q', '--detach', base)
  git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge head1 into main', head1)
  const merge = git(dir, 'rev-parse', 'HEAD')
  files[merge] = f1
  git(dir, 'checkout', '-q', 'main')
  return { dir, base, head1, head2, merge, files }
}

/**
 * Puts the repository into `workspace` with `ref` checked out: a commit id gives a detached HEAD
 * (actions/checkout on pull requests), a branch name `HEAD: ref: refs/heads/<branch>` (on push).
 * `packed`: the refs packed into packed-refs, as a fresh fetch leaves them.
 */
export function checkout(
  repo: DataRepo,
  workspace: string,
  ref: string,
  opts: { branchAt?: string; packed?: boolean } = {}
): void {
  cpSync(repo.dir, workspace, { recursive: true })
  if (opts.branchAt) git(workspace, 'checkout', '-q', '-B', ref, opts.branchAt)
  else git(workspace, 'checkout', '-q', '--detach', ref)
  if (opts.packed) git(workspace, 'pack-refs', '--all', '--prune')
}
