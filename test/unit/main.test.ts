// Unit tests of the edge: run() in src/main.ts, with the runner protocol replaced by a fixture,
// the AWS SDK by aws-sdk-client-mock and GitHub's REST API by a local HTTP server that answers as
// a stub says (the Octokit client fetches over node:http, src/github/http-fetch.ts). Real timers:
// the waits use poll-interval-seconds of a few hundredths of a second.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  jest,
  test
} from '@jest/globals'
import {
  type ProjectVersionDescription,
  type ProjectVersionStatus
} from '@aws-sdk/client-rekognition'
import type { RekognitionClient } from '../../src/aws/rekognition/client.js'
import {
  CreateProjectVersionCommand,
  DescribeProjectVersionsCommand,
  mockRekognition
} from './rekognition-mock.js'
import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as core from './fixtures/core.js'
import { OUTPUT_BUCKET, PROJECT_ARN, SHA } from './helpers.js'

jest.unstable_mockModule('../../src/github/runner.js', () => core)
// Imported only now: a static import would load the real runner protocol.
const { run } = await import('../../src/main.js')

const rekognition = mockRekognition()
const s3 = mockClient(S3Client)

/** The default version name, {repo}-{short_sha}, for GITHUB_SHA. */
const NAME = `defects-${SHA.slice(0, 12)}`
const versionArn = (name: string, n = 1_700_000_000_001): string =>
  `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/${n}`
const ARN = versionArn(NAME)
const SUMMARY_KEY = 'defects/evaluation/summary.json'
const SUMMARY_URI = `s3://${OUTPUT_BUCKET}/${SUMMARY_KEY}`
const EVALUATION_SUMMARY = JSON.stringify({
  AggregatedEvaluationResults: { Metrics: { F1Score: 0.9 } },
  LabelEvaluationResults: [
    {
      Label: 'scratch',
      NumberOfTestingImages: 3,
      Metrics: { Threshold: 0.5, Precision: 0.9, Recall: 0.8, F1Score: 0.85 }
    }
  ]
})

/** A PR's head commit: the one trained on pull_request events (not GITHUB_SHA). */
const HEAD_SHA = 'fedcba9876543210fedcba9876543210fedcba98'
const PR_NAME = `defects-${HEAD_SHA.slice(0, 12)}`
/** The local GitHub stub's URL (set in beforeAll). */
let API = ''
let COMMENTS = ''
const MARKER = `<!-- train-action:${PROJECT_ARN} -->`

function version(
  Status: ProjectVersionStatus,
  extra: Partial<ProjectVersionDescription> = {}
): ProjectVersionDescription {
  return { ProjectVersionArn: ARN, Status, CreationTimestamp: new Date(), ...extra }
}

/** A completed version whose evaluation summary is at `key`. */
function completed(
  f1: number,
  extra: Partial<ProjectVersionDescription> = {},
  key = SUMMARY_KEY
): ProjectVersionDescription {
  return version('TRAINING_COMPLETED', {
    StatusMessage: 'The model is ready to run.',
    BillableTrainingTimeInSeconds: 5400,
    EvaluationResult: { F1Score: f1, Summary: { S3Object: { Bucket: OUTPUT_BUCKET, Name: key } } },
    ...extra
  })
}

const found = (...versions: ProjectVersionDescription[]) => ({
  ProjectVersionDescriptions: versions
})

/** An error shaped like the AWS SDK v3's. */
function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode, requestId: 'req-1', attempts: 1 }
  })
}

/** A GetObject answer whose body reads as `text`. */
const s3Text = (text: string): GetObjectCommandOutput =>
  ({
    Body: { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'],
    $metadata: {}
  }) as GetObjectCommandOutput

/** Resolves once `condition` holds; real timers. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

/**
 * Clears main's safety exit (process.exit just before the runner's SIGKILL: 2 s after a SIGTERM,
 * 9.5 s after a SIGINT), so that it cannot fire once the process.exit mock is gone.
 */
function clearSafetyExit(timers: jest.Spied<typeof setTimeout>): void {
  for (const [i, [, ms]] of timers.mock.calls.entries())
    if (ms === 2_000 || ms === 9_500) clearTimeout(timers.mock.results[i].value as NodeJS.Timeout)
}

/** The position of a mock's nth call in the global call order. */
const order = (fn: { mock: { invocationCallOrder: number[] } }, n = 0): number =>
  fn.mock.invocationCallOrder[n]

function setInputs(values: Record<string, string>): void {
  const all: Record<string, string> = {
    'project-arn': PROJECT_ARN,
    'output-bucket': OUTPUT_BUCKET,
    'poll-interval-seconds': '0.05',
    ...values
  }
  for (const [k, v] of Object.entries(all)) core.inputs.set(k, v)
}

// --- the runner's environment -------------------------------------------------------------------

let dir: string
let workspace: string
const events: Record<string, string> = {}
const savedEnv = { ...process.env }
let githubServer: Server
/** What the GitHub stub answers; set per test by stubGitHub. */
let githubAnswer: ((url: string, init: RequestInit) => Response) | undefined

function baseEnv(): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'acme/defects',
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: events.push,
    GITHUB_WORKFLOW: 'CI',
    GITHUB_RUN_ID: '987654321',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: API,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token-example'
  }
}

function pullRequestEvent(headRepo: string): string {
  return JSON.stringify({
    pull_request: {
      number: 17,
      head: { sha: HEAD_SHA, ref: 'feature/better-model', repo: { full_name: headRepo } },
      base: { repo: { full_name: 'acme/defects' } }
    }
  })
}

/** A pull_request run: from this repository, or from a fork. */
function onPullRequest(from: 'same' | 'fork' = 'same'): void {
  process.env.GITHUB_EVENT_NAME = 'pull_request'
  process.env.GITHUB_EVENT_PATH = from === 'fork' ? events.fork : events.pr
  process.env.GITHUB_REF = 'refs/pull/17/merge'
  process.env.GITHUB_HEAD_REF = 'feature/better-model'
}

