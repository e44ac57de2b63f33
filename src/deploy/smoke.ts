// The smoke test: a repository manifest, checked by the manifest validator before any AWS call;
// then each image goes to DetectCustomLabels on the running model and the answer is compared with
// the line's labels (plan.ts). Throttling is retried within a budget.
import type { RekognitionClient } from '../aws/rekognition/client.js'
import { DetectCustomLabelsCommand } from '../aws/rekognition/commands.js'
import { errorName, explainAwsError, isTransient } from '../aws/explain.js'
import { readLines, isLongLine } from '../datasets/line-reader.js'
import {
  DatasetScope,
  MAX_LINE_BYTES,
  MAX_MANIFEST_BYTES,
  validateLine
} from '../datasets/manifest-validator.js'
import type { ManifestRef } from '../inputs/manifest-refs.js'
import { checkManifest, problemText } from '../datasets/repo-manifests.js'
import { ActionError } from '../errors.js'
import type { SmokeAnswer } from './plan.js'

const SMOKE_INPUT = 'smoke-test-manifest'

/** One image of the smoke test, from its manifest line. */
export interface SmokeImage {
  image: string
  bucket: string
  key: string
  expected: string[]
  line: number
}

/** More images than this make a smoke test a second evaluation: refused. */
export const MAX_SMOKE_IMAGES = 500

/**
 * Checks the manifest line by line with the validator the training manifests go through (each
 * problem annotated on its line) and returns its images. Fails before any AWS call.
 */
export async function checkSmokeManifest(
  ref: Extract<ManifestRef, { kind: 'path' }>,
  workspace: string,
  annotate: (message: string, file: string, line: number) => void
): Promise<SmokeImage[]> {
  // A scope of its own: the smoke images may be images of the training or testing sets.
  const checked = await checkManifest(SMOKE_INPUT, ref, workspace, new DatasetScope('testing'))
  const { report } = checked
  for (const p of report.problems) annotate(problemText(p), checked.relative, Math.max(1, p.line))
  if (report.problemCount > 0) {
    const p = report.problems[0]
    throw new ActionError(
      `${SMOKE_INPUT}: ${report.problemCount} problem(s) in ${checked.relative} (annotated on each line). First: line ${Math.max(1, p?.line ?? 1)}: ${p ? problemText(p) : ''}`
    )
  }
  const images: SmokeImage[] = []
  let n = 0
  for await (const line of readLines(checked.file, {
    maxLineBytes: MAX_LINE_BYTES,
    maxBytes: MAX_MANIFEST_BYTES
  })) {
    n++
    if (isLongLine(line) || line.trim() === '') continue
    const found = validateLine(line, n)
    const ref = (JSON.parse(line) as Record<string, unknown>)['source-ref']
    const m = typeof ref === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(ref) : null
    if (!m || found.problems.length > 0) continue
    images.push({
      image: ref as string,
      bucket: m[1],
      key: m[2],
      expected: [...new Set(found.labels)],
      line: n
    })
  }
  if (images.length === 0)
    throw new ActionError(`${SMOKE_INPUT}: ${checked.relative} has no image to test.`)
  if (images.length > MAX_SMOKE_IMAGES)
    throw new ActionError(
      `${SMOKE_INPUT}: ${checked.relative} has ${images.length} images; a smoke test takes at most ${MAX_SMOKE_IMAGES} (each is a paid DetectCustomLabels call)`
    )
  return images
}

export interface SmokeDeps {
  client: RekognitionClient
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  now: () => number
  /** The longest delay between tries of a throttled image. */
  maxDelayMs: number
  /** The whole smoke test's budget for waiting on throttling. */
  budgetMs: number
  cancel: AbortSignal
  info: (line: string) => void
}

/** Tries of one image that meets ProvisionedThroughputExceededException or another transient error. */
const MAX_TRIES = 6

/** Asks the model about every image, one at a time (the units' throughput is the limit). */
export async function runSmokeTest(
  deps: SmokeDeps,
  arn: string,
  images: SmokeImage[]
): Promise<SmokeAnswer[]> {
  const answers: SmokeAnswer[] = []
  const started = deps.now()
  for (const img of images) {
    if (deps.cancel.aborted) break
    answers.push(await askOne(deps, arn, img, started))
  }
  return answers
}

async function askOne(
  deps: SmokeDeps,
  arn: string,
  img: SmokeImage,
  started: number
): Promise<SmokeAnswer> {
  const base = { image: img.image, expected: img.expected }
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await deps.client.send(
        new DetectCustomLabelsCommand({
          ProjectVersionArn: arn,
          Image: { S3Object: { Bucket: img.bucket, Name: img.key } }
        }),
        { abortSignal: deps.cancel }
      )
      return {
        ...base,
        answered: (out.CustomLabels ?? []).map((l) => ({
          name: l.Name ?? '',
          confidence: l.Confidence ?? 0
        }))
      }
    } catch (err) {
      const name = errorName(err)
      const left = deps.budgetMs - (deps.now() - started)
      // ProvisionedThroughputExceededException: more than the units serve; wait and try again.
      if (isTransient(err) && attempt < MAX_TRIES && left > 0 && !deps.cancel.aborted) {
        const delay = Math.min(deps.maxDelayMs, 250 * 2 ** attempt, left)
        deps.info(`DetectCustomLabels ${img.image}: ${name}; trying again in ${delay} ms`)
        await deps.sleep(delay, deps.cancel)
        continue
      }
      const { message, permanent } = explainAwsError(err, 'rekognition:DetectCustomLabels', arn)
      // Permissions and the like are the step's problem, not the model's: fail on them.
      if (permanent) throw new ActionError(message)
      return { ...base, answered: [], error: `${name}: ${message}` }
    }
  }
}
