import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkoutOf, readCheckoutCommit } from '../../src/datasets/checkout.js'
import { checkManifestCommit } from '../../src/datasets/commit-check.js'
import { ActionError } from '../../src/errors.js'
import { checkout, git, makeDataRepo, type DataRepo } from '../e2e/git-fixture.js'
import { runContext } from './helpers.js'

let repo: DataRepo
let scratch: string
beforeAll(() => {
  repo = makeDataRepo()
  scratch = mkdtempSync(path.join(tmpdir(), 'train-action-checkout-'))
})
afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true })
  rmSync(scratch, { recursive: true, force: true })
})

let k = 0
const workspace = (): string => {
  const dir = path.join(scratch, `ws-${++k}`)
  mkdirSync(dir)
  return dir
}

describe('readCheckoutCommit', () => {
  test('a detached HEAD (actions/checkout on a pull request)', () => {
    const ws = workspace()
    checkout(repo, ws, repo.head1)
    expect(readCheckoutCommit(ws)).toEqual({ kind: 'commit', sha: repo.head1, root: ws })
  })

  test('a branch: HEAD -> refs/heads/<branch>, loose or packed', () => {
    const loose = workspace()
    checkout(repo, loose, 'main', { branchAt: repo.head2 })
    expect(readCheckoutCommit(loose)).toMatchObject({ kind: 'commit', sha: repo.head2 })
    const packed = workspace()
    checkout(repo, packed, 'main', { branchAt: repo.head2, packed: true })
    expect(readCheckoutCommit(packed)).toMatchObject({ kind: 'commit', sha: repo.head2 })
  })

  test('a linked worktree: the .git file, its commondir and the shared refs', () => {
    const ws = workspace()
    checkout(repo, ws, 'main', { branchAt: repo.base })
    const linked = path.join(scratch, `linked-${k}`)
    git(ws, 'worktree', 'add', '-q', '-b', 'wt', linked, repo.head1)
    git(ws, 'pack-refs', '--all', '--prune')
    expect(readCheckoutCommit(linked)).toMatchObject({ kind: 'commit', sha: repo.head1 })
  })

  test('a symbolic ref chain is followed', () => {
    const ws = workspace()
    checkout(repo, ws, 'main', { branchAt: repo.head1 })
    git(ws, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/main')
    git(ws, 'symbolic-ref', 'HEAD', 'refs/heads/alias')
    expect(readCheckoutCommit(ws)).toMatchObject({ kind: 'commit', sha: repo.head1 })
  })

  test('what cannot be read is unknown, with the reason', () => {
    const unborn = workspace()
    git(unborn, 'init', '-q', '-b', 'empty')
    expect(readCheckoutCommit(unborn)).toEqual({
      kind: 'unknown',
      root: unborn,
      why: 'refs/heads/empty names no commit yet'
    })
    const broken = workspace()
    writeFileSync(path.join(broken, '.git'), 'not a gitdir line')
    expect(readCheckoutCommit(broken)).toMatchObject({ why: 'its .git could not be read' })
    const garbage = workspace()
    mkdirSync(path.join(garbage, '.git'))
    writeFileSync(path.join(garbage, '.git', 'HEAD'), 'something else\n')
    expect(readCheckoutCommit(garbage)).toMatchObject({
      why: 'HEAD holds something other than a commit id'
    })
    const loop = workspace()
    mkdirSync(path.join(loop, '.git', 'refs', 'heads'), { recursive: true })
    writeFileSync(path.join(loop, '.git', 'HEAD'), 'ref: refs/heads/a\n')
    writeFileSync(path.join(loop, '.git', 'refs', 'heads', 'a'), 'ref: refs/heads/a\n')
    expect(readCheckoutCommit(loop)).toMatchObject({ why: expect.stringContaining('chain') })
    const reftable = workspace()
    mkdirSync(path.join(reftable, '.git', 'reftable'), { recursive: true })
    expect(readCheckoutCommit(reftable)).toMatchObject({
      why: 'its refs are in the reftable format'
    })
  })
})

describe('checkoutOf', () => {
  test('the nearest checkout above the file, not above the workspace', () => {
    const ws = workspace()
    mkdirSync(path.join(ws, 'data', 'sub'), { recursive: true })
    writeFileSync(path.join(ws, 'data', 'sub', 'm.manifest'), '')
    expect(checkoutOf(path.join(ws, 'data', 'sub', 'm.manifest'), ws)).toEqual({ kind: 'none' })
    const nested = path.join(ws, 'data')
    checkout(repo, nested, repo.head2)
    expect(checkoutOf(path.join(nested, 'datasets', 'train.manifest'), ws)).toMatchObject({
      kind: 'commit',
      sha: repo.head2,
      root: nested
    })
  })
})

describe('checkManifestCommit', () => {
  const ctx = (over = {}) => runContext({ sha: 'a'.repeat(40), workspace: '/ws', ...over })

  test('a match: true, with one debug line per checkout', () => {
    const debug: string[] = []
    let reads = 0
    const ok = checkManifestCommit(
      ['/ws/a', '/ws/b'],
      ctx(),
      (l) => debug.push(l),
      () => {
        reads++
        return { kind: 'commit', sha: 'a'.repeat(40), root: '/ws' }
      }
    )
    expect(ok).toBe(true)
    expect(reads).toBe(2)
    expect(debug).toEqual([
      `The checkout at . holds ${'a'.repeat(40)}, the commit the version is named after.`
    ])
  })

  test('no manifests in the repository: nothing to check', () => {
    expect(checkManifestCommit([], ctx(), () => undefined)).toBe(false)
  })

  test('unknown, none, or no commit named: not verified, debug lines, no error', () => {
    const debug: string[] = []
    expect(
      checkManifestCommit(
        ['/ws/x'],
        ctx(),
        (l) => debug.push(l),
        () => ({
          kind: 'unknown',
          root: '/ws/sub',
          why: 'reasons'
        })
      )
    ).toBe(false)
    expect(
      checkManifestCommit(
        ['/ws/x'],
        ctx({ sha: '' }),
        (l) => debug.push(l),
        () => ({
          kind: 'commit',
          sha: 'b'.repeat(40),
          root: '/ws'
        })
      )
    ).toBe(false)
    expect(debug).toEqual([
      'The commit of the checkout at sub could not be checked: reasons.',
      `The run names no commit: the checkout at . (${'b'.repeat(40)}) was not compared.`
    ])
  })

  test('a mismatch on a push: an ActionError with generic advice', () => {
    expect(() =>
      checkManifestCommit(
        ['/ws/x'],
        ctx(),
        () => undefined,
        () => ({
          kind: 'commit',
          sha: 'b'.repeat(40),
          root: '/ws'
        })
      )
    ).toThrow(ActionError)
    expect(() =>
      checkManifestCommit(
        ['/ws/x'],
        ctx(),
        () => undefined,
        () => ({
          kind: 'commit',
          sha: 'b'.repeat(40),
          root: '/ws'
        })
      )
    ).toThrow(/check out the commit this run is for, or train on manifests in S3\.$/)
  })
})