function clearEnv(): void {
  for (const key of Object.keys(process.env))
    if (/^(GITHUB_|AWS_|INPUT_|RUNNER_)/.test(key)) delete process.env[key]
}

beforeAll(async () => {
  githubServer = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const answer = githubAnswer
        ? githubAnswer(`${API}${req.url}`, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body: text || undefined
          })
        : new Response('{"message":"no stub"}', { status: 500 })
      const headers: Record<string, string> = {}
      answer.headers.forEach((v, k) => (headers[k] = v))
      res.writeHead(answer.status, headers).end(await answer.text())
    })
  })
  await new Promise<void>((resolve) => githubServer.listen(0, '127.0.0.1', resolve))
  API = `http://127.0.0.1:${(githubServer.address() as AddressInfo).port}`
  COMMENTS = `${API}/repos/acme/defects/issues/17/comments`
  dir = mkdtempSync(path.join(tmpdir(), 'train-action-main-'))
  workspace = path.join(dir, 'workspace')
  mkdirSync(path.join(workspace, 'data'), { recursive: true })
  writeFileSync(
    path.join(workspace, 'data', 'train.manifest'),
    [
      '{"source-ref":"s3://acme-images/a.jpg","defect":1,"defect-metadata":{"class-name":"scratch","type":"groundtruth/image-classification","confidence":1,"human-annotated":"yes","creation-date":"2026-01-01T00:00:00"}}',
      '{"source-ref":"s3://acme-images/b.jpg","defect":0,"defect-metadata":{"class-name":"dent","type":"groundtruth/image-classification","confidence":1,"human-annotated":"yes","creation-date":"2026-01-01T00:00:00"}}',
      ''
    ].join('\n')
  )
  events.push = path.join(dir, 'push.json')
  events.pr = path.join(dir, 'pr.json')
  events.fork = path.join(dir, 'fork.json')
  writeFileSync(events.push, JSON.stringify({ ref: 'refs/heads/main' }))
  writeFileSync(events.pr, pullRequestEvent('acme/defects'))
  writeFileSync(events.fork, pullRequestEvent('someone/defects'))
})

beforeEach(() => {
  core.resetCore()
  rekognition.reset()
  s3.reset()
  clearEnv()
  Object.assign(process.env, baseEnv())
})

afterEach(() => {
  githubAnswer = undefined
  clearEnv()
  Object.assign(process.env, savedEnv)
})

afterAll(async () => {
  githubServer.closeAllConnections()
  await new Promise((resolve) => githubServer.close(resolve))
  rekognition.restore()
  s3.restore()
  rmSync(dir, { recursive: true, force: true })
})

/**
 * Makes the local GitHub stub answer with `answer`; the returned mock records every request as
 * fetch would have been called: (url, { method, headers, body }).
 */
function stubGitHub(
  answer: (method: string, url: string, body: unknown) => Response
): jest.Mock<(url: string, init: RequestInit) => Response> {
  const fn = jest.fn((url: string, init: RequestInit) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
    return answer(init.method ?? 'GET', url, body)
  })
  githubAnswer = fn
  return fn
}

/** The PR's head, as GET /pulls/17 gives it: the commit this run trains. */
const pullAnswer = (url: string): Response | undefined =>
  url === `${API}/repos/acme/defects/pulls/17`
    ? json({ number: 17, state: 'open', head: { sha: HEAD_SHA } })
    : undefined

const BOT = { login: 'github-actions[bot]', type: 'Bot' }

const json = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } })

// --- the tests ----------------------------------------------------------------------------------

