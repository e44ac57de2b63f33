// Reads (does not verify) a SigV4 Authorization header or presigned query: the services check
// the credential scope before anything else, and the emulator records the region from it.

export interface Credential {
  accessKeyId: string
  date: string
  region: string
  service: string
}

export type AuthResult = { ok: true; credential: Credential } | { ok: false; problem: AuthProblem }
export type AuthProblem = 'missing' | 'incomplete'

const SCOPE = /^([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/

function parseScope(scope: string): Credential | undefined {
  const m = SCOPE.exec(scope)
  return m ? { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] } : undefined
}

export function readAuth(headers: Record<string, string>, query?: URLSearchParams): AuthResult {
  const header = headers['authorization']
  if (!header) {
    const presigned = query?.get('X-Amz-Credential')
    if (!presigned) return { ok: false, problem: 'missing' }
    const credential = parseScope(presigned)
    return credential ? { ok: true, credential } : { ok: false, problem: 'incomplete' }
  }
  const m = /^AWS4-HMAC-SHA256 (.*)$/.exec(header.trim())
  if (!m) return { ok: false, problem: 'incomplete' }
  const parts = new Map<string, string>()
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const credential = parseScope(parts.get('Credential') ?? '')
  if (!credential || !parts.get('SignedHeaders') || !parts.get('Signature')) {
    return { ok: false, problem: 'incomplete' }
  }
  return { ok: true, credential }
}
