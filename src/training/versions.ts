// Start a training, or attach to the one of the same name: one training per name, whatever the
// network does.
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  type CreateProjectVersionCommandInput,
  type ProjectVersionDescription,
  type RekognitionClient
} from '@aws-sdk/client-rekognition'
import { ActionError } from '../errors.js'
import { explainAwsError, errorName } from '../aws/explain.js'
import type { IfVersionExists } from '../inputs/inputs.js'
import { numberedName } from '../inputs/naming.js'

export interface VersionLog {
  info(line: string): void
  warning(line: string): void
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
/** Clock skew tolerated when telling our own version from an older one of the same name. */
const SKEW_MS = 5 * 60_000

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

/** The first of base, base-2, base-3, ... that the project does not have. */
export async function findFreeName(
  client: RekognitionClient,
  projectArn: string,
  base: string
): Promise<string> {
  for (let first = 1; first <= MAX_NUMBERED; first += NAMES_PER_CALL) {
    const names = Array.from({ length: NAMES_PER_CALL }, (_, i) => first + i).map((n) =>
      n === 1 ? base : numberedName(base, n)
    )
    const taken = new Set(
      (await describeByNames(client, projectArn, names)).map((v) =>
        versionNameOf(v.ProjectVersionArn)
      )
    )
    const free = names.find((n) => !taken.has(n))
    if (free) return free
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
  now?: () => number
  /** A cancel that arrives before the create means no training is started at all. */
  cancel?: AbortSignal
}

export async function startOrReuse(
  client: RekognitionClient,
  opts: StartOptions
): Promise<StartedVersion> {
  const { projectArn, log } = opts
  const now = opts.now ?? Date.now
  let name = opts.versionName
  const existing = await findVersion(client, projectArn, name)
  if (existing) {
    if (opts.ifVersionExists === 'reuse') {
      log.info(
        `Version ${name} already exists (${existing.Status}): attaching to it, no new training started.`
      )
      return { arn: existing.ProjectVersionArn!, name, created: false, description: existing }
    }
    if (opts.ifVersionExists === 'fail') {
      throw new ActionError(
        `Version ${name} already exists in the project (${existing.Status}, ${existing.ProjectVersionArn}) and if-version-exists is fail; use reuse to attach to it, new to train under ${name}-2, or another version-name`
      )
    }
    name = await findFreeName(client, projectArn, name)
    log.info(
      `Version ${opts.versionName} already exists: training as ${name} (if-version-exists: new).`
    )
  }

  if (opts.cancel?.aborted) {
    throw new ActionError('Cancelled before the version was confirmed. No training was started.')
  }
  // Prepared outside the try: a failed upload is not a lost answer to look for.
  const request = await opts.buildRequest(name)
  const startedAt = now()
  try {
    const out = await client.send(new CreateProjectVersionCommand(request))
    return { arn: out.ProjectVersionArn!, name, created: true }
  } catch (err) {
    // The service may have acted although the answer never arrived (a dropped connection, a retry
    // that met its own version): the name says whether the training exists.
    const found = await findVersion(client, projectArn, name).catch(() => undefined)
    if (!found)
      throw new ActionError(
        explainAwsError(err, 'rekognition:CreateProjectVersion', projectArn).message
      )
    const createdAt = found.CreationTimestamp?.getTime() ?? 0
    if (createdAt >= startedAt - SKEW_MS) {
      log.info(
        `CreateProjectVersion answered ${errorName(err)}, but version ${name} exists since this run asked for it: it is this run's training.`
      )
      return { arn: found.ProjectVersionArn!, name, created: true, description: found }
    }
    if (opts.ifVersionExists === 'fail') {
      throw new ActionError(
        `Version ${name} was created by someone else meanwhile (${found.ProjectVersionArn}) and if-version-exists is fail`
      )
    }
    log.warning(
      `Version ${name} was created by another run meanwhile: attaching to it, no new training started.`
    )
    return { arn: found.ProjectVersionArn!, name, created: false, description: found }
  }
}