describe('before any AWS call', () => {
  test('dry-run prints the request, sets version-name and calls nothing', async () => {
    setInputs({ 'dry-run': 'true', tags: 'team=vision', 'output-prefix': 'runs/{run_id}/' })
    await run()

    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 0)
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
    expect(rekognition.calls()).toHaveLength(0)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toEqual({ 'version-name': NAME })
    const log = core.lines(core.info)
    expect(log[0]).toBe('Dry run: no AWS call made. CreateProjectVersion in eu-west-1 would be:')
    const request = JSON.parse(log[1])
    expect(request).toMatchObject({
      ProjectArn: PROJECT_ARN,
      VersionName: NAME,
      OutputConfig: { S3Bucket: OUTPUT_BUCKET, S3KeyPrefix: 'runs/987654321/' },
      Tags: { team: 'vision', 'github:sha': SHA, 'github:repository': 'acme/defects' }
    })
    // Credentials never reach the log.
    expect(core.setSecret).toHaveBeenCalledWith('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
    expect(core.setSecret).toHaveBeenCalledWith('session-token-example')
    // The summary says what was checked and why nothing was trained.
    expect(core.summaryText()).toContain('Dry run: checked, nothing trained')
    expect(core.summaryText()).toContain(`\`${NAME}\` in defects, not created`)
  })

  test('dry-run masks the github-token; no event payload is no news', async () => {
    delete process.env.GITHUB_EVENT_PATH
    setInputs({ 'dry-run': 'true', 'github-token': 'ghs_exampletoken' })
    await run()
    expect(core.setSecret).toHaveBeenCalledWith('ghs_exampletoken')
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).not.toHaveBeenCalled()
  })

  test('an unreadable event payload is a warning, not a failure', async () => {
    process.env.GITHUB_EVENT_PATH = path.join(dir, 'missing.json')
    setInputs({ 'dry-run': 'true' })
    await run()
    expect(core.warning).toHaveBeenCalledWith(
      `Could not read the event payload at ${path.join(dir, 'missing.json')}; pull request details are unknown.`
    )
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  test('a bad input fails with one line naming it, and no AWS call', async () => {
    setInputs({ 'version-name': 'has space' })
    await run()

    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(/^version-name "has space" /)
    expect(message).toContain('[a-zA-Z0-9_.-]')
    expect(message).not.toContain('\n')
    expect(message).not.toMatch(/^Unexpected/)
    expect(rekognition.calls()).toHaveLength(0)
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.writeSummary).not.toHaveBeenCalled()
  })

  test('a missing required input is named', async () => {
    core.inputs.set('project-arn', PROJECT_ARN)
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('output-bucket is required and was not given')
    expect(rekognition.calls()).toHaveLength(0)
  })

  test('mode: an unknown one is refused; collect needs no output-bucket', async () => {
    setInputs({ mode: 'gather' })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith(
      'mode "gather" is not a known mode; it must be train, collect or stop'
    )
    core.resetCore()
    core.inputs.set('project-arn', PROJECT_ARN)
    core.inputs.set('mode', 'collect')
    await run()
    // Refused for the token it needs, not for the bucket it does not.
    expect(core.setFailed).toHaveBeenCalledWith(
      'github-token is empty; mode collect reads and writes commit statuses, so it needs a token with statuses: write'
    )
    expect(rekognition.calls()).toHaveLength(0)
  })

  test('a fork pull request without AWS credentials is skipped with a notice', async () => {
    onPullRequest('fork')
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      delete process.env[key]
    const fetch = stubGitHub(() => json([]))
    setInputs({ wait: 'true', 'github-token': 'ghs_exampletoken' })
    await run()

    expect(core.notice).toHaveBeenCalledTimes(1)
    expect(core.lines(core.notice)[0]).toMatch(/^Skipped: this pull request comes from a fork/)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(rekognition.calls()).toHaveLength(0)
    expect(fetch).not.toHaveBeenCalled()
    // The version it would have been, and a summary saying why nothing was trained.
    expect(core.outputs()).toEqual({ 'version-name': expect.any(String) })
    expect(core.summaryText()).toContain('Skipped: a pull request from a fork')
    expect(core.summaryText()).toContain('no secrets')
  })

  test('a fork pull request that has credentials trains', async () => {
    onPullRequest('fork')
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    setInputs({ 'comment-on-pr': 'false' })
    await run()
    expect(core.notice).not.toHaveBeenCalled()
    expect(rekognition).toHaveReceivedCommandWith(CreateProjectVersionCommand, {
      VersionName: PR_NAME
    })
  })
})

describe('starting or reusing a version', () => {
  test('a first training without wait: outputs at once, started summary, no wait', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ tags: 'team=vision' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
    expect(rekognition).toHaveReceivedCommandWith(CreateProjectVersionCommand, {
      ProjectArn: PROJECT_ARN,
      VersionName: NAME,
      OutputConfig: { S3Bucket: OUTPUT_BUCKET },
      // The derived description is sanitised: '/' is not in the API's character set.
      VersionDescription: 'acme-defects 0123456789ab, run 987654321 attempt 1 (CI)'
    })
    const request = rekognition.commandCalls(CreateProjectVersionCommand)[0].args[0].input
    expect(request.Tags).toMatchObject({
      team: 'vision',
      'github:sha': SHA,
      'github:run-id': '987654321',
      'github:actor': 'octocat'
    })
    // Only the lookup of the name: no status polling without wait.
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 1)
    expect(rekognition).toHaveReceivedCommandWith(DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      VersionNames: [NAME]
    })
    expect(core.outputs()).toEqual({
      'project-version-arn': ARN,
      'version-name': NAME,
      created: 'true',
      status: 'TRAINING_IN_PROGRESS',
      'status-message': ''
    })
    expect(core.info).toHaveBeenCalledWith(`Started training ${ARN}`)
    // The ARN is out before the summary is written.
    const arnCall = core.setOutput.mock.calls.findIndex(([k]) => k === 'project-version-arn')
    expect(order(core.setOutput, arnCall)).toBeLessThan(order(core.writeSummary))
    const summary = core.summaryText()
    expect(summary).toContain('🚀 Training started: defects')
    expect(summary).toContain(ARN)
    expect(summary).toContain('started by this run')
    expect(summary).toContain('https://github.com/acme/defects/actions/runs/987654321')
    expect(summary).toContain('eu-west-1.console.aws.amazon.com')
    expect(s3.calls()).toHaveLength(0)
  })

  test('a summary that cannot be written is a warning', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    core.writeSummary.mockRejectedValueOnce(new Error('Unable to find environment variable'))
    setInputs({})
    await run()
    expect(core.warning).toHaveBeenCalledWith(
      'Could not write the job summary: Unable to find environment variable'
    )
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  test('reuse of a completed version: created=false, F1 and per-label metrics from S3', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(completed(0.9)))
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    setInputs({ wait: 'true' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
    // Already ended: no status polling either.
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 1)
    expect(core.outputs()).toEqual({
      'project-version-arn': ARN,
      'version-name': NAME,
      created: 'false',
      status: 'TRAINING_COMPLETED',
      'status-message': 'The model is ready to run.',
      'f1-score': '0.9',
      'billable-training-seconds': '5400',
      'evaluation-summary-uri': SUMMARY_URI
    })
    expect(core.info).toHaveBeenCalledWith(`Attached to ${ARN}`)
    expect(core.info).toHaveBeenCalledWith(`Training TRAINING_COMPLETED: F1 0.9, ${ARN}`)

    // The S3 client, loaded by a dynamic import inside main, is the mocked one.
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: OUTPUT_BUCKET,
      Key: SUMMARY_KEY
    })
    const s3Client = s3.send.getCall(0).thisValue as S3Client
    await expect(s3Client.config.region()).resolves.toBe('eu-west-1')

    const summary = core.summaryText()
    expect(summary).toContain('✅ Training completed: defects')
    expect(summary).toContain('existing version, reused')
    expect(summary).toContain('| F1 score | 0.900 |')
    expect(summary).toContain('1 h 30 min')
    expect(summary).toContain('about $1.50 at $1.00/h')
    expect(summary).toContain('### Per-label metrics')
    expect(summary).toContain('| scratch | 3 | 0.900 | 0.800 | 0.850 | 0.500 |')
    expect(summary).not.toContain('Quality gates')
  })

  test('an evaluation summary S3 refuses to give is a warning naming s3:GetObject', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(completed(0.9)))
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 'Access Denied', 403))
    setInputs({})
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      `Per-label metrics of this version unavailable (AccessDenied): allow s3:GetObject on arn:aws:s3:::${OUTPUT_BUCKET}/* to read it. ${SUMMARY_URI}`
    )
    expect(core.summaryText()).toContain('Per-label metrics of this version unavailable')
  })

  test('reuse of a deprecated version fails: it cannot be used', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(version('DEPRECATED')))
    setInputs({})
    await run()
    expect(core.setFailed).toHaveBeenCalledWith(`Version ${ARN} is DEPRECATED: it cannot be used.`)
    expect(core.summaryText()).toContain('⚠️ The version cannot be used')
    expect(s3.calls()).toHaveLength(0)
  })

  test('if-version-exists fail: the existing version fails the step, nothing created', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(completed(0.9)))
    setInputs({ 'if-version-exists': 'fail' })
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(String(core.setFailed.mock.calls[0][0])).toMatch(
      new RegExp(`^Version ${NAME} already exists in the project \\(TRAINING_COMPLETED`)
    )
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.writeSummary).not.toHaveBeenCalled()
  })

  test('AccessDenied from CreateProjectVersion names rekognition:CreateProjectVersion', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: rekognition:CreateProjectVersion'
        )
      )
    setInputs({ wait: 'true' })
    await run()

    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(
      new RegExp(`^AWS denied rekognition:CreateProjectVersion on ${PROJECT_ARN}: allow`)
    )
    expect(message).not.toContain('Unexpected')
    // After the refusal the name is looked up again, to tell a lost answer from a refusal.
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 2)
    expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 1)
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.writeSummary).not.toHaveBeenCalled()
  })

  test('an environment region other than the ARN’s: notice, and the ARN’s region is called', async () => {
    process.env.AWS_REGION = 'us-east-1'
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({})
    await run()

    expect(core.notice).toHaveBeenCalledWith(
      "The environment's region is us-east-1 but project-arn is in eu-west-1: calling eu-west-1, where the project is."
    )
    const client = rekognition.send.getCall(0).thisValue as RekognitionClient
    expect(client.config.region).toBe('eu-west-1')
    expect(client.config.endpoint().host).toBe('rekognition.eu-west-1.amazonaws.com')
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  test('an environment region equal to the ARN’s is no news', async () => {
    process.env.AWS_REGION = 'eu-west-1'
    setInputs({ 'dry-run': 'true' })
    await run()
    expect(core.notice).not.toHaveBeenCalled()
  })
})

