// The inputs of a deployment (StartProjectVersion, the smoke test, the swap, previews), read and
// checked with the rest before any AWS call. Pure: the caller passes a reader.
import { parseManifestList, type ManifestRef } from './manifest-refs.js'
import { InputError, inputError } from '../errors.js'
import { parseBoolean, parseNumber } from './values.js'

type Read = (name: string) => string

export interface DeployInputs {
  deploy: boolean
  /** StartProjectVersion's MinInferenceUnits. */
  minInferenceUnits: number
  /** MaxInferenceUnits: auto-scaling between the two when given. */
  maxInferenceUnits?: number
  deployTimeoutMinutes: number
  /** A manifest in the repository: each image goes to DetectCustomLabels. */
  smokeTestManifest?: Extract<ManifestRef, { kind: 'path' }>
  smokeTestMinAccuracy: number
  stopPrevious: boolean
  /** A preview: the collector stops the version this long after it runs. */
  stopAfterMinutes?: number
  inferencePricePerHour: number
  deploymentEnvironment?: string
}

/**
 * InferenceUnits is `{"type": "integer", "min": 1}` in the service model (botocore
 * rekognition/2016-06-27/service-2.json, StartProjectVersionRequest.MinInferenceUnits and
 * MaxInferenceUnits): a whole number, at least 1, no upper bound in the model.
 */
function units(input: string, value: string): number {
  const rule = 'must be a whole number >= 1'
  if (!/^\d+$/.test(value)) throw inputError(input, value, 'is not a whole number', rule)
  const n = Number(value)
  if (n < 1 || !Number.isSafeInteger(n)) throw inputError(input, value, 'is out of range', rule)
  return n
}

/** GitHub's environment names: at most 255 characters (the REST API refuses longer ones). */
const ENVIRONMENT_MAX = 255

export function parseDeployInputs(read: Read, workspace: string): DeployInputs {
  const min = units('min-inference-units', read('min-inference-units') || '1')
  const maxText = read('max-inference-units')
  const max = maxText === '' ? undefined : units('max-inference-units', maxText)
  if (max !== undefined && max < min)
    throw inputError(
      'max-inference-units',
      maxText,
      `is less than min-inference-units (${min})`,
      'must be >= min-inference-units'
    )
  const smokeText = read('smoke-test-manifest')
  let smoke: DeployInputs['smokeTestManifest']
  if (smokeText !== '') {
    const refs = parseManifestList('smoke-test-manifest', smokeText, workspace)
    if (refs.length !== 1 || refs[0].kind !== 'path')
      throw inputError(
        'smoke-test-manifest',
        smokeText,
        'is not one file in the repository',
        'must be the path of one manifest inside the workspace'
      )
    smoke = refs[0]
  }
  const stopAfter = read('stop-after-minutes')
  const environment = read('deployment-environment').trim()
  if ([...environment].length > ENVIRONMENT_MAX)
    throw inputError(
      'deployment-environment',
      environment,
      'is too long',
      `must be at most ${ENVIRONMENT_MAX} characters`
    )
  const inputs: DeployInputs = {
    deploy: parseBoolean('deploy', read('deploy'), false),
    minInferenceUnits: min,
    maxInferenceUnits: max,
    deployTimeoutMinutes: parseNumber(
      'deploy-timeout-minutes',
      read('deploy-timeout-minutes') || '30',
      { min: 0, max: 1440, exclusiveMin: true }
    ),
    smokeTestManifest: smoke,
    smokeTestMinAccuracy: parseNumber(
      'smoke-test-min-accuracy',
      read('smoke-test-min-accuracy') || '0.9',
      { min: 0, max: 1 }
    ),
    stopPrevious: parseBoolean('stop-previous', read('stop-previous'), true),
    stopAfterMinutes:
      stopAfter === ''
        ? undefined
        : parseNumber('stop-after-minutes', stopAfter, { min: 0, exclusiveMin: true }),
    inferencePricePerHour: parseNumber(
      'inference-price-per-hour',
      read('inference-price-per-hour') || '4.00',
      { min: 0 }
    ),
    deploymentEnvironment: environment || undefined
  }
  return inputs
}

/** A deployment needs the step to see the training end: refuse `deploy` without `wait`. */
export function checkDeployNeedsWait(d: DeployInputs, wait: boolean): void {
  if (d.deploy && !wait)
    throw new InputError(
      'deploy is true but wait is false; a version can only be started once this step has seen it trained, so set wait: true'
    )
}
