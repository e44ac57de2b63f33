// `npx tsx scripts/check-licenses.ts "MIT;ISC;..."`: every package dist/ bundles (dist/licenses.txt,
// written by ncc) must carry an allowed licence. .ci/run also runs license-checker-rseidelsohn over
// the production dependency tree with the same list; this catches what is bundled from elsewhere
// (a devDependency imported by src/, say).
import { readFileSync } from 'node:fs'
import { bundledLicenses, disallowed } from './licenses.js'

const allow = (process.argv[2] ?? '').split(';').filter(Boolean)
const bundled = bundledLicenses(readFileSync('dist/licenses.txt', 'utf8'))
if (bundled.length === 0) {
  console.log('dist/licenses.txt lists no package: was the bundle built with --license?')
  process.exit(1)
}
const bad = disallowed(bundled, allow)
for (const b of bad)
  console.log(`${b.name}: ${b.license} is not on the allow-list (${allow.join(', ')})`)
if (bad.length > 0) process.exit(1)
console.log(`${bundled.length} bundled packages, all under allowed licences`)
