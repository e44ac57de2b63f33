// `npm run bench:polling`: the status-check schedule, simulated on a virtual clock, against the
// SDK waiter (a check every 120 s) and a fixed 60 s poll, for right and misleading histories; and,
// like with like, against a fixed poll and the SDK waiter (minDelay = maxDelay) at the interval
// that makes as many checks per training hour as the action's default schedule with a right history.
// Deterministic (seeded), no network. The action's schedule is the real one: src/training/wait.ts's
// loop with src/training/poll-schedule.ts and the prediction of src/training/history.ts (fed with
// version descriptions through trainingDurations), driven by a fake DescribeProjectVersions.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { predictDuration, trainingDurations } from '../src/training/history.js'
import { budgetAt } from '../src/training/poll-schedule.js'
import { waitForTraining } from '../src/training/wait.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DURATIONS_MIN = [20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720]
const TRIALS = Number(process.env.BENCH_TRIALS ?? 60)
/** Training times of one project vary by about this much (log-normal sigma). */
const SPREAD = 0.08
const HISTORY = 5

/** mulberry32: a small seeded generator, so every run simulates the same trainings. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

interface Run {
  checks: number
  lagMs: number
  durationMs: number
  /** Checks in the first 20 s of the wait. */
  early: number
  /** Checks in the first minute of the wait (the budget's free checks). */
  firstMinute?: number
  /** The largest share of the budget used at any check (1 = exactly on budget). */
  budgetUse?: number
}

/** Fixed-interval polling; the SDK waiter checks at once, then every 120 s. */
function fixed(intervalMs: number, firstAtMs: number, durationMs: number): Run {
  let t = firstAtMs
  let checks = 1
  while (t < durationMs) {
    t += intervalMs
    checks++
  }
  const early = Math.max(
    0,
    Math.floor((20_000 - firstAtMs) / intervalMs) + (firstAtMs <= 20_000 ? 1 : 0)
  )
  return { checks, lagMs: t - durationMs, durationMs, early }
}

async function action(
  durationMs: number,
  pollMs: number,
  history: ProjectVersionDescription[],
  random: () => number
): Promise<Run> {
  let now = 0
  const times: number[] = []
  const cancel = new AbortController().signal
  const result = await waitForTraining(
    {
      describe: async () => {
        times.push(now)
        return {
          ProjectVersionArn: 'arn',
          Status: now >= durationMs ? 'TRAINING_COMPLETED' : 'TRAINING_IN_PROGRESS'
        }
      },
      now: () => now,
      sleep: async (ms) => {
        now += ms
      },
      random,
      log: { info: () => undefined, warning: () => undefined },
      onCheck: () => undefined,
      cancel
    },
    {
      arn: 'arn',
      trainingStartedAt: 0,
      deadline: durationMs + 6 * HOUR,
      maxIntervalMs: pollMs,
      prediction: predictDuration(trainingDurations(history)),
      requestTimeoutMs: 1_000
    }
  )
  if (result.outcome !== 'ended') throw new Error('simulation did not end')
  return {
    checks: times.length,
    lagMs: now - durationMs,
    durationMs,
    early: times.filter((t) => t <= 20_000).length,
    firstMinute: times.filter((t) => t <= MIN).length,
    budgetUse: Math.max(...times.map((t, i) => (i + 1) / budgetAt(t, pollMs)))
  }
}

/** Earlier trainings of the project, as DescribeProjectVersions describes them. */
function versions(durations: number[], status = 'TRAINING_COMPLETED'): ProjectVersionDescription[] {
  const day = Date.UTC(2026, 10, 1)
  return durations.map((ms, i) => ({
    ProjectVersionArn: `arn:aws:rekognition:eu-west-1:1:project/p/version/v${i}/1`,
    Status: status as ProjectVersionDescription['Status'],
    CreationTimestamp: new Date(day + i * 24 * HOUR),
    TrainingEndTimestamp: new Date(day + i * 24 * HOUR + ms)
  }))
}

type HistoryKind = 'right' | 'none' | 'one' | '0.3x' | '1.3x' | '3x' | 'mixed' | 'failed'
/** The history each kind shows for a training of `actualMs`. */
function history(kind: HistoryKind, nominalMs: number, random: () => number) {
  const around = (ms: number, n = HISTORY) =>
    Array.from({ length: n }, () => ms * Math.exp(SPREAD * normal(random)))
  switch (kind) {
    case 'right':
      return versions(around(nominalMs))
    case 'none':
      return []
    case 'one':
      return versions(around(nominalMs, 1))
    case '0.3x':
      return versions(around(0.3 * nominalMs))
    case '1.3x':
      // This training takes 1.3 times the history's median.
      return versions(around(nominalMs / 1.3))
    case '3x':
      return versions(around(3 * nominalMs))
    case 'mixed':
      // From half to twice this training, log-uniformly.
      return versions(Array.from({ length: HISTORY }, () => nominalMs * 2 ** (2 * random() - 1)))
    case 'failed':
      return versions(around(nominalMs), 'TRAINING_FAILED')
  }
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]
}
const median = (xs: number[]): number => pct(xs, 0.5)

