// GitHub's record of a deployment (deployment-environment) over a fake client: the calls and their
// inputs, and that a GitHub that refuses only warns.
import { beforeEach, describe, expect, jest, test } from '@jest/globals'
import {
  DeploymentRecord,
  PAYLOAD_KEY,
  type RecordTarget
} from '../../src/deploy/github-deployment.js'
import type { LazyGitHub } from '../../src/modes/github.js'

const ARN = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/version/v-new/1'
/** Long enough that the deployment's description is cut. */
const LONG = `arn:aws:rekognition:eu-west-1:123456789012:project/defects/version/${'v'.repeat(80)}/1`
const OLD = 'arn:aws:rekognition:eu-west-1:123456789012:project/defects/version/v-old/1'

type Fn = jest.Mock<(arg: Record<string, unknown>) => Promise<{ data: unknown }>>
let repos: { createDeployment: Fn; createDeploymentStatus: Fn; listDeployments: Fn }
let warnings: string[]
const gh: LazyGitHub = async () =>
  ({ rest: { repos } }) as unknown as Awaited<ReturnType<LazyGitHub>>
const target = (over: Partial<RecordTarget> = {}): RecordTarget => ({
  owner: 'acme',
  repo: 'defects',
  sha: 'a'.repeat(40),
  environment: 'production',
  transient: false,
  logUrl: 'https://github.com/acme/defects/actions/runs/1',
  ...over
})
const httpError = (status: number, message: string) => Object.assign(new Error(message), { status })

beforeEach(() => {
  warnings = []
  repos = {
    createDeployment: jest.fn<Fn>().mockResolvedValue({ data: { id: 42 } }),
    createDeploymentStatus: jest.fn<Fn>().mockResolvedValue({ data: {} }),
    listDeployments: jest.fn<Fn>().mockResolvedValue({ data: [] })
  }
})
const record = (over: Partial<RecordTarget> = {}) =>
  new DeploymentRecord(gh, target(over), (l) => warnings.push(l))

describe('DeploymentRecord', () => {
  test('begin creates the deployment of the commit and marks it in_progress; end marks success', async () => {
    const r = record({ transient: true })
    await r.begin(LONG)
    await r.end(true, `Serving ${LONG}`)
    expect(repos.createDeployment.mock.calls).toEqual([
      [
        {
          owner: 'acme',
          repo: 'defects',
          ref: 'a'.repeat(40),
          environment: 'production',
          required_contexts: [],
          auto_merge: false,
          transient_environment: true,
          // 140 characters at most: cut with an ellipsis.
          description: `Rekognition Custom Labels model ${LONG}`.slice(0, 139) + '…',
          payload: { [PAYLOAD_KEY]: LONG }
        }
      ]
    ])
    const statuses = repos.createDeploymentStatus.mock.calls.map(([a]) => a)
    expect(statuses.map((s) => [s.deployment_id, s.state])).toEqual([
      [42, 'in_progress'],
      [42, 'success']
    ])
    expect(statuses[0]).toEqual({
      owner: 'acme',
      repo: 'defects',
      deployment_id: 42,
      state: 'in_progress',
      description: `Starting ${LONG}`.slice(0, 139) + '…',
      log_url: 'https://github.com/acme/defects/actions/runs/1',
      auto_inactive: false
    })
    expect([...(statuses[1].description as string)]).toHaveLength(140)
    expect(warnings).toEqual([])
  })

  test('end(false) marks failure; no log_url without one', async () => {
    const r = record({ logUrl: undefined })
    await r.begin(ARN)
    await r.end(false, 'smoke test failed')
    const last = repos.createDeploymentStatus.mock.calls.at(-1)![0]
    expect(last).toMatchObject({ state: 'failure', description: 'smoke test failed' })
    expect(last).not.toHaveProperty('log_url')
  })

  test('a token without deployments: write warns with the hint; nothing else is sent', async () => {
    repos.createDeployment.mockRejectedValue(
      httpError(403, 'Resource not accessible by integration')
    )
    const r = record()
    await r.begin(ARN)
    await r.end(true, 'ok')
    await r.retire([OLD])
    expect(warnings).toEqual([
      'Could not record a GitHub deployment in production: HTTP 403 (the token needs deployments: write: add it under permissions:): Resource not accessible by integration'
    ])
    expect(repos.createDeploymentStatus).not.toHaveBeenCalled()
    expect(repos.listDeployments).not.toHaveBeenCalled()
  })

  test('a status that cannot be written is a warning', async () => {
    const r = record()
    await r.begin(ARN)
    repos.createDeploymentStatus.mockRejectedValue(new Error('socket hang up'))
    await r.end(true, 'ok')
    expect(warnings).toEqual(['Could not update the GitHub deployment: no answer: socket hang up'])
  })

  test('retire marks inactive only the deployments that recorded a stopped version', async () => {
    repos.listDeployments.mockResolvedValue({
      data: [
        { id: 42, payload: { [PAYLOAD_KEY]: OLD } },
        { id: 7, payload: { [PAYLOAD_KEY]: OLD } },
        { id: 8, payload: JSON.stringify({ [PAYLOAD_KEY]: OLD }) },
        { id: 9, payload: { [PAYLOAD_KEY]: 'arn:other' } },
        { id: 10, payload: 'not json' },
        { id: 11 }
      ]
    })
    const r = record()
    await r.retire([OLD])
    expect(repos.listDeployments).not.toHaveBeenCalled()
    await r.begin(ARN)
    repos.createDeploymentStatus.mockClear()
    await r.retire([])
    expect(repos.listDeployments).not.toHaveBeenCalled()
    await r.retire([OLD])
    expect(repos.listDeployments.mock.calls).toEqual([
      [{ owner: 'acme', repo: 'defects', environment: 'production', per_page: 100 }]
    ])
    expect(repos.createDeploymentStatus.mock.calls.map(([a]) => a)).toEqual([
      {
        owner: 'acme',
        repo: 'defects',
        deployment_id: 7,
        state: 'inactive',
        description: 'Stopped: replaced by deployment 42'
      },
      {
        owner: 'acme',
        repo: 'defects',
        deployment_id: 8,
        state: 'inactive',
        description: 'Stopped: replaced by deployment 42'
      }
    ])
  })

  test('retire: a listing that fails is a warning', async () => {
    repos.listDeployments.mockRejectedValue(httpError(404, 'Not Found'))
    const r = record()
    await r.begin(ARN)
    await r.retire([OLD])
    expect(warnings).toEqual([
      'Could not mark the replaced GitHub deployments inactive: HTTP 404 (the token needs deployments: write: add it under permissions:): Not Found'
    ])
  })
})
