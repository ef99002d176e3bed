import { rmSync } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import { bareSubscriber, readingSocket } from '../lib/counting.ts'
import { startSteadyLoad } from '../lib/load.ts'
import { spawnTs, startServerProcess, stopProcess, waitForLine } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { latencyHistogram } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const STATIONS = 10

/**
 * End-to-end latency: `pnpm sim calm` publishes at a fixed rate (one reading per station per tick,
 * stamped with the wall clock when sent); a probe dashboard socket records publish → receipt while
 * the other dashboards, in their own process, receive the same pushes. The probe connects first, and
 * the server writes a push to a room's sockets in the order they joined: it is the first written to.
 * With a crowd, a second probe connects after it — the last written to — and records the same,
 * printed as "last dashboard"; the crowd and the two probes make `clients` dashboards. Baseline: the same
 * load received by a bare MQTT subscriber on a bare Aedes (built as the embedded broker is), in a
 * window of its own just before — only the server's ingest may subscribe to its own broker.
 * Millisecond timestamps: figures under ~1 ms read as 1.
 */
export const latencySuite: Suite = async ({ quick, log }) => {
  const rates = quick ? [100] : [100, 1_000, 5_000]
  const crowds = quick ? [1] : [1, 100, 1_000]
  const windowMs = quick ? 1_000 : 1_500
  const pack = syntheticPack(STATIONS)
  const server = await startServerProcess({ city: pack.dir })
  const figures: Figure[] = []
  let current = { probe: latencyHistogram(), last: latencyHistogram(), bare: latencyHistogram(), recording: false }
  const socket = await readingSocket(server.baseUrl, (reading) => {
    if (current.recording) current.probe.recordMs(Date.now() - Date.parse(reading.ts))
  })
  const aedes = spawnTs('tests/bench/lib/aedes-broker.ts', { PORT: '0' })
  const [, aedesPort] = await waitForLine(aedes, /^ready (\d+)/)
  const bareUrl = `mqtt://127.0.0.1:${aedesPort}`
  let bareRecording = false
  const bare = await bareSubscriber(bareUrl, (payload) => {
    if (bareRecording) current.bare.recordMs(Date.now() - Date.parse((JSON.parse(payload.toString()) as { ts: string }).ts))
  })
  try {
    for (const clients of crowds) {
      let crowd: ChildProcess | undefined
      let lastProbe: Awaited<ReturnType<typeof readingSocket>> | undefined
      if (clients > 1) {
        // The crowd and the two probes make `clients` dashboards.
        crowd = spawnTs('tests/bench/lib/listeners.ts', { URL: server.baseUrl, COUNT: String(clients - 2) })
        await waitForLine(crowd, /^ready/, 60_000)
        lastProbe = await readingSocket(server.baseUrl, (reading) => {
          if (current.recording) current.last.recordMs(Date.now() - Date.parse(reading.ts))
        })
      }
      try {
        for (const rate of rates) {
          current = { probe: latencyHistogram(), last: latencyHistogram(), bare: latencyHistogram(), recording: false }
          const bareLoad = await startSteadyLoad(bareUrl, pack.dir, rate / STATIONS)
          await new Promise((resolve) => setTimeout(resolve, 300))
          bareRecording = true
          await new Promise((resolve) => setTimeout(resolve, windowMs))
          await bareLoad.stop()
          await drain(() => current.bare.count, 3_000)
          bareRecording = false
          const load = await startSteadyLoad(server.mqttUrl, pack.dir, rate / STATIONS)
          // A short warm-up, then a fixed window; what was sent in it is received after it (drain).
          await new Promise((resolve) => setTimeout(resolve, 300))
          current.recording = true
          await new Promise((resolve) => setTimeout(resolve, windowMs))
          await load.stop()
          await drain(() => current.probe.count + current.last.count, 3_000)
          current.recording = false
          const expected = (rate * windowMs) / 1000
          const { probe, last, bare: base } = current
          const label = `latency · ${rate.toLocaleString('en-US')}/s · ${clients.toLocaleString('en-US')} client${clients > 1 ? 's' : ''}`
          const note = `probe received ${probe.count} (≈ ${Math.round(expected)} sent in the window); bare MQTT max ${base.maxMs().toFixed(1)} ms`
          log(`${label}: p50 ${probe.percentileMs(50)} ms, p99 ${probe.percentileMs(99)} ms, max ${probe.maxMs()} ms; ${note}`)
          for (const [stat, value, baseline] of [
            ['p50', probe.percentileMs(50), base.percentileMs(50)],
            ['p99', probe.percentileMs(99), base.percentileMs(99)],
            ['max', probe.maxMs(), base.maxMs()],
          ] as const) {
            figures.push({
              name: `${label} ${stat}`,
              value,
              unit: 'ms',
              baseline,
              ratio: value / Math.max(baseline, 1),
              ...(stat === 'p99' && rate === 1_000 && clients === 1_000 ? { target: '≤ 20 ms' } : {}),
              ...(stat === 'p99' ? { note } : {}),
            })
          }
          if (lastProbe) {
            log(`${label}, last dashboard: p50 ${last.percentileMs(50)} ms, p99 ${last.percentileMs(99)} ms, max ${last.maxMs()} ms; received ${last.count}`)
            figures.push({
              name: `${label} p99, last dashboard`,
              value: last.percentileMs(99),
              unit: 'ms',
              baseline: base.percentileMs(99),
              ratio: last.percentileMs(99) / Math.max(base.percentileMs(99), 1),
              ...(rate === 1_000 && clients === 1_000 ? { target: '≤ 20 ms' } : {}),
              note: `the dashboard the server writes each push to last (connected after the other ${clients - 1}); received ${last.count}`,
            })
          }
        }
      } finally {
        lastProbe?.close()
        if (crowd) await stopProcess(crowd)
      }
    }
  } finally {
    socket.close()
    await bare.close()
    await stopProcess(aedes)
    await server.stop()
    rmSync(pack.dir, { recursive: true, force: true })
  }
  return figures
}

/** Waits until `count()` has not grown for 200 ms, or `maxMs` has passed. */
async function drain(count: () => number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs
  let last = -1
  while (Date.now() < deadline && count() !== last) {
    last = count()
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
