// One CreateProjectVersion, and what it made when its answer is an error or never comes: a create
// that may have acted is followed by lookups by name (until the service answers, within the
// deadline), and the version found is told apart as this run's or another run's
// (src/training/ownership.ts). A cancel stops nothing that was sent: the answer is waited for until
// just before SIGKILL, then the name is looked up once.
import type {
  CreateProjectVersionCommandInput,
  ProjectVersionDescription
} from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { CreateProjectVersionCommand } from '../aws/rekognition/commands.js'
import { boundedSignal } from '../aws/abort.js'
import { ActionError } from '../errors.js'
import { explainAwsError, errorName } from '../aws/explain.js'
import { formatDuration } from '../inputs/duration.js'
import { lookupVersion } from './lookup.js'
import { ownerOf, refusedAsDuplicate, type Owner } from './ownership.js'
import { timing, type Timing } from '../timing.js'
import { abortableSleep } from '../aws/abort.js'
import { MISSING_CHECKS, MISSING_WINDOW_MS } from './wait.js'

/** After a create that may have acted, lookups by name start this far apart, then back off. */
const FIRST_LOOKUP_DELAY_MS = 1_000
const MAX_LOOKUP_DELAY_MS = 15_000
/** The most one lookup (or tag read) after a failed create may take. */
const LOOKUP_TIMEOUT_MS = 30_000
/** The one lookup made when a cancel leaves no time for the create's answer. */
const LAST_LOOKUP_MS = 1_200
const LAST_TAGS_MS = 800
/** Without a deadline (tests), lookups after a failed create go on this long. */
const DEFAULT_LOOKUP_WINDOW_MS = 10 * 60_000

export interface CreateLog {
  info(line: string): void
  warning(line: string): void
}

export interface CreateOptions {
  projectArn: string
  /** The request for the final name; may prepare what it names first (uploads). */
  buildRequest: (
    name: string
  ) => CreateProjectVersionCommandInput | Promise<CreateProjectVersionCommandInput>
  log: CreateLog
  /** A cancel that arrives before the create means no training is started at all. */
  cancel?: AbortSignal
  /**
   * Aborted when no time is left to wait for a CreateProjectVersion answer (just before the
   * runner's SIGKILL): the name is then looked up once and what it finds is returned.
   */
  lastChance?: AbortSignal
  /** Epoch ms: after a create that may have acted, the name is looked up until then. */
  deadline?: number
  /** Called with the name just before CreateProjectVersion is sent. */
  onCreating?: (name: string) => void
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Scales the lookup delays, the missing-version window and the last lookup (tests). */
  timing?: Timing
}

/** What a create ended with: a version, and which run started it. */
export interface CreateResult {
  owner: Owner
  arn: string
  description?: ProjectVersionDescription
  /** Why the owner is unknown. */
  problem?: string
}

const never = new AbortController().signal

const ABORTED = Symbol('aborted')

/** The promise's value, or ABORTED if the signal aborts first (the promise is left to settle). */
function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | typeof ABORTED> {
  if (!signal) return promise
  if (signal.aborted) return Promise.resolve(ABORTED)
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e as Error)
      }
    )
  })
}

/** One CreateProjectVersion, and, when its answer is an error or never comes, the version it may have made. */
export async function createOrFind(
  client: RekognitionClient,
  opts: CreateOptions,
  name: string
): Promise<CreateResult> {
  const cancelled = () =>
    new ActionError(`Cancelled before version ${name} was created: no training was started.`)
  if (opts.cancel?.aborted) throw cancelled()
  // Prepared outside the try: a failed upload is not a lost answer to look for.
  const request = await opts.buildRequest(name)
  // The last moment a cancel can stop the training: right before the create (an upload can take
  // a while, and a cancel during it must start nothing).
  if (opts.cancel?.aborted) throw cancelled()
  opts.onCreating?.(name)
  opts.log.info(`Starting training ${name} (CreateProjectVersion).`)
  // Never aborted: the service may act on a request whose client gave up, and its answer is the
  // ARN. A cancel only stops waiting for it when SIGKILL is near (lastChance).
  const sent = (async () => client.send(new CreateProjectVersionCommand(request)))()
  // Its end may come after this run stopped waiting for it: never an unhandled rejection.
  sent.catch(() => undefined)
  let out: Awaited<typeof sent> | typeof ABORTED
  try {
    out = await unlessAborted(sent, opts.lastChance)
  } catch (err) {
    return await afterFailedCreate(client, opts, name, request.Tags, err)
  }
  if (out === ABORTED) return await lastLook(client, opts, name, request.Tags, 'got no answer')
  return { owner: 'this-run', arn: out.ProjectVersionArn! }
}

