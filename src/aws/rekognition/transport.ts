// One HTTP exchange over node:http / node:https: the run's agents (the proxy's when one is set),
// a bound on connecting and on the whole attempt, and the caller's abort signal. Errors are named
// as the SDK's node-http-handler names them (TimeoutError, AbortError), so the retry rules and the
// explanations read them alike.
import http from 'node:http'
import type https from 'node:https'
import { abortError } from '../abort.js'

export interface TransportOptions {
  /** Connecting longer than this is a TimeoutError (the SDK's connectionTimeout). */
  connectionTimeoutMs: number
  /** One attempt longer than this, from sending to the last byte, is a TimeoutError. */
  requestTimeoutMs: number
  httpAgent?: http.Agent
  httpsAgent?: https.Agent
}

export interface HttpResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
}

const timeoutError = (message: string): Error =>
  Object.assign(new Error(message), { name: 'TimeoutError' })

// Node's socket errors that the SDK renames TimeoutError (node-http-handler).
const RENAMED = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT'])

export async function exchange(
  url: URL,
  request: { method: string; headers: Record<string, string>; body: string },
  options: TransportOptions,
  signal?: AbortSignal
): Promise<HttpResponse> {
  const secure = url.protocol === 'https:'
  // TLS is loaded when an endpoint needs it (AWS's always do), not at the action's start.
  const send = secure ? (await import('node:https')).request : http.request
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const timers: NodeJS.Timeout[] = []
    let settled = false
    const finish = (err: Error | undefined, response?: HttpResponse): void => {
      if (settled) return
      settled = true
      for (const timer of timers) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (err) {
        req.destroy()
        reject(err)
      } else resolve(response!)
    }
    const onAbort = (): void => finish(abortError(signal!))
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        agent: secure ? options.httpsAgent : options.httpAgent
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', (err) => finish(err))
        res.on('end', () => {
          const headers: Record<string, string> = {}
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
          }
          finish(undefined, {
            statusCode: res.statusCode ?? -1,
            headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        })
      }
    )
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(RENAMED.has(err.code ?? '') ? Object.assign(err, { name: 'TimeoutError' }) : err)
    )
    signal?.addEventListener('abort', onAbort, { once: true })
    const connectTimer = setTimeout(
      () =>
        finish(
          timeoutError(
            `the request socket did not connect within ${options.connectionTimeoutMs} ms`
          )
        ),
      options.connectionTimeoutMs
    )
    timers.push(connectTimer)
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer)
      else socket.once('connect', () => clearTimeout(connectTimer))
    })
    timers.push(
      setTimeout(
        () => finish(timeoutError(`no complete answer within ${options.requestTimeoutMs} ms`)),
        options.requestTimeoutMs
      )
    )
    req.end(request.body)
  })
}
