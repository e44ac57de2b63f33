// The one way this action talks to GitHub's REST API: Octokit with the REST methods, pagination,
// the retry and throttling plugins (the client @actions/github builds, without its undici
// transport), over node:http and the run's sockets (src/github/http-fetch.ts: the proxy agents
// when a proxy is set), bounded in time. Loaded with dynamic import() only when a GitHub call is
// due, so the start-up pays nothing for it.
//
// Bounds, so that GitHub can never hold a step for long:
// - one HTTP exchange (headers and body) gets `requestTimeoutMs`; a timed-out exchange counts as a
//   transient failure and may be retried;
// - one call, with its retries and rate-limit waits, gets `callBudgetMs`; when it runs out, the
//   call fails at once and is not retried (an AbortError, which neither plugin retries);
// - a caller may pass its own `request: { signal }` to bound several calls together or to cancel.
// 5xx answers and lost connections are retried by @octokit/plugin-retry (`retries` times, after
// 1 s, 4 s, ...); rate limits belong to @octokit/plugin-throttling alone, which waits as GitHub's
// `retry-after` says, but only when that wait fits in what is left of the call's budget.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
// https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
import type { Octokit } from '@octokit/core'
import type { PaginateInterface } from '@octokit/plugin-paginate-rest'
import type { Api } from '@octokit/plugin-rest-endpoint-methods'
import type Bottleneck from 'bottleneck'
import { boundedSignal } from '../aws/abort.js'
import { PROXY_REFUSED } from '../aws/explain.js'
import type { Sockets } from '../aws/aws-clients.js'
import {
  bufferedResponse,
  httpFetch,
  ResponseHeaders,
  type FetchLike,
  type FetchedResponse
} from './http-fetch.js'

export type GitHubClient = Octokit & Api & { paginate: PaginateInterface }

export interface GitHubLog {
  debug(line: string): void
}

export interface GitHubClientOptions {
  token: string
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.com/api/v3 */
  baseUrl: string
  /** Where Octokit's own messages and ours about retries go: the redacting logger's debug. */
  log: GitHubLog
  /** One HTTP exchange, headers and body. Default 10 s. */
  requestTimeoutMs?: number
  /** One call with all its retries and rate-limit waits. Default 20 s. */
  callBudgetMs?: number
  /** Retries of a 5xx, a timeout or a lost connection. Default 2. */
  retries?: number
  /** Retries after a rate limit (each only if GitHub's wait fits in the budget). Default 2. */
  rateLimitRetries?: number
  /** Milliseconds per unit of the plugins' waits (1000: retry-after is in seconds). Tests set less. */
  retryBaseMs?: number
  /** The least time between two writes (POST, PATCH, PUT, DELETE). Default 1 s, as GitHub asks. */
  writeSpacingMs?: number
  /** The run's sockets: the proxy agents when a proxy variable is set. */
  sockets?: Sockets
  /** Replaces the node:http fetch (unit tests). */
  fetch?: AnyFetch
}

/** Extra fields our outermost hook puts on every call's `request` options. */
interface CallBounds {
  deadline?: number
}

/** A failure that must not be retried: the call's budget is used up, or the caller cancelled. */
function abortError(message: string): Error {
  const err = new Error(message)
  err.name = 'AbortError'
  return err
}

/** Statuses without a body: a Response built with one would throw. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/** What timedFetch needs of a fetch: the global fetch (unit tests), or httpFetch. */
export type AnyFetch = (
  input: string | URL,
  init?: FetchInit
) => Promise<
  Pick<FetchedResponse, 'status' | 'statusText' | 'url' | 'arrayBuffer'> & {
    headers: Iterable<[string, string]>
  }
>
type FetchInit = Parameters<FetchLike>[1]

/**
 * fetch with a timer per exchange. The body is read inside the timer too, so a GitHub that sends
 * headers and then stalls cannot hang the step.
 */
export function timedFetch(base: AnyFetch, timeoutMs: number): FetchLike {
  return async (input, init) => {
    const outer = init?.signal ?? undefined
    if (outer?.aborted) throw abortError(reasonText(outer.reason))
    const bound = boundedSignal(timeoutMs, ...(outer ? [outer] : []))
    try {
      const res = await base(input, { ...init, signal: bound.signal })
      const body = NULL_BODY.has(res.status)
        ? new Uint8Array()
        : new Uint8Array(await res.arrayBuffer())
      return bufferedResponse(
        res.status,
        res.statusText,
        res.url,
        new ResponseHeaders(res.headers),
        body
      )
    } catch (err) {
      if (outer?.aborted) throw abortError(reasonText(outer.reason))
      if (bound.signal.aborted) {
        // Octokit turns this into a RequestError with status 500 (and this as its cause): the
        // retry plugin may try again.
        const timeout = new Error(`GitHub did not answer within ${seconds(timeoutMs)}`, {
          cause: err
        })
        timeout.name = 'TimeoutError'
        throw timeout
      }
      // A proxy refusing the tunnel (undici: "Proxy response (407) !== 200 when HTTP Tunneling")
      // will not change by asking again: not retried, and said plainly.
      if (tunnelRefused(err)) throw abortError(PROXY_REFUSED)
      throw err
    } finally {
      bound.done()
    }
  }
}

