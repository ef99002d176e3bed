import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { rssBytes, spawnTs, startServerProcess, stopProcess, waitForLine } from '../../helpers/processes.ts'
import { readMetric } from '../../helpers/metrics.ts'
import { readingSocket } from '../lib/counting.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { latencyHistogram, median } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const STATIONS = 100
const READINGS_PER_SECOND = 1_000
const DASHBOARDS = 500
const SAMPLE_EVERY_MS = 10_000

/**
 * Soak: the server (embedded broker, SQLite) under `pnpm sim calm` at 1,000 readings/s with 500
 * dashboards connected (one probe in this process, the rest in a process of their own), for 10 minutes
 * (2 with --quick). Every 10 s the server's V8 heap in use and event-loop delay p99 (its /metrics,
 * whose event-loop histogram restarts at each scrape) and its RSS (/proc, from outside) are sampled.
 * Figures: heap and RSS over the last minute against 30–60 s into the load (medians), the worst event-loop
 * p99 of any window, the probe's publish → receipt p99, and messages stored (readings and camera
 * statuses) against messages the simulator had acknowledged by the broker.
 */
export const soakSuite: Suite = async ({ quick, log }) => {
  const durationMs = quick ? 120_000 : 600_000
  const pack = syntheticPack(STATIONS)
  const server = await startServerProcess({ city: pack.dir })
  const latency = latencyHistogram()
  const socket = await readingSocket(server.baseUrl, (reading) => latency.recordMs(Date.now() - Date.parse(reading.ts)))
  const crowd = spawnTs('tests/bench/lib/listeners.ts', { URL: server.baseUrl, COUNT: String(DASHBOARDS - 1) })
  const samples: { atS: number; heap: number; rss: number; loopP99Ms: number }[] = []
  let load: ChildProcess | undefined
  try {
    await waitForLine(crowd, /^ready/, 60_000)
    // One reading per station per tick.
    load = spawnTs('simulators/src/cli.ts', {}, ['calm', '--url', server.mqttUrl, '--city', pack.dir, '--rate', String(READINGS_PER_SECOND / STATIONS)])
    const published = waitForLine(load, /done: (\d+) messages acknowledged/, durationMs + 60_000)
    await waitForLine(load, /Ctrl-C to stop/)
    const t0 = Date.now()
    await scrape(server.baseUrl) // starts the first event-loop window
    while (Date.now() - t0 < durationMs) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(SAMPLE_EVERY_MS, durationMs - (Date.now() - t0))))
      const metrics = await scrape(server.baseUrl)
      samples.push({ atS: Math.round((Date.now() - t0) / 1000), heap: metrics.heap, rss: rssBytes(server.pid), loopP99Ms: metrics.loopP99Ms })
      const last = samples.at(-1)!
      log(`${last.atS} s: heap ${mib(last.heap)} MiB, RSS ${mib(last.rss)} MiB, event-loop p99 ${last.loopP99Ms.toFixed(1)} ms, probe received ${latency.count}`)
    }
    await stopProcess(load)
    const acknowledged = Number((await published)[1])
    // Every acknowledged reading is stored before its PUBACK (embedded broker): the count is final now.
    const db = new Database(server.dbFile, { readonly: true })
    // The calm scenario's cameras report too: every acknowledged message is a reading or a camera status.
    const stored = (db.prepare('SELECT (SELECT COUNT(*) FROM readings) + (SELECT COUNT(*) FROM camera_statuses) AS n').get() as { n: number }).n
    db.close()
    // Medians of a minute's samples, since the heap is a GC sawtooth: the reference is 30–60 s into the
    // load (start-up allocations and the JIT done), the end is the last minute.
    const early = samples.filter((s) => s.atS >= 30 && s.atS <= 60)
    const reference = { heap: median(early.map((s) => s.heap)), rss: median(early.map((s) => s.rss)) }
    const lastMinute = samples.filter((s) => s.atS > samples.at(-1)!.atS - 60)
    const last = { heap: median(lastMinute.map((s) => s.heap)), rss: median(lastMinute.map((s) => s.rss)) }
    const minutes = `${durationMs / 60_000} min at ${READINGS_PER_SECOND.toLocaleString('en-US')} readings/s, ${DASHBOARDS} dashboards`
    const worstLoop = Math.max(...samples.map((s) => s.loopP99Ms))
    return [
      { name: 'soak · heap growth', value: mib(last.heap), unit: 'MiB', baseline: mib(reference.heap), ratio: last.heap / reference.heap, note: `${minutes}; median of the last minute vs of 30–60 s` },
      { name: 'soak · RSS growth', value: mib(last.rss), unit: 'MiB', baseline: mib(reference.rss), ratio: last.rss / reference.rss, note: 'median of the last minute vs of 30–60 s' },
      { name: 'soak · event-loop p99 (worst 10 s window)', value: worstLoop, unit: 'ms', note: `median window ${median(samples.map((s) => s.loopP99Ms)).toFixed(1)} ms` },
      { name: 'soak · latency p99', value: latency.percentileMs(99), unit: 'ms', note: `publish → a dashboard's socket, ${latency.count.toLocaleString('en-US')} readings` },
      { name: 'soak · messages stored', value: stored, unit: 'messages', baseline: acknowledged, ratio: stored / acknowledged, target: '= acknowledged', note: `readings and camera statuses; ${acknowledged.toLocaleString('en-US')} acknowledged by the broker` },
    ] satisfies Figure[]
  } finally {
    if (load) await stopProcess(load)
    socket.close()
    await stopProcess(crowd)
    await server.stop()
    rmSync(pack.dir, { recursive: true, force: true })
  }
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

/** The server's event-loop delay p99 since the last scrape (the scrape restarts it), and its heap in use, from /metrics. */
async function scrape(baseUrl: string): Promise<{ heap: number; loopP99Ms: number }> {
  const loopP99Ms = (await readMetric(baseUrl, 'ioc_nodejs_eventloop_lag_p99_seconds')) * 1000
  return { heap: await readMetric(baseUrl, 'ioc_nodejs_heap_size_used_bytes'), loopP99Ms }
}
