// A small forward proxy for the end-to-end tests, speaking the two forms a proxy is asked in
// (RFC 9110 section 9.3.6 for CONNECT, RFC 9112 section 3.2.2 for the absolute form):
// - `CONNECT host:port`: answers 200 and relays bytes both ways (a tunnel; TLS passes through);
// - `GET http://host:port/path`: forwards the request to the origin and relays the answer.
// It resolves host names with its own table only (a name and every name under it), the way a
// corporate proxy resolves names the runner cannot: a request that skips the proxy fails to
// resolve. Every request it gets is recorded.
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ProxiedRequest {
  /** 'CONNECT' for a tunnel, else the method of a forwarded request. */
  method: string
  /** `host:port` of a tunnel, or the absolute URI asked for. */
  target: string
  /** The Proxy-Authorization header, if any. */
  authorization?: string
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade'
]

export class ForwardProxy {
  readonly requests: ProxiedRequest[] = []
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    private readonly hosts: Record<string, string>
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** `hosts`: name -> address; a name also covers every name under it (`b.emulator.internal`). */
  static async start(hosts: Record<string, string>): Promise<ForwardProxy> {
    const server = createServer()
    const proxy = new ForwardProxy(server, hosts)
    server.on('connection', (s: Socket) => {
      proxy.sockets.add(s)
      s.on('close', () => proxy.sockets.delete(s))
    })
    server.on('request', (req, res) => proxy.forward(req, res))
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) =>
      proxy.tunnel(req, client, head)
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return proxy
  }

  /** The address of a host name, by the proxy's own table only. */
  resolve(hostname: string): string | undefined {
    const name = hostname.toLowerCase()
    for (const [known, address] of Object.entries(this.hosts)) {
      if (name === known || name.endsWith(`.${known}`)) return address
    }
    return undefined
  }

  private record(req: IncomingMessage): void {
    this.requests.push({
      method: req.method ?? '',
      target: req.url ?? '',
      authorization: req.headers['proxy-authorization']
    })
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    this.record(req)
    const m = /^([^:]+|\[[^\]]+\]):(\d+)$/.exec(req.url ?? '')
    const address = m && this.resolve(m[1])
    if (!m || !address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    const upstream = connect(Number(m[2]), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    this.sockets.add(upstream)
    upstream.on('close', () => this.sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  }

  private forward(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    this.record(req)
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      // An origin-form request is not meant for a proxy.
      res.writeHead(400).end('absolute URI expected')
      return
    }
    const address = this.resolve(target.hostname)
    if (target.protocol !== 'http:' || !address) {
      res.writeHead(502).end(`cannot resolve ${target.hostname}`)
      return
    }
    const headers = { ...req.headers }
    for (const name of HOP_BY_HOP) delete headers[name]
    const upstream = request(
      {
        host: address,
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers
      },
      (answer) => {
        const out = { ...answer.headers }
        for (const name of HOP_BY_HOP) delete out[name]
        res.writeHead(answer.statusCode ?? 502, out)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }

  /** Requests seen since `from` (an index into `requests`). */
  since(from: number): ProxiedRequest[] {
    return this.requests.slice(from)
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const s of this.sockets) s.destroy()
    this.server.closeAllConnections()
    await closed
  }
}