/** Whether an error, or one it was caused by, is a proxy's 407. */
function tunnelRefused(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
    if (/\b407\b/.test((e as Error).message ?? '') && /proxy/i.test((e as Error).message ?? ''))
      return true
  }
  return false
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted')
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`

/** A bounded, retrying, throttled Octokit; see the top of this file. */
export async function githubClient(o: GitHubClientOptions): Promise<GitHubClient> {
  // One after the other: the modules share dependencies, and loading them in parallel gains nothing.
  const { Octokit } = await import('@octokit/core')
  const { restEndpointMethods } = await import('@octokit/plugin-rest-endpoint-methods')
  const { paginateRest } = await import('@octokit/plugin-paginate-rest')
  const { retry } = await import('@octokit/plugin-retry')
  const { throttling } = await import('@octokit/plugin-throttling')
  const requestTimeoutMs = o.requestTimeoutMs ?? 10_000
  const callBudgetMs = o.callBudgetMs ?? 20_000
  const base = o.fetch ?? httpFetch(o.sockets ?? {})
  const retryBaseMs = o.retryBaseMs ?? 1_000
  const rateLimitRetries = o.rateLimitRetries ?? 2
  const debug = (line: string): void => o.log.debug(line)
  const octokitLog = { debug, info: debug, warn: debug, error: debug }

  /** Whether to wait `retryAfter` s for a rate limit: only when it fits in the call's budget. */
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string; request?: unknown },
      _o: unknown,
      count: number
    ): boolean => {
      const deadline = (options.request as CallBounds | undefined)?.deadline ?? Infinity
      const fits = Date.now() + retryAfter * retryBaseMs < deadline
      const go = count < rateLimitRetries && fits
      debug(
        `GitHub ${kind} on ${options.method} ${options.url}: retry-after ${retryAfter} s; ${go ? 'waiting, then retrying' : fits ? 'no retries left' : 'longer than this call may take, not waiting'}.`
      )
      return go
    }

  const GitHub = Octokit.plugin(restEndpointMethods, paginateRest, retry, throttling)
  const octokit: GitHubClient = new GitHub({
    // As @actions/github's getOctokit passes a token.
    auth: `token ${o.token}`,
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    log: octokitLog,
    request: { fetch: timedFetch(base, requestTimeoutMs), log: octokitLog },
    retry: {
      retries: o.retries ?? 2,
      retryAfterBaseValue: retryBaseMs,
      // 403 and 429 are the throttling plugin's: one retry loop, not two nested ones. A proxy's
      // 407 will not change by asking again.
      doNotRetry: [400, 401, 403, 404, 407, 410, 422, 429, 451]
    },
    throttle: {
      retryAfterBaseValue: retryBaseMs,
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      onRateLimit: onLimit('rate limit'),
      ...(o.writeSpacingMs === undefined ? {} : { write: await writeLimiter(o.writeSpacingMs) })
    }
  })
  // Registered last, so outermost: one budget for the call with everything inside it. The inner
  // hooks hold this same `options` object (before-after-hook binds it), so it is changed in place.
  octokit.hook.wrap('request', async (request, options) => {
    const caller = options.request?.signal as AbortSignal | undefined
    const bound = boundedSignal(callBudgetMs, ...(caller ? [caller] : []))
    const deadline = Date.now() + callBudgetMs
    options.request = {
      ...options.request,
      signal: bound.signal,
      deadline
    } as typeof options.request
    try {
      return await request(options)
    } catch (err) {
      if (bound.signal.aborted && !caller?.aborted && (err as Error)?.name === 'AbortError') {
        throw abortError(
          `${options.method} ${options.url}: GitHub gave no usable answer within ${seconds(callBudgetMs)}`
        )
      }
      throw err
    } finally {
      bound.done()
    }
  })
  return octokit
}

/**
 * The throttling plugin's write group (one write at a time, `spacingMs` apart), as the plugin
 * builds it with its default of 1 s (@octokit/plugin-throttling, createGroups).
 */
async function writeLimiter(spacingMs: number): Promise<Bottleneck.Group> {
  // The light build, the one the plugin itself loads (no Redis clustering).
  const { default: Light } = await import('bottleneck/light.js')
  return new Light.Group({
    id: 'octokit-write',
    maxConcurrent: 1,
    minTime: spacingMs,
    timeout: 1000 * 60 * 2
  })
}

/** The client built on first use and shared after: nothing is loaded for a run that never calls GitHub. */
export function lazyGitHubClient(o: GitHubClientOptions): () => Promise<GitHubClient> {
  let client: Promise<GitHubClient> | undefined
  return () => (client ??= githubClient(o))
}
