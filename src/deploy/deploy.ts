// `deploy: true`: once the version is trained and every gate passed, start it, wait for RUNNING
// with the training's bounded, budgeted wait, smoke-test it, and only then stop this repository's
// earlier deployments of the same slot. Every step is derived from what AWS says about the
// versions, so a re-run converges: a version found STARTING or RUNNING is not started again.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { statusCheckClient, type Sockets } from '../aws/aws-clients.js'
import type { RunContext } from '../github/github-context.js'
import type { ActionInputs } from '../inputs/inputs.js'
import type { ActionIo } from '../modes/io.js'
import { gitHub } from '../modes/github.js'
import { writeMarkdown } from '../modes/publish.js'
import { buildReport, runUrl, type RunState } from '../modes/run-state.js'
import { renderSummary, type Outcome } from '../reporting/report.js'
import { lookupVersion } from '../training/lookup.js'
import { versionTags } from '../training/project-versions.js'
import { statusMeaning } from '../training/statuses.js'
import { abortableSleep } from '../aws/abort.js'
import { waitForTraining } from '../training/wait.js'
import { DeploymentRecord } from './github-deployment.js'
import { hostedVersions, startVersion, stopVersion, tagVersion } from './hosting.js'
import {
  accuracy,
  DEPLOY_TAGS,
  deployTags,
  isoSeconds,
  sameSlot,
  slotOf,
  skipStatus,
  startStep,
  tagsToWrite,
  toStop,
  type Hosted,
  type SkipReason
} from './plan.js'
import { pct, renderDeploySection, type DeployReport } from './report.js'
import { checkSmokeManifest, runSmokeTest, type SmokeImage } from './smoke.js'

/** What the end of the training tells the deployment (src/modes/finish.ts's Finished). */
export interface TrainingEnd {
  outcome: Outcome
  message?: string
  failedGates: unknown[]
}

export interface DeployDeps {
  client: RekognitionClient
  sockets: Sockets
  cancel: AbortSignal
}

/** The longest the smoke test may spend waiting on throttling, in all. */
const SMOKE_THROTTLE_BUDGET_MS = 120_000

/** Still starting: STARTING, or a status this action does not know yet (the enum grows). */
const starting = (s: string | undefined): boolean =>
  s === 'STARTING' || statusMeaning(s) === 'unknown'

export class Deployer {
  private constructor(
    private readonly io: ActionIo,
    private readonly inputs: ActionInputs,
    private readonly ctx: RunContext,
    private readonly smoke: SmokeImage[] | undefined
  ) {}

  /** Checks the smoke-test manifest (before any AWS call). */
  static async prepare(io: ActionIo, inputs: ActionInputs, ctx: RunContext): Promise<Deployer> {
    const d = inputs.deployment
    let smoke: SmokeImage[] | undefined
    if (d.smokeTestManifest) {
      smoke = await checkSmokeManifest(d.smokeTestManifest, ctx.workspace, io.annotate)
      if (!d.deploy)
        io.log.notice('smoke-test-manifest is set but deploy is false: nothing will be tested.')
    }
    return new Deployer(io, inputs, ctx, smoke)
  }

  private get d() {
    return this.inputs.deployment
  }

  /** deploy-status of a run that starts nothing, and the summary's line saying why. */
  skip(why: SkipReason): string {
    if (!this.d.deploy) return ''
    this.io.setOutput('deploy-status', skipStatus(why))
    this.io.log.info(`Deploy: nothing started (${why}).`)
    return `\n- **Deployment**: nothing started (${why}).\n`
  }

  /**
   * After the training's end has been reported: deploys when it may. Returns the message the step
   * fails with, if the deployment failed.
   */
  async afterTraining(
    state: RunState,
    end: TrainingEnd,
    d: ProjectVersionDescription,
    deps: DeployDeps
  ): Promise<string | undefined> {
    if (!this.d.deploy) return undefined
    const why: SkipReason | undefined = end.message
      ? 'training failed'
      : end.failedGates.length > 0
        ? 'quality gate failed'
        : deps.cancel.aborted
          ? 'cancelled'
          : undefined
    if (why) {
      this.skip(why)
      await writeDeploySummary(this.io, state, end, {
        status: skipStatus(why),
        note: `Nothing was started: ${why}.`,
        pricePerHour: this.d.inferencePricePerHour,
        stopped: [],
        now: Date.now()
      })
      return undefined
    }
    return new Deployment(this.io, this.inputs, this.ctx, this.smoke, state, end, deps).run(d)
  }
}

