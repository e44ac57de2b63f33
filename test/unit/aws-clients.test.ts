import { describe, expect, test } from '@jest/globals'
import {
  patientRetry,
  rekognitionClient,
  statusCheckClient,
  statusCheckRetry
} from '../../src/aws/aws-clients.js'
import { RekognitionClient } from '../../src/aws/rekognition/client.js'
import { MAX_ATTEMPTS, STATUS_CHECK_ATTEMPTS } from '../../src/aws/retry.js'

const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }
const options = { region: 'eu-west-1', pollIntervalMs: 60_000, sockets: {}, env }

describe('the retry policies', () => {
  test('the status checks never retry a throttled check: the next scheduled check is the retry', () => {
    expect(statusCheckRetry(60_000)).toMatchObject({
      maxAttempts: STATUS_CHECK_ATTEMPTS,
      retryThrottled: false
    })
    expect(STATUS_CHECK_ATTEMPTS).toBe(2)
  })

  test('the patient policy keeps its ten attempts, throttled ones included', () => {
    expect(patientRetry(60_000)).toMatchObject({ maxAttempts: MAX_ATTEMPTS, retryThrottled: true })
    expect(MAX_ATTEMPTS).toBe(10)
  })

  test('backoff never waits longer than a poll interval', () => {
    for (let retry = 1; retry <= 9; retry++)
      expect(statusCheckRetry(50).delayMs(retry)).toBeLessThanOrEqual(50)
  })
})

describe('the clients', () => {
  test('the status client shares the patient client’s credentials, endpoint and clock', async () => {
    const patient = rekognitionClient(options)
    const checks = statusCheckClient(patient, options)
    expect(checks).toBeInstanceOf(RekognitionClient)
    expect(checks.config.credentials).toBe(patient.config.credentials)
    expect(checks.config.clock).toBe(patient.config.clock)
    expect(checks.config.retry.retryThrottled).toBe(false)
    expect(patient.config.retry.retryThrottled).toBe(true)
    await expect(patient.config.credentials()).resolves.toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret'
    })
    expect(patient.config.endpoint().href).toBe('https://rekognition.eu-west-1.amazonaws.com/')
  })

  test('a configured endpoint (the emulator, a VPC endpoint) is used', () => {
    const client = rekognitionClient({
      ...options,
      env: { ...env, AWS_ENDPOINT_URL_REKOGNITION: 'http://127.0.0.1:4566' }
    })
    expect(client.config.endpoint().href).toBe('http://127.0.0.1:4566/')
  })
})
