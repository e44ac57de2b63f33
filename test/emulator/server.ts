// One HTTP server on 127.0.0.1 that answers as Rekognition (JSON 1.1), S3 (path style) and the
// GitHub REST API, records every request, and fails on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { FaultQueue, faultReply } from './faults.js'
import { pullKey, routeGitHub } from './github.js'
import type { Incoming, Routed } from './http.js'
import { describeVersion, routeRekognition, type ListOrder } from './rekognition.js'
import { routeS3 } from './s3.js'
import { Store, type VersionRecord } from './store.js'
import { DEFAULT_PLAN, settle, writeOutputs } from './training.js'
import type {
  Comment,
  CommitStatusState,
  Fault,
  GitHubIdentity,
  HostingPlan,
  RecordedRequest,
  SeedVersion,
  TrainingPlan,
  VersionState
} from './types.js'
import type { Reply } from './wire.js'

export type * from './types.js'

/** A hold on an operation: see Emulator.hold. */
export interface Held {
  arrived(n: number): Promise<void>
  count(): number
  release(): void
}

interface HeldGate {
  waiting: (() => void)[]
  watchers: { n: number; resolve: () => void }[]
  wake?: () => void
}

/** A real answer made into one that is not of the documented shape (see the `garbage` fault). */
function garbled(reply: Reply, how: 'html' | 'truncated' | 'wrong-type'): Reply {
  const headers = { ...reply.headers }
  delete headers['content-length']
  if (how === 'html')
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: '<!DOCTYPE html><html><body><h1>Unicorn!</h1></body></html>'
    }
  const text = typeof reply.body === 'string' ? reply.body : ''
  if (how === 'truncated')
    return { ...reply, headers, body: text.slice(0, Math.floor(text.length / 2)) }
  const objectOf = (list: unknown[]): Record<string, unknown> =>
    Object.fromEntries(list.map((x, i) => [String(i), x]))
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return reply
  }
  const wrong = Array.isArray(data)
    ? objectOf(data)
    : Object.fromEntries(
        Object.entries(data as Record<string, unknown>).map(([k, v]) => [
          k,
          Array.isArray(v) ? objectOf(v) : v
        ])
      )
  return { ...reply, headers, body: JSON.stringify(wrong) }
}

export interface EmulatorOptions {
  port?: number
  log?: (line: string) => void
  /**
   * Host names the emulator is reached by besides 127.0.0.1 (through a test's proxy, say). An S3
   * request whose Host is `<bucket>.<name>` is virtual-hosted style, as the SDK sends it to an
   * endpoint with a host name, and is served as `/<bucket>/<key>`.
   */
  hostNames?: string[]
}

