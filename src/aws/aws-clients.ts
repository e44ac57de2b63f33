// The SDK clients, configured once: retries sized for storms, every request bounded in time, and
// the sockets through the proxy when HTTPS_PROXY / HTTP_PROXY say so (NO_PROXY honoured).
import { RekognitionClient } from '@aws-sdk/client-rekognition'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { MAX_ATTEMPTS, STATUS_CHECK_ATTEMPTS, backoffDelay } from './retry.js'
import { proxyConfigured, type ProxyEnv } from './proxy-env.js'

/** The sockets of every AWS client of a run: empty (the SDK's own agents) without a proxy. */
export interface Sockets {
  httpAgent?: HttpAgent
  httpsAgent?: HttpsAgent
}

/**
 * The agents for the proxy variables of `env`, shared by every client of the run. Without a proxy
 * variable nothing is loaded and the SDK keeps its own agents.
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
}

export function retryStrategy(pollIntervalMs: number): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) =>
    backoffDelay(attempt, pollIntervalMs)
  )
}

type Refresh = ConfiguredRetryStrategy['refreshRetryTokenForRetry']

/**
 * For the status checks of the wait, where the next scheduled check is the retry: a dropped
 * connection or a 500/502/503/504 gets one more attempt, a throttled check none (retrying it at
 * once would only add to the rate that was refused).
 */
export class StatusCheckRetryStrategy extends ConfiguredRetryStrategy {
  constructor(pollIntervalMs: number) {
    super(STATUS_CHECK_ATTEMPTS, (attempt) => backoffDelay(attempt, pollIntervalMs))
  }

  override async refreshRetryTokenForRetry(
    ...[token, errorInfo]: Parameters<Refresh>
  ): ReturnType<Refresh> {
    // Any throw here makes the SDK give up and throw the request's own error.
    if (errorInfo.errorType === 'THROTTLING') throw new Error('throttled: the next check retries')
    return super.refreshRetryTokenForRetry(token, errorInfo)
  }
}

/** NodeHttpHandler's options: the timeouts, plus the proxy's agents when there is one. */
export function handlerOptions(requestTimeoutMs: number, sockets: Sockets) {
  return { connectionTimeout: 10_000, requestTimeout: requestTimeoutMs, ...sockets }
}

const requestHandler = (opts: ClientOptions) =>
  handlerOptions(opts.requestTimeoutMs ?? 30_000, opts.sockets)

/** The patient client: the create and the lookups that protect a training ride out storms. */
export function rekognitionClient(opts: ClientOptions): RekognitionClient {
  return new RekognitionClient({
    region: opts.region,
    retryStrategy: retryStrategy(opts.pollIntervalMs),
    requestHandler: requestHandler(opts)
  })
}

/**
 * The client of the wait's status checks (and its one history read): at most
 * STATUS_CHECK_ATTEMPTS attempts per check, never a second one when throttled. Shares the patient
 * client's credentials, so they are resolved once.
 */
export function statusCheckClient(base: RekognitionClient, opts: ClientOptions): RekognitionClient {
  return new RekognitionClient({
    region: opts.region,
    credentials: base.config.credentials,
    retryStrategy: new StatusCheckRetryStrategy(opts.pollIntervalMs),
    requestHandler: requestHandler(opts)
  })
}