async function writeDeploySummary(
  io: ActionIo,
  state: RunState,
  end: TrainingEnd,
  r: DeployReport
): Promise<void> {
  const training = buildReport(state, end.outcome, end.message)
  await writeMarkdown(io, `${training ? renderSummary(training) : ''}\n${renderDeploySection(r)}`)
}

/** One deployment of one version. */
class Deployment {
  private readonly arn: string
  private readonly report: DeployReport
  private readonly record?: DeploymentRecord
  /**
   * Found up for another deployment (another slot, another repository, or started by hand): a
   * version trained on the same data can be one (if-data-unchanged: reuse). It is used as it is:
   * never re-tagged, never stopped, and nothing else is stopped for it.
   */
  private foreign = false
  private checkClient?: RekognitionClient

  constructor(
    private readonly io: ActionIo,
    private readonly inputs: ActionInputs,
    private readonly ctx: RunContext,
    private readonly smoke: SmokeImage[] | undefined,
    private readonly state: RunState,
    private readonly end: TrainingEnd,
    private readonly deps: DeployDeps
  ) {
    this.arn = state.version!.arn
    const d = inputs.deployment
    this.report = {
      status: 'STARTING',
      arn: this.arn,
      units: { min: d.minInferenceUnits, max: d.maxInferenceUnits },
      pricePerHour: d.inferencePricePerHour,
      stopped: [],
      now: Date.now()
    }
    if (d.deploymentEnvironment && inputs.githubToken) {
      this.record = new DeploymentRecord(
        gitHub(io, inputs.githubToken, deps.sockets),
        {
          owner: ctx.owner,
          repo: ctx.repo,
          sha: ctx.sha,
          environment: d.deploymentEnvironment,
          transient: ctx.prNumber !== undefined,
          logUrl: runUrl(ctx)
        },
        io.log.warning
      )
    }
  }

  private get d() {
    return this.inputs.deployment
  }

  /** The status-check client of the wait for RUNNING and of the smoke test: built once. */
  private checks(): RekognitionClient {
    this.checkClient ??= statusCheckClient(this.deps.client, {
      region: this.state.region!,
      pollIntervalMs: this.inputs.pollIntervalSeconds * 1000,
      sockets: this.deps.sockets
    })
    return this.checkClient
  }

  private status(s: string): void {
    this.report.status = s
    this.io.setOutput('deploy-status', s)
  }

  private async write(): Promise<void> {
    this.report.now = Date.now()
    await writeDeploySummary(this.io, this.state, this.end, this.report)
  }

  /** Stops the new version (a failed smoke test, a start past the timeout); the old ones serve on. */
  private async stopNew(): Promise<void> {
    if (this.foreign) {
      this.io.log.warning(
        `${this.arn} serves another deployment: it was not started by this step, so it is left running.`
      )
      return
    }
    try {
      await stopVersion(this.deps.client, this.arn)
      this.report.stopped.push(this.arn)
      this.io.setOutput('stopped-versions', this.report.stopped.join(','))
      this.io.log.info(`Stopped ${this.arn}; the versions serving before were not touched.`)
    } catch (err) {
      this.io.log.warning(
        `Could not stop ${this.arn}: ${(err as Error).message}. Stop it by hand: aws rekognition stop-project-version --project-version-arn ${this.arn}`
      )
    }
  }

  private async fail(status: string, message: string, stop: boolean): Promise<string> {
    this.status(status)
    if (stop) await this.stopNew()
    this.report.note = message
    await this.record?.end(false, message)
    await this.write()
    return message
  }

  /** How a version left starting by a cancel gets stopped. */
  private stopsHow(): string {
    const when = this.d.stopAfterMinutes
      ? ` mode: collect stops it after ${this.d.stopAfterMinutes} min (tag ${DEPLOY_TAGS.stopAfter});`
      : ''
    return `It goes on starting and is billed per inference unit hour once RUNNING.${when} a re-run of this job attaches to it (no second start) and finishes the deployment; or stop it now: aws rekognition stop-project-version --project-version-arn ${this.arn}`
  }