describe('waiting', () => {
  test('wait until TRAINING_COMPLETED: status outputs follow every check', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolvesOnce(found(version('TRAINING_IN_PROGRESS')))
      .resolvesOnce(found(version('TRAINING_IN_PROGRESS')))
      .resolves(found(completed(0.93)))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    setInputs({ wait: 'true' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    // The project's datasets, the existence check, the create, the project's history, then the
    // status checks.
    expect(rekognition).toHaveReceivedNthCommandWith(4, DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      MaxResults: 100
    })
    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 4)
    expect(rekognition).toHaveReceivedNthCommandWith(6, DescribeProjectVersionsCommand, {
      ProjectArn: PROJECT_ARN,
      VersionNames: [NAME]
    })
    const statuses = core.setOutput.mock.calls.filter(([k]) => k === 'status').map(([, v]) => v)
    expect(statuses).toEqual(['TRAINING_IN_PROGRESS', 'TRAINING_IN_PROGRESS', 'TRAINING_COMPLETED'])
    expect(core.outputs()).toMatchObject({
      created: 'true',
      status: 'TRAINING_COMPLETED',
      'f1-score': '0.93',
      'evaluation-summary-uri': SUMMARY_URI
    })
    expect(core.info).toHaveBeenCalledWith(
      `Waiting up to 350 min for ${NAME} (checks at most every 0.05 s).`
    )
    expect(core.info).toHaveBeenCalledWith(
      'Status: TRAINING_COMPLETED (The model is ready to run.)'
    )
    // Progress at info level while waiting.
    expect(
      core.lines(core.info).some((l) => /^TRAINING_IN_PROGRESS after .*next check in/.test(l))
    ).toBe(true)
    expect(core.writeSummary).toHaveBeenCalledTimes(1)
    expect(core.summaryText()).toContain('✅ Training completed')
    expect(core.summaryText()).toContain('| scratch |')
  })

  test('TRAINING_FAILED fails the step with the service’s StatusMessage', async () => {
    const failed = version('TRAINING_FAILED', {
      StatusMessage: 'The manifest file contains too many invalid data objects.',
      ManifestSummary: {
        S3Object: { Bucket: OUTPUT_BUCKET, Name: 'defects/manifest_summary.json' }
      }
    })
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(found(failed))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ wait: 'true' })
    await run()

    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toContain(
      'Training TRAINING_FAILED: The manifest file contains too many invalid data objects.'
    )
    expect(message).toContain(`s3://${OUTPUT_BUCKET}/defects/manifest_summary.json`)
    expect(message).toContain(ARN)
    expect(core.outputs()).toMatchObject({
      status: 'TRAINING_FAILED',
      'status-message': 'The manifest file contains too many invalid data objects.'
    })
    expect(core.summaryText()).toContain('❌ Training failed')
    expect(order(core.writeSummary)).toBeLessThan(order(core.setFailed))
    // Only reads of what the service wrote about the failure (here: its manifest summary).
    expect(s3.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetObjectCommand'])
  })

  test('timeout with fail-on-timeout true fails with the ARN and how to resume', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(found(version('TRAINING_IN_PROGRESS')))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ wait: 'true', 'wait-timeout-minutes': '0.005' })
    const started = Date.now()
    await run()

    expect(Date.now() - started).toBeLessThan(3_000)
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(
      /^Training was still TRAINING_IN_PROGRESS after wait-timeout-minutes \(0\.005\)/
    )
    expect(message).toContain(ARN)
    expect(message).toContain('if-version-exists: reuse')
    expect(rekognition.commandCalls(DescribeProjectVersionsCommand).length).toBeGreaterThan(1)
    expect(core.outputs()).toMatchObject({
      'project-version-arn': ARN,
      status: 'TRAINING_IN_PROGRESS'
    })
    expect(core.summaryText()).toContain('⏱️ Still training when the wait ended')
    expect(order(core.writeSummary)).toBeLessThan(order(core.setFailed))
  })

  test('timeout with fail-on-timeout false is a warning, the step passes', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(found(version('TRAINING_IN_PROGRESS')))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ wait: 'true', 'wait-timeout-minutes': '0.005', 'fail-on-timeout': 'false' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    const timeouts = core.lines(core.warning).filter((l) => l.startsWith('Training was still'))
    expect(timeouts).toHaveLength(1)
    expect(timeouts[0]).toContain(ARN)
    expect(core.summaryText()).toContain('⏱️ Still training when the wait ended')
  })

  test('a version not listed by one status check right after the create: the wait goes on', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found()) // does the name exist?
      .resolvesOnce(found()) // the project's history
      .resolvesOnce(found()) // the first check: not listed yet (eventual consistency)
      .resolves(found(version('TRAINING_FAILED', { StatusMessage: 'bad manifest' })))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ wait: 'true' })
    await run()

    expect(
      core
        .lines(core.info)
        .filter((l) => l.includes('is not listed by DescribeProjectVersions (1 time)'))
    ).toHaveLength(1)
    expect(String(core.setFailed.mock.calls[0][0])).toMatch(
      /^Training TRAINING_FAILED: bad manifest/
    )
    expect(core.outputs().status).toBe('TRAINING_FAILED')
  })

  test('status checks that keep failing with a non-AWS error end the wait after three', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .rejects(new TypeError("Cannot read properties of undefined (reading 'Status')"))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    rekognition
      .on(DescribeProjectVersionsCommand, { ProjectArn: PROJECT_ARN, MaxResults: 100 })
      .resolves({ ProjectVersionDescriptions: [] })
    setInputs({ wait: 'true' })
    await run()

    expect(rekognition).toHaveReceivedCommandTimes(DescribeProjectVersionsCommand, 5)
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(String(core.setFailed.mock.calls[0][0])).toMatch(
      /^Status checks failed 3 times in a row: rekognition:DescribeProjectVersions on .* failed: TypeError/
    )
    expect(
      core.lines(core.warning).filter((l) => l.startsWith('Status check failed'))
    ).toHaveLength(2)
    expect(core.outputs()['project-version-arn']).toBe(ARN)
  })

  test('SIGTERM during the wait: the cancel path, and run() still resolves', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const timers = jest.spyOn(globalThis, 'setTimeout')
    const listeners = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]
    try {
      rekognition
        .on(DescribeProjectVersionsCommand)
        .resolvesOnce(found())
        .resolves(found(version('TRAINING_IN_PROGRESS')))
        .on(CreateProjectVersionCommand)
        .resolves({ ProjectVersionArn: ARN })
      setInputs({ wait: 'true', 'wait-timeout-minutes': '10' })
      const done = run()
      await until(() => rekognition.commandCalls(DescribeProjectVersionsCommand).length >= 2)
      expect(core.outputs()['project-version-arn']).toBe(ARN)
      process.emit('SIGTERM', 'SIGTERM')
      process.emit('SIGINT', 'SIGINT') // a second signal is not news
      await done

      expect(core.setFailed).toHaveBeenCalledTimes(1)
      const message = String(core.setFailed.mock.calls[0][0])
      expect(message).toContain('cannot be stopped')
      expect(message).toContain(ARN)
      const received = core.lines(core.warning).filter((l) => / received\. /.test(l))
      expect(received).toEqual([`SIGTERM received. ${message}`])
      expect(core.summaryText()).toContain('⏹️ Job cancelled; the training goes on in AWS')
      expect(core.outputs()).toMatchObject({ status: 'TRAINING_IN_PROGRESS', created: 'true' })
      // The handlers are gone once run() is over.
      expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual(listeners)

      // A cancelled run leaves at once when it is done.
      expect(exit).toHaveBeenCalledWith(1)
      exit.mockClear()
      // The safety exit, 0.5 s before the SIGKILL that follows a SIGTERM by 2.5 s: unref'd, so it
      // never holds the process open; exits 1 when it fires.
      // 2,000 ms counted from the signal: a millisecond or two may have passed before it is set.
      const index = timers.mock.calls.findIndex(([, ms]) => ms! > 1_900 && ms! <= 2_000)
      expect(index).toBeGreaterThanOrEqual(0)
      const timer = timers.mock.results[index].value as NodeJS.Timeout
      expect(timer.hasRef()).toBe(false)
      clearTimeout(timer)
      ;(timers.mock.calls[index][0] as () => void)()
      expect(exit).toHaveBeenCalledWith(1)
    } finally {
      clearSafetyExit(timers)
      timers.mockRestore()
      exit.mockRestore()
    }
  })

  test('SIGINT while the name is looked up: no training is started after the cancel', async () => {
    // A cancel must never start new paid work. Here the cancel arrives while the version name is
    // being looked up; when the lookup answers "no such version", nothing may be created.
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never)
    const timers = jest.spyOn(globalThis, 'setTimeout')
    try {
      let answer: (v: ReturnType<typeof found>) => void = () => undefined
      rekognition
        .on(DescribeProjectVersionsCommand)
        .callsFakeOnce(() => new Promise((resolve) => (answer = resolve)))
        .resolves(found(version('TRAINING_IN_PROGRESS')))
        .on(CreateProjectVersionCommand)
        .resolves({ ProjectVersionArn: ARN })
      setInputs({ wait: 'true', 'wait-timeout-minutes': '10' })
      const done = run()
      await until(() => rekognition.commandCalls(DescribeProjectVersionsCommand).length === 1)
      process.emit('SIGINT', 'SIGINT')
      expect(core.lines(core.warning)[0]).toMatch(
        /^SIGINT received\. Cancelled before the version was confirmed\./
      )
      answer(found())
      await done

      expect(rekognition).toHaveReceivedCommandTimes(CreateProjectVersionCommand, 0)
      expect(core.setFailed).toHaveBeenCalledTimes(1)
      expect(String(core.setFailed.mock.calls[0][0])).toBe(
        `Cancelled before version ${NAME} was created: no training was started.`
      )
      expect(core.outputs()['project-version-arn']).toBeUndefined()
    } finally {
      clearSafetyExit(timers)
      timers.mockRestore()
      exit.mockRestore()
    }
  })
})

