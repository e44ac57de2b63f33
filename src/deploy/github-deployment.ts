// GitHub's record of a deployment (deployment-environment): a deployment of the trained commit,
// its statuses in_progress, then success or failure, and inactive for the ones it replaced.
// REST: https://docs.github.com/en/rest/deployments/deployments#create-a-deployment and
// https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status (the token
// needs `deployments: write`). A GitHub that refuses never fails the step: the model is what
// counts; the problem is a warning.
import type { LazyGitHub } from '../modes/github.js'

/** Deployment status descriptions stop at 140 characters (GitHub answers 422 beyond). */
const DESCRIPTION_MAX = 140
/** Where the version's ARN goes in the deployment's payload. */
export const PAYLOAD_KEY = 'project-version-arn'

export interface RecordTarget {
  owner: string
  repo: string
  sha: string
  environment: string
  /** A pull request's preview: a transient environment. */
  transient: boolean
  logUrl?: string
}

type Warn = (line: string) => void

const cut = (text: string): string =>
  [...text].length > DESCRIPTION_MAX ? `${[...text].slice(0, DESCRIPTION_MAX - 1).join('')}…` : text

function problem(err: unknown): string {
  const status = (err as { status?: number })?.status
  const hint =
    status === 403 || status === 404
      ? ' (the token needs deployments: write: add it under permissions:)'
      : ''
  return `${status ? `HTTP ${status}` : 'no answer'}${hint}: ${(err as Error)?.message ?? String(err)}`
}

export class DeploymentRecord {
  private id?: number

  constructor(
    private readonly gh: LazyGitHub,
    private readonly target: RecordTarget,
    private readonly warn: Warn
  ) {}

  /** Creates the deployment of `arn` and marks it in_progress. */
  async begin(arn: string): Promise<void> {
    const t = this.target
    try {
      const gh = await this.gh()
      const { data } = await gh.rest.repos.createDeployment({
        owner: t.owner,
        repo: t.repo,
        ref: t.sha,
        environment: t.environment,
        // The commit's checks were this step's to pass; none other is required for a model.
        required_contexts: [],
        auto_merge: false,
        transient_environment: t.transient,
        description: cut(`Rekognition Custom Labels model ${arn}`),
        payload: { [PAYLOAD_KEY]: arn }
      })
      this.id = (data as { id?: number }).id
      await this.status('in_progress', `Starting ${arn}`)
    } catch (err) {
      this.warn(`Could not record a GitHub deployment in ${t.environment}: ${problem(err)}`)
    }
  }

  async end(ok: boolean, description: string): Promise<void> {
    try {
      await this.status(ok ? 'success' : 'failure', description)
    } catch (err) {
      this.warn(`Could not update the GitHub deployment: ${problem(err)}`)
    }
  }

  /** Marks inactive the deployments of this environment that recorded one of `arns`. */
  async retire(arns: string[]): Promise<void> {
    if (arns.length === 0 || this.id === undefined) return
    const t = this.target
    try {
      const gh = await this.gh()
      const { data } = await gh.rest.repos.listDeployments({
        owner: t.owner,
        repo: t.repo,
        environment: t.environment,
        per_page: 100
      })
      for (const d of data as { id: number; payload?: unknown }[]) {
        const payload = typeof d.payload === 'string' ? safeJson(d.payload) : d.payload
        const arn = (payload as Record<string, unknown> | undefined)?.[PAYLOAD_KEY]
        if (d.id === this.id || typeof arn !== 'string' || !arns.includes(arn)) continue
        await gh.rest.repos.createDeploymentStatus({
          owner: t.owner,
          repo: t.repo,
          deployment_id: d.id,
          state: 'inactive',
          description: cut(`Stopped: replaced by deployment ${this.id}`)
        })
      }
    } catch (err) {
      this.warn(`Could not mark the replaced GitHub deployments inactive: ${problem(err)}`)
    }
  }

  private async status(
    state: 'in_progress' | 'success' | 'failure',
    description: string
  ): Promise<void> {
    if (this.id === undefined) return
    const t = this.target
    const gh = await this.gh()
    await gh.rest.repos.createDeploymentStatus({
      owner: t.owner,
      repo: t.repo,
      deployment_id: this.id,
      state,
      description: cut(description),
      ...(t.logUrl && { log_url: t.logUrl }),
      // The replaced versions are marked inactive by retire(): only those this step stopped.
      auto_inactive: false
    })
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