  async run(trained: ProjectVersionDescription): Promise<string | undefined> {
    const { client, cancel } = this.deps
    this.state.deploying = true
    const step = startStep(trained.Status)
    const current = (await versionTags(client, this.arn, cancel)) ?? {}
    const failedAt = current[DEPLOY_TAGS.smokeFailed]
    if (step.kind !== 'attach' && failedAt)
      return this.fail(
        'SMOKE_TEST_FAILED',
        `Version ${this.arn} failed its smoke test at ${failedAt} and was stopped; it is not started (and paid for) again. To try it again anyway, remove the tag: aws rekognition untag-resource --resource-arn ${this.arn} --tag-keys ${DEPLOY_TAGS.smokeFailed}`,
        false
      )
    if (step.kind === 'refuse')
      return this.fail('FAILED', `Version ${this.arn} ${step.why}.`, false)

    // Tagged before the start: whatever happens next, the version says who started it.
    const wanted = deployTags({
      repository: this.ctx.repository,
      ref: this.ctx.ref,
      prNumber: this.ctx.prNumber,
      now: Date.now(),
      stopAfterMinutes: this.d.stopAfterMinutes
    })
    this.foreign =
      step.kind === 'attach' && !sameSlot(current, this.ctx.repository, this.ctx.prNumber)
    if (this.foreign)
      this.io.log.notice(
        `${this.arn} is already ${trained.Status} for another deployment (${slotOf(current)}): it is used as it is; it is not re-tagged, and nothing is stopped for it.`
      )
    else
      await tagVersion(
        client,
        this.arn,
        tagsToWrite(wanted, current, step.kind === 'attach'),
        cancel
      )

    const units = { min: this.d.minInferenceUnits, max: this.d.maxInferenceUnits }
    let attach = step.kind === 'attach'
    let seen = trained
    if (!attach) {
      await this.record?.begin(this.arn)
      const answer = await startVersion(client, this.arn, units, cancel)
      if (answer.kind === 'in-use') {
        // Another step may have started it meanwhile: converge on what the service says.
        const now = await lookupVersion(client, this.inputs.projectArn, this.state.version!.name)
        if (!now || (now.Status !== 'RUNNING' && !starting(now.Status)))
          return this.fail(
            'FAILED',
            `StartProjectVersion refused ${this.arn} (ResourceInUseException): the version is ${now?.Status ?? 'gone'}, a state it cannot be started from. AWS said: ${answer.message}`,
            false
          )
        seen = now
        attach = true
      } else {
        this.io.log.info(
          `Started ${this.arn} with ${units.min}${units.max ? `-${units.max}` : ''} inference unit(s); waiting up to ${this.d.deployTimeoutMinutes} min for RUNNING.`
        )
      }
    }
    if (attach) {
      this.io.log.info(`${this.arn} is already ${seen.Status}: not started again.`)
      if (seen.MinInferenceUnits !== undefined)
        this.report.units = { min: seen.MinInferenceUnits, max: seen.MaxInferenceUnits }
    }
    this.io.setOutput('inference-units', String(this.report.units!.min))
    this.status('STARTING')
    this.report.note = `Starting. ${this.stopsHow()}`
    await this.write()
    const onCancel = (): void =>
      this.io.log.warning(`Cancelled while ${this.arn} is starting. ${this.stopsHow()}`)
    // A cancel that came while the summary was written is told at once.
    if (cancel.aborted) onCancel()
    else cancel.addEventListener('abort', onCancel, { once: true })
    let result
    try {
      result = await this.waitForRunning(seen)
    } finally {
      cancel.removeEventListener('abort', onCancel)
    }
    if (result.outcome === 'cancelled') {
      this.status('STARTING')
      this.report.note = `Cancelled while starting. ${this.stopsHow()}`
      await this.write()
      return `Cancelled while ${this.arn} was starting. ${this.stopsHow()}`
    }
    if (result.outcome === 'timeout')
      return this.fail(
        'TIMEOUT',
        `${this.arn} was not RUNNING after ${this.d.deployTimeoutMinutes} min (deploy-timeout-minutes): stopped, so it is not billed; the versions serving before were not touched.`,
        true
      )
    const final = result.description
    if (final.Status !== 'RUNNING') {
      const said = final.StatusMessage ? ` The service said: ${final.StatusMessage}` : ''
      return this.fail(
        final.Status ?? 'FAILED',
        `Starting ${this.arn} ended ${final.Status}.${said} The versions serving before were not touched.`,
        final.Status !== 'FAILED' && final.Status !== 'STOPPED' && final.Status !== 'STOPPING'
      )
    }
    if (final.MinInferenceUnits !== undefined) {
      this.report.units = { min: final.MinInferenceUnits, max: final.MaxInferenceUnits }
      this.io.setOutput('inference-units', String(final.MinInferenceUnits))
    }
    this.io.log.info(`${this.arn} is RUNNING.`)

    if (this.smoke) {
      const failed = await this.smokeTest()
      if (failed) return failed
    }

    // Promote: only now is anything else stopped, so there is no gap in serving.
    let hosted: Hosted[] = []
    try {
      hosted = await hostedVersions(client, this.inputs.projectArn, cancel)
    } catch (err) {
      this.io.log.warning(
        `Could not list the project's running versions: ${(err as Error).message}`
      )
    }
    const problems: string[] = []
    if (this.d.stopPrevious && !this.foreign) {
      for (const old of toStop(hosted, this.arn, this.ctx.repository, this.ctx.prNumber)) {
        try {
          await stopVersion(client, old.arn, cancel)
          this.report.stopped.push(old.arn)
          this.io.log.info(`Stopped ${old.arn}, deployed before by this repository.`)
        } catch (err) {
          problems.push((err as Error).message)
        }
      }
    }
    this.report.hosted = hosted.filter((h) => !this.report.stopped.includes(h.arn))
    this.io.setOutput('stopped-versions', this.report.stopped.join(','))
    this.io.setOutput('deployed-version-arn', this.arn)
    this.status('RUNNING')
    this.report.note = this.d.stopAfterMinutes
      ? `A preview: mode: collect stops it after ${this.d.stopAfterMinutes} min.`
      : undefined
    await this.record?.end(true, `Serving ${this.arn}`)
    await this.record?.retire(this.report.stopped)
    await this.write()
    if (problems.length > 0)
      return `${this.arn} is RUNNING, but ${problems.length} earlier deployment(s) could not be stopped: ${problems.join('; ')}`
    return undefined
  }

