// Start a training, or attach to the one of the same name: one training per name, whatever the
// network does, and exactly one run owns it when runs race on one name.
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  type CreateProjectVersionCommandInput,
  type ProjectVersionDescription,
  type RekognitionClient
} from '@aws-sdk/client-rekognition'
import { boundedSignal } from '../aws/abort.js'
import { ActionError } from '../errors.js'
import { explainAwsError, errorName } from '../aws/explain.js'
import { formatDuration } from '../inputs/duration.js'
import type { IfVersionExists } from '../inputs/inputs.js'
import { numberedName } from '../inputs/naming.js'
import { ownerOf, refusedAsDuplicate, type Owner } from './ownership.js'
import { abortableSleep, MISSING_CHECKS, MISSING_WINDOW_MS } from './wait.js'

export interface VersionLog {
  info(line: string): void
  warning(line: string): void
  notice(line: string): void
}

export interface StartedVersion {
  arn: string
  name: string
  /** This run started the training (false: it attached to an existing version). */
  created: boolean
  description?: ProjectVersionDescription
}

/** Versions looked up per DescribeProjectVersions call (the API's VersionNames limit). */
const NAMES_PER_CALL = 10
/** How far `new` looks for a free name before giving up. */
const MAX_NUMBERED = 1000
/** `new`: how many races for a name one run may lose before it gives up. */
const MAX_RACES = 10
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

async function describeByNames(
  client: RekognitionClient,
  projectArn: string,
  names: string[]
): Promise<ProjectVersionDescription[]> {
  try {
    const out = await client.send(
      new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: names })
    )
    return out.ProjectVersionDescriptions ?? []
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
}

/** The name a version's ARN carries: `.../version/<name>/<digits>`. */
export function versionNameOf(arn: string | undefined): string | undefined {
  return arn ? /\/version\/([^/]+)\/\d+$/.exec(arn)?.[1] : undefined
}

/** The version of that name, straight from the service: errors as the SDK throws them. */
export async function lookupVersion(
  client: RekognitionClient,
  projectArn: string,
  name: string,
  signal?: AbortSignal
): Promise<ProjectVersionDescription | undefined> {
  const out = await client.send(
    new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: [name] }),
    { abortSignal: signal }
  )
  const found = out.ProjectVersionDescriptions ?? []
  return found.find((v) => versionNameOf(v.ProjectVersionArn) === name) ?? found[0]
}

/** lookupVersion, with errors explained for a person. */
export async function findVersion(
  client: RekognitionClient,
  projectArn: string,
  name: string
): Promise<ProjectVersionDescription | undefined> {
  try {
    return await lookupVersion(client, projectArn, name)
  } catch (err) {
    throw new ActionError(
      explainAwsError(err, 'rekognition:DescribeProjectVersions', projectArn).message
    )
  }
}

/** The first of base-<from>, base-<from+1>, ... (base itself for 1) that the project does not have. */
async function findFree(
  client: RekognitionClient,
  projectArn: string,
  base: string,
  from = 1
): Promise<{ name: string; number: number }> {
  for (let first = from; first <= MAX_NUMBERED; first += NAMES_PER_CALL) {
    const numbers = Array.from({ length: NAMES_PER_CALL }, (_, i) => first + i).filter(
      (n) => n <= MAX_NUMBERED
    )
    const names = numbers.map((n) => nameNumbered(base, n))
    const taken = new Set(
      (await describeByNames(client, projectArn, names)).map((v) =>
        versionNameOf(v.ProjectVersionArn)
      )
    )
    const i = names.findIndex((n) => !taken.has(n))
    if (i >= 0) return { name: names[i], number: numbers[i] }
  }
  throw new ActionError(
    `No free version name among ${base} and ${base}-2 ... ${base}-${MAX_NUMBERED}`
  )
}

const nameNumbered = (base: string, n: number): string => (n === 1 ? base : numberedName(base, n))

/** The first of base, base-2, base-3, ... that the project does not have. */
export async function findFreeName(
  client: RekognitionClient,
  projectArn: string,
  base: string
): Promise<string> {
  return (await findFree(client, projectArn, base)).name
}

/**
 * `reuse` when the version of the name ended TRAINING_FAILED (not billed, so a re-run should train
 * again): the first of base-2, base-3, ... that did not fail too is attached to (an earlier re-run's
 * training), else the first free one is trained.
 */
