// A lean start, checked by what is loaded rather than by a clock (BENCHMARKS.md has the times):
// by its first request the bundle has loaded no AWS SDK and none of the built-ins only later steps
// need (TLS, HTTP/2, zlib, fs/promises and the readline it pulls in, child processes, undici).
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Emulator } from '../emulator/server.js'
import { BUNDLE, ROOT, runAction } from './harness.js'

let emu: Emulator
beforeAll(async () => {
  emu = await Emulator.start()
})
afterAll(async () => {
  await emu.stop()
})

test('by the first request: no SDK, no TLS, HTTP/2, zlib, fs/promises, child processes or undici', async () => {
  const project = emu.addProject('lean')
  emu.addBucket('lean-out')
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lean-start-')), 'modules')
  const run = await runAction({
    endpoint: emu.url,
    env: {
      NODE_OPTIONS: `--require ${path.join(ROOT, 'test/fixtures/first-connect.cjs')}`,
      FIRST_CONNECT_FILE: file
    },
    inputs: { 'project-arn': project, 'output-bucket': 'lean-out', 'version-name': 'lean-1' }
  })
  expect(run.code).toBe(0)
  // The first request is the preflight's DescribeProjects, signed and sent by the action's client.
  expect(emu.requests[0]?.operation).toBe('DescribeProjects')
  const loaded = readFileSync(file, 'utf8').split('\n')
  for (const heavy of [
    'NativeModule tls',
    'NativeModule https',
    'NativeModule http2',
    'NativeModule zlib',
    'NativeModule fs/promises',
    'NativeModule child_process',
    'NativeModule internal/deps/undici/undici'
  ])
    expect(loaded).not.toContain(heavy)
  expect(loaded).toContain('NativeModule crypto')
})

test('the entry bundle carries no AWS SDK (it is in lazy chunks, for S3 and other credentials)', () => {
  const entry = readFileSync(BUNDLE, 'utf8')
  expect(statSync(BUNDLE).size).toBeLessThan(300_000)
  for (const sdk of ['@smithy/', '@aws-sdk/', 'RekognitionServiceException', 'NodeHttpHandler'])
    expect(entry).not.toContain(sdk)
})
