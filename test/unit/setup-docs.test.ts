// The setup a newcomer follows is one story told four times (docs/setup.md, the CloudFormation
// template, the CLI's JSON files, docs/iam.md) and described in the README, SECURITY.md and
// action.yml: these tests keep the tellings the same, and check the template against the
// CloudFormation resource specification.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parse } from 'yaml'
import { parseTemplate, templateProblems, type Spec } from '../../scripts/cfn-template.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const spec = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve('@aws-cdk/cfnspec/spec/specification.json'),
    'utf8'
  )
) as Spec

type Statement = {
  Sid?: string
  Action: string | string[]
  Resource?: unknown
  Condition?: unknown
}
type Policy = { Version: string; Statement: Statement[] }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

/** The ```json blocks of a Markdown page, parsed. */
const jsonBlocks = (file: string): Policy[] =>
  [...read(file).matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as Policy)
const actionsBySid = (p: Policy) =>
  Object.fromEntries(p.Statement.map((s) => [s.Sid, [s.Action].flat().sort()]))

const TEMPLATE = 'examples/setup/train-action-setup.yml'
const template = parseTemplate(read(TEMPLATE)) as Any

describe('the CloudFormation template', () => {
  test('is valid against the CloudFormation resource specification', () => {
    expect(templateProblems(template, spec)).toEqual([])
  })

  test('makes the four resources the setup needs', () => {
    const types = Object.values(template.Resources as Record<string, { Type: string }>)
      .map((r) => r.Type)
      .sort()
    expect(types).toEqual([
      'AWS::IAM::OIDCProvider',
      'AWS::IAM::Role',
      'AWS::Rekognition::Project',
      'AWS::S3::Bucket'
    ])
  })

  test('the provider is GitHub’s, for the audience configure-aws-credentials asks for', () => {
    const p = template.Resources.GitHubOidcProvider.Properties
    expect(p.Url).toBe('https://token.actions.githubusercontent.com')
    expect(p.ClientIdList).toEqual(['sts.amazonaws.com'])
  })

  test('the trust policy admits exactly the three subjects, with the audience', () => {
    const [statement] =
      template.Resources.TrainingRole.Properties.AssumeRolePolicyDocument.Statement
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity')
    const equals = statement.Condition.StringEquals
    expect(equals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com')
    expect(equals['token.actions.githubusercontent.com:sub']).toEqual([
      { 'Fn::Sub': 'repo:${GitHubOwner}/${GitHubRepository}:pull_request' },
      { 'Fn::Sub': 'repo:${GitHubOwner}/${GitHubRepository}:ref:refs/heads/${DefaultBranch}' },
      { 'Fn::Sub': 'repo:${GitHubOwner}/${GitHubRepository}:environment:${EnvironmentName}' }
    ])
  })

  test('the role’s policy allows the actions of the documented minimal policy', () => {
    const [policy] = template.Resources.TrainingRole.Properties.Policies
    const [documented] = jsonBlocks('docs/iam.md')
    expect(actionsBySid(policy.PolicyDocument)).toEqual(actionsBySid(documented))
  })

  test('sessions long enough for a GitHub-hosted job (role-duration-seconds 21600)', () => {
    expect(template.Resources.TrainingRole.Properties.MaxSessionDuration).toBe(21600)
  })

  test('the checker finds what the specification refuses', () => {
    const broken = parseTemplate(
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        '  P:',
        '    Type: AWS::Rekognition::Project',
        '    Properties:',
        '      Name: x',
        '  Q:',
        '    Type: AWS::Rekognition::Nothing',
        '  B:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      BucketName: !Ref Missing',
        '      VersioningConfiguration: enabled',
        'Outputs:',
        '  A:',
        '    Value: !GetAtt P.Nope',
        '  S:',
        '    Value: !Sub ${B.Arn}/${AWS::Region}/${Gone}'
      ].join('\n')
    )
    expect(templateProblems(broken, spec)).toEqual([
      'Resources.P.Properties: required property ProjectName is missing',
      'Resources.P.Properties: Name is not a property of AWS::Rekognition::Project',
      'Resources.Q: AWS::Rekognition::Nothing is not a CloudFormation resource type',
      'Resources.B.Properties.VersioningConfiguration: expected a map of properties',
      'Resources.B.Properties.BucketName: Ref Missing names no parameter, resource or pseudo parameter',
      'Outputs.A.Value: GetAtt P.Nope: AWS::Rekognition::Project has no attribute Nope',
      'Outputs.S.Value: Ref Gone names no parameter, resource or pseudo parameter'
    ])
  })
})

describe('the policies, told the same everywhere', () => {
  const permissions = JSON.parse(read('examples/setup/permissions-policy.json')) as Policy
  const trust = JSON.parse(read('examples/setup/trust-policy.json')) as Policy

  test('docs/iam.md, docs/setup.md and permissions-policy.json: one minimal policy', () => {
    const [iam] = jsonBlocks('docs/iam.md')
    const inSetup = jsonBlocks('docs/setup.md')
    expect(iam).toEqual(permissions)
    expect(inSetup).toContainEqual(permissions)
  })

  test('docs/setup.md shows trust-policy.json, with the three subjects and the audience', () => {
    expect(jsonBlocks('docs/setup.md')).toContainEqual(trust)
    const equals = (trust.Statement[0].Condition as Any).StringEquals
    expect(equals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com')
    expect(equals['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/vision:pull_request',
      'repo:acme/vision:ref:refs/heads/main',
      'repo:acme/vision:environment:fork-training'
    ])
  })
})

describe('GitHub permissions, described as the defaults need them', () => {
  const action = parse(read('action.yml')) as Any
  const DEFAULTS_NEED = [
    'id-token: write',
    'contents: read',
    'pull-requests: write',
    'statuses: write'
  ]

  test('the defaults that need them are on', () => {
    expect(action.inputs['commit-status'].default).toBe('true')
    expect(action.inputs['comment-on-pr'].default).toBe('true')
  })

  test('github-token’s description names both of its uses', () => {
    const d = action.inputs['github-token'].description as string
    expect(d).toContain('pull-requests: write')
    expect(d).toContain('statuses: write')
    expect(action.inputs['commit-status'].description).toContain('statuses: write')
  })

  test.each(['README.md', 'docs/setup.md'])(
    '%s: the quick-start workflow asks for them',
    (file) => {
      const workflow = [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((m) => parse(m[1]) as Any)
        .find((w) => w && typeof w === 'object' && 'jobs' in w)
      expect(workflow).toBeDefined()
      expect(Object.entries(workflow.permissions).map(([k, v]) => `${k}: ${v}`)).toEqual(
        DEFAULTS_NEED
      )
    }
  )

  test.each(['README.md', 'SECURITY.md', 'docs/pull-requests.md'])(
    '%s names each of them',
    (file) => {
      for (const p of DEFAULTS_NEED) expect(read(file)).toContain(p)
    }
  )

  test('the README and setup guide show the same quick-start workflow', () => {
    const workflow = (file: string) =>
      [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((m) => parse(m[1]) as Any)
        .find((w) => w && typeof w === 'object' && 'jobs' in w)
    expect(workflow('docs/setup.md')).toEqual(workflow('README.md'))
  })
})
