// The GitHub REST calls of a PR comment kept up to date: list, create, update and delete issue
// comments (https://docs.github.com/rest/issues/comments), get a pull request and its head
// (https://docs.github.com/rest/pulls/pulls#get-a-pull-request), and who the token is
// (https://docs.github.com/rest/users/users#get-the-authenticated-user: refused to installation
// tokens such as the GITHUB_TOKEN with 403 "Resource not accessible by integration").
import type { Incoming, Routed } from './http.js'
import type { CommentRecord, Store } from './store.js'
import { actDeployment, matchDeployment } from './deployments.js'
import { actStatus, matchStatus } from './statuses.js'
import type { PullRequest } from './types.js'
import type { Reply } from './wire.js'

const DOCS = 'https://docs.github.com/rest/issues/comments'
/** GitHub's validation of comment bodies, counted in characters (code points). */
export const COMMENT_MAX_CHARS = 65_536

export function githubJson(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): Reply {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `EMU:${Date.now()}`,
      ...headers
    },
    body: JSON.stringify(body)
  }
}

const notFound = () =>
  githubJson(404, {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest',
    status: '404'
  })

interface Match {
  operation: string
  owner: string
  repo: string
  issue?: number
  commentId?: number
}

export const pullKey = (owner: string, repo: string, n: number): string => `${owner}/${repo}#${n}`

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

function match(method: string, path: string): Match | undefined {
  const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments\/?$/.exec(path)
  if (list) {
    const base = {
      owner: decode(list[1]),
      repo: decode(list[2]),
      issue: Number(list[3])
    }
    if (method === 'GET') return { operation: 'GitHub:ListComments', ...base }
    if (method === 'POST') return { operation: 'GitHub:CreateComment', ...base }
  }
  const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/?$/.exec(path)
  if (one) {
    const base = {
      owner: decode(one[1]),
      repo: decode(one[2]),
      commentId: Number(one[3])
    }
    if (method === 'GET') return { operation: 'GitHub:GetComment', ...base }
    if (method === 'PATCH') return { operation: 'GitHub:UpdateComment', ...base }
    if (method === 'DELETE') return { operation: 'GitHub:DeleteComment', ...base }
  }
  const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/?$/.exec(path)
  if (pull && method === 'GET') {
    return {
      operation: 'GitHub:GetPull',
      owner: decode(pull[1]),
      repo: decode(pull[2]),
      issue: Number(pull[3])
    }
  }
  if (/^\/user\/?$/.test(path) && method === 'GET') {
    return { operation: 'GitHub:GetUser', owner: '', repo: '' }
  }
  return undefined
}

function commentJson(c: CommentRecord, apiUrl: string): Record<string, unknown> {
  const bot = c.user.endsWith('[bot]')
  return {
    id: c.id,
    node_id: `IC_emu${c.id}`,
    url: `${apiUrl}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${apiUrl}/repos/${c.owner}/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: { login: c.user, id: bot ? 41898282 : 1000, type: bot ? 'Bot' : 'User' },
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: bot ? 'NONE' : 'MEMBER'
  }
}

function pullJson(p: PullRequest, owner: string, repo: string, apiUrl: string): unknown {
  return {
    url: `${apiUrl}/repos/${owner}/${repo}/pulls/${p.number}`,
    id: 500000 + p.number,
    number: p.number,
    state: p.state,
    title: 'Evil <img src=x> title',
    html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`,
    user: { login: 'octocat', id: 1000, type: 'User' },
    head: {
      label: `${owner}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      repo: { full_name: `${owner}/${repo}` }
    },
    base: { label: `${owner}:main`, ref: 'main', repo: { full_name: `${owner}/${repo}` } }
  }
}

/** `{body: string}` or the 422 GitHub gives (missing, or longer than GitHub takes). */
function bodyText(body: unknown): string | Reply {
  const text = body && typeof body === 'object' ? (body as { body?: unknown }).body : undefined
  if (typeof text === 'string' && [...text].length > COMMENT_MAX_CHARS) {
    return githubJson(422, {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${COMMENT_MAX_CHARS} characters)`
        }
      ],
      documentation_url: `${DOCS}#create-an-issue-comment`,
      status: '422'
    })
  }
  if (typeof text === 'string') return text
  return githubJson(422, {
    message: 'Invalid request.\n\n"body" wasn\'t supplied.',
    documentation_url: DOCS,
    status: '422'
  })
}