async function retrainTarget(
  client: RekognitionClient,
  projectArn: string,
  base: string
): Promise<{ attach: ProjectVersionDescription; name: string } | { name: string; number: number }> {
  for (let first = 2; first <= MAX_NUMBERED; first += NAMES_PER_CALL) {
    const numbers = Array.from({ length: NAMES_PER_CALL }, (_, i) => first + i).filter(
      (n) => n <= MAX_NUMBERED
    )
    const found = await describeByNames(
      client,
      projectArn,
      numbers.map((n) => nameNumbered(base, n))
    )
    const byName = new Map(found.map((v) => [versionNameOf(v.ProjectVersionArn), v]))
    for (const number of numbers) {
      const name = nameNumbered(base, number)
      const v = byName.get(name)
      if (!v) return { name, number }
      if (v.Status !== 'TRAINING_FAILED') return { attach: v, name }
    }
  }
  throw new ActionError(
    `No free version name among ${base} and ${base}-2 ... ${base}-${MAX_NUMBERED}`
  )
}
export interface StartOptions {
  projectArn: string
  versionName: string
  ifVersionExists: IfVersionExists
  /** The request for the final name; may prepare what it names first (uploads). */
  buildRequest: (
    name: string
  ) => CreateProjectVersionCommandInput | Promise<CreateProjectVersionCommandInput>
  log: VersionLog
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
}

/** What a create ended with: a version, and which run started it. */
interface CreateResult {
  owner: Owner
  arn: string
  description?: ProjectVersionDescription
  /** Why the owner is unknown. */
  problem?: string
}

const never = new AbortController().signal

export async function startOrReuse(
  client: RekognitionClient,
  opts: StartOptions
): Promise<StartedVersion> {
  const { projectArn, log } = opts
  const base = opts.versionName
  let name = base
  let number = 1
  const existing = await findVersion(client, projectArn, name)
  if (existing) {
    if (opts.ifVersionExists === 'fail') {
      throw new ActionError(
        `Version ${name} already exists in the project (${existing.Status}, ${existing.ProjectVersionArn}) and if-version-exists is fail; use reuse to attach to it, new to train under ${name}-2, or another version-name`
      )
    }
    if (opts.ifVersionExists === 'reuse') {
      if (existing.Status !== 'TRAINING_FAILED') {
        log.info(
          `Version ${name} already exists (${existing.Status}): attaching to it, no new training started.`
        )
        return { arn: existing.ProjectVersionArn!, name, created: false, description: existing }
      }
      const target = await retrainTarget(client, projectArn, base)
      if ('attach' in target) {
        log.info(
          `Version ${base} ended TRAINING_FAILED; ${target.name}, its retraining, exists (${target.attach.Status}): attaching to it, no new training started.`
        )
        return {
          arn: target.attach.ProjectVersionArn!,
          name: target.name,
          created: false,
          description: target.attach
        }
      }
      ;({ name, number } = target)
      log.notice(
        `Version ${base} ended TRAINING_FAILED (a failed training is not billed): training again as ${name}. The failed version stays in the project: ${existing.ProjectVersionArn}`
      )
    } else {
      ;({ name, number } = await findFree(client, projectArn, base, 2))
      log.info(`Version ${base} already exists: training as ${name} (if-version-exists: new).`)
    }
  }

  for (let races = 1; ; races++) {
    const result = await createOrFind(client, opts, name)
    if (result.owner === 'this-run') {
      return { arn: result.arn, name, created: true, description: result.description }
    }
    const attach = {
      arn: result.arn,
      name,
      created: false,
      description: result.description
    }
    if (result.owner === 'unknown') {
      // Never a second paid training for a version that may be this run's own.
      log.warning(
        `Version ${name} exists (${result.arn}), but whether this run or another one started it is unknown (${result.problem}): attaching to it, created=false.`
      )
      return attach
    }
    if (opts.ifVersionExists === 'fail') {
      throw new ActionError(
        `Version ${name} was created by another run meanwhile (${result.arn}) and if-version-exists is fail`
      )
    }
    if (opts.ifVersionExists === 'reuse') {
      log.warning(
        `Version ${name} was created by another run meanwhile: attaching to it, no new training started.`
      )
      return attach
    }
    if (races >= MAX_RACES) {
      throw new ActionError(
        `Lost ${races} races for a free version name (last: ${name}, created by another run): too many runs train ${base} at once`
      )
    }
    const lost = name
    ;({ name, number } = await findFree(client, projectArn, base, number + 1))
    log.info(
      `Version ${lost} was created by another run meanwhile: training as ${name} (if-version-exists: new).`
    )
  }
}

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
async function createOrFind(
  client: RekognitionClient,
  opts: StartOptions,
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
  opts: StartOptions,
  name: string,
  tags: Record<string, string> | undefined,
  what: string
): Promise<CreateResult> {
  const bound = boundedSignal(LAST_LOOKUP_MS)
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
  const { owner, problem } = await ownerOf(client, found.ProjectVersionArn, tags, LAST_TAGS_MS)
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
  opts: StartOptions,
  name: string,
  tags: Record<string, string> | undefined,
  err: unknown
): Promise<CreateResult> {
  const { projectArn, log } = opts
  const now = opts.now ?? Date.now
  const sleep = opts.sleep ?? abortableSleep
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
  let delay = FIRST_LOOKUP_DELAY_MS
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
      if (missing.checks >= MISSING_CHECKS && missingFor >= MISSING_WINDOW_MS) {
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
    delay = Math.min(delay * 2, MAX_LOOKUP_DELAY_MS)
  }
}
