// S3 REST, path style (/bucket/key): the object calls the action makes, with S3's XML errors.
import { createHash, randomUUID } from 'node:crypto'
import { checksum, decodeAwsChunked, isAwsChunked } from './chunked.js'
import type { Incoming, Routed } from './http.js'
import { readAuth } from './sigv4.js'
import type { Store } from './store.js'
import type { Reply } from './wire.js'

const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256']

export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`
  )
}

/** An S3 error document; HEAD answers carry no body, as S3's do. */
export function s3Error(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
  head = false
): Reply {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('')
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>emulator</HostId></Error>`
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: head ? undefined : body
  }
}

/**
 * Regions an account must opt in to: "Regions launched after March 20, 2019 are disabled by default
 * and referred to as opt-in Regions" (AWS Account Management, "Enable or disable AWS Regions in
 * your account", https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 * S3 answers requests for their buckets sent to another region, and for other buckets sent to them,
 * with 400 IllegalLocationConstraintException rather than a redirect. That rule is not in the S3
 * API reference: botocore's S3RegionRedirectorv2 (botocore/utils.py) treats
 * IllegalLocationConstraintException outside CreateBucket as an "opt-in region redirect", and the
 * message text is the one users report (e.g. "The af-south-1 location constraint is incompatible
 * for the region specific endpoint this request was sent to."). Applying it to either side is
 * the emulator's reading of that handling.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1'
])

const crossesOptIn = (a: string, b: string): boolean =>
  a !== b && (OPT_IN_REGIONS.has(a) || OPT_IN_REGIONS.has(b))

function ok(headers: Record<string, string> = {}, body?: string | Buffer, status = 200): Reply {
  return { status, headers: { 'x-amz-request-id': randomUUID().slice(0, 16), ...headers }, body }
}

interface Target {
  bucket: string
  key: string
}

/** `/bucket/key/with%20parts` → bucket and the URL-decoded key. */
function target(url: URL): Target {
  const path = url.pathname.slice(1)
  const slash = path.indexOf('/')
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  if (slash < 0) return { bucket: decode(path), key: '' }
  return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) }
}

function operationOf(method: string, t: Target, url: URL): string {
  const onObject = t.key !== ''
  if (method === 'GET' && !onObject && url.searchParams.has('location'))
    return 'S3:GetBucketLocation'
  if (method === 'GET')
    return onObject
      ? 'S3:GetObject'
      : url.searchParams.get('list-type') === '2'
        ? 'S3:ListObjectsV2'
        : 'S3:ListObjects'
  if (method === 'HEAD') return onObject ? 'S3:HeadObject' : 'S3:HeadBucket'
  if (method === 'PUT') return onObject ? 'S3:PutObject' : 'S3:CreateBucket'
  if (method === 'DELETE' && onObject) return 'S3:DeleteObject'
  return `S3:${method}`
}

