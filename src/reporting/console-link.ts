// Links to the version in the AWS console. Pure.

/** China and GovCloud regions have their own console domains. */
export function consoleDomain(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn'
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com'
  return `${region}.console.aws.amazon.com`
}

export function versionConsoleUrl(
  region: string,
  projectName: string,
  versionName: string
): string {
  const project = encodeURIComponent(projectName)
  const version = encodeURIComponent(versionName)
  return `https://${consoleDomain(region)}/rekognition/custom-labels#/projects/${project}/models/${version}?region=${region}`
}
