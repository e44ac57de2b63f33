// The emulator's in-memory world: projects and versions, S3 buckets and objects, PR comments.
import { createHash, randomUUID } from 'node:crypto'
import type {
  Comment,
  CommitStatusState,
  GitHubIdentity,
  PullRequest,
  HostingPlan,
  TrainingPlan,
  VersionState
} from './types.js'

export interface ProjectRecord {
  arn: string
  name: string
  region: string
  account: string
  createdAt: Date
  /** true: has TRAIN/TEST datasets; false: has none; undefined: unknown (both request styles pass). */
  datasets?: boolean
}

export interface VersionRecord extends VersionState {
  /** The training plan in force when the version was created. */
  plan: TrainingPlan
  /** The ended training wrote validation results (not after a manifest file error). */
  validationFiles?: boolean
  /** The hosting plan in force when it was last started or stopped. */
  hosting?: HostingPlan
}

export interface StoredObject {
  body: Buffer
  contentType: string
  etag: string
  lastModified: Date
  versionId: string
  /** x-amz-checksum-<algorithm> values received with the upload, echoed on GetObject. */
  checksums: Record<string, string>
}

export interface CommentRecord extends Comment {
  owner: string
  repo: string
  issue: number
}

export interface StatusRecord extends CommitStatusState {
  owner: string
  repo: string
  sha: string
}

export interface DeploymentRecord {
  id: number
  owner: string
  repo: string
  ref: string
  environment: string
  payload: unknown
  description: string | null
  transient: boolean
  createdAt: string
  statuses: { id: number; state: string; description: string; createdAt: string }[]
}

export class Store {
  readonly projects = new Map<string, ProjectRecord>()
  private readonly versionLists = new Map<string, VersionRecord[]>()
  readonly buckets = new Map<string, Map<string, StoredObject>>()
  /** A bucket's region, when a test gave one; others answer in whatever region is asked. */
  readonly bucketRegions = new Map<string, string>()
  readonly comments: CommentRecord[] = []
  private nextCommentId = 1000001
  github: {
    token?: string
    denyWrites: boolean
    denyStatuses?: boolean
    identity: GitHubIdentity
    /** By `owner/repo#number`. */
    pulls: Map<string, PullRequest>
    /** SHAs GitHub does not know (lower case): 404 on reads, 422 on status writes. */
    unknownCommits: Set<string>
  } = {
    unknownCommits: new Set(),
    denyWrites: false,
    identity: { login: 'github-actions[bot]', kind: 'installation' },
    pulls: new Map()
  }

  /** DetectCustomLabels answers by image URI, or by `<version name>|<image URI>`. */
  readonly detectAnswers = new Map<string, { Name: string; Confidence: number }[]>()
  /** GitHub deployments and their statuses (test/emulator/deployments.ts). */
  readonly deployments: DeploymentRecord[] = []

  readonly statuses: StatusRecord[] = []
  private nextStatusId = 5000001
  /** Added to the real clock: tests move the emulator's time forward. */
  clockOffsetMs = 0

  now(): number {
    return Date.now() + this.clockOffsetMs
  }

  addStatus(s: Omit<StatusRecord, 'id' | 'createdAt'>): StatusRecord {
    const record = {
      ...s,
      id: this.nextStatusId++,
      createdAt: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }
    this.statuses.push(record)
    return record
  }

  /** Versions of a project, newest first (ties: the later created first). */
  versionsOf(projectArn: string): VersionRecord[] {
    return [...(this.versionLists.get(projectArn) ?? [])]
      .reverse()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
  }

  addVersion(v: VersionRecord): void {
    const list = this.versionLists.get(v.projectArn) ?? []
    list.push(v)
    this.versionLists.set(v.projectArn, list)
  }

  findVersion(arn: string): VersionRecord | undefined {
    for (const list of this.versionLists.values()) {
      const found = list.find((v) => v.arn === arn)
      if (found) return found
    }
    return undefined
  }

  addBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map())
  }

  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    contentType = 'application/octet-stream',
    checksums: Record<string, string> = {}
  ): StoredObject {
    this.addBucket(bucket)
    const object: StoredObject = {
      body,
      contentType,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(),
      versionId: randomUUID().replace(/-/g, ''),
      checksums
    }
    this.buckets.get(bucket)?.set(key, object)
    return object
  }

  getObject(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key)
  }

  addComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    user: string
  ): CommentRecord {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    const comment = {
      id: this.nextCommentId++,
      owner,
      repo,
      issue,
      body,
      user,
      createdAt: now,
      updatedAt: now
    }
    this.comments.push(comment)
    return comment
  }

  deleteComment(id: number): boolean {
    const i = this.comments.findIndex((c) => c.id === id)
    if (i < 0) return false
    this.comments.splice(i, 1)
    return true
  }
}
