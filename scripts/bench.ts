// `npm run bench`: figures written down in BENCHMARKS.md, never asserted by tests.
// Start-up: from process start to the first request at the emulator, for the bundle against the
// floor (a bare node process sending one HTTP request to the same server), in paired runs so the
// machine's noise hits both alike; reported as medians and their ratio.
import { spawn } from 'node:child_process'
import { statSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { Emulator } from '../test/emulator/server.js'
import { BUNDLE, ROOT, runAction } from '../test/e2e/harness.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 9)

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** ms from spawn to the first request the emulator records after `since`. */
async function firstRequestMs(emu: Emulator, start: () => Promise<unknown>): Promise<number> {
  const before = emu.requests.length
  const t0 = Date.now()
  await start()
  const first = emu.requests[before]
  if (!first) throw new Error('no request reached the emulator')
  return first.time - t0
}

function floorProcess(url: string): Promise<void> {
  const script = `const r = await fetch(${JSON.stringify(url)} + '/floor-bucket/floor', { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=A/20260101/eu-west-1/s3/aws4_request' } }); await r.text()`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: 'ignore'
    })
    child.on('error', reject)
    child.on('close', () => resolve())
  })
}

const emu = await Emulator.start()
try {
  const projectArn = emu.addProject('bench')
  emu.addBucket('bench-out')
  emu.addBucket('floor-bucket')
  const action: number[] = []
  const floor: number[] = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await firstRequestMs(emu, () => floorProcess(emu.url)))
    action.push(
      await firstRequestMs(emu, () =>
        runAction({
          endpoint: emu.url,
          inputs: {
            'project-arn': projectArn,
            'output-bucket': 'bench-out',
            'version-name': `bench-${i}`
          }
        })
      )
    )
  }
  const ratios = action.map((a, i) => a / floor[i])
  const distFiles = readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))
  const distBytes = distFiles.reduce((n, f) => n + statSync(path.join(ROOT, 'dist', f)).size, 0)
  console.log(`Runs: ${RUNS} paired, node ${process.version}`)
  console.log('| figure | value |')
  console.log('| --- | --- |')
  console.log(`| entry bundle dist/index.js | ${(statSync(BUNDLE).size / 1e6).toFixed(2)} MB |`)
  console.log(
    `| all of dist/*.js (${distFiles.length} files) | ${(distBytes / 1e6).toFixed(2)} MB |`
  )
  console.log(`| start to first request, bundle (median) | ${median(action).toFixed(0)} ms |`)
  console.log(
    `| start to first request, bare node floor (median) | ${median(floor).toFixed(0)} ms |`
  )
  console.log(`| ratio bundle / floor (median of paired ratios) | ${median(ratios).toFixed(2)} |`)
} finally {
  await emu.stop()
}
