// `npm run build`: the bundle in dist/, with @vercel/ncc's API rather than its CLI, for one reason:
// the output is CommonJS. The package is ESM ("type": "module"), and ncc's CLI then writes an ES
// module; Node 24 spends about 20 ms loading its ES module loader before the first line of an ES
// entry runs, which a CommonJS entry does not (BENCHMARKS.md). dist/package.json says so to Node.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import ncc from '@vercel/ncc'

const ROOT = path.resolve(import.meta.dirname, '..')
const OUT = path.join(ROOT, 'dist')

const { code, assets } = await ncc(path.join(ROOT, 'src/index.ts'), {
  esm: false,
  minify: true,
  license: 'licenses.txt',
  quiet: true
})
rmSync(OUT, { recursive: true, force: true })
mkdirSync(OUT, { recursive: true })
writeFileSync(path.join(OUT, 'index.js'), code)
for (const [name, asset] of Object.entries(assets ?? {})) {
  mkdirSync(path.dirname(path.join(OUT, name)), { recursive: true })
  writeFileSync(path.join(OUT, name), asset.source)
}
writeFileSync(path.join(OUT, 'package.json'), '{\n  "type": "commonjs"\n}\n')
console.log(`dist/index.js: ${code.length} bytes, ${Object.keys(assets ?? {}).length} assets`)
