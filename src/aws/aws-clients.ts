// The Rekognition clients, configured once: retries sized for storms, every attempt bounded in
// time, and the sockets through the proxy when HTTPS_PROXY / HTTP_PROXY say so (NO_PROXY honoured).
// S3's client is built in s3-client.ts, off the start path.
import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { MAX_ATTEMPTS, STATUS_CHECK_ATTEMPTS, backoffDelay } from './retry.js'
import { proxyConfigured, type ProxyEnv } from './proxy-env.js'
import { RekognitionClient, type RetryPolicy } from './rekognition/client.js'
import { defaultCredentials } from './rekognition/credentials.js'
import { rekognitionEndpoint } from './rekognition/endpoint.js'

/** The sockets of every AWS client of a run: empty (Node's own agents) without a proxy. */
export interface Sockets {
  httpAgent?: HttpAgent
  httpsAgent?: HttpsAgent
}

/**
 * The agents for the proxy variables of `env`, shared by every client of the run. Without a proxy
 * variable nothing is loaded and the clients keep Node's agents.
 */
export async function socketsFor(env: ProxyEnv): Promise<Sockets> {
  if (!proxyConfigured(env)) return {}
  const { proxyAgents } = await import('./proxy-agent.js')
  return proxyAgents(env)
}

export interface ClientOptions {
  region: string
  pollIntervalMs: number
  /** The longest one HTTP attempt may take before it is dropped and retried. */
  requestTimeoutMs?: number
  /** From socketsFor(env): required, so no client can skip the proxy. */
  sockets: Sockets
  /** Where the credentials and the endpoint settings are read (AWS_*). */
  env: Readonly<Record<string, string | undefined>>
}

/** The timeouts of one attempt, plus the proxy's agents when there is one. */
export function handlerOptions(requestTimeoutMs: number, sockets: Sockets) {
  return { connectionTimeout: 10_000, requestTimeout: requestTimeoutMs, ...sockets }
}

/** The patient policy: the create and the lookups that protect a training ride out storms. */
export function patientRetry(pollIntervalMs: number): RetryPolicy {
  return {
    maxAttempts: MAX_ATTEMPTS,
    delayMs: (retry) => backoffDelay(retry, pollIntervalMs),
    retryThrottled: true
  }
}

/**
 * The status checks of the wait, where the next scheduled check is the retry: a dropped connection
 * or a 500/502/503/504 gets one more attempt, a throttled check none (retrying it at once would
 * only add to the rate that was refused).
 */
export function statusCheckRetry(pollIntervalMs: number): RetryPolicy {
  return {
    maxAttempts: STATUS_CHECK_ATTEMPTS,
    delayMs: (retry) => backoffDelay(retry, pollIntervalMs),
    retryThrottled: false
  }
}

function transport(opts: Omit<ClientOptions, 'env'>) {
  const { connectionTimeout, requestTimeout, ...agents } = handlerOptions(
    opts.requestTimeoutMs ?? 30_000,
    opts.sockets
  )
  return { connectionTimeoutMs: connectionTimeout, requestTimeoutMs: requestTimeout, ...agents }
}

/** The patient client. */
export function rekognitionClient(opts: ClientOptions): RekognitionClient {
  return new RekognitionClient({
    region: opts.region,
    endpoint: () => rekognitionEndpoint(opts.region, opts.env),
    credentials: defaultCredentials(opts.env, opts.region),
    retry: patientRetry(opts.pollIntervalMs),
    transport: transport(opts)
  })
}

/**
 * The client of the wait's status checks (and its one history read): at most
 * STATUS_CHECK_ATTEMPTS attempts per check, never a second one when throttled. Shares the patient
 * client's credentials and clock, so they are resolved (and corrected) once.
 */
export function statusCheckClient(
  base: RekognitionClient,
  opts: Omit<ClientOptions, 'env'>
): RekognitionClient {
  return new RekognitionClient({
    ...base.config,
    retry: statusCheckRetry(opts.pollIntervalMs),
    transport: transport(opts)
  })
}
