// aws-sdk-client-mock over the action's own Rekognition client (src/aws/rekognition): its
// `send(new XCommand(input))` has the SDK's shape, so the library stubs it as it stubs the SDK's
// client. The classes are given the SDK's types here, so `.on(XCommand)` knows each output's shape.
import type * as Sdk from '@aws-sdk/client-rekognition'
import { mockClient } from 'aws-sdk-client-mock'
import { RekognitionClient } from '../../src/aws/rekognition/client.js'
import * as commands from '../../src/aws/rekognition/commands.js'

export const CreateProjectVersionCommand =
  commands.CreateProjectVersionCommand as unknown as typeof Sdk.CreateProjectVersionCommand
export const DescribeProjectVersionsCommand =
  commands.DescribeProjectVersionsCommand as unknown as typeof Sdk.DescribeProjectVersionsCommand
export const DescribeProjectsCommand =
  commands.DescribeProjectsCommand as unknown as typeof Sdk.DescribeProjectsCommand
export const DetectCustomLabelsCommand =
  commands.DetectCustomLabelsCommand as unknown as typeof Sdk.DetectCustomLabelsCommand
export const ListTagsForResourceCommand =
  commands.ListTagsForResourceCommand as unknown as typeof Sdk.ListTagsForResourceCommand
export const StartProjectVersionCommand =
  commands.StartProjectVersionCommand as unknown as typeof Sdk.StartProjectVersionCommand
export const StopProjectVersionCommand =
  commands.StopProjectVersionCommand as unknown as typeof Sdk.StopProjectVersionCommand
export const TagResourceCommand =
  commands.TagResourceCommand as unknown as typeof Sdk.TagResourceCommand

/** Stubs RekognitionClient.prototype.send for every client of the test file. */
export const mockRekognition = () =>
  mockClient(RekognitionClient as unknown as typeof Sdk.RekognitionClient)

/** A client for stubbed tests: one attempt, fixed keys; it never reaches a network. */
export function testClient(region = 'eu-west-1'): RekognitionClient {
  return new RekognitionClient({
    region,
    endpoint: () => new URL(`https://rekognition.${region}.amazonaws.com`),
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    retry: { maxAttempts: 1, delayMs: () => 0, retryThrottled: false },
    transport: { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_000 }
  })
}
