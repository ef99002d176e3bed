import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { startCluster, type Cluster } from '../../scale/lib/cluster.ts'
import { readingSocket } from '../lib/counting.ts'
import { runLoad, startSteadyLoad } from '../lib/load.ts'
import { spawnTs, stopProcess, waitForLine } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { latencyHistogram } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const SENSORS = 100
/** The fan-out load's stations (the first of the SENSORS: same ids), one reading each per tick. */
const FANOUT_STATIONS = 10
/** Probe sockets in this process, recording latency, whatever the cluster's size; the rest of the crowd only counts. */
const PROBES = 3

interface Measured {
  /** Readings stored per second, between the first and the last one stored (COUNT(*) polled every 50 ms). */
  ingestRate: number
  /** From launching the publishers until every reading was stored. */
  ingestSeconds: number
  ingestNote: string
  /** From the last reading stored until the alarm leader's feed had read it (its position in job_state). */
  leaderLagMs: number
  p50: number
  p99: number
  fanoutNote: string
}

/**
 * Cluster mode (#10) on PostgreSQL + Mosquitto + Redis, one instance against three, in the same run:
 * (a) ingest — the simulators' `load` scenario publishes QoS 1 readings from SENSORS stations over 10
 * connections; the rate is readings stored per second, counted in PostgreSQL itself; (b) fan-out — the
 * `calm` scenario at a fixed rate (readings stamped with the wall clock when sent), received by the
 * same number of dashboards all on one instance or spread evenly over three; latency is publish →
 * receipt at PROBES probe sockets (batched, as the dashboard takes readings). The same clients and the
 * same load either way: the difference is the cluster path (shared subscription, Redis adapter).
 */
export const clusterSuite: Suite = async ({ quick, log }) => {
  const readings = quick ? 1_000 : 20_000
  const clients = quick ? PROBES : 60
  const readingsPerSecond = quick ? 100 : 200
  const windowMs = quick ? 500 : 3_000
  const cores = cpus().length
  log(
    `${cores} cores: the three instances share them with PostgreSQL, Mosquitto, Redis, the publishers and the clients — ` +
      (cores <= 2
        ? 'so these figures show what the cluster path costs and that it is correct, not what three machines would add.'
        : 'on one machine the figures still show overhead more than capacity.'),
  )
  const pack = syntheticPack(SENSORS)
  const fanoutPack = syntheticPack(FANOUT_STATIONS)
  const measured = new Map<number, Measured>()
  try {
    for (const size of [1, 3]) {
      const cluster = await startCluster({ size, city: pack.dir, label: `bench${size}` })
      try {
        const ingest = await measureIngest(cluster, pack.dir, readings)
        const fanout = await measureFanout(cluster, fanoutPack.dir, clients, readingsPerSecond, windowMs, quick ? 200 : 500)
        measured.set(size, { ...ingest, ...fanout })
        log(`${size} instance${size > 1 ? 's' : ''}: ingest ${Math.round(ingest.ingestRate)}/s (${ingest.ingestNote}); alarm leader ${Math.round(ingest.leaderLagMs)} ms behind; fan-out p50 ${fanout.p50} ms, p99 ${fanout.p99} ms (${fanout.fanoutNote})`)
      } finally {
        await cluster.stop()
      }
    }
  } finally {
    rmSync(pack.dir, { recursive: true, force: true })
    rmSync(fanoutPack.dir, { recursive: true, force: true })
  }
  const one = measured.get(1)!
  const three = measured.get(3)!
  const caveat = cores <= 2 ? `; ${cores} cores shared by all three instances: overhead of the cluster path, not capacity` : ''
  const figures: Figure[] = [
    {
      name: 'cluster · ingest · 3 instances (baseline 1)',
      value: three.ingestRate,
      unit: 'readings/s',
      baseline: one.ingestRate,
      ratio: three.ingestRate / one.ingestRate,
      note: `${readings.toLocaleString('en-US')} QoS 1 readings from ${SENSORS} stations over 10 connections, Mosquitto shared subscription, PostgreSQL, Redis; 3: ${three.ingestNote}; 1: ${one.ingestNote}${caveat}`,
    },
    {
      name: 'cluster · ingest time to all stored · 3 instances (baseline 1)',
      value: three.ingestSeconds,
      unit: 's',
      baseline: one.ingestSeconds,
      ratio: three.ingestSeconds / one.ingestSeconds,
      note: 'from launching the publishers (a Node process) to the last reading stored',
    },
    {
      name: 'cluster · alarm leader behind the ingest · 3 instances (baseline 1)',
      value: three.leaderLagMs,
      unit: 'ms',
      baseline: one.leaderLagMs,
      ratio: three.leaderLagMs / Math.max(one.leaderLagMs, 1),
      note: "from the last reading stored until the alarm leader's feed had read it (it polls every 250 ms, 2,000 rows a page): the leader keeps up when this stays near its poll period",
    },
  ]
  for (const stat of ['p50', 'p99'] as const) {
    figures.push({
      name: `cluster · fan-out latency ${stat} · ${clients / 3} on each of 3 (baseline ${clients} on 1)`,
      value: three[stat],
      unit: 'ms',
      baseline: one[stat],
      ratio: three[stat] / Math.max(one[stat], 1),
      ...(stat === 'p99' && { note: `${readingsPerSecond} readings/s for ${windowMs / 1000} s; 3: ${three.fanoutNote}; 1: ${one.fanoutNote}${caveat}` }),
    })
  }
  return figures
}