interface Row {
  name: string
  pollMs?: number
  kind?: HistoryKind
  runs: Run[]
}

function summarize({ name, pollMs, runs }: Row): string {
  const long = runs.filter((r) => r.durationMs >= 60 * MIN)
  const perHour =
    long.reduce((n, r) => n + r.checks, 0) /
    (long.reduce((n, r) => n + r.durationMs, 0) / 3_600_000)
  // Over the wait itself (to the check that sees the end), as the budget counts.
  const afterFirstMinute =
    long.reduce((n, r) => n + r.checks - (r.firstMinute ?? 0), 0) /
    (long.reduce((n, r) => n + r.durationMs + r.lagMs - MIN, 0) / 3_600_000)
  const lags = runs.map((r) => r.lagMs / 1000)
  const budget = pollMs ? ((1.25 * HOUR) / pollMs).toFixed(2) : '-'
  const use = pollMs ? Math.max(...runs.map((r) => r.budgetUse ?? 0)).toFixed(2) : '-'
  const rate = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1))
  const after = pollMs ? rate(afterFirstMinute) : '-'
  return `| ${name} | ${rate(perHour)} | ${after} | ${budget} | ${use} | ${median(lags).toFixed(1)} s | ${pct(lags, 0.95).toFixed(1)} s | ${Math.max(...runs.map((r) => r.early))} |`
}

const random = rng(20261127)
const action60: [string, HistoryKind][] = [
  ['history right', 'right'],
  ['no history', 'none'],
  ['one earlier training', 'one'],
  ['history 0.3x this training', '0.3x'],
  ['this training 1.3x the history', '1.3x'],
  ['history 3x this training', '3x'],
  ['mixed history (0.5-2x)', 'mixed'],
  ['every earlier training failed', 'failed']
]
const rows: Row[] = [
  { name: 'SDK waiter (`waitUntilProjectVersionTrainingCompleted`, 120 s)', runs: [] },
  { name: 'fixed 60 s poll', runs: [] },
  ...action60.map(([what, kind]) => ({
    name: `train-action, 60 s (default), ${what}`,
    pollMs: 60_000,
    kind,
    runs: []
  })),
  ...([120, 300, 3600] as const).flatMap((s) =>
    (['right', 'mixed', 'none'] as const).map((kind) => ({
      name: `train-action, ${s} s, ${kind === 'right' ? 'history right' : kind === 'mixed' ? 'mixed history' : 'no history'}`,
      pollMs: s * 1000,
      kind,
      runs: []
    }))
  )
]
const durations: number[] = []
for (const minutes of DURATIONS_MIN) {
  for (let trial = 0; trial < TRIALS; trial++) {
    const nominalMs = minutes * MIN
    const durationMs = nominalMs * Math.exp(SPREAD * normal(random))
    durations.push(durationMs)
    rows[0].runs.push(fixed(120_000, 0, durationMs))
    rows[1].runs.push(fixed(60_000, 60_000, durationMs))
    for (const row of rows.slice(2)) {
      row.runs.push(
        await action(durationMs, row.pollMs!, history(row.kind!, nominalMs, random), random)
      )
    }
  }
}
/** Checks per training hour (trainings of an hour or more), as summarize() counts them. */
function checksPerHour(runs: Run[]): number {
  const long = runs.filter((r) => r.durationMs >= 60 * MIN)
  return (
    long.reduce((n, r) => n + r.checks, 0) /
    (long.reduce((n, r) => n + r.durationMs, 0) / 3_600_000)
  )
}
// Like with like: the interval at which a fixed poll makes as many checks per hour as the default
// schedule with a right history. The SDK waiter with minDelay = maxDelay = that interval checks at
// once and then at that interval (@smithy/core client/util-waiter/poller.js: each delay is drawn
// between minDelay and min(maxDelay, minDelay * 2^(attempt - 1))).
const equalS = Math.round(3600 / checksPerHour(rows[2].runs))
rows.splice(
  2,
  0,
  {
    name: `fixed ${equalS} s poll (as many checks per hour as the default, history right)`,
    runs: []
  },
  { name: `SDK waiter, minDelay = maxDelay = ${equalS} s (the same)`, runs: [] }
)
for (const durationMs of durations) {
  rows[2].runs.push(fixed(equalS * 1000, equalS * 1000, durationMs))
  rows[3].runs.push(fixed(equalS * 1000, 0, durationMs))
}
console.log(
  `Simulated ${TRIALS} trainings at each of ${DURATIONS_MIN.join(', ')} min (log-normal spread ${SPREAD}; a right history is ${HISTORY} earlier trainings of the same project).`
)
console.log(
  '| schedule (poll-interval-seconds, history) | checks per training hour (≥ 1 h) | per hour of wait after its first minute | budget per hour (1.25 x 3600 / poll) | most of the budget used at any check | lag median | lag p95 | checks in the first 20 s |'
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const row of rows) console.log(summarize(row))
