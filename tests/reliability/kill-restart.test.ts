import { afterEach, describe, expect, it } from 'vitest'
import { loadCityPack } from '@ioc/shared/city-packs'
import { startMosquitto } from '../helpers/mosquitto.ts'
import { waitUntilIngesting } from './lib/ingest-probe.ts'
import { planReadings, startPublisher, type Publisher } from './lib/publisher.ts'
import { createRestartableServer, type RestartableServer } from './lib/server-process.ts'
import { openStoredReadings } from './lib/stored-readings.ts'

/**
 * Issue #7: 20,000 QoS 1 readings published while the server is killed with SIGKILL twice and started
 * again (and, with Mosquitto, the broker restarted once). Every reading must be stored exactly once.
 * Real processes, a private Mosquitto, the server's SQLite file read by the test itself.
 */

const READINGS = 20_000
/** The publisher's unacknowledged publishes, at most: also the most one interruption can redeliver. */
const WINDOW = 100
/**
 * Most readings a kill of the server may have Mosquitto deliver again: those stored but whose PUBACK
 * Mosquitto had not read when the connection died. The ingest holds at most its window (INGEST_WINDOW,
 * 64) unacknowledged; what Mosquitto had not read of the PUBACKs already sent grows with the ingest's
 * rate — a SIGKILLed process's socket still holding unread messages is reset, and Mosquitto drops what
 * it had not read of it. Measured: 0–55 per kill when the ingest stored one message at a time
 * (~5k/s); whole windows since it stores a window at once (~15k/s) — 0 to 704 (11 windows) in 22
 * kills (11 runs), with and without stress-ng beside.
 * Well below the 5,000 readings stored between two interruptions: an ingest that stopped acknowledging
 * would have them all delivered again.
 */
const KILL_REDELIVERY = 1_000
const INGEST_CLIENT_ID = 'ioc-reliability-ingest'
const PUBLISHER_CLIENT_ID = 'reliability-publisher'
const pack = loadCityPack('tam-ky')
const stationIds = pack.stations.map((s) => s.id)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  // Whatever failed, every process this test started is stopped and every temp dir removed.
  const errors: unknown[] = []
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch((error: unknown) => errors.push(error))
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed')
})

/**
 * A run against one server: starts it, reads its store, kills and restarts it, and adds up the
 * duplicates each of its processes counted (a process's counters start at 0 and die with it).
 */
