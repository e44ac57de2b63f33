// Commit statuses as GitHub's REST API keeps them (https://docs.github.com/rest/commits/statuses):
// "Create a commit status" (POST /repos/{owner}/{repo}/statuses/{sha}), "Get the combined status
// for a specific reference" (GET .../commits/{ref}/status: the latest status per context) and
// "List commit statuses for a reference" (GET .../commits/{ref}/statuses: every one, newest first).
import type { StatusRecord, Store } from './store.js'
import type { Reply } from './wire.js'

const DOCS = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status'
const STATES = ['error', 'failure', 'pending', 'success']
/**
 * GitHub refuses longer descriptions with 422 Validation Failed, "description is too long (maximum
 * is 140 characters)" (the REST docs give no limit; seen in zalando/zappr#378,
 * https://github.com/zalando/zappr/issues/378).
 */
const MAX_DESCRIPTION = 140
/**
 * GitHub refuses longer contexts with the same validation error (422 Validation Failed; seen in
 * runatlantis/atlantis#2506, "github status context character limit 255").
 */
const MAX_CONTEXT = 255
/** "There is a limit of 1000 statuses per sha and context within a repository." */
const MAX_PER_CONTEXT = 1000

type Json = (status: number, body: unknown, headers?: Record<string, string>) => Reply

export interface StatusMatch {
  operation: 'GitHub:CreateStatus' | 'GitHub:GetCombinedStatus' | 'GitHub:ListStatuses'
  owner: string
  repo: string
  ref: string
}

export function matchStatus(
  method: string,
  path: string,
  decode: (s: string) => string
): StatusMatch | undefined {
  const create = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)\/?$/.exec(path)
  if (create && method === 'POST')
    return {
      operation: 'GitHub:CreateStatus',
      owner: decode(create[1]),
      repo: decode(create[2]),
      ref: decode(create[3])
    }
  const read = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/(status|statuses)\/?$/.exec(path)
  if (read && method === 'GET')
    return {
      operation: read[4] === 'status' ? 'GitHub:GetCombinedStatus' : 'GitHub:ListStatuses',
      owner: decode(read[1]),
      repo: decode(read[2]),
      ref: decode(read[3])
    }
  return undefined
}

function statusJson(s: StatusRecord, apiUrl: string): Record<string, unknown> {
  return {
    url: `${apiUrl}/repos/${s.owner}/${s.repo}/statuses/${s.sha}`,
    id: s.id,
    node_id: `SC_emu${s.id}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
  }
}

function invalid(json: Json, field: string, message: string): Reply {
  return json(422, {
    message: 'Validation Failed',
    errors: [{ resource: 'Status', code: 'custom', field, message }],
    documentation_url: DOCS,
    status: '422'
  })
}

function pageOf<T>(items: T[], url: URL): T[] {
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
  const pageNo = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
  return items.slice((pageNo - 1) * perPage, pageNo * perPage)
}

export function actStatus(
  store: Store,
  m: StatusMatch,
  body: unknown,
  url: URL,
  apiUrl: string,
  json: Json
): Reply {
  // The emulator knows no commits: a full 40-hex SHA stands for one, unless a test made GitHub
  // forget it.
  if (!/^[0-9a-f]{40}$/i.test(m.ref) || store.github.unknownCommits.has(m.ref.toLowerCase())) {
    return m.operation === 'GitHub:CreateStatus'
      ? json(422, {
          message: `No commit found for SHA: ${m.ref}`,
          documentation_url: DOCS,
          status: '422'
        })
      : json(404, {
          message: 'No commit found for SHA: ' + m.ref,
          documentation_url: DOCS,
          status: '404'
        })
  }
  const sha = m.ref.toLowerCase()
  const mine = store.statuses
    .filter((s) => s.owner === m.owner && s.repo === m.repo && s.sha === sha)
    .reverse()
  if (m.operation === 'GitHub:CreateStatus') {
    if (store.github.denyStatuses || store.github.denyWrites) {
      return json(403, {
        message: 'Resource not accessible by integration',
        documentation_url: DOCS,
        status: '403'
      })
    }
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
    if (typeof b.state !== 'string' || !STATES.includes(b.state))
      return invalid(json, 'state', 'state is not included in the list')
    const description =
      b.description === undefined || b.description === null ? null : String(b.description)
    if (description !== null && [...description].length > MAX_DESCRIPTION)
      return invalid(
        json,
        'description',
        `description is too long (maximum is ${MAX_DESCRIPTION} characters)`
      )
    const context = typeof b.context === 'string' && b.context ? b.context : 'default'
    if ([...context].length > MAX_CONTEXT)
      return invalid(json, 'context', `context is too long (maximum is ${MAX_CONTEXT} characters)`)
    const same = mine.filter((s) => s.context.toLowerCase() === context.toLowerCase())
    if (same.length >= MAX_PER_CONTEXT)
      return invalid(
        json,
        'context',
        'This SHA and context has reached the maximum number of statuses.'
      )
    const record = store.addStatus({
      owner: m.owner,
      repo: m.repo,
      sha,
      state: b.state,
      description,
      targetUrl: typeof b.target_url === 'string' ? b.target_url : null,
      context
    })
    return json(201, statusJson(record, apiUrl), {
      location: `${apiUrl}/repos/${m.owner}/${m.repo}/statuses/${sha}`
    })
  }
  if (m.operation === 'GitHub:ListStatuses') {
    return json(
      200,
      pageOf(mine, url).map((s) => statusJson(s, apiUrl))
    )
  }
  // Combined: the latest per context (contexts are case-insensitive).
  const latest: StatusRecord[] = []
  for (const s of mine) {
    if (!latest.some((l) => l.context.toLowerCase() === s.context.toLowerCase())) latest.push(s)
  }
  const state = latest.some((s) => s.state === 'error' || s.state === 'failure')
    ? 'failure'
    : latest.length === 0 || latest.some((s) => s.state === 'pending')
      ? 'pending'
      : 'success'
  return json(200, {
    state,
    statuses: pageOf(latest, url).map((s) => statusJson(s, apiUrl)),
    sha,
    total_count: latest.length,
    repository: { full_name: `${m.owner}/${m.repo}` },
    commit_url: `${apiUrl}/repos/${m.owner}/${m.repo}/commits/${sha}`,
    url: `${apiUrl}/repos/${m.owner}/${m.repo}/commits/${sha}/status`
  })
}
