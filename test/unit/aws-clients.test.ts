import { describe, expect, test } from '@jest/globals'
import { RekognitionClient } from '@aws-sdk/client-rekognition'
import {
  StatusCheckRetryStrategy,
  rekognitionClient,
  statusCheckClient
} from '../../src/aws/aws-clients.js'
import { MAX_ATTEMPTS, STATUS_CHECK_ATTEMPTS } from '../../src/aws/retry.js'

const options = { region: 'eu-west-1', pollIntervalMs: 60_000, sockets: {} }

describe('StatusCheckRetryStrategy', () => {
  test('never retries a throttled check: the next scheduled check is the retry', async () => {
    const strategy = new StatusCheckRetryStrategy(60_000)
    const token = await strategy.acquireInitialRetryToken('rekognition')
    await expect(
      strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })
    ).rejects.toThrow(/next check/)
  })

  test('gives a dropped connection or a 500/502/503/504 one more attempt, not two', async () => {
    expect(STATUS_CHECK_ATTEMPTS).toBe(2)
    // The SDK classes those as TRANSIENT (other 5xx are not retried at all).
    const strategy = new StatusCheckRetryStrategy(60_000)
    const first = await strategy.acquireInitialRetryToken('rekognition')
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' })
    expect(second.getRetryCount()).toBe(1)
    await expect(
      strategy.refreshRetryTokenForRetry(second, { errorType: 'TRANSIENT' })
    ).rejects.toThrow()
  })
})

describe('the clients', () => {
  test('the patient client keeps its ten attempts; the status client has its own strategy', async () => {
    const patient = rekognitionClient(options)
    const checks = statusCheckClient(patient, options)
    expect(checks).toBeInstanceOf(RekognitionClient)
    expect(await patient.config.retryStrategy()).not.toBeInstanceOf(StatusCheckRetryStrategy)
    expect(await checks.config.retryStrategy()).toBeInstanceOf(StatusCheckRetryStrategy)
    expect(MAX_ATTEMPTS).toBe(10)
    patient.destroy()
    checks.destroy()
  })
})
