import { afterEach, describe, expect, it } from 'vitest'
import { loadCityPack } from '@ioc/shared/city-packs'
import { planReadings, startPublisher } from './lib/publisher.ts'
import { createRestartableServer } from './lib/server-process.ts'
import { openStoredReadings } from './lib/stored-readings.ts'

/**
 * Issue #7, shutdown on SIGTERM: stop taking messages, finish in-flight writes, close sockets, exit —
 * within a bound. With the embedded broker a PUBACK means "stored", so what the publisher saw
 * acknowledged must be in the store once the process is gone; the rest arrives after the restart.
 */

const READINGS = 10_000
const WINDOW = 100
/** close-with-grace gives the close 10 s (server.ts); the process must be gone soon after. */
const EXIT_BOUND_MS = 12_000
const stationIds = loadCityPack('tam-ky').stations.map((s) => s.id)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  const errors: unknown[] = []
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch((error: unknown) => errors.push(error))
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed')
})

describe('shutdown on SIGTERM', () => {
  it('exits 0 within the bound with every acknowledged reading stored, and loses nothing across the restart', async () => {
    const server = await createRestartableServer()
    cleanups.push(() => server.dispose())
    await server.start()
    const store = openStoredReadings(server.dbFile)
    cleanups.push(() => store.close())
    const plan = planReadings(READINGS, stationIds)
    const publisher = await startPublisher({ url: server.publishUrl, clientId: 'reliability-shutdown', readings: plan, window: WINDOW })
    cleanups.push(() => publisher.close())

    // Mid-stream: the publisher keeps its window full, so writes are in flight when the signal comes.
    await store.reach(READINGS * 0.3, 60_000)
    const disconnected = new Promise<void>((resolve) => publisher.client.once('close', () => resolve()))
    const exit = await server.terminate()
    console.log(`SIGTERM with ${store.count()} stored: exit code ${exit.code} after ${Math.round(exit.ms)} ms`)
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(exit.ms).toBeLessThan(EXIT_BOUND_MS)

    // Once the publisher's connection is closed it has read every PUBACK the server sent.
    await disconnected
    const acknowledged = new Set(publisher.acked)
    const atExit = store.compare(plan)
    expect(atExit.unexpected).toEqual([])
    expect(atExit.missing.filter((seq) => acknowledged.has(seq))).toEqual([])
    console.log(`at exit: ${acknowledged.size} acknowledged, ${atExit.stored} stored (${atExit.stored - acknowledged.size} stored but not acknowledged)`)

    // The restarted server gets the rest: the publisher resends what was not acknowledged.
    await server.start()
    await publisher.done
    const final = store.compare(plan)
    expect(final.missing).toEqual([])
    expect(final.unexpected).toEqual([])
    expect(final.stored).toBe(READINGS)
    const counters = await server.counters()
    console.log(`after the restart: published ${publisher.acked.size} (PUBLISH packets ${publisher.stats.sent}), stored ${final.stored}, duplicates counted ${counters.duplicates}`)
    // Stored but unacknowledged at exit: each comes back once, as a duplicate.
    expect(counters.duplicates).toBe(atExit.stored - acknowledged.size)
    expect(counters.stored).toBe(READINGS - atExit.stored)
  })
})
