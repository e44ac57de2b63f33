// `npm run demo`: the bundled action, end to end, against the local emulator. No AWS account.
// Starts the emulator, seeds a project and a bucket, runs dist/index.js the way the runner does
// (wait: true), then prints the log, the outputs and the job summary.
import { Emulator } from '../test/emulator/server.js'
import { SHA, runAction } from '../test/e2e/harness.js'

const emulator = await Emulator.start()
try {
  const projectArn = emulator.addProject('demo-defects', { region: 'eu-west-1', datasets: true })
  emulator.addBucket('demo-training-out')
  emulator.addVersion(projectArn, {
    name: 'vision-previous',
    status: 'TRAINING_COMPLETED',
    createdAt: new Date(Date.now() - 86_400_000),
    endedAt: new Date(Date.now() - 86_400_000 + 3_000_000),
    f1Score: 0.884,
    billableSeconds: 2950,
    outputBucket: 'demo-training-out',
    // Trained by an earlier push to main: `baseline-version: auto` picks it by this tag.
    tags: { 'github:repository': 'acme/vision', 'github:ref': 'refs/heads/main' }
  })
  emulator.setTraining({ durationMs: 8_000, f1Score: 0.912, billableSeconds: 2712 })
  console.log(`Emulator on ${emulator.url}; project ${projectArn}\n`)
  console.log('─── action log ───')
  const run = await runAction({
    endpoint: emulator.url,
    inputs: {
      'project-arn': projectArn,
      'output-bucket': 'demo-training-out',
      'output-prefix': 'ci/{short_sha}/',
      wait: 'true',
      'poll-interval-seconds': '2',
      'baseline-version': 'auto',
      'max-f1-drop': '0.05',
      tags: 'team=vision\ncost-center=ml-42'
    }
  })
  process.stdout.write(run.stdout)
  if (run.stderr) process.stdout.write(run.stderr)
  console.log('\n─── outputs ───')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}: ${value}`)
  console.log('\n─── commit status ───')
  for (const s of emulator.statuses('acme', 'vision', SHA))
    console.log(`${s.context}: ${s.state} (${s.description})`)
  console.log('\n─── job summary (Markdown) ───')
  console.log(run.summary)
  console.log(`exit code ${run.code}; ${emulator.requests.length} requests reached the emulator`)
  process.exitCode = run.code ?? 1
} finally {
  await emulator.stop()
}
