// Where Rekognition is reached: the SDK's endpoint rules for the service (the rule set in
// @aws-sdk/client-rekognition, src/endpoint) and the AWS partitions' DNS suffixes, plus the
// configured-endpoint variables of the SDKs' shared settings
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). Checked against the
// SDK's own resolver by test/unit/rekognition-endpoint.test.ts. Pure: the environment is passed.

type Env = Readonly<Record<string, string | undefined>>

interface Partition {
  regionRegex: RegExp
  dnsSuffix: string
  dualStackDnsSuffix: string
}

// @aws-sdk/core's partitions (every one supports FIPS and dual-stack); a region of no known form
// is read as the aws partition's, as the SDK does.
const PARTITIONS: Partition[] = [
  {
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws'
  },
  {
    regionRegex: /^cn-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn'
  },
  {
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu'
  },
  {
    regionRegex: /^us-iso-\w+-\d+$/,
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov'
  },
  {
    regionRegex: /^us-isob-\w+-\d+$/,
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud'
  },
  {
    regionRegex: /^eu-isoe-\w+-\d+$/,
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk'
  },
  {
    regionRegex: /^us-isof-\w+-\d+$/,
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov'
  },
  { regionRegex: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws' }
]

const partitionOf = (region: string): Partition =>
  PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[0]

const flag = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true'

/** The endpoint a workflow configured for Rekognition, if any (service-specific first). */
export function configuredEndpoint(env: Env): string | undefined {
  if (flag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined
  return env.AWS_ENDPOINT_URL_REKOGNITION || env.AWS_ENDPOINT_URL || undefined
}

/** The URL requests for `region` go to; throws for the combinations the SDK refuses. */
export function rekognitionEndpoint(region: string, env: Env): URL {
  const fips = flag(env.AWS_USE_FIPS_ENDPOINT)
  const dualStack = flag(env.AWS_USE_DUALSTACK_ENDPOINT)
  const custom = configuredEndpoint(env)
  if (custom) {
    if (fips) throw new Error('Invalid Configuration: FIPS and custom endpoint are not supported')
    if (dualStack)
      throw new Error('Invalid Configuration: Dualstack and custom endpoint are not supported')
    return new URL(custom)
  }
  if (!region) throw new Error('Invalid Configuration: Missing Region')
  const partition = partitionOf(region)
  const suffix = dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix
  return new URL(`https://rekognition${fips ? '-fips' : ''}.${region}.${suffix}`)
}
