// `npm run bench:polling`: the status-check schedule, simulated on a virtual clock, against the
// SDK waiter (a check every 120 s) and a fixed 60 s poll. Deterministic (seeded), no network.
// The action's schedule is the real one: src/training/wait.ts's loop with src/training/poll-schedule.ts and the
// prediction of src/training/history.ts, driven by a fake DescribeProjectVersions.
import { predictDuration } from '../src/training/history.js'
import { waitForTraining } from '../src/training/wait.js'

const MIN = 60_000
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
  history: number[] | undefined,
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
      deadline: durationMs + 6 * 3_600_000,
      maxIntervalMs: pollMs,
      prediction: history ? predictDuration(history) : undefined,
      requestTimeoutMs: 1_000
    }
  )
  if (result.outcome !== 'ended') throw new Error('simulation did not end')
  return {
    checks: times.length,
    lagMs: now - durationMs,
    durationMs,
    early: times.filter((t) => t <= 20_000).length
  }
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]
}
const median = (xs: number[]): number => pct(xs, 0.5)

interface Row {
  name: string
  runs: Run[]
}

function summarize({ name, runs }: Row): string {
  const long = runs.filter((r) => r.durationMs >= 60 * MIN)
  const perHour =
    long.reduce((n, r) => n + r.checks, 0) /
    (long.reduce((n, r) => n + r.durationMs, 0) / 3_600_000)
  const lags = runs.map((r) => r.lagMs / 1000)
  return `| ${name} | ${perHour.toFixed(1)} | ${(perHour / 60).toFixed(2)} | ${median(lags).toFixed(1)} s | ${pct(lags, 0.95).toFixed(1)} s | ${Math.max(...runs.map((r) => r.early))} |`
}

const random = rng(20261127)
const rows: Row[] = [
  { name: 'SDK waiter (`waitUntilProjectVersionTrainingCompleted`, 120 s)', runs: [] },
  { name: 'fixed 60 s poll', runs: [] },
  { name: 'train-action defaults (`poll-interval-seconds: 60`), no history', runs: [] },
  { name: 'train-action defaults, with the project’s history', runs: [] },
  { name: 'train-action, `poll-interval-seconds: 120`, with history', runs: [] },
  { name: 'train-action, `poll-interval-seconds: 300`, with history', runs: [] }
]
for (const minutes of DURATIONS_MIN) {
  for (let trial = 0; trial < TRIALS; trial++) {
    const durationMs = minutes * MIN * Math.exp(SPREAD * normal(random))
    const history = Array.from(
      { length: HISTORY },
      () => minutes * MIN * Math.exp(SPREAD * normal(random))
    )
    rows[0].runs.push(fixed(120_000, 0, durationMs))
    rows[1].runs.push(fixed(60_000, 60_000, durationMs))
    rows[2].runs.push(await action(durationMs, 60_000, undefined, random))
    rows[3].runs.push(await action(durationMs, 60_000, history, random))
    rows[4].runs.push(await action(durationMs, 120_000, history, random))
    rows[5].runs.push(await action(durationMs, 300_000, history, random))
  }
}
console.log(
  `Simulated ${TRIALS} trainings at each of ${DURATIONS_MIN.join(', ')} min (log-normal spread ${SPREAD}; history: ${HISTORY} earlier trainings of the same project).`
)
console.log(
  '| schedule | checks per training hour (≥ 1 h) | per minute | lag median | lag p95 | checks in the first 20 s |'
)
console.log('| --- | --- | --- | --- | --- | --- |')
for (const row of rows) console.log(summarize(row))
