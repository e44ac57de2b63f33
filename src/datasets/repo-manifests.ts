// Manifests kept in the repository: checked line by line before anything is uploaded or trained,
// then uploaded under the output prefix at a key that names the version. The edge for files and S3.
import { createReadStream, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { ActionError, inputError } from '../errors.js'
import { explainAwsError } from '../aws/explain.js'
import type { Sockets } from '../aws/aws-clients.js'
import type { ActionInputs } from '../inputs/inputs.js'
import { isInside, type ManifestRef } from './manifests.js'
import { rareLabels, validateManifest, type ManifestReport } from './manifest-validator.js'
import { uploadKey } from './upload-key.js'

/** Problems shown as annotations per manifest; the rest are counted. */
export const MAX_ANNOTATIONS = 50

export interface CheckedManifest {
  input: string
  /** Path relative to the workspace, as annotations and the summary show it. */
  relative: string
  report: ManifestReport
  rare: { label: string; count: number }[]
}

export interface ManifestLog {
  /** An annotation on a line of a file (`::error file=...,line=N::`). */
  annotate(message: string, file: string, line: number): void
  warning(line: string): void
}

/** The file must exist, be a regular file, and stay inside the workspace once links are followed. */
function resolveInside(
  input: string,
  ref: Extract<ManifestRef, { kind: 'path' }>,
  workspace: string
): string {
  let real: string
  try {
    real = realpathSync(ref.path)
  } catch {
    throw inputError(
      input,
      ref.text,
      'does not exist in the workspace',
      'must be a manifest file in the repository (is it checked out?)'
    )
  }
  const root = realpathSync(workspace)
  if (!isInside(root, real)) {
    throw inputError(
      input,
      ref.text,
      'leads outside the workspace through a link',
      `must be a file inside ${root}`
    )
  }
  if (!statSync(real).isFile())
    throw inputError(input, ref.text, 'is not a file', 'must be a manifest file')
  return real
}

export async function checkManifest(
  input: string,
  ref: Extract<ManifestRef, { kind: 'path' }>,
  workspace: string
): Promise<CheckedManifest> {
  const file = resolveInside(input, ref, workspace)
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  const report = await validateManifest(lines, { maxProblems: MAX_ANNOTATIONS })
  return {
    input,
    relative: ref.relative.split(path.sep).join('/'),
    report,
    rare: rareLabels(report.stats)
  }
}

/**
 * Checks every repository manifest of both inputs, annotates each problem on its file and line,
 * and fails (before any upload or training) if there was any.
 */
export async function checkRepositoryManifests(
  lists: { input: string; refs: ManifestRef[] }[],
  workspace: string,
  log: ManifestLog
): Promise<CheckedManifest[]> {
  const checked: CheckedManifest[] = []
  for (const { input, refs } of lists) {
    for (const ref of refs)
      if (ref.kind === 'path') checked.push(await checkManifest(input, ref, workspace))
  }
  let failing = 0
  for (const m of checked) {
    for (const p of m.report.problems) log.annotate(p.message, m.relative, Math.max(1, p.line))
    const unshown = m.report.problemCount - m.report.problems.length
    if (unshown > 0)
      log.warning(
        `${m.relative}: ${unshown} more problems not shown (first ${m.report.problems.length} annotated)`
      )
    if (m.report.problemCount > 0) failing++
    for (const r of m.rare) {
      log.warning(
        `${m.relative}: label "${r.label}" has only ${r.count} ${m.report.stats.boxes > 0 ? 'boxes' : 'images'}; at least 10 train better`
      )
    }
  }
  if (failing > 0) {
    const bad = checked.filter((m) => m.report.problemCount > 0)
    const first = bad[0]
    const p = first.report.problems[0]
    const total = bad.reduce((n, m) => n + m.report.problemCount, 0)
    throw new ActionError(
      `${first.input}: ${total} problem${total === 1 ? '' : 's'} in ${bad.map((m) => m.relative).join(', ')} (annotated on each line); nothing was uploaded or trained. First: ${first.relative} line ${p?.line ?? '?'}: ${p?.message ?? ''}`
    )
  }
  return checked
}

/** Repository manifests go to the output bucket, at the keys the request names, just before it. */
export async function uploadRepositoryManifests(
  inputs: ActionInputs,
  region: string,
  name: string,
  log: { info(line: string): void },
  sockets: Sockets
): Promise<void> {
  const refs = [...inputs.trainingManifests, ...inputs.testingManifests].filter(
    (r) => r.kind === 'path'
  )
  if (refs.length === 0) return
  const { uploadFile } = await import('../aws/s3-upload.js')
  for (const ref of refs) {
    const key = uploadKey(inputs.outputPrefix, name, ref.relative)
    try {
      await uploadFile(
        region,
        inputs.outputBucket,
        key,
        ref.path,
        inputs.pollIntervalSeconds * 1000,
        sockets
      )
    } catch (err) {
      throw new ActionError(
        explainAwsError(err, 's3:PutObject', `s3://${inputs.outputBucket}/${key}`).message
      )
    }
    log.info(`Uploaded ${ref.relative} to s3://${inputs.outputBucket}/${key}`)
  }
}
