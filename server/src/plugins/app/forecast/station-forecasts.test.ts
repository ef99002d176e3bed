import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FloodForecast, LatestReading, ReadingPoint } from '@ioc/shared'
import { createStationForecasts } from './station-forecasts.ts'

const MINUTE = 60_000
const T0 = Date.parse('2025-10-30T07:00:00Z')
const LEVELS = { bd1: 170, bd2: 220, bd3: 270 }

/** A store holding one station's readings, counting the queries made of it. */
function fakeStore() {
  const readings: ReadingPoint[] = []
  const store = {
    readings,
    queries: 0,
    rangeQueries: 0,
    add(minutes: number, cm: number, suspect = false) {
      readings.push({ ts: new Date(T0 + minutes * MINUTE).toISOString(), waterLevelCm: cm, ...(suspect && { suspect: true }) })
    },
    latest: async (ids: readonly string[]) => {
      store.queries++
      const newest = readings.at(-1)
      return new Map<string, LatestReading>(newest ? ids.map((id) => [id, { ts: newest.ts, waterLevelCm: newest.waterLevelCm }]) : [])
    },
    readingsBetween: async (_id: string, fromMs: number, toMs: number) => {
      store.rangeQueries++
      return readings.filter((r) => Date.parse(r.ts) >= fromMs && Date.parse(r.ts) <= toMs)
    },
  }
  return store
}

afterEach(() => {
  vi.useRealTimers()
})

describe('station forecasts', () => {
  it('computes from the store, leaves suspect readings out, and withholds a forecast whose time has passed', async () => {
    const store = fakeStore()
    for (let m = -60; m <= 0; m += 5) store.add(m, 196 + (m / 60) * 24)
    let now = T0 + MINUTE
    const forecasts = createStationForecasts({ ...store, levelsOf: () => LEVELS, changed: () => {}, now: () => now })
    expect((await forecasts.forStations(['s'])).get('s')).toEqual({ level: 2, at: '2025-10-30T08:00:00.000Z', minutes: 60, ratePerHour: 24 })

    // A spike the alarm engine holds as suspect does not bend the line.
    store.add(1, 400, true)
    expect((await forecasts.forStations(['s'], new Map([['s', { ts: new Date(T0).toISOString(), waterLevelCm: 196 }]]))).get('s')).toMatchObject({ minutes: 60 })

    now = T0 + 61 * MINUTE
    expect((await forecasts.forStations(['s'], new Map([['s', { ts: new Date(T0).toISOString(), waterLevelCm: 196 }]]))).get('s')).toBeNull()
  })

  it('asks the store again only for a station with a newer reading, new levels, or a reading judged here', async () => {
    const store = fakeStore()
    for (let m = -60; m <= 0; m += 5) store.add(m, 196 + (m / 60) * 24)
    let levels = LEVELS
    const forecasts = createStationForecasts({ ...store, levelsOf: () => levels, changed: () => {}, now: () => T0 + MINUTE })
    const first = await forecasts.forStations(['s'])
    expect(await forecasts.forStations(['s'])).toEqual(first)
    expect(store.rangeQueries).toBe(1)

    store.add(5, 199)
    expect((await forecasts.forStations(['s'])).get('s')).toMatchObject({ level: 2 })
    expect(store.rangeQueries).toBe(2)

    levels = { bd1: 170, bd2: 240, bd3: 290 }
    expect((await forecasts.forStations(['s'])).get('s')).toMatchObject({ level: 2 })
    expect(store.rangeQueries).toBe(3)

    // A verdict on a reading already stored (suspect after all): the next request asks the store.
    void forecasts.touch('s')
    await forecasts.idle()
    const queriesAfterTouch = store.rangeQueries
    await forecasts.forStations(['s'])
    expect(store.rangeQueries).toBe(queriesAfterTouch)
    expect(queriesAfterTouch).toBe(4)
  })

  it('passes on a change once, and coalesces a burst of readings into one more computation', async () => {
    vi.useFakeTimers({ now: T0 })
    const store = fakeStore()
    for (let m = -60; m <= 0; m += 5) store.add(m, 196 + (m / 60) * 24)
    const changes: Array<FloodForecast | null> = []
    const forecasts = createStationForecasts({ ...store, levelsOf: () => LEVELS, changed: (_id, f) => changes.push(f) })

    await forecasts.touch('s')
    expect(changes).toHaveLength(1)
    expect(store.queries).toBe(1)

    // Ten readings within the interval: one computation after it, not ten.
    const burst = Array.from({ length: 10 }, () => forecasts.touch('s'))
    await vi.advanceTimersByTimeAsync(2_000)
    await Promise.all(burst)
    expect(store.queries).toBe(2)
    // Nothing changed: nothing passed on.
    expect(changes).toHaveLength(1)

    // The water turns: withdrawn.
    for (let m = 2; m <= 8; m += 2) store.add(m, 196 - m * 2)
    const turned = forecasts.touch('s')
    await vi.advanceTimersByTimeAsync(2_000)
    await turned
    expect(changes).toEqual([expect.objectContaining({ level: 2 }), null])
  })

  it('spaces the computations of a station by how many readings the last one read, and stops waiting on close', async () => {
    vi.useFakeTimers({ now: T0 })
    const store = fakeStore()
    // A hundred readings a minute for the last hour: each computation reads 6,001, so the next waits
    // 6,001 × 2 ms ≈ 12 s instead of the 2 s minimum.
    for (let i = -6000; i <= 0; i++) store.add(i / 100, 196 + (i / 6000) * 24)
    const forecasts = createStationForecasts({ ...store, levelsOf: () => LEVELS, changed: () => {} })
    await forecasts.touch('s')
    expect(store.rangeQueries).toBe(1)

    const next = forecasts.touch('s')
    await vi.advanceTimersByTimeAsync(2_000)
    expect(store.rangeQueries).toBe(1)
    await vi.advanceTimersByTimeAsync(9_000)
    expect(store.rangeQueries).toBe(1)
    await vi.advanceTimersByTimeAsync(1_100)
    await next
    expect(store.rangeQueries).toBe(2)

    // A computation waiting for its turn when the server stops: dropped at once, nothing read.
    const waiting = forecasts.touch('s')
    await forecasts.close()
    await waiting
    expect(store.rangeQueries).toBe(2)
  })
})
