// The action's SigV4 signer against the SDK's own (@smithy/signature-v4): the same request at the
// same time must carry the same Authorization header, byte for byte. The emulator reads signatures
// but cannot check them (it has no secret), so this is what stands for AWS's check.
import { describe, expect, test } from '@jest/globals'
import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { amzDate, signRequest, type Credentials } from '../../src/aws/rekognition/sigv4.js'

const toBytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data)

/** The SDK's Checksum interface over node:crypto (what @smithy/hash-node does). */
class Sha256 {
  private readonly hash
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256')
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest()
  }
}

async function sdkSignature(
  input: { host: string; body: string; headers: Record<string, string>; region: string },
  credentials: Credentials,
  now: Date
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'rekognition',
    region: input.region,
    credentials,
    sha256: Sha256,
    uriEscapePath: true
  })
  const [hostname, port] = input.host.split(':')
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname,
      port: port ? Number(port) : undefined,
      path: '/',
      query: {},
      headers: { ...input.headers, host: input.host },
      body: input.body
    },
    { signingDate: now }
  )
  return signed.headers as Record<string, string>
}

const NOW = new Date(Date.UTC(2026, 11, 7, 3, 15, 42, 987))
const KEYS: Credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
}
const SESSION: Credentials = { ...KEYS, sessionToken: 'IQoJb3JpZ2luX2VjE//session+token==' }

const cases = [
  {
    what: 'long-term keys, an empty body',
    credentials: KEYS,
    host: 'rekognition.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    body: '{}',
    target: 'DescribeProjects'
  },
  {
    what: 'a session token, a create with tags and non-ASCII text',
    credentials: SESSION,
    host: 'rekognition.us-east-1.amazonaws.com',
    region: 'us-east-1',
    body: JSON.stringify({
      ProjectArn: 'arn:aws:rekognition:us-east-1:123456789012:project/defects/1700000000000',
      VersionName: 'main-0123456-1',
      VersionDescription: 'données  d’entraînement   (ünïcode)',
      Tags: { 'github:repository': 'acme/vision' }
    }),
    target: 'CreateProjectVersion'
  },
  {
    what: 'an endpoint with a port (the emulator, a VPC endpoint)',
    credentials: SESSION,
    host: '127.0.0.1:4566',
    region: 'ap-southeast-2',
    body: JSON.stringify({
      ResourceArn: 'arn:aws:rekognition:ap-southeast-2:1:project/p/version/v/1'
    }),
    target: 'ListTagsForResource'
  }
]

describe('signRequest', () => {
  test.each(cases)('matches the SDK signer: $what', async (c) => {
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(c.body)),
      'x-amz-target': `RekognitionService.${c.target}`
    }
    const ours = signRequest({
      method: 'POST',
      host: c.host,
      path: '/',
      headers,
      body: c.body,
      region: c.region,
      service: 'rekognition',
      credentials: c.credentials,
      now: NOW
    })
    const sdk = await sdkSignature({ ...c, headers }, c.credentials, NOW)
    expect(ours.authorization).toBe(sdk.authorization)
    expect(ours['x-amz-date']).toBe(sdk['x-amz-date'])
    expect(ours['x-amz-security-token']).toBe(sdk['x-amz-security-token'])
  })

  test('a header that must not be signed (user-agent) changes nothing', () => {
    const base = {
      method: 'POST',
      host: 'rekognition.eu-west-1.amazonaws.com',
      path: '/',
      body: '{}',
      region: 'eu-west-1',
      service: 'rekognition',
      credentials: KEYS,
      now: NOW
    }
    const plain = signRequest({ ...base, headers: {} })
    const withAgent = signRequest({ ...base, headers: { 'user-agent': 'train-action' } })
    expect(withAgent.authorization).toBe(plain.authorization)
    expect(plain.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,')
  })

  test('the date is ISO 8601 basic, UTC, whole seconds', () => {
    expect(amzDate(NOW)).toBe('20261207T031542Z')
  })
})
