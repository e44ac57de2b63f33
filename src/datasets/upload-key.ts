// Where repository manifests go in the output bucket. Pure.

/** S3 object keys are at most 1,024 bytes of UTF-8 (Amazon S3 user guide, "Naming objects"). */
export const MAX_S3_KEY_BYTES = 1024
/**
 * tm-terminal-errors-reference.html, "The manifest file extension or contents are invalid": "The
 * manifest file is missing a file extension. By convention the file extension is .manifest".
 */
export const MANIFEST_EXTENSION = '.manifest'

/** Where a repository manifest goes: under the output prefix, in a folder named after the version,
 * at its path in the repository (so two manifests with the same file name do not collide). */
export function uploadKey(outputPrefix: string, versionName: string, relative: string): string {
  return `${outputPrefix}train-action/${versionName}/${relative.split('\\').join('/')}`
}

/**
 * The one manifest a dataset is uploaded as: a single file keeps its repository path, several are
 * combined into `<dataset>.manifest`; either way the key ends in `.manifest`.
 */
export function datasetKey(
  outputPrefix: string,
  versionName: string,
  dataset: 'training' | 'testing',
  relatives: string[]
): string {
  const base =
    relatives.length === 1
      ? uploadKey(outputPrefix, versionName, relatives[0])
      : `${outputPrefix}train-action/${versionName}/${dataset}${MANIFEST_EXTENSION}`
  return base.endsWith(MANIFEST_EXTENSION) ? base : `${base}${MANIFEST_EXTENSION}`
}

/** Why an upload key cannot be used, or undefined. */
export function keyProblem(key: string): string | undefined {
  const bytes = Buffer.byteLength(key, 'utf8')
  return bytes > MAX_S3_KEY_BYTES
    ? `the manifest's S3 key would be ${bytes} bytes; S3 allows at most ${MAX_S3_KEY_BYTES}: shorten output-prefix, version-name or the manifest's path`
    : undefined
}
