// The Rekognition operations the action calls, as commands for RekognitionClient.send, named as the
// SDK names them. The input and output shapes are the SDK's own types (type-only imports: nothing of
// the SDK is bundled for them).
import type {
  CreateProjectVersionCommandInput,
  CreateProjectVersionCommandOutput,
  DescribeProjectVersionsCommandInput,
  DescribeProjectVersionsCommandOutput,
  DescribeProjectsCommandInput,
  DescribeProjectsCommandOutput,
  DetectCustomLabelsCommandInput,
  DetectCustomLabelsCommandOutput,
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput,
  StartProjectVersionCommandInput,
  StartProjectVersionCommandOutput,
  StopProjectVersionCommandInput,
  StopProjectVersionCommandOutput,
  TagResourceCommandInput,
  TagResourceCommandOutput
} from '@aws-sdk/client-rekognition'

export abstract class RekognitionCommand<Input extends object, Output> {
  /** The operation's name in the X-Amz-Target header (a string: class names do not survive minifying). */
  abstract readonly operation: string
  /** Never set: carries the output's type to RekognitionClient.send. */
  declare readonly outputType?: Output
  constructor(readonly input: Input) {}
}

export class CreateProjectVersionCommand extends RekognitionCommand<
  CreateProjectVersionCommandInput,
  CreateProjectVersionCommandOutput
> {
  readonly operation = 'CreateProjectVersion'
}

export class DescribeProjectVersionsCommand extends RekognitionCommand<
  DescribeProjectVersionsCommandInput,
  DescribeProjectVersionsCommandOutput
> {
  readonly operation = 'DescribeProjectVersions'
}

export class DescribeProjectsCommand extends RekognitionCommand<
  DescribeProjectsCommandInput,
  DescribeProjectsCommandOutput
> {
  readonly operation = 'DescribeProjects'
}

export class DetectCustomLabelsCommand extends RekognitionCommand<
  DetectCustomLabelsCommandInput,
  DetectCustomLabelsCommandOutput
> {
  readonly operation = 'DetectCustomLabels'
}

export class ListTagsForResourceCommand extends RekognitionCommand<
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput
> {
  readonly operation = 'ListTagsForResource'
}

export class StartProjectVersionCommand extends RekognitionCommand<
  StartProjectVersionCommandInput,
  StartProjectVersionCommandOutput
> {
  readonly operation = 'StartProjectVersion'
}

export class StopProjectVersionCommand extends RekognitionCommand<
  StopProjectVersionCommandInput,
  StopProjectVersionCommandOutput
> {
  readonly operation = 'StopProjectVersion'
}

export class TagResourceCommand extends RekognitionCommand<
  TagResourceCommandInput,
  TagResourceCommandOutput
> {
  readonly operation = 'TagResource'
}