describe('quality gates', () => {
  test('max-f1-drop fails after the summary is written, with the baseline outputs', async () => {
    const baseline = completed(
      0.95,
      { ProjectVersionArn: versionArn('v-old', 1_690_000_000_000) },
      'defects/old/summary.json'
    )
    rekognition
      .on(DescribeProjectVersionsCommand, { VersionNames: [NAME] })
      .resolves(found(completed(0.8)))
      .on(DescribeProjectVersionsCommand, { VersionNames: ['v-old'] })
      .resolves(found(baseline))
    s3.on(GetObjectCommand, { Key: SUMMARY_KEY })
      .resolves(s3Text(EVALUATION_SUMMARY))
      .on(GetObjectCommand, { Key: 'defects/old/summary.json' })
      .resolves(
        s3Text(
          JSON.stringify({
            AggregatedEvaluationResults: { Metrics: { F1Score: 0.95 } },
            LabelEvaluationResults: [{ Label: 'scratch', Metrics: { F1Score: 0.95 } }]
          })
        )
      )
    setInputs({ 'baseline-version': 'v-old', 'max-f1-drop': '0.05' })
    await run()

    expect(core.outputs()).toMatchObject({
      'f1-score': '0.8',
      'baseline-version-arn': versionArn('v-old', 1_690_000_000_000),
      'baseline-f1-score': '0.95',
      'f1-delta': '-0.15'
    })
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed).toHaveBeenCalledWith(
      "Quality gate max-f1-drop failed: F1 0.800 dropped 0.150 from the baseline's 0.950, more than max-f1-drop 0.050 by 0.100"
    )
    // Outputs, then the summary, then the failure.
    const deltaCall = core.setOutput.mock.calls.findIndex(([k]) => k === 'f1-delta')
    expect(order(core.setOutput, deltaCall)).toBeLessThan(order(core.writeSummary))
    expect(order(core.writeSummary)).toBeLessThan(order(core.setFailed))
    const summary = core.summaryText()
    expect(summary).toContain('| F1 score | 0.800 (−0.150) |')
    expect(summary).toContain('❌ `max-f1-drop`')
    expect(summary).toContain('| scratch | 3 | 0.900 | 0.800 | 0.850 | −0.100 | 0.500 |')
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2)
  })

  test('max-f1-drop within bounds passes', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand, { VersionNames: [NAME] })
      .resolves(found(completed(0.93)))
      .on(DescribeProjectVersionsCommand, { VersionNames: ['v-old'] })
      .resolves(
        found(
          completed(0.95, {
            ProjectVersionArn: versionArn('v-old'),
            EvaluationResult: { F1Score: 0.95 }
          })
        )
      )
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    setInputs({ 'baseline-version': 'v-old', 'max-f1-drop': '0.05' })
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()['f1-delta']).toBe('-0.02')
    expect(core.summaryText()).toContain('✅ `max-f1-drop`')
  })

  test('min-f1-score fails the step when F1 is lower', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(completed(0.6)))
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    setInputs({ 'min-f1-score': '0.7' })
    await run()

    expect(core.setFailed).toHaveBeenCalledWith(
      'Quality gate min-f1-score failed: F1 0.600 is below min-f1-score 0.700 by 0.100'
    )
    expect(order(core.writeSummary)).toBeLessThan(order(core.setFailed))
    expect(core.outputs()['baseline-version-arn']).toBeUndefined()
    expect(core.summaryText()).toContain('❌ `min-f1-score`')
  })

  test('a completed version without an F1 score fails both gates, without a delta', async () => {
    const bare = version('TRAINING_COMPLETED')
    rekognition
      .on(DescribeProjectVersionsCommand, { VersionNames: [NAME] })
      .resolves(found(bare))
      .on(DescribeProjectVersionsCommand, { VersionNames: ['v-old'] })
      .resolves(found(completed(0.9, { ProjectVersionArn: versionArn('v-old') })))
    setInputs({ 'min-f1-score': '0.5', 'baseline-version': 'v-old', 'max-f1-drop': '0.1' })
    await run()

    expect(core.setFailed).toHaveBeenCalledWith(
      'Quality gate min-f1-score failed: no F1 score to compare with 0.500; Quality gate max-f1-drop failed: no F1 score to compare with the baseline'
    )
    expect(core.outputs()).toMatchObject({ 'baseline-f1-score': '0.9', created: 'false' })
    expect(core.outputs()['f1-score']).toBeUndefined()
    expect(core.outputs()['f1-delta']).toBeUndefined()
    expect(core.info).toHaveBeenCalledWith(`Training TRAINING_COMPLETED: F1 n/a, ${ARN}`)
    expect(core.summaryText()).toContain('No evaluation summary for this version.')
    expect(s3.calls()).toHaveLength(0)
  })

  test('min-f1-score passes when F1 reaches it', async () => {
    rekognition.on(DescribeProjectVersionsCommand).resolves(found(completed(0.7)))
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    setInputs({ 'min-f1-score': '0.7' })
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.summaryText()).toContain('✅ `min-f1-score`')
  })
})