function list(store: Store, m: Match, url: URL, apiUrl: string): Reply {
  const all = store.comments.filter(
    (c) => c.owner === m.owner && c.repo === m.repo && c.issue === m.issue
  )
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
  const pageNo = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
  const items = all.slice((pageNo - 1) * perPage, pageNo * perPage)
  const last = Math.max(Math.ceil(all.length / perPage), 1)
  const link = (n: number, rel: string) => {
    const u = new URL(`${apiUrl}${url.pathname}`)
    u.searchParams.set('per_page', String(perPage))
    u.searchParams.set('page', String(n))
    return `<${u.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (pageNo > 1) links.push(link(pageNo - 1, 'prev'), link(1, 'first'))
  if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'))
  return githubJson(
    200,
    items.map((c) => commentJson(c, apiUrl)),
    links.length ? { link: links.join(', ') } : {}
  )
}

function act(
  store: Store,
  req: Incoming,
  m: Match | undefined,
  body: unknown,
  apiUrl: string
): Reply {
  const token = store.github.token
  if (token !== undefined) {
    const given = req.headers['authorization'] ?? ''
    if (given !== `token ${token}` && given !== `Bearer ${token}`) {
      return githubJson(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401'
      })
    }
  }
  const status = matchStatus(req.method, req.url.pathname, decode)
  if (status) return actStatus(store, status, body, req.url, apiUrl, githubJson)
  const deployment = matchDeployment(req.method, req.url.pathname, decode)
  if (deployment) return actDeployment(store, deployment, body, req.url, apiUrl, githubJson)
  if (!m) return notFound()
  if (store.github.denyWrites && req.method !== 'GET') {
    return githubJson(403, {
      message: 'Resource not accessible by integration',
      documentation_url: DOCS,
      status: '403'
    })
  }
  switch (m.operation) {
    case 'GitHub:GetUser': {
      const { identity } = store.github
      if (identity.kind === 'installation') {
        return githubJson(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403'
        })
      }
      return githubJson(200, { login: identity.login, id: 2000, type: 'User' })
    }
    case 'GitHub:GetPull': {
      const p = store.github.pulls.get(pullKey(m.owner, m.repo, m.issue as number))
      return p ? githubJson(200, pullJson(p, m.owner, m.repo, apiUrl)) : notFound()
    }
    case 'GitHub:ListComments':
      return list(store, m, req.url, apiUrl)
    case 'GitHub:CreateComment': {
      const text = bodyText(body)
      if (typeof text !== 'string') return text
      const c = store.addComment(
        m.owner,
        m.repo,
        m.issue as number,
        text,
        store.github.identity.login
      )
      return githubJson(201, commentJson(c, apiUrl), {
        location: `${apiUrl}/repos/${m.owner}/${m.repo}/issues/comments/${c.id}`
      })
    }
    default: {
      const c = store.comments.find(
        (x) => x.id === m.commentId && x.owner === m.owner && x.repo === m.repo
      )
      if (!c) return notFound()
      if (m.operation === 'GitHub:GetComment') return githubJson(200, commentJson(c, apiUrl))
      if (m.operation === 'GitHub:DeleteComment') {
        store.deleteComment(c.id)
        return { status: 204, headers: { 'x-github-request-id': `EMU:${Date.now()}` } }
      }
      const text = bodyText(body)
      if (typeof text !== 'string') return text
      c.body = text
      c.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
      return githubJson(200, commentJson(c, apiUrl))
    }
  }
}

export function routeGitHub(store: Store, req: Incoming, apiUrl: string): Routed {
  const m = match(req.method, req.url.pathname)
  const status = matchStatus(req.method, req.url.pathname, decode)
  const text = req.body.toString('utf8')
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // recorded as text; a create/update then gets GitHub's 400
  }
  return {
    service: 'github',
    operation:
      m?.operation ??
      status?.operation ??
      matchDeployment(req.method, req.url.pathname, decode)?.operation ??
      `GitHub:${req.method} ${req.url.pathname}`,
    body,
    resource: req.url.pathname,
    act: () => {
      if (typeof body === 'string' && text)
        return githubJson(400, {
          message: 'Problems parsing JSON',
          documentation_url: 'https://docs.github.com/rest',
          status: '400'
        })
      return act(store, req, m, body, apiUrl)
    }
  }
}
