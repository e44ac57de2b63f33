// `npx tsx scripts/check-pins.ts FILE...`: fails, listing each line, if a `uses:` is not pinned
// (see pins.ts for the rules). .ci/run runs it over the workflows, the examples and the Markdown.
import { readFileSync } from 'node:fs'
import { pinProblems } from './pins.js'

const files = process.argv.slice(2)
const problems = files.flatMap((f) => pinProblems(f, readFileSync(f, 'utf8')))
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.problem}`)
if (problems.length > 0) {
  console.log(`${problems.length} unpinned uses: lines`)
  process.exit(1)
}
console.log(`every uses: line of ${files.length} files is pinned`)
