// GitHub deployments as the REST API keeps them: "Create a deployment" (POST
// /repos/{owner}/{repo}/deployments, 201), "List deployments" (GET, filter `environment`, newest
// first), "Create a deployment status" (POST .../deployments/{id}/statuses; states error, failure,
// inactive, in_progress, queued, pending, success; description at most 140 characters) and "List
// deployment statuses". https://docs.github.com/en/rest/deployments/deployments and
// https://docs.github.com/en/rest/deployments/statuses. Writes need `deployments: write` (403
// "Resource not accessible by integration" without it).
import type { DeploymentRecord, Store } from './store.js'
import type { Reply } from './wire.js'

type Json = (status: number, body: unknown, headers?: Record<string, string>) => Reply

const DOCS = 'https://docs.github.com/rest/deployments/deployments'
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']
const MAX_DESCRIPTION = 140

export interface DeploymentMatch {
  operation:
    | 'GitHub:CreateDeployment'
    | 'GitHub:ListDeployments'
    | 'GitHub:CreateDeploymentStatus'
    | 'GitHub:ListDeploymentStatuses'
  owner: string
  repo: string
  id?: number
}

export function matchDeployment(
  method: string,
  path: string,
  decode: (s: string) => string
): DeploymentMatch | undefined {
  const all = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/?$/.exec(path)
  if (all && (method === 'POST' || method === 'GET'))
    return {
      operation: method === 'POST' ? 'GitHub:CreateDeployment' : 'GitHub:ListDeployments',
      owner: decode(all[1]),
      repo: decode(all[2])
    }
  const statuses = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses\/?$/.exec(path)
  if (statuses && (method === 'POST' || method === 'GET'))
    return {
      operation:
        method === 'POST' ? 'GitHub:CreateDeploymentStatus' : 'GitHub:ListDeploymentStatuses',
      owner: decode(statuses[1]),
      repo: decode(statuses[2]),
      id: Number(statuses[3])
    }
  return undefined
}

function deploymentJson(d: DeploymentRecord, apiUrl: string): Record<string, unknown> {
  return {
    url: `${apiUrl}/repos/${d.owner}/${d.repo}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_emu${d.id}`,
    sha: d.ref,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload ?? {},
    environment: d.environment,
    description: d.description,
    creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    created_at: d.createdAt,
    updated_at: d.createdAt,
    transient_environment: d.transient,
    production_environment: d.environment === 'production',
    statuses_url: `${apiUrl}/repos/${d.owner}/${d.repo}/deployments/${d.id}/statuses`
  }
}

const invalid = (json: Json, field: string, message: string): Reply =>
  json(422, {
    message: 'Validation Failed',
    errors: [{ resource: 'Deployment', code: 'custom', field, message }],
    documentation_url: DOCS,
    status: '422'
  })

export function actDeployment(
  store: Store,
  m: DeploymentMatch,
  body: unknown,
  url: URL,
  apiUrl: string,
  json: Json
): Reply {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const now = new Date(store.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const writes = m.operation.startsWith('GitHub:Create')
  if (writes && store.github.denyWrites)
    return json(403, {
      message: 'Resource not accessible by integration',
      documentation_url: DOCS,
      status: '403'
    })
  const mine = store.deployments.filter((d) => d.owner === m.owner && d.repo === m.repo)
  switch (m.operation) {
    case 'GitHub:CreateDeployment': {
      if (typeof b.ref !== 'string' || !b.ref) return invalid(json, 'ref', 'ref is required')
      const d: DeploymentRecord = {
        id: store.deployments.length + 7000001,
        owner: m.owner,
        repo: m.repo,
        ref: b.ref,
        environment: typeof b.environment === 'string' ? b.environment : 'production',
        payload: b.payload ?? {},
        description: typeof b.description === 'string' ? b.description : null,
        transient: b.transient_environment === true,
        createdAt: now,
        statuses: []
      }
      store.deployments.push(d)
      return json(201, deploymentJson(d, apiUrl))
    }
    case 'GitHub:ListDeployments': {
      const env = url.searchParams.get('environment')
      // Newest first. Not documented: GitHub REST "List deployments"
      // (https://docs.github.com/rest/deployments/deployments#list-deployments) states no order.
      // The emulator's guess, chosen as newest first like "List commit statuses for a reference",
      // the one such list whose order GitHub documents ("in reverse chronological order").
      const list = mine.filter((d) => env === null || d.environment === env).reverse()
      return json(
        200,
        list.map((d) => deploymentJson(d, apiUrl))
      )
    }
    default: {
      const d = mine.find((x) => x.id === m.id)
      if (!d) return json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
      if (m.operation === 'GitHub:ListDeploymentStatuses')
        return json(200, [...d.statuses].reverse())
      if (typeof b.state !== 'string' || !STATES.includes(b.state))
        return invalid(json, 'state', 'state is not included in the list')
      const description = typeof b.description === 'string' ? b.description : ''
      if ([...description].length > MAX_DESCRIPTION)
        return invalid(json, 'description', 'description is too long (maximum is 140 characters)')
      const status = {
        id: d.id * 10 + d.statuses.length + 1,
        state: b.state,
        description,
        createdAt: now
      }
      d.statuses.push(status)
      return json(201, { ...status, deployment_url: deploymentJson(d, apiUrl).url })
    }
  }
}
