// Hand-made requests for tests of the emulator (SigV4-shaped headers, no real signature).
import type { Emulator } from './server.js'

export const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'secret' }

export function auth(service = 'rekognition', region = 'eu-west-1'): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`
}

export interface Answer {
  status: number
  headers: Headers
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

export interface RekOptions {
  region?: string
  authorization?: string | null
  contentType?: string
  raw?: string
  signal?: AbortSignal
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

/** A Rekognition JSON 1.1 call made by hand. */
export async function rek(
  emu: Emulator,
  operation: string,
  body: unknown,
  o: RekOptions = {}
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/x-amz-json-1.1',
    'x-amz-target': `RekognitionService.${operation}`
  }
  const authorization =
    o.authorization === undefined ? auth('rekognition', o.region) : o.authorization
  if (authorization !== null) headers.authorization = authorization
  const res = await fetch(emu.url, {
    method: 'POST',
    headers,
    body: o.raw ?? JSON.stringify(body),
    signal: o.signal
  })
  return answer(res)
}

/** Any call made by hand (S3, GitHub). */
export async function call(
  emu: Emulator,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Buffer; signal?: AbortSignal } = {}
): Promise<Answer> {
  const res = await fetch(emu.url + path, {
    method,
    headers: init.headers,
    body: init.body,
    signal: init.signal
  })
  return answer(res)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
