// The edge: reads the runner's environment, runs the plan, writes outputs. Everything it calls
// is pure or takes the SDK client as an argument.
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { rekognitionClient } from './aws-clients.js'
import { ActionError, InputError } from './errors.js'
import { readRunContext, type RunContext } from './github-context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { chooseRegion } from './region.js'
import { buildCreateRequest } from './request.js'
import { startOrReuse, type StartedVersion } from './versions.js'

const readInput = (name: string): string => core.getInput(name)

function readEventPayload(path: string | undefined): unknown {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    core.warning(`Could not read the event payload at ${path}; pull request details are unknown.`)
    return {}
  }
}

/** Secrets never reach the log, even inside an echoed error. */
function maskSecrets(inputs: Pick<ActionInputs, 'githubToken'> | undefined): void {
  for (const secret of [
    process.env.AWS_SECRET_ACCESS_KEY,
    process.env.AWS_SESSION_TOKEN,
    inputs?.githubToken
  ]) {
    if (secret) core.setSecret(secret)
  }
}

function announce(version: StartedVersion): void {
  // Written before anything else can fail, so the training is never lost.
  core.setOutput('project-version-arn', version.arn)
  core.setOutput('version-name', version.name)
  core.setOutput('created', String(version.created))
  core.info(`${version.created ? 'Started training' : 'Attached to'} ${version.arn}`)
}

export async function run(): Promise<void> {
  try {
    maskSecrets(undefined)
    const ctx: RunContext = readRunContext(
      process.env,
      readEventPayload(process.env.GITHUB_EVENT_PATH)
    )
    const inputs = parseInputs(readInput, ctx, new Date())
    maskSecrets(inputs)
    const { region, notice } = chooseRegion(inputs.region, process.env, inputs.arnRegion)
    if (notice) core.notice(notice)

    if (inputs.dryRun) {
      core.setOutput('version-name', inputs.versionName)
      core.info(`Dry run: no AWS call made. CreateProjectVersion in ${region} would be:`)
      core.info(JSON.stringify(buildCreateRequest(inputs, inputs.versionName), null, 2))
      return
    }

    const client = rekognitionClient({ region, pollIntervalMs: inputs.pollIntervalSeconds * 1000 })
    const version = await startOrReuse(client, {
      projectArn: inputs.projectArn,
      versionName: inputs.versionName,
      ifVersionExists: inputs.ifVersionExists,
      buildRequest: (name) => buildCreateRequest(inputs, name),
      log: core
    })
    announce(version)
  } catch (err) {
    if (err instanceof InputError || err instanceof ActionError) {
      core.setFailed(err.message)
    } else {
      core.debug(err instanceof Error ? (err.stack ?? err.message) : String(err))
      core.setFailed(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
