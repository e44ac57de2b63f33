// A Rekognition client without the SDK on the start path: the SDK's wire behaviour for the eight
// operations the action calls (AWS JSON 1.1, SigV4, the standard retry mode's classification and
// quota, clock-skew correction), in a few kB instead of the SDK's 575 kB, whose loading alone took
// 3x a bare request to the first request under Node 24 (BENCHMARKS.md). The interface is the SDK's
// `client.send(new XCommand(input), { abortSignal })`, so callers and aws-sdk-client-mock see one.
import { abortError, abortableSleep } from '../abort.js'
import { retryErrorType, type ErrorLike } from '../retry.js'
import type { RekognitionCommand } from './commands.js'
import type { CredentialProvider } from './credentials.js'
import { signRequest } from './sigv4.js'
import { exchange, type HttpResponse, type TransportOptions } from './transport.js'
import {
  CONTENT_TYPE,
  TARGET_PREFIX,
  readError,
  readOutput,
  serializeInput,
  type ResponseMetadata
} from './wire.js'

/** How a client retries: the attempts, the delay before retry n (1-based), throttled or not. */
export interface RetryPolicy {
  maxAttempts: number
  delayMs(retry: number): number
  /** false: a throttled call is not retried (the caller's next scheduled call is the retry). */
  retryThrottled: boolean
}

/** The clock the signature is dated by, corrected when AWS says it is off; shared by clients. */
class SkewedClock {
  offsetMs = 0
  constructor(private readonly now: () => number = Date.now) {}
  date(): Date {
    return new Date(this.now() + this.offsetMs)
  }
  /** The SDK's rule: a server time 5 minutes or more from ours moves the offset. Returns whether it moved. */
  correct(serverDate: string | undefined): boolean {
    const server = serverDate ? Date.parse(serverDate) : NaN
    if (Number.isNaN(server) || Math.abs(this.now() + this.offsetMs - server) < 300_000)
      return false
    this.offsetMs = server - this.now()
    return true
  }
}

export interface RekognitionClientConfig {
  region: string
  /** Resolved per attempt: a refused configuration (FIPS with a custom endpoint) fails the call. */
  endpoint: () => URL
  credentials: CredentialProvider
  retry: RetryPolicy
  transport: TransportOptions
  clock?: SkewedClock
}

// The standard retry mode's quota (@smithy/core/retry StandardRetryStrategy): a retry spends 14
// tokens (5 when throttled) of 500, a success gives back what its retry spent (1 without one).
const QUOTA = 500
const RETRY_COST = 14
const THROTTLED_COST = 5

/** The SDK's Retry-After reading: seconds or an HTTP date. */
function retryAfterMs(res: HttpResponse | undefined, now: number): number | undefined {
  const value = res?.headers['retry-after']
  if (!value) return undefined
  const seconds = Number(value)
  const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(value)
  return Number.isNaN(at) ? undefined : at - now
}

type WithMetadata = Error & ErrorLike & { $metadata?: ResponseMetadata; $response?: HttpResponse }

export class RekognitionClient {
  readonly config: Readonly<RekognitionClientConfig>
  private capacity = QUOTA
  private readonly clock: SkewedClock

  constructor(config: RekognitionClientConfig) {
    this.clock = config.clock ?? new SkewedClock()
    this.config = { ...config, clock: this.clock }
  }

  async send<Input extends object, Output>(
    command: RekognitionCommand<Input, Output>,
    options: { abortSignal?: AbortSignal } = {}
  ): Promise<Output> {
    const signal = options.abortSignal
    const body = serializeInput(command.input)
    let attempts = 0
    let totalRetryDelay = 0
    let spent: number | undefined
    for (;;) {
      attempts += 1
      try {
        const output = await this.attempt<Output>(command.operation, body, signal)
        this.capacity = Math.min(QUOTA, this.capacity + (spent ?? 1))
        Object.assign((output as { $metadata: ResponseMetadata }).$metadata, {
          attempts,
          totalRetryDelay
        })
        return output
      } catch (caught) {
        const err = caught as WithMetadata
        const type = retryErrorType(err)
        const cost = type === 'THROTTLING' ? THROTTLED_COST : RETRY_COST
        const retryable =
          (type === 'THROTTLING' && this.config.retry.retryThrottled) || type === 'TRANSIENT'
        if (
          signal?.aborted ||
          !retryable ||
          attempts >= this.config.retry.maxAttempts ||
          this.capacity < cost
        ) {
          err.$metadata = { ...err.$metadata, attempts, totalRetryDelay }
          throw err
        }
        this.capacity -= cost
        spent = cost
        const backoff = this.config.retry.delayMs(attempts)
        const hinted = retryAfterMs(err.$response, Date.now())
        const delay =
          hinted === undefined ? backoff : Math.max(backoff, Math.min(hinted, backoff + 5_000))
        totalRetryDelay += delay
        if (signal) {
          await abortableSleep(delay, signal)
          if (signal.aborted) throw abortError(signal)
        } else await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
  }

  /** One signed exchange; a non-2xx answer is thrown as the service's error. */
  private async attempt<Output>(
    operation: string,
    body: string,
    signal: AbortSignal | undefined
  ): Promise<Output> {
    const credentials = await this.config.credentials()
    const url = this.config.endpoint()
    const headers = signRequest({
      method: 'POST',
      host: url.host,
      path: url.pathname || '/',
      headers: {
        // Unsigned; CloudTrail records it as the call's userAgent, so an audit can tell the action.
        'user-agent': 'train-action',
        'content-type': CONTENT_TYPE,
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `${TARGET_PREFIX}${operation}`
      },
      body,
      region: this.config.region,
      service: 'rekognition',
      credentials,
      now: this.clock.date()
    })
    const res = await exchange(
      url,
      { method: 'POST', headers, body },
      this.config.transport,
      signal
    )
    const corrected = this.clock.correct(res.headers.date)
    if (res.statusCode >= 300) {
      const err: WithMetadata = readError(res)
      Object.defineProperty(err, '$response', { value: res, enumerable: false })
      // The SDK retries an error whose answer corrected the clock (isClockSkewCorrectedError).
      if (corrected && err.$metadata) err.$metadata.clockSkewCorrected = true
      throw err
    }
    return readOutput<Output>(res)
  }
}
