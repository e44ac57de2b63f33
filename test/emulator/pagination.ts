// Opaque, tamper-evident NextTokens bound to the query that issued them.
import { createHmac, randomBytes } from 'node:crypto'
import { ServiceError } from './wire.js'

const secret = randomBytes(16)

function sign(payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url')
}

/** A token that resumes `scope` after the item `after`. */
export function makeToken(scope: string, after: string): string {
  const payload = Buffer.from(JSON.stringify({ s: scope, a: after })).toString('base64url')
  return `${payload}.${sign(payload)}`
}

/** The item a token resumes after; InvalidPaginationTokenException if forged or from another query. */
export function readToken(token: string, scope: string): string {
  const [payload, signature] = token.split('.')
  if (payload && signature === sign(payload)) {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      s: string
      a: string
    }
    if (parsed.s === scope) return parsed.a
  }
  throw new ServiceError('InvalidPaginationTokenException', 'Invalid pagination token provided.')
}

/** One page of `items` (already ordered) from the token on. */
export function page<T>(
  items: T[],
  id: (item: T) => string,
  scope: string,
  max: number,
  token?: string
): { items: T[]; next?: string } {
  let start = 0
  if (token !== undefined) {
    const after = readToken(token, scope)
    const i = items.findIndex((item) => id(item) === after)
    // The item the token points after is gone (deleted): the token is no longer valid.
    if (i < 0)
      throw new ServiceError(
        'InvalidPaginationTokenException',
        'Invalid pagination token provided.'
      )
    start = i + 1
  }
  const slice = items.slice(start, start + max)
  const more = start + max < items.length
  return { items: slice, next: more ? makeToken(scope, id(slice[slice.length - 1])) : undefined }
}