/** The one lookup left when the job is about to be killed: output what it finds, or name the name. */
async function lastLook(
  client: RekognitionClient,
  opts: CreateOptions,
  name: string,
  tags: Record<string, string> | undefined,
  what: string
): Promise<CreateResult> {
  const t = opts.timing ?? timing()
  const bound = boundedSignal(t.ms(LAST_LOOKUP_MS))
  let found: ProjectVersionDescription | undefined
  let why = 'no version of that name is listed yet'
  try {
    found = await lookupVersion(client, opts.projectArn, name, bound.signal)
  } catch (err) {
    why = `the lookup failed (${errorName(err)})`
  } finally {
    bound.done()
  }
  if (!found?.ProjectVersionArn) {
    throw new ActionError(
      `Cancelled: CreateProjectVersion for ${name} ${what} before the job was stopped, and ${why}. If the service acted, a training named ${name} goes on in AWS: re-run the job and, with if-version-exists: reuse (the default), the step attaches to it.`
    )
  }
  opts.log.info(`Found version ${name} by name after the cancel: ${found.ProjectVersionArn}`)
  const { owner, problem } = await ownerOf(
    client,
    found.ProjectVersionArn,
    tags,
    t.ms(LAST_TAGS_MS)
  )
  return { owner, problem, arn: found.ProjectVersionArn, description: found }
}

/**
 * CreateProjectVersion failed. Refused outright (permissions, a bad request): one lookup, in case
 * an earlier attempt acted. Otherwise it may have made the version, or another run did (a lost
 * answer, a retry that met its own version, ResourceInUseException): the name is looked up until
 * the service answers, within the deadline, and a version that is not listed is only taken as "not
 * created" after several empty answers over a minute (a new version can take a moment to be
 * listed: the API promises no read-after-write consistency, so the safe reading is to wait).
 */
async function afterFailedCreate(
  client: RekognitionClient,
  opts: CreateOptions,
  name: string,
  tags: Record<string, string> | undefined,
  err: unknown
): Promise<CreateResult> {
  const { projectArn, log } = opts
  const now = opts.now ?? Date.now
  const sleep = opts.sleep ?? abortableSleep
  const t = opts.timing ?? timing()
  const explained = explainAwsError(err, 'rekognition:CreateProjectVersion', projectArn)
  const inUse = errorName(err) === 'ResourceInUseException'
  const found = async (v: ProjectVersionDescription): Promise<CreateResult> => {
    const arn = v.ProjectVersionArn!
    if (refusedAsDuplicate(err)) return { owner: 'another-run', arn, description: v }
    const { owner, problem } = await ownerOf(client, arn, tags, LOOKUP_TIMEOUT_MS)
    if (owner === 'this-run') {
      log.info(
        `CreateProjectVersion answered ${errorName(err)}, but version ${name} carries this run's id and attempt: it is this run's training.`
      )
    }
    return { owner, problem, arn, description: v }
  }

  if (!inUse && explained.permanent) {
    const v = await lookupVersion(client, projectArn, name).catch(() => undefined)
    if (v?.ProjectVersionArn) return found(v)
    throw new ActionError(explained.message)
  }

  log.info(
    inUse
      ? `CreateProjectVersion: version ${name} already exists; looking it up to see which run started it.`
      : `CreateProjectVersion failed (${errorName(err)}); looking version ${name} up, as the service may have acted although its answer was lost.`
  )
  const deadline = opts.deadline ?? now() + DEFAULT_LOOKUP_WINDOW_MS
  let missing: { since: number; checks: number } | undefined
  let delay = t.ms(FIRST_LOOKUP_DELAY_MS)
  for (;;) {
    if (opts.cancel?.aborted)
      return lastLook(client, opts, name, tags, `failed (${errorName(err)})`)
    const bound = boundedSignal(
      Math.max(250, Math.min(LOOKUP_TIMEOUT_MS, deadline - now())),
      ...(opts.cancel ? [opts.cancel] : [])
    )
    try {
      const v = await lookupVersion(client, projectArn, name, bound.signal)
      if (v?.ProjectVersionArn) return await found(v)
      missing = missing ?? { since: now(), checks: 0 }
      missing.checks++
      const missingFor = now() - missing.since
      // Not listed for a minute and more: not created by this request. With ResourceInUseException
      // the service refused the create for something other than the name (the API documents the
      // error as "the resource is already being used"), so it is reported as it is.
      if (missing.checks >= MISSING_CHECKS && missingFor >= t.ms(MISSING_WINDOW_MS)) {
        throw new ActionError(
          `${explained.message} (version ${name} was not listed in ${missing.checks} lookups over ${formatDuration(missingFor)}: no training was started)`
        )
      }
    } catch (lookupErr) {
      if (lookupErr instanceof ActionError) throw lookupErr
      if (opts.cancel?.aborted) continue
      const why = explainAwsError(lookupErr, 'rekognition:DescribeProjectVersions', projectArn)
      if (why.permanent) {
        throw new ActionError(
          `CreateProjectVersion for ${name} failed (${errorName(err)}) and the version could not be looked up: ${why.message}. If the service acted, a training named ${name} goes on in AWS: re-run the job to attach to it.`
        )
      }
      log.warning(
        `Looking up version ${name} failed (${errorName(lookupErr)}); trying again, so a lost CreateProjectVersion answer cannot lose the training.`
      )
    } finally {
      bound.done()
    }
    if (now() >= deadline) {
      throw new ActionError(
        `CreateProjectVersion for ${name} failed (${errorName(err)}) and no version of that name could be found before the deadline. If the service acted, a training named ${name} goes on in AWS: re-run the job to attach to it. ${explained.message}`
      )
    }
    await sleep(Math.min(delay, Math.max(0, deadline - now())), opts.cancel ?? never)
    delay = Math.min(delay * 2, t.ms(MAX_LOOKUP_DELAY_MS))
  }
}