  private async waitForRunning(trained: ProjectVersionDescription) {
    const inputs = this.inputs
    if (trained.Status === 'RUNNING') return { outcome: 'ended' as const, description: trained }
    const started = Date.now()
    const checks = this.checks()
    return waitForTraining(
      {
        describe: (signal) =>
          lookupVersion(checks, inputs.projectArn, this.state.version!.name, signal),
        now: Date.now,
        sleep: abortableSleep,
        log: this.io.log,
        onCheck: (d) => this.io.setOutput('deploy-status', d.Status ?? ''),
        cancel: this.deps.cancel
      },
      {
        arn: this.arn,
        trainingStartedAt: started,
        deadline: started + this.d.deployTimeoutMinutes * 60_000,
        maxIntervalMs: inputs.pollIntervalSeconds * 1000,
        keepsWaiting: starting
      }
    )
  }

  /** The failure message when the smoke test failed (the new version is stopped then). */
  private async smokeTest(): Promise<string | undefined> {
    const images = this.smoke!
    this.io.log.info(`Smoke test: ${images.length} image(s) to ${this.arn}.`)
    const answers = await runSmokeTest(
      {
        client: this.checks(),
        sleep: abortableSleep,
        now: Date.now,
        maxDelayMs: this.inputs.pollIntervalSeconds * 1000,
        budgetMs: SMOKE_THROTTLE_BUDGET_MS,
        cancel: this.deps.cancel,
        info: (l) => this.io.log.info(l)
      },
      this.arn,
      images
    )
    if (this.deps.cancel.aborted) {
      // Not a verdict on the model: unchecked, it is stopped (the versions serving before go on),
      // and not marked as failed, so a re-run starts and checks it again.
      return this.fail(
        'CANCELLED',
        `Cancelled during the smoke test of ${this.arn}: it was stopped before it was checked; the versions serving before were not touched. A re-run starts it again.`,
        true
      )
    }
    const acc = accuracy(answers)
    const min = this.d.smokeTestMinAccuracy
    this.report.smoke = { answers, accuracy: acc, min }
    this.io.setOutput('smoke-test-accuracy', String(Number(acc.toFixed(4))))
    this.io.log.info(`Smoke test: ${pct(acc)} right (needs ${pct(min)}).`)
    if (answers.length < images.length || acc < min) {
      if (answers.length === images.length && !this.foreign)
        await tagVersion(this.deps.client, this.arn, {
          [DEPLOY_TAGS.smokeFailed]: isoSeconds(Date.now())
        }).catch((err: unknown) => this.io.log.warning((err as Error).message))
      return this.fail(
        'SMOKE_TEST_FAILED',
        `Smoke test failed: ${pct(acc)} of ${images.length} image(s) answered right, below smoke-test-min-accuracy ${pct(min)}. ${this.foreign ? `${this.arn} serves another deployment and was left running` : `${this.arn} was stopped`}; the versions serving before were not touched.`,
        true
      )
    }
    return undefined
  }
}