describe('the pull request comment', () => {
  const call = ([u, init]: [string, RequestInit]) => `${init.method} ${u}`

  test('created beside the wait, then updated in place; comment-url output', async () => {
    onPullRequest()
    const prArn = versionArn(PR_NAME)
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(found(completed(0.91, { ProjectVersionArn: prArn })))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: prArn })
    s3.on(GetObjectCommand).resolves(s3Text(EVALUATION_SUMMARY))
    const url = 'https://github.com/acme/defects/pull/17#issuecomment-555'
    const fetch = stubGitHub((method, u) => {
      const pull = pullAnswer(u)
      if (pull) return pull
      if (method === 'GET') return json([{ id: 1, body: 'LGTM', html_url: 'x', user: BOT }])
      return json({ id: 555, body: '', html_url: url, user: BOT }, method === 'POST' ? 201 : 200)
    })
    setInputs({ 'commit-status': 'false', wait: 'true', 'github-token': 'ghs_exampletoken' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(rekognition).toHaveReceivedCommandWith(CreateProjectVersionCommand, {
      VersionName: PR_NAME
    })
    expect(fetch.mock.calls.map(call)).toEqual([
      `GET ${API}/repos/acme/defects/pulls/17`,
      `GET ${COMMENTS}?per_page=100`,
      `POST ${COMMENTS}`,
      `GET ${COMMENTS}?per_page=100`,
      `GET ${API}/repos/acme/defects/pulls/17`,
      `PATCH ${API}/repos/acme/defects/issues/comments/555`
    ])
    const headers = fetch.mock.calls[0][1].headers as Record<string, string>
    expect(headers.authorization).toBe('token ghs_exampletoken')
    const bodies = fetch.mock.calls
      .filter(([, init]) => init.method !== 'GET')
      .map(([, init]) => JSON.parse(String(init.body)).body)
    expect(bodies[0]).toMatch(new RegExp(`^${MARKER}\n## 🚀 Training started`))
    expect(bodies[1]).toMatch(new RegExp(`^${MARKER}\n## ✅ Training completed`))
    expect(bodies[1]).toContain(HEAD_SHA)
    expect(core.outputs()['comment-url']).toBe(url)
    expect(core.setSecret).toHaveBeenCalledWith('ghs_exampletoken')
  })

  test('an existing comment of this project is updated, not duplicated, after the summary', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    const url = 'https://github.com/acme/defects/pull/17#issuecomment-77'
    const fetch = stubGitHub(
      (method, u) =>
        pullAnswer(u) ??
        (method === 'GET'
          ? json([
              { id: 76, body: '<!-- train-action:another-project -->', html_url: 'y', user: BOT },
              { id: 77, body: `${MARKER}\nold`, html_url: url, user: BOT }
            ])
          : json({ id: 77, html_url: url, user: BOT }))
    )
    setInputs({ 'commit-status': 'false', 'github-token': 'ghs_exampletoken' })
    await run()

    expect(fetch.mock.calls.map(call)).toEqual([
      `GET ${API}/repos/acme/defects/pulls/17`,
      `GET ${COMMENTS}?per_page=100`,
      `PATCH ${API}/repos/acme/defects/issues/comments/77`
    ])
    expect(core.outputs()['comment-url']).toBe(url)
    // The job summary goes out before anything is asked of GitHub.
    expect(order(core.writeSummary)).toBeLessThan(order(fetch, 0))
    expect(core.writeSummary).toHaveBeenCalledTimes(1)
  })

  test('GitHub 403: a warning on permissions, no retry, the summary written and not lost', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    const fetch = stubGitHub(() => json({ message: 'Resource not accessible by integration' }, 403))
    setInputs({ 'commit-status': 'false', 'github-token': 'ghs_exampletoken' })
    await run()

    expect(fetch).toHaveBeenCalledTimes(1)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      'Could not write the PR comment (HTTP 403): the token needs pull-requests: write; add `permissions: pull-requests: write` to the job, or set comment-on-pr: false. The training and its result are unaffected.'
    )
    expect(core.outputs()['comment-url']).toBeUndefined()
    expect(core.outputs()['project-version-arn']).toBe(versionArn(PR_NAME))
    // Written first, then again with the line on the comment.
    expect(core.writeSummary).toHaveBeenCalledTimes(2)
    expect(core.summaryText()).toContain('Training started')
    expect(core.summaryText()).toContain(
      'The PR comment could not be written (see the warning in the log).'
    )
  })

  test('a GitHub 502 is retried; the comment is written', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    let pulls = 0
    const fetch = stubGitHub((method, u) => {
      if (u.endsWith('/pulls/17') && ++pulls === 1) return json({ message: 'Bad Gateway' }, 502)
      const pull = pullAnswer(u)
      if (pull) return pull
      if (method === 'GET') return json([])
      return json({ id: 5, html_url: 'https://github.com/c/5', user: BOT }, 201)
    })
    setInputs({ 'commit-status': 'false', 'github-token': 'ghs_exampletoken' })
    await run()
    expect(fetch.mock.calls.map(([, init]) => init.method)).toEqual([
      'GET',
      'GET',
      'GET',
      'POST',
      'GET'
    ])
    expect(core.outputs()['comment-url']).toBe('https://github.com/c/5')
    expect(core.warning).not.toHaveBeenCalled()
  })

  test('a 403 while waiting disables the comment for the rest of the run', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(found(version('TRAINING_FAILED', { ProjectVersionArn: versionArn(PR_NAME) })))
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    const fetch = stubGitHub(() => json({ message: 'Forbidden' }, 403))
    setInputs({ 'commit-status': 'false', wait: 'true', 'github-token': 'ghs_exampletoken' })
    await run()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(core.lines(core.warning).filter((l) => l.includes('PR comment'))).toHaveLength(1)
    expect(core.setFailed).toHaveBeenCalledTimes(1)
  })

  test('a stale run: the PR has a newer head, the comment is left alone and the summary says why', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    const newer = '1111111111111111111111111111111111111111'
    const fetch = stubGitHub(() => json({ number: 17, head: { sha: newer } }))
    setInputs({ 'commit-status': 'false', 'github-token': 'ghs_exampletoken' })
    await run()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(core.warning).not.toHaveBeenCalled()
    expect(core.outputs()['comment-url']).toBeUndefined()
    expect(core.summaryText()).toContain(
      `The PR comment was left alone: this run trained ${HEAD_SHA.slice(0, 12)}, but the head of pull request #17 is now ${newer.slice(0, 12)}`
    )
  })

  test('comment-on-pr false, or no token: no comment', async () => {
    onPullRequest()
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: versionArn(PR_NAME) })
    const fetch = stubGitHub(() => json([]))
    setInputs({
      'commit-status': 'false',
      'comment-on-pr': 'false',
      'github-token': 'ghs_exampletoken'
    })
    await run()
    expect(fetch).not.toHaveBeenCalled()
    expect(core.warning).not.toHaveBeenCalled()

    core.resetCore()
    setInputs({ 'commit-status': 'false' })
    await run()
    expect(fetch).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      'comment-on-pr is true but github-token is empty: no PR comment.'
    )
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  test('no comment on push events', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolves(found())
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    const fetch = stubGitHub(() => json([]))
    setInputs({ 'commit-status': 'false', 'github-token': 'ghs_exampletoken' })
    await run()
    expect(fetch).not.toHaveBeenCalled()
    expect(core.outputs()['comment-url']).toBeUndefined()
  })
})

