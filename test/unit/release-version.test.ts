// One version everywhere: package.json (and its lock), the newest release in CHANGELOG.md and the
// release workflow's check of the tag agree, so `@v1` resolves to what the changelog describes.
import { expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const pkg = JSON.parse(read('package.json')) as { version: string }
const lock = JSON.parse(read('package-lock.json')) as {
  version: string
  packages: Record<string, { version?: string }>
}
const changelog = read('CHANGELOG.md')
const headings = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)]

test('package.json and its lock file name the same version, X.Y.Z', () => {
  expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/)
  expect(lock.version).toBe(pkg.version)
  expect(lock.packages[''].version).toBe(pkg.version)
})

test('CHANGELOG.md: Unreleased on top, then the release package.json names, dated', () => {
  expect(headings[0][1]).toBe('Unreleased')
  expect(headings[1][1]).toBe(pkg.version)
  expect(headings[1][2]).toBeDefined()
})

test('CHANGELOG.md: every release heading has its link, and the versions only go down', () => {
  const versions = headings.slice(1).map((h) => h[1])
  for (const v of versions) expect(changelog).toMatch(new RegExp(`^\\[${v}\\]: \\S+/v${v}$`, 'm'))
  expect(changelog).toMatch(
    new RegExp(`^\\[Unreleased\\]: \\S+/compare/v${pkg.version}\\.\\.\\.HEAD$`, 'm')
  )
  const numeric = versions.map((v) => v.split('.').map(Number))
  for (let i = 1; i < numeric.length; i++) {
    const [a, b] = [numeric[i - 1], numeric[i]]
    const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
    expect(cmp).toBeGreaterThan(0)
  }
})

test('release.yml refuses a tag that is not vX.Y.Z or that package.json does not name', () => {
  const release = read('.github/workflows/release.yml')
  expect(release).toContain('^v([0-9]+)\\.([0-9]+)\\.([0-9]+)$')
  expect(release).toContain("require('./package.json').version")
  expect(release).toContain('[ "$actual" != "$version" ]')
})