export interface ProjectOptions {
  region?: string
  account?: string
  createdAt?: Date
  /** true: the project has TRAIN/TEST datasets (CreateProjectVersion must not give data);
   *  false: it has none (it must); unset: either request style is accepted. */
  datasets?: boolean
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

/** Origin-form targets are parsed as paths, so `//x` or `/%zz` never turn into hosts or throw. */
function requestUrl(target = '/'): URL {
  try {
    return target.startsWith('/') ? new URL(`http://127.0.0.1${target}`) : new URL(target)
  } catch {
    return new URL('http://127.0.0.1/')
  }
}

/**
 * S3 virtual-hosted style (Host: <bucket>.<endpoint host>) as the path style the emulator serves;
 * S3 takes the bucket from the Host header this way:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
function pathStyle(url: URL, host: string | undefined, names: string[]): URL {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase()
  const name = names.find((n) => hostname.endsWith(`.${n}`))
  if (!name) return url
  const bucket = hostname.slice(0, -name.length - 1)
  return new URL(`http://127.0.0.1/${bucket}${url.pathname}${url.search}`)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export class Emulator {
  readonly url: string
  readonly requests: RecordedRequest[] = []
  private readonly store = new Store()
  private readonly faults = new FaultQueue()
  private plan: TrainingPlan = { ...DEFAULT_PLAN }
  private hosting: HostingPlan = {}
  private clockSkewMs = 0
  private readonly hooks: { operation: string; fn: (request: RecordedRequest) => void }[] = []
  private readonly holds = new Map<string, { count: number; waiting: (() => void)[] }>()
  private listOrder: ListOrder = 'newest-first'
  private loopToken = false
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private barriers: { operation: string; parties: number; waiting: (() => void)[] }[] = []
  private readonly gates = new Map<string, HeldGate>()
  private stopped = false

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly log: (line: string) => void,
    private readonly hostNames: string[]
  ) {
    this.url = `http://127.0.0.1:${port}`
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
    const port = (server.address() as AddressInfo).port
    const emulator = new Emulator(
      server,
      port,
      options.log ?? (() => undefined),
      (options.hostNames ?? []).map((n) => n.toLowerCase())
    )
    server.on('connection', (socket) => {
      emulator.sockets.add(socket)
      socket.on('close', () => emulator.sockets.delete(socket))
    })
    server.on('request', (req, res) => {
      emulator.handle(req, res).catch((err: unknown) => {
        emulator.log(`emulator error: ${(err as Error).stack ?? String(err)}`)
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end()
      })
    })
    return emulator
  }

  /** Closes every connection, hung ones included, and cancels pending slow answers. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const b of this.barriers) for (const release of b.waiting) release()
    this.barriers = []
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const s of this.sockets) s.destroy()
    this.server.closeAllConnections()
    await closed
  }

  // --- Rekognition -------------------------------------------------------------------------

  addProject(name: string, opts: ProjectOptions = {}): string {
    const region = opts.region ?? 'eu-west-1'
    const account = opts.account ?? '123456789012'
    const createdAt = opts.createdAt ?? new Date()
    const arn = `arn:aws:rekognition:${region}:${account}:project/${name}/${createdAt.getTime()}`
    this.store.projects.set(arn, { arn, name, region, account, createdAt, datasets: opts.datasets })
    return arn
  }

  /** Seeds an existing version (default TRAINING_COMPLETED); an in-progress one follows the current plan. */
  addVersion(projectArn: string, v: SeedVersion): string {
    if (!this.store.projects.has(projectArn))
      throw new Error(`addVersion: unknown project ${projectArn}`)
    const createdAt = v.createdAt ?? new Date(this.store.now())
    const status = v.status ?? 'TRAINING_COMPLETED'
    const bucket = v.outputBucket ?? 'emulator-training-output'
    this.store.addBucket(bucket)
    const ended = status !== 'TRAINING_IN_PROGRESS'
    const completed = status === 'TRAINING_COMPLETED'
    const record: VersionRecord = {
      arn: `${projectArn.replace(/\/\d+$/, '')}/version/${v.name}/${createdAt.getTime()}`,
      name: v.name,
      projectArn,
      status,
      statusMessage:
        v.statusMessage ??
        (completed
          ? 'The model is ready to run.'
          : ended
            ? 'The model training failed.'
            : 'The model is being trained.'),
      createdAt,
      endedAt: ended ? (v.endedAt ?? new Date(createdAt.getTime() + 3_600_000)) : undefined,
      request: {
        ProjectArn: projectArn,
        VersionName: v.name,
        OutputConfig: { S3Bucket: bucket, S3KeyPrefix: v.outputPrefix ?? '' }
      },
      tags: { ...(v.tags ?? {}) },
      f1Score: completed ? v.f1Score : undefined,
      // Billable time is returned for successful trainings only (ProjectVersionDescription).
      billableSeconds:
        ended && status !== 'TRAINING_FAILED'
          ? (v.billableSeconds ?? this.plan.billableSeconds)
          : undefined,
      describeCount: 0,
      plan: {
        ...this.plan,
        // A seeded version's evaluation is its own: nothing of the current plan's.
        confusion: undefined,
        answers: undefined,
        snapshotImages: undefined,
        snapshot: undefined,
        ...(v.labels && { labels: v.labels }),
        ...v.plan
      },
      ...((status === 'RUNNING' || status === 'STARTING') && {
        minUnits: v.minUnits ?? 1,
        maxUnits: v.maxUnits,
        hosting: { ...this.hosting }
      })
    }
    this.store.addVersion(record)
    if (completed && v.f1Score !== undefined) writeOutputs(this.store, record)
    return record.arn
  }

  /**
   * The service's clock runs this far ahead (or, negative, behind) of this machine's: new
   * versions get their CreationTimestamp (and ARN) from it. A runner's clock can be minutes off.
   */
  setClockSkew(ms: number): void {
    this.clockSkewMs = ms
  }

  /** The order DescribeProjectVersions lists versions in: the API documents none. */
  setListOrder(order: ListOrder): void {
    this.listOrder = order
  }

