// Public types of the emulator (what tests and the CLI see).

export type ProjectVersionStatus =
  | 'TRAINING_IN_PROGRESS'
  | 'TRAINING_COMPLETED'
  | 'TRAINING_FAILED'
  | 'STARTING'
  | 'RUNNING'
  | 'FAILED'
  | 'STOPPING'
  | 'STOPPED'
  | 'DELETING'
  | 'COPYING_IN_PROGRESS'
  | 'COPYING_COMPLETED'
  | 'COPYING_FAILED'
  | 'DEPRECATED'
  | 'EXPIRED'

export interface LabelResult {
  label: string
  testImages: number
  precision: number
  recall: number
  f1: number
  threshold: number
}

export interface ConfusionEntry {
  GroundTruthLabel: string
  PredictedLabel: string
  Value: number
}

export interface SnapshotImage {
  ref: string
  /** Ground-truth label (classification). */
  truth: string
}

export interface TrainingPlan {
  /**
   * How many DescribeProjectVersions answers show the version TRAINING_IN_PROGRESS; the next one
   * shows it ended (0: ended on the first look). Default 2.
   */
  checksUntilEnd?: number
  /** Or: ends this long after creation (takes precedence over checksUntilEnd). */
  durationMs?: number
  finalStatus: 'TRAINING_COMPLETED' | 'TRAINING_FAILED'
  /** Default: 'The model is ready to run.' / 'The manifest file contains too many invalid data objects.' */
  statusMessage?: string
  f1Score: number
  billableSeconds: number
  labels: LabelResult[]
  /** 'metrics': AggregatedEvaluationResults.Metrics {...}; 'flat': the guide's older example. */
  summaryShape: 'metrics' | 'flat'
  /**
   * `AggregatedEvaluationResults.ConfusionMatrix` entries (classification), written where the
   * summary shape puts the metrics. Default: none ('flat' writes an empty list, as before).
   */
  confusion?: ConfusionEntry[]
  /**
   * The model's answer per test image of the evaluation manifest snapshot, by source-ref: a label
   * (right when it is the ground truth), or null for no label above its threshold. Images not
   * listed are answered right.
   */
  answers?: Record<string, string | null>
  /** The test images of the snapshot when the version has no testing manifest (seeded versions). */
  snapshotImages?: SnapshotImage[]
  /** 'missing': no snapshot object is written (TestingDataResult.Output still names it); a
   * string or Buffer: written as the snapshot instead of the generated one. */
  snapshot?: 'missing' | string | Buffer
  /**
   * Eventual consistency: a new version is left out of this many DescribeProjectVersions answers
   * that would list it, right after the create. Default 0.
   */
  hiddenForDescribes?: number
  /**
   * A Status the service may add one day, shown instead of TRAINING_IN_PROGRESS while the version
   * trains (the API's enum grows over time: REKOGNITION.md). Default: none.
   */
  inProgressStatus?: string
}

/** How the versions started from now on behave (test/emulator/hosting.ts). */
export interface HostingPlan {
  /** DescribeProjectVersions answers that show STARTING before the start ends. Default 1. */
  checksUntilRunning?: number
  /** The start ends FAILED with this StatusMessage instead of RUNNING. */
  failWith?: string
  /** The start stays STARTING until releaseStarts(): a slow start, held as long as a test needs. */
  held?: boolean
  /** Inference units the account may have STARTING or RUNNING in a region; beyond, a start gets
   * LimitExceededException. Default: no limit. */
  unitLimit?: number
  /** DescribeProjectVersions answers that show STOPPING before STOPPED. Default 1. */
  checksUntilStopped?: number
}

export type Fault =
  | { kind: 'throttling' }
  | { kind: 'provisioned-throughput' }
  | { kind: 'limit-exceeded' }
  | { kind: 'internal-error'; status?: 500 | 502 | 503 }
  /** GitHub's secondary rate limit: 403 (or 429) with `retry-after` (default 1 s). Elsewhere: throttling. */
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfterSeconds?: number }
  | { kind: 'drop-before' }
  | { kind: 'drop-after' }
  | { kind: 'malformed' }
  | { kind: 'slow'; delayMs: number }
  /** The service acts at once; its answer reaches the client only after delayMs (or never, if
   * the emulator stops first): a create whose answer is late or lost on the way back. */
  | { kind: 'late'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'access-denied' }
  | { kind: 'expired-token' }
  | { kind: 'not-found' }
  /**
   * The request is acted on, but what comes back is not of the documented shape: `html` a 200
   * page of HTML labelled JSON (a proxy's or a load balancer's), `truncated` the real JSON cut in
   * half, `wrong-type` the real JSON with every list turned into an object (and a list answer
   * into an object).
   */
  | { kind: 'garbage'; body: 'html' | 'truncated' | 'wrong-type' }

export type ServiceName = 'rekognition' | 's3' | 'github'

export interface RecordedRequest {
  service: ServiceName
  /** 'CreateProjectVersion', 'S3:GetObject', 'GitHub:CreateComment', ... */
  operation: string
  method: string
  path: string
  headers: Record<string, string>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  /** From the SigV4 credential scope. */
  region?: string
  time: number
  /** The kind of the injected fault that answered this request, if any. */
  fault?: Fault['kind']
}

export interface VersionState {
  arn: string
  name: string
  projectArn: string
  status: ProjectVersionStatus
  statusMessage: string
  createdAt: Date
  endedAt?: Date
  /** The CreateProjectVersion body (for seeded versions: a synthesised one). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: any
  tags: Record<string, string>
  f1Score?: number
  billableSeconds?: number
  describeCount: number
  /** DescribeProjectVersions answers that will still leave the version out (eventual consistency). */
  hiddenLeft?: number
  /** The units of its last StartProjectVersion. */
  minUnits?: number
  maxUnits?: number
  /** StartProjectVersion calls that started it. */
  startCount?: number
  /** DescribeProjectVersions answers since it began starting or stopping. */
  hostChecks?: number
}

export interface SeedVersion {
  name: string
  status?: ProjectVersionStatus
  createdAt?: Date
  endedAt?: Date
  f1Score?: number
  billableSeconds?: number
  statusMessage?: string
  labels?: LabelResult[]
  outputBucket?: string
  outputPrefix?: string
  tags?: Record<string, string>
  /** Evaluation outputs of a seeded version (confusion matrix, snapshot images and answers). */
  plan?: Partial<
    Pick<TrainingPlan, 'confusion' | 'answers' | 'snapshotImages' | 'snapshot' | 'summaryShape'>
  >
  /** For a seeded RUNNING (or STARTING) version: its MinInferenceUnits / MaxInferenceUnits. */
  minUnits?: number
  maxUnits?: number
}

/** Who the emulated GitHub thinks the token is. */
export interface GitHubIdentity {
  login: string
  /** 'installation': the GITHUB_TOKEN or an app's token (GET /user is refused); 'user': a PAT. */
  kind: 'installation' | 'user'
}

export interface PullRequest {
  number: number
  headSha: string
  headRef: string
  state: 'open' | 'closed'
}

export interface CommitStatusState {
  id: number
  state: string
  description: string | null
  targetUrl: string | null
  context: string
  createdAt: string
}

export interface Comment {
  id: number
  body: string
  user: string
  createdAt: string
  updatedAt: string
}
