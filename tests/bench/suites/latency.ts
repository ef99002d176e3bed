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
 * With a crowd, a second baseline: the same crowd and probes on a bare socket.io relay
 * (lib/socketio-relay.ts: Aedes, socket.io and the IOC's batcher in one process, none of the IOC's
 * own work), all rates before the server's — the floor a push to that many sockets has on this
 * machine, printed as "p99 against the bare relay".
 * Millisecond timestamps: figures under ~1 ms read as 1.
 */
export const latencySuite: Suite = async ({ quick, log }) => {
  const rates = quick ? [100] : [100, 1_000, 5_000]
  // --quick keeps a small crowd, so that the crowd's path and its bare relay run in CI too.
  const crowds = quick ? [1, 10] : [1, 100, 1_000]
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
      const relayed = clients > 1 ? await relayPhase(clients, rates, windowMs, pack.dir, log) : undefined
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
          await loadWindow(bareUrl, pack.dir, rate, windowMs, (on) => (bareRecording = on), () => current.bare.count)
          await loadWindow(server.mqttUrl, pack.dir, rate, windowMs, (on) => (current.recording = on), () => current.probe.count + current.last.count)
          const expected = (rate * windowMs) / 1000
          const { probe, last, bare: base } = current
          if (probe.count === 0 || (lastProbe && last.count === 0)) throw new Error(`the server's probe dashboards received ${probe.count} and ${last.count} readings at ${rate}/s with ${clients} dashboards`)
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
          const relay = relayed?.get(rate)
          if (relay) {
            for (const [which, ours, theirs] of [
              ['first', probe, relay.first],
              ['last', last, relay.last],
            ] as const) {
              figures.push({
                name: `${label} p99${which === 'last' ? ', last dashboard,' : ''} against the bare relay`,
                value: ours.percentileMs(99),
                unit: 'ms',
                baseline: theirs.percentileMs(99),
                ratio: ours.percentileMs(99) / Math.max(theirs.percentileMs(99), 1),
                ...(rate === 1_000 && clients === 1_000 ? { target: '≤ 20 ms' } : {}),
                note: `the bare socket.io relay's ${which} dashboard, same crowd and load (p50 ${theirs.percentileMs(50)} ms, received ${theirs.count})`,
              })
            }
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

/**
 * The crowd's baseline: `clients` dashboards (a crowd process and two probes, connected in the same
 * order as on the server) on a bare socket.io relay with its own broker, the same load at each rate in
 * a window of the same length. Returns the first and last probes' latencies by rate.
 */
async function relayPhase(clients: number, rates: number[], windowMs: number, packDir: string, log: (line: string) => void) {
  const relay = spawnTs('tests/bench/lib/socketio-relay.ts', {})
  const byRate = new Map<number, { first: ReturnType<typeof latencyHistogram>; last: ReturnType<typeof latencyHistogram> }>()
  let crowd: ChildProcess | undefined
  const probes: { close: () => void }[] = []
  try {
    const [, mqttPort, httpPort] = await waitForLine(relay, /^ready (\d+) (\d+)/)
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`
    const baseUrl = `http://127.0.0.1:${httpPort}`
    let current = { first: latencyHistogram(), last: latencyHistogram(), recording: false }
    probes.push(await readingSocket(baseUrl, (reading) => current.recording && current.first.recordMs(Date.now() - Date.parse(reading.ts))))
    crowd = spawnTs('tests/bench/lib/listeners.ts', { URL: baseUrl, COUNT: String(clients - 2) })
    await waitForLine(crowd, /^ready/, 60_000)
    probes.push(await readingSocket(baseUrl, (reading) => current.recording && current.last.recordMs(Date.now() - Date.parse(reading.ts))))
    for (const rate of rates) {
      current = { first: latencyHistogram(), last: latencyHistogram(), recording: false }
      await loadWindow(mqttUrl, packDir, rate, windowMs, (on) => (current.recording = on), () => current.first.count + current.last.count)
      const { first, last } = current
      if (first.count === 0 || last.count === 0) throw new Error(`the bare relay's dashboards received ${first.count} and ${last.count} readings at ${rate}/s: the baseline is broken`)
      log(`bare relay · ${rate.toLocaleString('en-US')}/s · ${clients.toLocaleString('en-US')} clients: p99 ${first.percentileMs(99)} ms (first), ${last.percentileMs(99)} ms (last); received ${first.count}, ${last.count}`)
      byRate.set(rate, { first, last })
    }
  } finally {
    for (const probe of probes) probe.close()
    if (crowd) await stopProcess(crowd)
    await stopProcess(relay)
  }
  return byRate
}

/**
 * `rate` readings/s published at `url`: a short warm-up, then a fixed window with `recording` on;
 * what was sent in it is received after it (drain on `received`).
 */
async function loadWindow(url: string, packDir: string, rate: number, windowMs: number, recording: (on: boolean) => void, received: () => number): Promise<void> {
  const load = await startSteadyLoad(url, packDir, rate / STATIONS)
  await new Promise((resolve) => setTimeout(resolve, 300))
  recording(true)
  await new Promise((resolve) => setTimeout(resolve, windowMs))
  await load.stop()
  await drain(received, 3_000)
  recording(false)
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
