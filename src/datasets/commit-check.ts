// The version's name and `github:sha` must name the commit whose files are uploaded: when
// repository manifests are used, the checkout they come from must hold the run's commit. Pure
// but for the reads of checkout.ts.
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { ActionError } from '../errors.js'
import type { RunContext } from '../github/github-context.js'
import { checkoutOf, type CheckoutCommit } from './checkout.js'

/** What to change, for the event: GitHub's default checkout is another commit on some. */
function advice(ctx: RunContext, held: string): string {
  if (ctx.eventName === 'pull_request' && held === ctx.eventSha.toLowerCase()) {
    return 'on pull_request actions/checkout checks out the merge commit (GITHUB_SHA) by default; check out the pull request’s head instead: `ref: ${{ github.event.pull_request.head.sha }}`'
  }
  if (ctx.eventName === 'pull_request_target') {
    return 'pull_request_target checks out the base branch by default, so these are not the pull request’s files. Do not check out a fork’s head in a job with your AWS credentials: check fork pull requests with dry-run: true on pull_request, and train them through workflow_run after a maintainer’s approval (examples/workflow-run.yml)'
  }
  if (ctx.eventName === 'workflow_run') {
    return 'check out the triggering run’s commit: `repository: ${{ github.event.workflow_run.head_repository.full_name }}` and `ref: ${{ github.event.workflow_run.head_sha }}`'
  }
  return 'check out the commit this run is for, or train on manifests in S3'
}

/**
 * Refuses (ActionError) when a manifest's checkout holds another commit than `ctx.sha`. A
 * workspace that is not a git checkout, or whose HEAD cannot be read, gives no evidence of a
 * mismatch: a debug line says the commit could not be checked. Returns whether every manifest's
 * checkout was read and holds the commit.
 */
export function checkManifestCommit(
  files: string[],
  ctx: RunContext,
  debug: (line: string) => void,
  find: (file: string) => CheckoutCommit = (file) => checkoutOf(file, ctx.workspace)
): boolean {
  if (files.length === 0) return false
  let verified = true
  const claimed = ctx.sha.toLowerCase()
  const seen = new Set<string>()
  let top = ctx.workspace
  try {
    top = realpathSync(ctx.workspace)
  } catch {
    // Shown relative to the workspace as given.
  }
  for (const file of files) {
    const found = find(file)
    const key = found.kind === 'none' ? '' : found.root
    if (seen.has(key)) continue
    seen.add(key)
    const where = found.kind === 'none' ? '' : path.relative(top, found.root) || '.'
    if (found.kind !== 'commit' || !claimed) verified = false
    if (found.kind === 'none') {
      debug(
        `The manifests are not in a git checkout: their commit could not be checked against ${claimed || 'the run’s commit'}.`
      )
    } else if (found.kind === 'unknown') {
      debug(`The commit of the checkout at ${where} could not be checked: ${found.why}.`)
    } else if (!claimed) {
      debug(`The run names no commit: the checkout at ${where} (${found.sha}) was not compared.`)
    } else if (found.sha !== claimed) {
      throw new ActionError(
        `The checkout at ${where} holds commit ${found.sha}, but the version would be named after commit ${claimed} (github:sha): the manifests uploaded must be that commit’s. Nothing was uploaded or trained. ${advice(ctx, found.sha)}.`
      )
    } else {
      debug(`The checkout at ${where} holds ${found.sha}, the commit the version is named after.`)
    }
  }
  return verified
}