/** The stored payload of a PUT, or the error S3 would give for its framing or integrity headers. */
function payload(req: Incoming): { data: Buffer; checksums: Record<string, string> } | Reply {
  let data = req.body
  let trailers: Record<string, string> = {}
  if (isAwsChunked(req.headers)) {
    try {
      ;({ data, trailers } = decodeAwsChunked(req.body))
    } catch (err) {
      return s3Error(
        400,
        'IncompleteBody',
        `The request body terminated unexpectedly (${(err as Error).message}).`
      )
    }
    const declared = req.headers['x-amz-decoded-content-length']
    if (declared !== undefined && Number(declared) !== data.length) {
      return s3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.'
      )
    }
  }
  const sha = req.headers['x-amz-content-sha256']
  if (
    sha &&
    /^[0-9a-f]{64}$/.test(sha) &&
    createHash('sha256').update(data).digest('hex') !== sha
  ) {
    return s3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed."
    )
  }
  const md5 = req.headers['content-md5']
  if (md5 && createHash('md5').update(data).digest('base64') !== md5) {
    return s3Error(
      400,
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.'
    )
  }
  const checksums: Record<string, string> = {}
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = `x-amz-checksum-${algorithm}`
    const given = req.headers[name] ?? trailers[name]
    if (given === undefined) continue
    const computed = checksum(algorithm, data)
    if (computed !== undefined && computed !== given) {
      return s3Error(
        400,
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`
      )
    }
    checksums[name] = given
  }
  return { data, checksums }
}

function listObjects(store: Store, bucket: string, url: URL): Reply {
  const prefix = url.searchParams.get('prefix') ?? ''
  const max = Number(url.searchParams.get('max-keys') ?? 1000)
  const keys = [...(store.buckets.get(bucket)?.entries() ?? [])]
    .filter(([k]) => k.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : 1))
  const shown = keys.slice(0, max)
  const contents = shown
    .map(
      ([k, o]) =>
        `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
    )
    .join('')
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${shown.length}</KeyCount><MaxKeys>${max}</MaxKeys>` +
    `<IsTruncated>${keys.length > shown.length}</IsTruncated>${contents}</ListBucketResult>`
  return ok({ 'content-type': 'application/xml' }, body)
}

function act(store: Store, req: Incoming, operation: string, t: Target): Reply {
  const head = req.method === 'HEAD'
  const auth = readAuth(req.headers, req.url.searchParams)
  if (!auth.ok) {
    return s3Error(
      403,
      'AccessDenied',
      auth.problem === 'missing' ? 'Access Denied' : 'The authorization header is malformed.',
      {},
      head
    )
  }
  if (auth.credential.service !== 's3') {
    return s3Error(
      403,
      'AccessDenied',
      `Credential should be scoped to correct service: 's3'.`,
      {},
      head
    )
  }
  if (operation === 'S3:CreateBucket') {
    store.addBucket(t.bucket)
    return ok({ location: `/${t.bucket}` })
  }
  const bucket = store.buckets.get(t.bucket)
  if (!bucket)
    return s3Error(
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
      { BucketName: t.bucket },
      head
    )
  switch (operation) {
    case 'S3:HeadBucket': {
      // HeadBucket (S3 API reference): "You can make a HeadBucket call on any bucket name to any
      // Region in the partition, and regardless of the permissions on the bucket, you will
      // receive a response header with the correct bucket location". From another region the
      // answer is a redirect (301), or 400 when an opt-in region is on either side (see
      // OPT_IN_REGIONS).
      const region = store.bucketRegions.get(t.bucket) ?? auth.credential.region
      const headers = { 'x-amz-bucket-region': region }
      if (region === auth.credential.region) return ok(headers)
      return ok(headers, undefined, crossesOptIn(region, auth.credential.region) ? 400 : 301)
    }
    case 'S3:GetBucketLocation': {
      // GetBucketLocation (S3 API reference): LocationConstraint is empty for us-east-1.
      const region = store.bucketRegions.get(t.bucket) ?? auth.credential.region
      if (region !== auth.credential.region && crossesOptIn(region, auth.credential.region)) {
        // What S3 answers a request sent to another region when either is an opt-in region (see
        // OPT_IN_REGIONS for the sources and what is the emulator's reading).
        return s3Error(
          400,
          'IllegalLocationConstraintException',
          `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
          {},
          head
        )
      }
      const constraint = region === 'us-east-1' ? '' : xmlEscape(region)
      return ok(
        { 'content-type': 'application/xml' },
        `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${constraint}</LocationConstraint>`
      )
    }
    case 'S3:ListObjects':
    case 'S3:ListObjectsV2':
      return listObjects(store, t.bucket, req.url)
    case 'S3:PutObject': {
      const got = payload(req)
      if (!('data' in got)) return got
      const contentType = req.headers['content-type'] ?? 'binary/octet-stream'
      const object = store.putObject(t.bucket, t.key, got.data, contentType, got.checksums)
      return ok({ etag: object.etag, ...got.checksums })
    }
    case 'S3:GetObject':
    case 'S3:HeadObject': {
      const object = bucket.get(t.key)
      if (!object)
        return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: t.key }, head)
      const echo = req.headers['x-amz-checksum-mode'] === 'ENABLED' ? object.checksums : {}
      const headers = {
        'content-type': object.contentType,
        'content-length': String(object.body.length),
        etag: object.etag,
        'last-modified': object.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        ...echo
      }
      return ok(headers, head ? undefined : object.body)
    }
    case 'S3:DeleteObject':
      bucket.delete(t.key)
      return ok({}, undefined, 204)
    default:
      return s3Error(
        501,
        'NotImplemented',
        'A header you provided implies functionality that is not implemented.',
        {},
        head
      )
  }
}

export function routeS3(store: Store, req: Incoming): Routed {
  const t = target(req.url)
  const operation = operationOf(req.method, t, req.url)
  const auth = readAuth(req.headers, req.url.searchParams)
  let text = req.body.toString('utf8')
  if (isAwsChunked(req.headers)) {
    try {
      text = decodeAwsChunked(req.body).data.toString('utf8')
    } catch {
      // recorded as received
    }
  }
  return {
    service: 's3',
    operation,
    body: text,
    region: auth.ok ? auth.credential.region : undefined,
    resource: `arn:aws:s3:::${t.bucket}${t.key ? `/${t.key}` : ''}`,
    act: () => act(store, req, operation, t)
  }
}
