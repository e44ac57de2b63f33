// Start a training, or attach to the one of the same name: one training per name, whatever the
// network does, and exactly one run owns it when runs race on one name.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { ActionError } from '../errors.js'
import type { IfVersionExists } from '../inputs/inputs.js'
import { numberedName } from '../inputs/naming.js'
import { createOrFind, type CreateOptions } from './create.js'
import { describeByNames, findVersion, versionNameOf } from './lookup.js'

export { findVersion, lookupVersion, versionNameOf } from './lookup.js'

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
export interface StartOptions extends CreateOptions {
  versionName: string
  ifVersionExists: IfVersionExists
  log: VersionLog
}

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