/**
 * Polls the alarm leader's position (job_state 'alarms.feed.received_at', stored after each read that
 * moved it) until it has reached the newest reading stored: what the leader still had to read when the
 * ingest was done. On a cluster of one the instance is its own leader and reads the same way.
 */
async function leaderLag(cluster: Cluster, lastStoredAt: number, timeoutMs: number) {
  const [newest] = await cluster.query<{ at: string }>('SELECT max(received_at) AS at FROM readings')
  const target = Number(newest!.at)
  for (;;) {
    const [row] = await cluster.query<{ value: string }>("SELECT value FROM job_state WHERE name = 'alarms.feed.received_at'")
    if (row && Number(row.value) >= target) return performance.now() - lastStoredAt
    if (performance.now() - lastStoredAt > timeoutMs) throw new Error(`the alarm leader had not read the last reading ${Math.round(timeoutMs / 1000)} s after it was stored`)
    await sleep(20)
  }
}

/** Launches the load and polls COUNT(*) until every reading is stored. */
async function measureIngest(cluster: Cluster, packDir: string, count: number) {
  const timeoutMs = 30_000 + 3 * count
  const t0 = performance.now()
  let failed: unknown
  const load = runLoad(cluster.mosquitto.url, packDir, count, timeoutMs).catch((error: unknown) => (failed = error))
  let first = 0
  let stored: number
  for (;;) {
    stored = (await cluster.rows()).total
    if (stored > 0 && first === 0) first = performance.now()
    if (stored >= count) break
    if (failed) throw failed
    if (performance.now() - t0 > timeoutMs) throw new Error(`stored ${stored} of ${count} readings after ${Math.round(timeoutMs / 1000)} s`)
    await sleep(50)
  }
  const last = performance.now()
  const leaderLagMs = await leaderLag(cluster, last, timeoutMs)
  await load
  const rows = await cluster.rows()
  const counters = await cluster.counters()
  const split = counters.map((c) => c.stored).join('/')
  const duplicates = counters.reduce((n, c) => n + c.duplicates, 0)
  return {
    ingestRate: ((count - 1) * 1000) / Math.max(1, last - first),
    ingestSeconds: (last - t0) / 1000,
    leaderLagMs,
    ingestNote: `${((last - t0) / 1000).toFixed(1)} s to all stored, ${rows.total} rows (${rows.distinct} distinct), stored per instance ${split}, duplicates ${duplicates}`,
  }
}

/** `clients` dashboards spread evenly over the instances, PROBES of them timing every reading. */
async function measureFanout(cluster: Cluster, fanoutPackDir: string, clients: number, readingsPerSecond: number, windowMs: number, warmUpMs: number) {
  const { instances } = cluster
  const perInstance = clients / instances.length
  const histogram = latencyHistogram()
  let recording = false
  const probes: { close(): void }[] = []
  const crowds: ChildProcess[] = []
  try {
    for (let k = 0; k < PROBES; k++) {
      const instance = instances[k % instances.length]!
      probes.push(
        await readingSocket(instance.baseUrl, (reading) => {
          if (recording) histogram.recordMs(Date.now() - Date.parse(reading.ts))
        }),
      )
    }
    for (const [k, instance] of instances.entries()) {
      const own = probes.filter((_, p) => p % instances.length === k).length
      if (perInstance - own <= 0) continue
      const crowd = spawnTs('tests/bench/lib/listeners.ts', { URL: instance.baseUrl, COUNT: String(perInstance - own) })
      crowds.push(crowd)
      await waitForLine(crowd, /^ready/, 60_000)
    }
    const load = await startSteadyLoad(cluster.mosquitto.url, fanoutPackDir, readingsPerSecond / FANOUT_STATIONS)
    try {
      // A short warm-up, then a fixed window; what was sent in it is received after it.
      await sleep(warmUpMs)
      recording = true
      await sleep(windowMs)
    } finally {
      await load.stop()
    }
    await drain(() => histogram.count, 3_000)
    recording = false
    const expected = (PROBES * readingsPerSecond * windowMs) / 1000
    return {
      p50: histogram.percentileMs(50),
      p99: histogram.percentileMs(99),
      fanoutNote: `${instances.length} × ${perInstance} clients, probes recorded ${histogram.count} (≈ ${Math.round(expected)} sent to them in the window), max ${histogram.maxMs()} ms`,
    }
  } finally {
    for (const probe of probes) probe.close()
    for (const crowd of crowds) await stopProcess(crowd)
  }
}

/** Waits until `count()` has not grown for 200 ms, or `maxMs` has passed. */
async function drain(count: () => number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs
  let last = -1
  while (Date.now() < deadline && count() !== last) {
    last = count()
    await sleep(200)
  }
}
