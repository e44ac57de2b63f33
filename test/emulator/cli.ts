// Runs the emulator by hand: npx tsx test/emulator/cli.ts [--port N] [--seed] [--training-seconds N]
import { parseArgs } from 'node:util'
import { Emulator } from './server.js'

const DEMO_PROJECT_CREATED = new Date(1700000000000)

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'boolean', default: false },
      'training-seconds': { type: 'string', default: '20' }
    }
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  const trainingSeconds = Number(values['training-seconds'])
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port}: not a port number`)
  if (!(trainingSeconds >= 0))
    throw new Error(`--training-seconds ${values['training-seconds']}: not a number >= 0`)

  const stamp = () => new Date().toISOString().slice(11, 23)
  const emu = await Emulator.start({ port, log: (line) => console.log(`${stamp()} ${line}`) })
  emu.setTraining({ durationMs: trainingSeconds * 1000 })
  if (values.seed) {
    const arn = emu.addProject('demo-defects', { createdAt: DEMO_PROJECT_CREATED })
    emu.addBucket('demo-training-out')
    console.log(`Seeded project ${arn} and bucket demo-training-out`)
  }
  console.log(`Emulator listening on ${emu.url} (training ends after ${trainingSeconds} s)`)
  console.log('Point the action at it with:')
  for (const [name, value] of [
    ['AWS_ENDPOINT_URL_REKOGNITION', emu.url],
    ['AWS_ENDPOINT_URL_S3', emu.url],
    ['GITHUB_API_URL', emu.url],
    ['AWS_ACCESS_KEY_ID', 'AKIAEMULATOR00000000'],
    ['AWS_SECRET_ACCESS_KEY', 'emulator-secret-access-key'],
    ['AWS_REGION', 'eu-west-1']
  ]) {
    console.log(`  export ${name}=${value}`)
  }

  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping`)
    emu.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
