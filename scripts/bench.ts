// `npm run bench`: figures written down in BENCHMARKS.md, never asserted by tests.
// Start-up: from process start to the first request at the emulator, for the bundle against the
// floor (a bare node process sending one node:http request to the same server, under the same
// Node), in paired runs so the machine's noise hits both alike; reported as medians, the paired
// differences and ratios. The bundle runs in real time (no test time scale).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median } from '../src/training/history.js'
import { Emulator } from '../test/emulator/server.js'
import { ForwardProxy } from '../test/e2e/forward-proxy.js'
import { BUNDLE, ROOT, runAction } from '../test/e2e/harness.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 9)
/** Another build's dist/index.js (BENCH_COMPARE), timed in the same pairs as this one. */
const COMPARE = process.env.BENCH_COMPARE
/** The node that runs the bundle (and the floor): E2E_NODE, as in the end-to-end tests. */
const NODE = process.env.E2E_NODE ?? process.execPath
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()

/** ms from spawn to the first request the emulator records after `since`. */
async function firstRequestMs(emu: Emulator, start: () => Promise<unknown>): Promise<number> {
  const before = emu.requests.length
  const t0 = Date.now()
  await start()
  const first = emu.requests[before]
  if (!first) throw new Error('no request reached the emulator')
  return first.time - t0
}

/**
 * The floor: the cheapest way Node sends one request, node:http (fetch loads undici on first use
 * on Node 20), under the same Node as the bundle.
 */
function floorProcess(url: string): Promise<void> {
  const script = `require('node:http').get(${JSON.stringify(`${url}/floor-bucket/floor`)}, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=A/20260101/eu-west-1/s3/aws4_request' } }, (r) => r.resume())`
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['-e', script], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', () => resolve())
  })
}

/** Peak RSS (MB) of a run of the bundle, from its own process.resourceUsage() at exit. */
function rssEnv(): { env: Record<string, string>; peakMb: () => number } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-rss-')), 'rss')
  return {
    env: {
      NODE_OPTIONS: `--require ${path.join(ROOT, 'scripts/max-rss.cjs')}`,
      BENCH_RSS_FILE: file
    },
    peakMb: () => Number(readFileSync(file, 'utf8')) / 1024
  }
}

/**
 * A realistic mixed manifest line, about 465 bytes on average: even lines are image-level labels
 * (about 335 bytes), odd ones two bounding boxes (about 580), as Ground Truth writes them.
 */
function manifestLine(i: number): string {
  const meta = {
    'human-annotated': 'yes',
    'creation-date': '2026-11-01T08:15:42.123456',
    'job-name': 'labeling-job/acme-defects-2026-11-run2'
  }
  const ref = `s3://acme-vision-datasets/defects/2026-11/line-3/camera-07/images/batch-${Math.floor(i / 1000)}/img-${i}.jpg`
  if (i % 2 === 0) {
    return JSON.stringify({
      'source-ref': ref,
      defect: i % 4 === 0 ? 1 : 0,
      'defect-metadata': {
        'class-name': i % 4 === 0 ? 'scratch' : 'dent',
        confidence: 0.97,
        type: 'groundtruth/image-classification',
        ...meta
      }
    })
  }
  return JSON.stringify({
    'source-ref': ref,
    'bounding-box': {
      image_size: [{ width: 1280, height: 960, depth: 3 }],
      annotations: [
        { class_id: 0, top: 120 + (i % 300), left: 64 + (i % 500), height: 88, width: 140 },
        { class_id: 1, top: 410, left: 220 + (i % 400), height: 64, width: 96 }
      ]
    },
    'bounding-box-metadata': {
      objects: [{ confidence: 0.93 }, { confidence: 0.88 }],
      'class-map': { '0': 'scratch', '1': 'dent' },
      type: 'groundtruth/object-detection',
      ...meta
    }
  })
}