async function startRun(server: RestartableServer) {
  const t0 = performance.now()
  await server.start()
  const store = openStoredReadings(server.dbFile)
  cleanups.push(() => store.close())
  // Per server process: rows already stored when it started, duplicates it counted.
  const lifetimes = [{ storedBeforeStart: 0, duplicates: 0 }]
  // A killed process cannot be asked afterwards, and asking just before the kill would delay it (the
  // server answers HTTP late while it drains a backlog): its counters are sampled meanwhile. Its
  // redeliveries come first, right after its start, so the last sample holds them.
  let sampling = false
  const sampler = setInterval(() => {
    if (sampling) return
    sampling = true
    const lifetime = lifetimes.at(-1)!
    server.counters().then(
      (counters) => ((lifetime.duplicates = counters.duplicates), (sampling = false)),
      () => (sampling = false),
    )
  }, 250)
  cleanups.push(() => clearInterval(sampler))
  let publisher: Publisher | undefined
  // The current process's readiness. Not awaited after a restart: while it drains a Mosquitto backlog the
  // server answers HTTP late, so /readyz might only answer after the drain, and the next kill must land
  // mid-drain.
  let ready = Promise.resolve()
  const note = (what: string) =>
    console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${what}: stored ${store.count()}, acknowledged to the publisher ${publisher?.acked.size ?? 0}`)
  return {
    store,
    note,
    watch(p: Publisher) {
      publisher = p
    },
    async killAndRestart() {
      await server.kill()
      // A process killed before it answered /readyz: its start did not fail, it was cut short.
      await ready.catch(() => undefined)
      note('server killed (SIGKILL)')
      lifetimes.push({ storedBeforeStart: store.count(), duplicates: 0 })
      ready = server.start()
      ready.then(
        () => note('server ready again'),
        () => undefined,
      )
    },
    /** The last process's counters (complete: it is never killed), duplicates summed over all of them. */
    async finish() {
      await ready
      clearInterval(sampler)
      const last = lifetimes.at(-1)!
      const counters = await server.counters()
      last.duplicates = counters.duplicates
      return {
        ...counters,
        storedBeforeStart: last.storedBeforeStart,
        duplicates: lifetimes.reduce((n, l) => n + l.duplicates, 0),
        /** Per server process, in order: the first one's are the broker restart's, each later one's its kill's. */
        duplicatesPerProcess: lifetimes.map((l) => l.duplicates),
      }
    },
  }
}

describe('kill and restart under load', () => {
  it('stores 20,000 readings exactly once through Mosquitto while the server is killed twice and Mosquitto restarted', async () => {
    const t0 = performance.now()
    // Persistence on: Mosquitto writes the ingest's session (its subscription and queued readings) on
    // SIGTERM and reads it back, as a production broker does.
    const mosquitto = await startMosquitto({ persistence: true })
    cleanups.push(() => mosquitto.stop())
    const server = await createRestartableServer({ mqttUrl: mosquitto.url, ingestClientId: INGEST_CLIENT_ID })
    cleanups.push(() => server.dispose())
    const run = await startRun(server)
    await waitUntilIngesting(mosquitto.url, pack.cameras[0]!.id, run.store)

    const plan = planReadings(READINGS, stationIds)
    const publisher = await startPublisher({ url: server.publishUrl, clientId: PUBLISHER_CLIENT_ID, readings: plan, window: WINDOW })
    cleanups.push(() => publisher.close())
    run.watch(publisher)
    // Fractions of the readings *stored*: Mosquitto acknowledges the publisher long before the ingest
    // catches up, so each interruption lands while the server is ingesting.
    // The broker restart comes first, so that the first server process counts its redeliveries and each
    // later process those of the kill before its start.
    await run.store.reach(READINGS * 0.25, 60_000)
    await mosquitto.restart()
    // Counted once the broker is down: every reading stored before the connection died is in it.
    const storedAtBrokerRestart = run.store.count()
    run.note('Mosquitto restarted (SIGTERM, persistence)')
    await run.store.reach(READINGS * 0.5, 60_000)
    await run.killAndRestart()
    await run.store.reach(READINGS * 0.75, 60_000)
    await run.killAndRestart()

    await withDeadline(publisher.done, 60_000, () => `the publisher has ${publisher.acked.size} of ${READINGS} acknowledged`)
    await run.store.reach(READINGS, 60_000)
    const counters = await run.finish()
    const result = run.store.compare(plan)
    report('Mosquitto', publisher, result.stored, counters.duplicates, t0)
    console.log(`duplicates per server process (broker restart, then each kill): ${counters.duplicatesPerProcess.join(', ')}`)

    expect(result.missing).toEqual([])
    expect(result.unexpected).toEqual([])
    expect(result.stored).toBe(READINGS)
    // The last server process's own count of what it stored agrees with the table.
    expect(counters.stored).toBe(READINGS - counters.storedBeforeStart)
    expect(counters.rejected).toBe(0)
    // A duplicate is a redelivery of a reading stored but whose PUBACK the broker had not read when a
    // connection died. After a kill, that is the group being stored and the PUBACKs still unread;
    // the interruptions are those observed, not assumed: on a busy machine a keepalive may lapse and cut
    // the connection once more than the kills did.
    const ingestInterruptions = mosquitto.connections(INGEST_CLIENT_ID) - 1
    const publisherInterruptions = mosquitto.connections(PUBLISHER_CLIENT_ID) - 1
    expect(ingestInterruptions, 'two kills and a broker restart each cut the ingest').toBeGreaterThanOrEqual(3)
    const [atBrokerRestart = 0, ...afterKills] = counters.duplicatesPerProcess
    expect(afterKills.reduce((n, d) => n + d, 0)).toBeLessThanOrEqual((ingestInterruptions - 1) * KILL_REDELIVERY)
    // A broker restart is bounded by no window: Mosquitto 2.0.11 puts every queued message in flight at
    // once, whatever max_inflight_messages says (measured: 18,700 unacknowledged towards one MQTT 5
    // subscriber, with a limit of 100), and a SIGTERM saves as unacknowledged every PUBACK it had not read:
    // 150–450 on this machine, 1,030 once in CI. Each is a reading stored before the restart, stored once
    // and counted — or one the publisher sent again when it reconnected.
    expect(atBrokerRestart).toBeLessThanOrEqual(storedAtBrokerRestart + publisherInterruptions * WINDOW)
  })

  it('stores 20,000 readings exactly once through the embedded broker while the server (and so the broker) is killed twice', async () => {
    const t0 = performance.now()
    const server = await createRestartableServer()
    cleanups.push(() => server.dispose())
    const run = await startRun(server)

    const plan = planReadings(READINGS, stationIds)
    // Killing the server kills the broker, and Aedes keeps sessions in memory: the restarted broker
    // knows nothing of this client (CONNACK sessionPresent false). What covers the readings in flight
    // is the client's own outgoing store: mqtt.js 5 (client.js `_onConnect`) replays every
    // unacknowledged QoS 1 publish from it on each reconnect, whatever sessionPresent says, and keeps
    // that store across reconnects (it is only emptied after an explicit end(), or on a forced close
    // with clean: true and reconnectPeriod 0). The gateway credential is in the data dir's store, so
    // the restarted broker accepts the same login.
    const publisher = await startPublisher({ url: server.publishUrl, clientId: 'reliability-gateway', readings: plan, window: WINDOW })
    cleanups.push(() => publisher.close())
    run.watch(publisher)
    await run.store.reach(READINGS * 0.25, 60_000)
    await run.killAndRestart()
    await run.store.reach(READINGS * 0.55, 60_000)
    await run.killAndRestart()

    await withDeadline(publisher.done, 60_000, () => `the publisher has ${publisher.acked.size} of ${READINGS} acknowledged`)
    // With the embedded broker a PUBACK follows the commit: everything acknowledged is already stored.
    expect(run.store.count()).toBe(READINGS)
    const counters = await run.finish()
    const result = run.store.compare(plan)
    report('embedded broker', publisher, result.stored, counters.duplicates, t0)

    expect(result.missing).toEqual([])
    expect(result.unexpected).toEqual([])
    expect(result.stored).toBe(READINGS)
    expect(counters.stored).toBe(READINGS - counters.storedBeforeStart)
    expect(counters.rejected).toBe(0)
    // At most the publisher's window is resent per reconnection (two kills; one more if a keepalive
    // lapsed on a busy machine); only those stored before the connection died count.
    expect(publisher.stats.reconnected, 'each kill cut the publisher').toBeGreaterThanOrEqual(2)
    expect(counters.duplicates).toBeLessThanOrEqual(publisher.stats.reconnected * WINDOW)
  })
})

function report(broker: string, publisher: Publisher, stored: number, duplicates: number, t0: number): void {
  const { sent, reconnects, reconnected, republished } = publisher.stats
  console.log(
    `${broker}: published ${publisher.acked.size} (PUBLISH packets ${sent}, reconnection attempts ${reconnects}, reconnected ${reconnected}, republished ${republished}), ` +
      `stored ${stored}, duplicates counted by the server ${duplicates}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
}

/** `promise`, or a failure saying how far things got after `ms` (the publisher waits on other processes). */
async function withDeadline<T>(promise: Promise<T>, ms: number, progress: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not done within ${ms / 1000} s: ${progress()}`)), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}
