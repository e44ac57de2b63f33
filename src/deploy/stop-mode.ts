// `mode: stop`, for `pull_request` `closed`: stops the versions this repository deployed for that
// pull request (tags train-action:deployed-by and train-action:deployed-pr). Nothing else.
import { rekognitionClient, socketsFor } from '../aws/aws-clients.js'
import { hasAwsCredentials } from '../aws/credentials.js'
import { checkProxyEnv } from '../aws/proxy-env.js'
import { ActionError, InputError } from '../errors.js'
import { readRunContext } from '../github/github-context.js'
import { parseCollectInputs } from '../inputs/inputs.js'
import { chooseRegion } from '../inputs/region.js'
import { readEventPayload } from '../modes/event.js'
import type { ActionIo } from '../modes/io.js'
import { writeMarkdown } from '../modes/publish.js'
import { code, escapeMarkdown } from '../reporting/markdown.js'
import { versionNameOf } from '../training/lookup.js'
import { hostedVersions, stopVersion } from './hosting.js'
import { ofPullRequest } from './plan.js'

export async function stopMode(io: ActionIo, cancel: AbortSignal): Promise<void> {
  const ctx = readRunContext(io.env, readEventPayload(io, io.env.GITHUB_EVENT_PATH))
  const inputs = parseCollectInputs((name) => io.getInput(name))
  if (ctx.prNumber === undefined)
    throw new InputError(
      `mode: stop stops the versions deployed for a pull request, and this ${ctx.eventName || 'event'} event names none; run it on pull_request: types: [closed]`
    )
  checkProxyEnv(io.env)
  const { region, notice } = chooseRegion(inputs.region, io.env, inputs.arnRegion)
  if (notice) io.log.notice(notice)
  if (ctx.fromFork && !hasAwsCredentials(io.env)) {
    io.setOutput('stopped-versions', '')
    io.log.notice(
      'Skipped: a pull request from a fork gets no AWS credentials, and nothing was deployed for it.'
    )
    return
  }
  const sockets = await socketsFor(io.env)
  const client = rekognitionClient({
    region,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    sockets,
    env: io.env
  })
  const hosted = await hostedVersions(client, inputs.projectArn, cancel)
  const mine = ofPullRequest(hosted, ctx.repository, ctx.prNumber)
  const stopped: string[] = []
  const problems: string[] = []
  for (const h of mine) {
    try {
      await stopVersion(client, h.arn, cancel)
      stopped.push(h.arn)
      io.log.info(`Stopped ${h.arn}, deployed for pull request #${ctx.prNumber}.`)
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  io.setOutput('stopped-versions', stopped.join(','))
  io.log.info(
    `Pull request #${ctx.prNumber}: ${stopped.length} deployment(s) stopped; ${hosted.length - stopped.length} other version(s) of ${inputs.projectName} left running.`
  )
  const list = stopped.map((a) => `- ${code(versionNameOf(a) ?? a)}`).join('\n')
  await writeMarkdown(
    io,
    `## ⏹️ Pull request #${ctx.prNumber} closed: ${stopped.length} deployment(s) stopped (${escapeMarkdown(inputs.projectName)})\n\n${list || 'Nothing was running for it.'}\n`
  )
  if (problems.length > 0)
    throw new ActionError(
      `${problems.length} deployment(s) could not be stopped: ${problems.join('; ')}`
    )
}