  /**
   * Moves the emulator's clock (creation times, time-based training ends) forward: a 24-hour
   * training seen in seconds. The action's own clock is untouched.
   */
  advanceClock(ms: number): void {
    this.store.clockOffsetMs += ms
  }

  /** A faulty service whose last page of DescribeProjectVersions gives back the token it was given. */
  loopListToken(on: boolean): void {
    this.loopToken = on
  }

  /** Merged over the current plan; applies to versions created from now on. */
  setTraining(plan: Partial<TrainingPlan>): void {
    this.plan = { ...this.plan, ...plan }
  }

  /** Merged over the current hosting plan; applies to starts and stops from now on. */
  setHosting(plan: Partial<HostingPlan>): void {
    this.hosting = { ...this.hosting, ...plan }
  }

  /** Lets every held start go on: the next DescribeProjectVersions shows it RUNNING (or FAILED). */
  releaseStarts(): void {
    this.hosting = { ...this.hosting, held: false }
    for (const project of this.store.projects.keys())
      for (const v of this.store.versionsOf(project))
        if (v.hosting) v.hosting = { ...v.hosting, held: false }
  }

  /**
   * What DetectCustomLabels answers for an image (`s3://bucket/key`), for every version or, with
   * `versionName`, for that one only: a smoke test then passes or fails on purpose.
   */
  setDetectAnswer(
    image: string,
    labels: { Name: string; Confidence: number }[],
    versionName?: string
  ): void {
    this.store.detectAnswers.set(versionName ? `${versionName}|${image}` : image, labels)
  }

  /** GitHub deployments recorded, oldest first, with their statuses. */
  deployments(owner: string, repo: string) {
    return this.store.deployments
      .filter((d) => d.owner === owner && d.repo === repo)
      .map((d) => ({ ...d, statuses: [...d.statuses] }))
  }

  /** A deployment as if an earlier run had recorded it (with a success status). */
  addDeployment(owner: string, repo: string, environment: string, payload: unknown): number {
    const now = new Date(this.store.now()).toISOString()
    const id = this.store.deployments.length + 7000001
    this.store.deployments.push({
      id,
      owner,
      repo,
      ref: 'main',
      environment,
      payload,
      description: null,
      transient: false,
      createdAt: now,
      statuses: [{ id: id * 10, state: 'success', description: '', createdAt: now }]
    })
    return id
  }

  /** Snapshots of a project's versions, newest first (time-based endings applied). */
  versions(projectArn: string): VersionState[] {
    const now = this.store.now()
    return this.store.versionsOf(projectArn).map((v) => {
      settle(this.store, v, now, false)
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { plan, ...state } = v
      return { ...state, tags: { ...state.tags } }
    })
  }

  /** The DescribeProjectVersions description of a version, as the API would return it now. */
  describe(versionArn: string): Record<string, unknown> | undefined {
    const v = this.store.findVersion(versionArn)
    return v && describeVersion(v)
  }

  // --- Faults and the request log ----------------------------------------------------------

  injectFault(operation: string, fault: Fault, times = 1): void {
    this.faults.inject(operation, fault, times)
  }

  clearFaults(): void {
    this.faults.clear()
    this.hooks.length = 0
    for (const hold of this.holds.values()) for (const release of hold.waiting) release()
    this.holds.clear()
    for (const gate of this.gates.values()) for (const go of gate.waiting.splice(0)) go()
    this.gates.clear()
    this.store.github.unknownCommits.clear()
  }

  /** Calls fn when a request for the operation arrives (before it is acted on): to act at that
   * moment of a run (inject faults, cancel the job). Cleared by clearFaults(). */
  onRequest(operation: string, fn: (request: RecordedRequest) => void): void {
    this.hooks.push({ operation, fn })
  }

  /**
   * Holds the next `count` requests of the operation until all of them have arrived, then lets
   * them through in the order they came: runs racing on one call meet there, whatever their start
   * times. A fault injected for the operation still applies, taken in arrival order.
   */
  holdUntil(operation: string, count: number): void {
    this.holds.set(operation, { count, waiting: [] })
  }