describe('unexpected errors', () => {
  test.each([
    [
      'an Error',
      new TypeError("Cannot read properties of undefined (reading 'trim')"),
      "Unexpected error: Cannot read properties of undefined (reading 'trim')"
    ],
    ['a non-Error', 'input service down', 'Unexpected error: input service down']
  ])('%s thrown at the edge: "Unexpected error", details at debug', async (_, thrown, expected) => {
    core.getInput.mockImplementation((name) => {
      if (name === 'wait') throw thrown
      return core.inputs.get(name) ?? ''
    })
    setInputs({})
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed).toHaveBeenCalledWith(expected)
    expect(core.debug).toHaveBeenCalledTimes(1)
    if (thrown instanceof Error) expect(String(core.debug.mock.calls[0][0])).toContain('TypeError')
    expect(rekognition.calls()).toHaveLength(0)
  })
})

describe('secrets and log lines', () => {
  test('the github-token never appears in a failure that echoes an input', async () => {
    setInputs({ 'github-token': 'ghs_secretvalue123', 'version-name': 'x ghs_secretvalue123' })
    await run()
    expect(core.setSecret).toHaveBeenCalledWith('ghs_secretvalue123')
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(/^version-name /)
    expect(message).toContain('***')
    expect(message).not.toContain('ghs_secretvalue123')
  })

  test('AWS secrets are redacted from the summary, and info lines stay one line', async () => {
    const secret = process.env.AWS_SECRET_ACCESS_KEY!
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce(found())
      .resolves(
        found(
          version('TRAINING_FAILED', {
            StatusMessage: `bad manifest\n::error::injected ${secret}`
          })
        )
      )
      .on(CreateProjectVersionCommand)
      .resolves({ ProjectVersionArn: ARN })
    setInputs({ wait: 'true' })
    await run()
    const infos = core.lines(core.info)
    const status = infos.find((l) => l.startsWith('Status: TRAINING_FAILED'))
    expect(status).toBe('Status: TRAINING_FAILED (bad manifest ::error::injected ***)')
    expect(infos.every((l) => !/[\r\n]/.test(l))).toBe(true)
    expect(core.summaryText()).not.toContain(secret)
    expect(String(core.setFailed.mock.calls[0][0])).not.toContain(secret)
  })
})

describe('manifests kept in the repository (contract: training-manifests may be a workspace path)', () => {
  // The contract: dry-run validates "manifests in the repository too" and prints the request.
  test('dry-run with a manifest in the repository prints the request', async () => {
    setInputs({
      'dry-run': 'true',
      'training-manifests': 'data/train.manifest',
      'auto-create-testing': 'true'
    })
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toEqual({ 'version-name': NAME })
    expect(rekognition.calls()).toHaveLength(0)
    // The request names where the manifest would be uploaded: under the prefix, by version.
    expect(core.lines(core.info).join('\n')).toContain(
      `"Name": "train-action/${NAME}/data/train.manifest"`
    )
    expect(core.summaryText()).toContain('### Manifests')
  })

  test('dry-run with a missing repository manifest fails with one line naming the input', async () => {
    setInputs({
      'dry-run': 'true',
      'training-manifests': 'data/missing.manifest',
      'auto-create-testing': 'true'
    })
    await run()
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(/^training-manifests "data\/missing\.manifest" /)
    expect(message).not.toMatch(/^Unexpected error/)
  })
})