const emu = await Emulator.start()
try {
  const projectArn = emu.addProject('bench')
  emu.addBucket('bench-out')
  emu.addBucket('floor-bucket')
  const action: number[] = []
  const floor: number[] = []
  // The same start through a forward proxy, the emulator reachable by a name only it resolves:
  // what loading the proxy code and the first proxied request add.
  const proxy = await ForwardProxy.start({ 'emulator.internal': '127.0.0.1' })
  const proxied: number[] = []
  const compared: number[] = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await firstRequestMs(emu, () => floorProcess(emu.url)))
    if (COMPARE) {
      compared.push(
        await firstRequestMs(emu, () =>
          runAction({
            timeScale: 1,
            bundle: COMPARE,
            endpoint: emu.url,
            inputs: {
              'project-arn': projectArn,
              'output-bucket': 'bench-out',
              'version-name': `bench-compared-${i}`
            }
          })
        )
      )
    }
    action.push(
      await firstRequestMs(emu, () =>
        runAction({
          timeScale: 1,
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
  for (let i = 0; i < RUNS; i++) {
    proxied.push(
      await firstRequestMs(emu, () =>
        runAction({
          timeScale: 1,
          endpoint: emu.url,
          inputs: {
            'project-arn': projectArn,
            'output-bucket': 'bench-out',
            'version-name': `bench-proxied-${i}`
          },
          env: {
            AWS_ENDPOINT_URL_REKOGNITION: `http://emulator.internal:${new URL(emu.url).port}`,
            HTTP_PROXY: proxy.url
          }
        })
      )
    )
  }
  await proxy.stop()
  const ratios = action.map((a, i) => a / floor[i])

  // Peak RSS of a full run: create, wait through the checks, read the evaluation summary, report.
  const waitRss = rssEnv()
  emu.setTraining({ checksUntilEnd: 5 })
  const waitRun = await runAction({
    timeScale: 1,
    endpoint: emu.url,
    inputs: {
      'project-arn': projectArn,
      'output-bucket': 'bench-out',
      'version-name': 'bench-wait',
      wait: 'true',
      'poll-interval-seconds': '0.2',
      'baseline-version': 'auto'
    },
    env: waitRss.env
  })
  if (waitRun.code !== 0) throw new Error(`wait run failed: ${waitRun.stdout}`)
  const waitRssMb = waitRss.peakMb()

  // The same on a pull request: the comment ("started", then the results) through Octokit.
  const head = 'be'.repeat(20)
  emu.setPullRequest('acme', 'vision', 1, head)
  const prRss = rssEnv()
  const prRun = await runAction({
    timeScale: 1,
    endpoint: emu.url,
    inputs: {
      'project-arn': projectArn,
      'output-bucket': 'bench-out',
      'version-name': 'bench-pr',
      wait: 'true',
      'poll-interval-seconds': '0.2',
      'baseline-version': 'auto'
    },
    event: {
      name: 'pull_request',
      payload: {
        pull_request: {
          number: 1,
          head: { sha: head, ref: 'data', repo: { full_name: 'acme/vision' } },
          base: { ref: 'main', repo: { full_name: 'acme/vision' } }
        }
      }
    },
    env: { ...prRss.env, GITHUB_HEAD_REF: 'data' }
  })
  if (prRun.code !== 0 || !prRun.outputs['comment-url'])
    throw new Error(`pull request run failed: ${prRun.stdout}`)
  const prRssMb = prRss.peakMb()

  // A realistic mixed 250,000-line manifest (the guide's limit), validated in a dry run.
  const lines = 250_000
  const manifest = `${Array.from({ length: lines }, (_, i) => manifestLine(i)).join('\n')}\n`
  const manifestRss = rssEnv()
  const manifestRun = await runAction({
    timeScale: 1,
    endpoint: emu.url,
    inputs: {
      'project-arn': projectArn,
      'output-bucket': 'bench-out',
      'training-manifests': 'data/train.manifest',
      'auto-create-testing': 'true',
      'dry-run': 'true'
    },
    files: { 'data/train.manifest': manifest },
    env: manifestRss.env,
    timeoutMs: 300_000
  })
  if (manifestRun.code !== 0)
    throw new Error(`manifest run failed: ${manifestRun.stdout.slice(-2000)}`)
  const manifestRssMb = manifestRss.peakMb()

  // The same lines four times over (1,000,000): refused at line 250,001, the rest never read.
  const tooLong = `${Array.from({ length: 4 * lines }, (_, i) => manifestLine(i)).join('\n')}\n`
  const tooLongRss = rssEnv()
  const tooLongRun = await runAction({
    timeScale: 1,
    endpoint: emu.url,
    inputs: {
      'project-arn': projectArn,
      'output-bucket': 'bench-out',
      'training-manifests': 'data/train.manifest',
      'auto-create-testing': 'true',
      'dry-run': 'true'
    },
    files: { 'data/train.manifest': tooLong },
    env: tooLongRss.env,
    timeoutMs: 300_000
  })
  if (!/more than 250000 lines/.test(tooLongRun.stdout))
    throw new Error(`1M-line run was not refused: ${tooLongRun.stdout.slice(-2000)}`)

  const distFiles = readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))
  const distBytes = distFiles.reduce((n, f) => n + statSync(path.join(ROOT, 'dist', f)).size, 0)
  console.log(`Runs: ${RUNS} paired; the bundle and the floor under node ${NODE_VERSION}`)
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
  console.log(
    `| over the floor, bundle - floor (median of paired differences) | ${median(action.map((a, i) => a - floor[i])).toFixed(0)} ms |`
  )
  console.log(`| ratio bundle / floor (median of paired ratios) | ${median(ratios).toFixed(2)} |`)
  if (COMPARE) {
    console.log(
      `| BENCH_COMPARE's bundle: start to first request (median), over the floor, ratio | ${median(compared).toFixed(0)} ms, ${median(compared.map((a, i) => a - floor[i])).toFixed(0)} ms, ${median(compared.map((a, i) => a / floor[i])).toFixed(2)} |`
    )
  }
  console.log(
    `| start to first request through an HTTP_PROXY, bundle (median) | ${median(proxied).toFixed(0)} ms |`
  )
  console.log(
    `| peak RSS, a full wait run (create, checks, evaluation summary, baseline) | ${waitRssMb.toFixed(0)} MB |`
  )
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`
  console.log(
    `| peak RSS, the same on a pull request (PR comment through Octokit) | ${prRssMb.toFixed(0)} MB |`
  )
  console.log(
    `| ${lines.toLocaleString('en')}-line mixed manifest (${mb(Buffer.byteLength(manifest))}, ${(Buffer.byteLength(manifest) / lines).toFixed(0)} bytes a line) validated in a dry run: whole step | ${(manifestRun.durationMs / 1000).toFixed(1)} s |`
  )
  console.log(`| peak RSS of that run | ${manifestRssMb.toFixed(0)} MB |`)
  console.log(
    `| 1,000,000-line manifest (${mb(Buffer.byteLength(tooLong))}) refused at line 250,001: whole step | ${(tooLongRun.durationMs / 1000).toFixed(1)} s (${(tooLongRun.durationMs / manifestRun.durationMs).toFixed(2)} x the 250,000-line run) |`
  )
  console.log(`| peak RSS of that run | ${tooLongRss.peakMb().toFixed(0)} MB |`)
} finally {
  await emu.stop()
}
