import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import mqtt from 'mqtt'
import pg from 'pg'
import { startMosquitto } from '../../helpers/mosquitto.ts'
import { freshPostgresSchema } from '../../helpers/postgres.ts'
import { ArrivalCounter, bareSubscriber, readingSocket } from '../lib/counting.ts'
import { runLoad } from '../lib/load.ts'
import { spawnTs, startServerProcess, stopProcess, waitForLine } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { median } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const SENSORS = 100

/**
 * Ingest throughput: the simulators' `load` scenario publishes QoS 1 readings from SENSORS virtual
 * stations over 10 connections, as fast as the broker acknowledges them. The figure is readings/s that arrived at a dashboard's socket (each one
 * validated and stored first), checked against a COUNT(*) of the store; the baseline is a bare mqtt.js
 * subscriber that only counts, on the same broker in the same run. Both rates are measured at the
 * receiving end, between the first and the last arrival. Median of the rounds, each side after a round
 * of its own that is not counted: a process's first round runs code the JIT has not compiled yet
 * (the server's was ~25 % slower than its next), which a server taking readings for days never does.
 */
export const ingestSuite: Suite = async ({ quick, log }) => {
  const readings = quick ? 1_000 : 15_000
  const rounds = quick ? 1 : 3
  // Not in a quick run, which only proves the suite works.
  const warmUps = quick ? 0 : 1
  const pack = syntheticPack(SENSORS)
  // A Mosquitto of the bench's own with the settings docs/devices-and-mqtt.md ("Using Mosquitto") asks for: the machine's one on 1883 keeps
  // Mosquitto's default queue of 1000 messages per client and drops the rest of a burst.
  const mosquitto = await startMosquitto()
  // The baseline for the embedded figures: Aedes alone, built as the server's embedded broker is.
  const aedes = spawnTs('tests/bench/lib/aedes-broker.ts', { PORT: '0' })
  const [, aedesPort] = await waitForLine(aedes, /^ready (\d+)/)
  const setups = [
    { name: 'embedded broker · SQLite', url: undefined, baselineUrl: `mqtt://127.0.0.1:${aedesPort}`, postgres: false, target: '≥ 0.8× baseline' },
    { name: 'Mosquitto · SQLite', url: mosquitto.url, baselineUrl: mosquitto.url, postgres: false, target: '≥ 0.8× baseline' },
    { name: 'embedded broker · PostgreSQL', url: undefined, baselineUrl: `mqtt://127.0.0.1:${aedesPort}`, postgres: true, target: '≥ 0.5× baseline' },
    // A quick run only proves the suite works, within its 30 s: the default setup. The integration
    // tests cover the Mosquitto and PostgreSQL paths themselves.
  ].filter((setup, i) => !quick || i === 0)
  const figures: Figure[] = []
  try {
    for (const broker of setups) {
      // PostgreSQL commits every reading durably on its own (serial ingest), ~250/s here: fewer readings
      // keep the run within its time bound.
      const count = broker.postgres ? Math.round(readings / 7) : readings
      // Baseline rounds first: on Mosquitto a running server would ingest the baseline's readings too.
      const baseline: number[] = []
      for (let round = 1 - warmUps; round <= rounds; round++) {
        const rate = await bareRate(broker.baselineUrl, pack.dir, count)
        if (round >= 1) baseline.push(rate)
      }
      const ingestClientId = `ioc-bench-${process.pid}-${Date.now()}`
      const postgres = broker.postgres ? await freshPostgresSchema() : undefined
      const server = await startServerProcess({
        city: pack.dir,
        ...(broker.url ? { mqttUrl: broker.url, ingestClientId } : {}),
        ...(postgres ? { dbUrl: postgres.url } : {}),
      })
      // Counted in the store itself, not by anything the server reports.
      const sqlite = postgres ? undefined : new Database(server.dbFile, { readonly: true })
      const pgClient = postgres ? new pg.Client({ connectionString: postgres.url }) : undefined
      await pgClient?.connect()
      const storedCount = async () =>
        sqlite
          ? (sqlite.prepare('SELECT COUNT(*) AS n FROM readings').get() as { n: number }).n
          : Number((await pgClient!.query<{ n: string }>('SELECT COUNT(*) AS n FROM readings')).rows[0]!.n)
      const rates: number[] = []
      const notes = new Set<string>()
      try {
        for (let round = 1 - warmUps; round <= rounds; round++) {
          // Every round publishes new (station, ts) pairs, so the store grows by `count` each time.
          const before = await storedCount()
          const rate = await serverRate(server.baseUrl, server.mqttUrl, pack.dir, count)
          const stored = (await storedCount()) - before
          const name = round >= 1 ? `round ${round}` : 'warm-up round'
          if (stored !== count) notes.add(`${name} stored ${stored} of ${count}`)
          if (round >= 1) rates.push(rate)
          log(`${broker.name} ${name}: ${round >= 1 ? `bare subscriber ${Math.round(baseline[round - 1]!)}/s, ` : ''}server ${Math.round(rate)}/s, stored ${stored}/${count}`)
        }
      } finally {
        sqlite?.close()
        await pgClient?.end()
        await server.stop()
        await postgres?.drop()
        if (broker.url) {
          // Drop the persistent session the ingest left on the broker.
          const purge = await mqtt.connectAsync(broker.url, { clientId: ingestClientId, clean: true, reconnectPeriod: 0 })
          await purge.endAsync()
        }
      }
      const value = median(rates)
      const base = median(baseline)
      figures.push({
        name: `ingest · ${broker.name}`,
        value,
        unit: 'readings/s',
        baseline: base,
        ratio: value / base,
        target: broker.target,
        note: [
          `${count.toLocaleString('en-US')} QoS 1 readings from ${SENSORS} stations over 10 connections, median of ${rounds}${warmUps ? ` after a warm-up round each` : ''}${broker.url ? '; Mosquitto 2 with README settings, own instance' : '; baseline: Aedes alone'}${broker.postgres ? '; PostgreSQL on 127.0.0.1, a schema of its own' : ''}`,
          ...notes,
        ].join('; '),
      })
    }
  } finally {
    await stopProcess(aedes)
    await mosquitto.stop()
    rmSync(pack.dir, { recursive: true, force: true })
  }
  return figures
}

/** Readings/s a bare subscriber receives while the load runs. */
async function bareRate(url: string, packDir: string, count: number): Promise<number> {
  const arrivals = new ArrivalCounter()
  const subscriber = await bareSubscriber(url, () => arrivals.arrive())
  try {
    const timeoutMs = 20_000 + count
    await Promise.all([runLoad(url, packDir, count, timeoutMs), arrivals.reach(count, timeoutMs)])
    return arrivals.rate()
  } finally {
    await subscriber.close()
  }
}

/** Readings/s a dashboard's socket receives from the server while the load runs (each stored first). */
async function serverRate(baseUrl: string, mqttUrl: string, packDir: string, count: number): Promise<number> {
  const arrivals = new ArrivalCounter()
  const socket = await readingSocket(baseUrl, () => arrivals.arrive())
  try {
    const timeoutMs = 20_000 + 2 * count
    await Promise.all([runLoad(mqttUrl, packDir, count, timeoutMs), arrivals.reach(count, timeoutMs)])
    return arrivals.rate()
  } finally {
    socket.close()
  }
}
