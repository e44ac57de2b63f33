// The sockets of the AWS clients when a proxy is set: agents that decide per request (by the rules of
// proxy-env.ts) whether it goes out directly or through the proxy: https:// targets through an
// HTTP CONNECT tunnel (https-proxy-agent), http:// targets as absolute-URI requests to the proxy
// (http-proxy-agent), the way curl does (many proxies allow CONNECT to port 443 only). Loaded only
// when a proxy variable is set (a lazy chunk), so runs without a proxy pay nothing for it. The
// same design as the `proxy-agent` package that aws-actions/configure-aws-credentials uses, without
// its PAC and SOCKS parts.
//
// The request is handed to the chosen agent synchronously, while the http.ClientRequest is being
// built: a router that chose later (agent-base's asynchronous connect) would hand over a request
// whose header was already written with the origin-form path, and http-proxy-agent fixes that
// only on a new socket, not on a kept-alive one.
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { proxyFor, type ProxyEnv } from './proxy-env.js'

/** The socket settings of the SDK's own NodeHttpHandler agents, kept on every path. */
export const SOCKET_OPTIONS = { keepAlive: true, maxSockets: 50 } as const

/** The part of http.Agent that http.ClientRequest calls (not in @types/node). */
interface RequestTaker {
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void
}

/** Where requests of one scheme go: a direct agent, or one agent per proxy (sockets reused). */
export class Routes {
  private readonly direct: http.Agent
  private readonly proxied = new Map<string, http.Agent>()

  constructor(
    private readonly env: ProxyEnv,
    readonly secure: boolean
  ) {
    this.direct = secure ? new https.Agent(SOCKET_OPTIONS) : new http.Agent(SOCKET_OPTIONS)
  }

  /** The proxy for a request to host:port, or undefined to go out directly. */
  proxyOf(host: string, port: number): URL | undefined {
    const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
    return proxyFor(new URL(`${this.secure ? 'https' : 'http'}://${bracketed}:${port}`), this.env)
  }

  agentFor(host: string, port: number): http.Agent {
    const proxy = this.proxyOf(host, port)
    if (!proxy) return this.direct
    let agent = this.proxied.get(proxy.href)
    if (!agent) {
      agent = this.secure
        ? new HttpsProxyAgent(proxy, SOCKET_OPTIONS)
        : new HttpProxyAgent(proxy, SOCKET_OPTIONS)
      this.proxied.set(proxy.href, agent)
    }
    return agent
  }

  route(req: http.ClientRequest, options: http.RequestOptions): void {
    const host = options.hostname ?? options.host ?? 'localhost'
    const port = Number(options.port ?? (this.secure ? 443 : 80))
    const agent = this.agentFor(host, port) as unknown as RequestTaker
    // secureEndpoint tells agent-base (under both proxy agents) the scheme; see agent-base's
    // isSecureEndpoint.
    agent.addRequest(req, { ...options, secureEndpoint: this.secure } as http.RequestOptions)
  }

  destroy(): void {
    this.direct.destroy()
    for (const agent of this.proxied.values()) agent.destroy()
  }
}

/** The agent the SDK gets for http:// endpoints: it only routes, and holds no socket itself. */
export class HttpRouter extends http.Agent {
  readonly routes: Routes
  constructor(env: ProxyEnv) {
    super(SOCKET_OPTIONS)
    this.routes = new Routes(env, false)
  }
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    this.routes.route(req, options)
  }
  override destroy(): void {
    this.routes.destroy()
    super.destroy()
  }
}

/** The agent the SDK gets for https:// endpoints. */
export class HttpsRouter extends https.Agent {
  readonly routes: Routes
  constructor(env: ProxyEnv) {
    super(SOCKET_OPTIONS)
    this.routes = new Routes(env, true)
  }
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    this.routes.route(req, options)
  }
  override destroy(): void {
    this.routes.destroy()
    super.destroy()
  }
}

/** The agents to give the SDK's request handler. */
export function proxyAgents(env: ProxyEnv): { httpAgent: HttpRouter; httpsAgent: HttpsRouter } {
  return { httpAgent: new HttpRouter(env), httpsAgent: new HttpsRouter(env) }
}
