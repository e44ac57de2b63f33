/** Where a repository manifest goes: under the output prefix, in a folder named after the version,
 * at its path in the repository (so two manifests with the same file name do not collide). */
export function uploadKey(outputPrefix: string, versionName: string, relative: string): string {
  return `${outputPrefix}train-action/${versionName}/${relative.split('\\').join('/')}`
}
