// The fetch Octokit calls GitHub with, on node:http/https and the run's sockets (the proxy agents
// of src/aws/proxy-agent.ts when HTTPS_PROXY / HTTP_PROXY say so, NO_PROXY honoured; Node's own
// agents otherwise). Not the global fetch: that loads undici, about 14 MB at the first GitHub call
// for what is a handful of small JSON exchanges. Only what Octokit's request uses is provided:
// status, url, headers (get, iteration), text(), json(), arrayBuffer(); the body is read whole.
import * as http from 'node:http'
import type { Sockets } from '../aws/aws-clients.js'

/** Response headers, names in lower case, as fetch's Headers gives them. */
export class ResponseHeaders implements Iterable<[string, string]> {
  private readonly map: Map<string, string>
  constructor(entries: Iterable<[string, string]> = []) {
    this.map = new Map([...entries].map(([k, v]) => [k.toLowerCase(), v]))
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase())
  }
  [Symbol.iterator](): Iterator<[string, string]> {
    return this.map.entries()
  }
}

/** An answer read whole: what Octokit reads of a fetch Response. */
export interface FetchedResponse {
  status: number
  statusText: string
  url: string
  headers: ResponseHeaders
  body: null
  text(): Promise<string>
  json(): Promise<unknown>
  arrayBuffer(): Promise<ArrayBuffer>
}

export interface FetchInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | null
  signal?: AbortSignal | null
  redirect?: 'follow' | 'error' | 'manual'
}

export type FetchLike = (input: string | URL, init?: FetchInit) => Promise<FetchedResponse>

export function bufferedResponse(
  status: number,
  statusText: string,
  url: string,
  headers: ResponseHeaders,
  body: Uint8Array
): FetchedResponse {
  const text = async (): Promise<string> => Buffer.from(body).toString('utf8')
  return {
    status,
    statusText,
    url,
    headers,
    body: null,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    arrayBuffer: async () => {
      const copy = new Uint8Array(body.byteLength)
      copy.set(body)
      return copy.buffer
    }
  }
}

/** fetch's redirects (https://fetch.spec.whatwg.org/#http-redirect-fetch), at most this many. */
const MAX_REDIRECTS = 20
const REDIRECTS = new Set([301, 302, 303, 307, 308])

const abortError = (signal: AbortSignal): Error => {
  const reason: unknown = signal.reason
  const err = new Error(reason instanceof Error ? reason.message : 'The operation was aborted')
  err.name = 'AbortError'
  return err
}

async function once(url: URL, init: FetchInit, sockets: Sockets): Promise<FetchedResponse> {
  const signal = init.signal ?? undefined
  const secure = url.protocol === 'https:'
  // TLS is loaded when a request needs it, not at the action's start.
  const request = secure ? (await import('node:https')).request : http.request
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const options: http.RequestOptions = {
      method: init.method ?? 'GET',
      headers: init.headers,
      agent: secure ? sockets.httpsAgent : sockets.httpAgent
    }
    const onAbort = (): void => {
      req.destroy(abortError(signal!))
    }
    const done = (): void => signal?.removeEventListener('abort', onAbort)
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (err) => (done(), reject(err)))
      res.on('end', () => {
        done()
        const headers = new ResponseHeaders(
          Object.entries(res.headers).flatMap(([k, v]): [string, string][] =>
            v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]]
          )
        )
        const body = Buffer.concat(chunks)
        resolve(
          bufferedResponse(res.statusCode ?? 0, res.statusMessage ?? '', url.href, headers, body)
        )
      })
    })
    req.on('error', (err) => {
      done()
      // As fetch does: a failure to connect is a TypeError with the cause; an abort stays one.
      reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }))
    })
    signal?.addEventListener('abort', onAbort, { once: true })
    req.end(init.body ?? undefined)
  })
}

/** A fetch over node:http/https and `sockets` (the run's proxy agents, or Node's own). */
export function httpFetch(sockets: Sockets): FetchLike {
  return async (input, init = {}) => {
    let url = new URL(String(input))
    let request = { ...init }
    for (let hops = 0; ; hops++) {
      const res = await once(url, request, sockets)
      const location = res.headers.get('location')
      if (!REDIRECTS.has(res.status) || !location || request.redirect === 'manual') return res
      if (request.redirect === 'error' || hops >= MAX_REDIRECTS) {
        throw new TypeError('fetch failed', { cause: new Error(`redirect to ${location}`) })
      }
      const next = new URL(location, url)
      const headers = { ...request.headers }
      // A redirect to another origin does not carry the token on.
      if (next.origin !== url.origin) {
        for (const k of Object.keys(headers))
          if (k.toLowerCase() === 'authorization') delete headers[k]
      }
      const method = request.method?.toUpperCase() ?? 'GET'
      const toGet =
        (res.status === 303 && method !== 'HEAD') ||
        ((res.status === 301 || res.status === 302) && method === 'POST')
      request = toGet ? { ...request, method: 'GET', body: null, headers } : { ...request, headers }
      url = next
    }
  }
}