  /**
   * Holds every request of the operation, before it is acted on, until the test releases them: a
   * write that lands late (a slow or rate-limited GitHub), at the moment the test chooses.
   * `arrived(n)` resolves once n requests are held. Released by `release()` or clearFaults().
   */
  hold(operation: string): Held {
    const gate: HeldGate = { waiting: [], watchers: [] }
    this.gates.set(operation, gate)
    const wake = (): void => {
      for (const w of [...gate.watchers]) {
        if (gate.waiting.length >= w.n) {
          gate.watchers.splice(gate.watchers.indexOf(w), 1)
          w.resolve()
        }
      }
    }
    gate.wake = wake
    return {
      arrived: (n) =>
        new Promise<void>((resolve) => {
          gate.watchers.push({ n, resolve })
          wake()
        }),
      count: () => gate.waiting.length,
      release: () => {
        if (this.gates.get(operation) === gate) this.gates.delete(operation)
        for (const go of gate.waiting.splice(0)) go()
      }
    }
  }

  /** GitHub does not know this commit: status reads answer 404, status writes 422. */
  forgetCommit(sha: string): void {
    this.store.github.unknownCommits.add(sha.toLowerCase())
  }

  requestsFor(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  // --- S3 ----------------------------------------------------------------------------------

  /** Creates the bucket if needed. */
  putObject(bucket: string, key: string, body: string | Buffer, contentType?: string): void {
    this.store.putObject(bucket, key, Buffer.isBuffer(body) ? body : Buffer.from(body), contentType)
  }

  getObject(bucket: string, key: string): Buffer | undefined {
    return this.store.getObject(bucket, key)?.body
  }

  objects(bucket?: string): { bucket: string; key: string }[] {
    return [...this.store.buckets.entries()]
      .filter(([name]) => bucket === undefined || name === bucket)
      .flatMap(([name, objects]) => [...objects.keys()].map((key) => ({ bucket: name, key })))
  }

  /** A bucket; with `region`, GetBucketLocation names it (else the region asked). */
  addBucket(name: string, region?: string): void {
    this.store.addBucket(name)
    if (region) this.store.bucketRegions.set(name, region)
  }

  // --- GitHub ------------------------------------------------------------------------------

  comments(owner: string, repo: string, issue: number): Comment[] {
    return this.store.comments
      .filter((c) => c.owner === owner && c.repo === repo && c.issue === issue)
      .map(({ id, body, user, createdAt, updatedAt }) => ({ id, body, user, createdAt, updatedAt }))
  }

  addComment(owner: string, repo: string, issue: number, body: string, user = 'octocat'): number {
    return this.store.addComment(owner, repo, issue, body, user).id
  }

  /** The commit statuses of a commit, oldest first (every one written, not only the latest). */
  statuses(owner: string, repo: string, sha: string): CommitStatusState[] {
    return this.store.statuses
      .filter((s) => s.owner === owner && s.repo === repo && s.sha === sha)
      .map(({ id, state, description, targetUrl, context, createdAt }) => ({
        id,
        state,
        description,
        targetUrl,
        context,
        createdAt
      }))
  }

  /** A status as if some step had written it. */
  addStatus(
    owner: string,
    repo: string,
    sha: string,
    s: { state: string; description: string; context: string; targetUrl?: string }
  ): void {
    this.store.addStatus({
      owner,
      repo,
      sha,
      state: s.state,
      description: s.description,
      context: s.context,
      targetUrl: s.targetUrl ?? null
    })
  }

  /** A token without `statuses: write`: status writes answer 403. */
  denyStatusWrites(on: boolean): void {
    this.store.github.denyStatuses = on
  }

  setGitHubToken(token: string | undefined): void {
    this.store.github.token = token
  }

  denyGitHubWrites(on: boolean): void {
    this.store.github.denyWrites = on
  }

  /** Who GitHub takes the token for: comments are written as this login. */
  setGitHubIdentity(identity: GitHubIdentity): void {
    this.store.github.identity = { ...identity }
  }

  /** An open pull request whose head is `headSha` (again: its head moves, as on a push). */
  setPullRequest(owner: string, repo: string, n: number, headSha: string, headRef = 'data'): void {
    this.store.github.pulls.set(pullKey(owner, repo, n), {
      number: n,
      headSha,
      headRef,
      state: 'open'
    })
  }

  removePullRequest(owner: string, repo: string, n: number): void {
    this.store.github.pulls.delete(pullKey(owner, repo, n))
  }

  /**
   * Holds the next `parties` requests of `operation` until all of them have arrived, then answers
   * them together: two runs are made to read the same state before either writes.
   */
  barrier(operation: string, parties: number): void {
    this.barriers.push({ operation, parties, waiting: [] })
  }

  // --- Serving -----------------------------------------------------------------------------

  private route(req: Incoming): Routed {
    const { method, url, headers } = req
    if (
      method === 'POST' &&
      url.pathname === '/' &&
      (headers['x-amz-target'] || headers['content-type']?.includes('amz-json'))
    ) {
      return routeRekognition(
        {
          store: this.store,
          plan: () => ({ ...this.plan }),
          clockSkewMs: () => this.clockSkewMs,
          listOrder: () => this.listOrder,
          hosting: () => ({ ...this.hosting }),
          loopListToken: () => this.loopToken
        },
        req
      )
    }
    if (url.pathname.startsWith('/repos/') || /^\/user\/?$/.test(url.pathname))
      return routeGitHub(this.store, req, this.url)
    return routeS3(this.store, req)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let clientGone = false
    res.on('close', () => (clientGone = true))
    const headers = flatHeaders(req)
    const incoming: Incoming = {
      method: req.method ?? 'GET',
      url: pathStyle(requestUrl(req.url), headers.host, this.hostNames),
      headers,
      body: await readBody(req)
    }
    const routed = this.route(incoming)
    await this.passBarrier(routed.operation)
    const fault = this.faults.take(routed.operation)
    const record: RecordedRequest = {
      service: routed.service,
      operation: routed.operation,
      method: incoming.method,
      path: incoming.url.pathname + incoming.url.search,
      headers: incoming.headers,
      body: routed.body,
      region: routed.region,
      time: Date.now(),
      ...(fault && { fault: fault.kind })
    }
    this.requests.push(record)
    for (const hook of this.hooks) if (hook.operation === routed.operation) hook.fn(record)
    const hold = this.holds.get(routed.operation)
    if (hold) {
      await new Promise<void>((resolve) => {
        hold.waiting.push(resolve)
        if (hold.waiting.length >= hold.count) {
          this.holds.delete(routed.operation)
          for (const release of hold.waiting) release()
        }
      })
    }
    const gate = this.gates.get(routed.operation)
    if (gate) {
      await new Promise<void>((resolve) => {
        gate.waiting.push(resolve)
        gate.wake?.()
      })
      if (this.stopped) return
    }
    const note = (outcome: string) =>
      this.log(
        `${routed.service} ${routed.operation} ${incoming.method} ${record.path} -> ${outcome}${fault ? ` [fault ${fault.kind}]` : ''}`
      )

    if (!fault) return this.send(res, routed.act(), note)
    switch (fault.kind) {
      case 'drop-before':
        note('dropped')
        req.socket.destroy()
        return
      case 'drop-after': {
        const reply = routed.act()
        note(`${reply.status}, dropped`)
        req.socket.destroy()
        return
      }
      case 'hang':
        note('hanging')
        return // stop() destroys the socket
      case 'late': {
        const reply = routed.act()
        note(`${reply.status}, answer held ${fault.delayMs} ms`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t)
            resolve()
          }, fault.delayMs)
          this.timers.add(t)
        })
        if (clientGone || this.stopped) return
        return this.send(res, reply, note)
      }
      case 'slow': {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t)
            resolve()
          }, fault.delayMs)
          this.timers.add(t)
        })
        if (clientGone || this.stopped) return note('client gone, not acted')
        return this.send(res, routed.act(), note)
      }
      case 'garbage':
        return this.send(res, garbled(routed.act(), fault.body), note)
      default:
        return this.send(res, faultReply(routed, fault), note)
    }
  }

  private passBarrier(operation: string): Promise<void> {
    const b = this.barriers.find((x) => x.operation === operation)
    if (!b) return Promise.resolve()
    return new Promise<void>((resolve) => {
      b.waiting.push(resolve)
      if (b.waiting.length < b.parties) return
      this.barriers.splice(this.barriers.indexOf(b), 1)
      for (const release of b.waiting) release()
    })
  }

  private send(res: ServerResponse, reply: Reply, note: (outcome: string) => void): void {
    note(String(reply.status))
    if (res.destroyed) return
    const headers: Record<string, string> = { ...reply.headers }
    if (reply.body !== undefined && headers['content-length'] === undefined) {
      headers['content-length'] = String(Buffer.byteLength(reply.body))
    }
    res.writeHead(reply.status, headers)
    res.end(reply.body)
  }
}
