/**
 * History query (issue 3, item 4): 30 days of 1-minute readings for 1 and for 100 stations, then
 * p50/p99 of `GET /api/stations/{id}/readings` for 24 h, 7 d and 30 d ranges with the automatic bucket.
 *
 * The real server starts on an empty data dir (so it creates its own schema); the readings are then
 * bulk-loaded into its SQLite file through a second connection, which WAL allows while the server is
 * idle. One server serves both sizes: station 0 alone first, then the other 99 stations are added.
 * After each load the hourly rollups are brought up to date, as the server's background job keeps them
 * in a running city, so whole-hour buckets read the rollups.
 *
 * Requests are sequential on one keep-alive connection, so they measure latency, not queueing. Each
 * history request is paired with a `GET /api/stations/{id}` on the same station — the same router,
 * validation, one indexed lookup in the same table and a small JSON answer — so the baseline is the
 * fixed cost of an API round trip measured under the same noise, and the ratio shows what the range
 * query and its larger answer add.
 */
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { ReadingsResponse } from '@ioc/shared'
import { createReadingsMaintenance } from '@ioc/server/readings-maintenance'
import { openDatabase } from '@ioc/server/storage'
import { startServerProcess, type ServerProcess } from '../../helpers/processes.ts'
import type { BenchOptions, Figure, Suite } from '../lib/report.ts'
import { latencyHistogram, median } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** A fixed end for the data, so bucket alignment (and so the point counts in the names) is the same every run. */
const DATA_END = Date.UTC(2024, 10, 1)
const TARGET_P50 = '≤ 20 ms'

const RANGES = [
  { label: '24 h', ms: DAY },
  { label: '7 d', ms: 7 * DAY },
  { label: '30 d', ms: 30 * DAY },
] as const

interface Sizes {
  /** Days of 1-minute readings per station. */
  days: number
  /** Stations in the larger database (the smaller one holds one). */
  stations: number
  /** Most measured request pairs per range, and the time that may take. */
  requests: number
  seconds: number
  warmup: number
}

const FULL: Sizes = { days: 30, stations: 100, requests: 400, seconds: 2, warmup: 20 }
const QUICK: Sizes = { days: 2, stations: 5, requests: 20, seconds: 0.3, warmup: 3 }

/** Small seeded PRNG (mulberry32): the same stations and end times every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Writes `days` of 1-minute readings for each station into the server's database, one transaction
 * per station through one prepared statement, with the server's own durability settings.
 * Returns the rows written and the seconds it took (including the final checkpoint).
 */
function bulkLoad(dbFile: string, stationIds: string[], firstIndex: number, days: number): { rows: number; seconds: number } {
  const db = new Database(dbFile)
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
    const insert = db.prepare(
      'INSERT INTO readings (station_id, ts, water_level_cm, rainfall_mm, battery_pct, seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const perStation = days * 24 * 60
    const first = DATA_END - perStation * MINUTE
    const loadStation = db.transaction((stationId: string, index: number) => {
      // Received now, as any import is: the rollup job finds new readings by when they were received.
      const receivedAt = Date.now()
      const random = seededRandom(index + 1)
      const phase = index * 0.7
      for (let i = 0; i < perStation; i++) {
        const ts = first + i * MINUTE
        // Two tides a day around a slowly rising base, with sensor noise; rain in rare showers.
        const level = 120 + 35 * Math.sin((i / 720) * Math.PI + phase) + i / 2000 + random() * 2
        const rain = random() < 0.02 ? Math.round(random() * 80) / 10 : 0
        insert.run(stationId, ts, Math.round(level * 10) / 10, rain, 100 - Math.floor(i / 1000), i, receivedAt)
      }
    })
    const t0 = performance.now()
    stationIds.forEach((id, k) => loadStation(id, firstIndex + k))
    // Leave an empty WAL, so the server reads the main file as it would after any quiet period.
    db.pragma('wal_checkpoint(TRUNCATE)')
    return { rows: stationIds.length * perStation, seconds: (performance.now() - t0) / 1000 }
  } finally {
    db.close()
  }
}

/**
 * What the server's background job does every minute, done at once through the same code, so
 * the loaded month is rolled up as a running city's would be. Returns the seconds it took.
 */
async function rollUp(dataDir: string): Promise<number> {
  const t0 = performance.now()
  const database = await openDatabase({ dataDir })
  try {
    await createReadingsMaintenance(database.db).rollUp()
  } finally {
    await database.close()
  }
  return (performance.now() - t0) / 1000
}

/**
 * Each request comes as a visitor of its own (X-Forwarded-For, believed with IOC_TRUST_PROXY), so
 * the per-address limit of the history route never turns the measure into one of 429s.
 */
let visitors = 0
function nextVisitor(): string {
  const n = ++visitors
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** GET that returns the body once it has fully arrived, and how long that took. */
async function timedGet(url: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now()
  const response = await fetch(url, { headers: { 'x-forwarded-for': nextVisitor() } })
  const body = await response.text()
  const ms = performance.now() - t0
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${body.slice(0, 200)}`)
  return { ms, body }
}

function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
}

/** Measures the three ranges on the stations loaded so far; two figures (p50, p99) per range. */
async function measureRanges(
  server: ServerProcess,
  stationIds: string[],
  sizes: Sizes,
  random: () => number,
  log: BenchOptions['log'],
): Promise<Figure[]> {
  const dataStart = DATA_END - sizes.days * DAY
  const dataEnd = DATA_END - MINUTE
  const pick = () => stationIds[Math.floor(random() * stationIds.length)]!
  // A random end within the data, late enough that the whole range holds data when it fits.
  const endFor = (rangeMs: number) => Math.round(Math.max(dataEnd, dataStart + rangeMs) - random() * Math.max(0, dataEnd - dataStart - rangeMs))
  const historyUrl = (id: string, rangeMs: number) => {
    const to = endFor(rangeMs)
    return `${server.baseUrl}/api/stations/${id}/readings?from=${new Date(to - rangeMs).toISOString()}&to=${new Date(to).toISOString()}`
  }

  // Warm up the route's JIT, its serialisers and SQLite's cache before anything is recorded.
  for (let i = 0; i < sizes.warmup; i++) {
    const id = pick()
    await timedGet(`${server.baseUrl}/api/stations/${id}`)
    await timedGet(historyUrl(id, RANGES[i % RANGES.length]!.ms))
  }

  const stations = stationIds.length === 1 ? '1 station' : `${stationIds.length} stations`
  const figures: Figure[] = []
  for (const range of RANGES) {
    const history = latencyHistogram()
    const baseline = latencyHistogram()
    const buckets: string[] = []
    const points: number[] = []
    const bytes: number[] = []
    const deadline = performance.now() + sizes.seconds * 1000
    for (let i = 0; i < sizes.requests && performance.now() < deadline; i++) {
      const id = pick()
      baseline.recordMs((await timedGet(`${server.baseUrl}/api/stations/${id}`)).ms)
      const { ms, body } = await timedGet(historyUrl(id, range.ms))
      history.recordMs(ms)
      const answer = JSON.parse(body) as ReadingsResponse
      buckets.push(answer.bucket)
      points.push(answer.points.length)
      bytes.push(body.length)
    }
    const bucket = mostCommon(buckets)
    const pts = median(points)
    const mixed = new Set(buckets).size > 1 ? `; buckets seen: ${[...new Set(buckets)].join(', ')}` : ''
    const name = `history · ${stations} · ${range.label} (bucket ${bucket}, ${pts} pts)`
    const note = `${history.count} sequential requests, random stations and ends; baseline GET /api/stations/{id} interleaved; answer ${Math.round(median(bytes) / 1024)} KB${mixed}`
    const p50 = history.percentileMs(50)
    const p99 = history.percentileMs(99)
    const b50 = baseline.percentileMs(50)
    const b99 = baseline.percentileMs(99)
    log(`${name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${history.maxMs().toFixed(1)} ms (baseline p50 ${b50.toFixed(2)}, p99 ${b99.toFixed(2)}; ${history.count} requests)`)
    figures.push(
      { name: `${name} p50`, value: p50, unit: 'ms', baseline: b50, ratio: p50 / b50, target: TARGET_P50, note },
      { name: `${name} p99`, value: p99, unit: 'ms', baseline: b99, ratio: p99 / b99, note },
    )
  }
  return figures
}

export const historySuite: Suite = async ({ quick, log }) => {
  const sizes = quick ? QUICK : FULL
  const pack = syntheticPack(sizes.stations)
  let server: ServerProcess | undefined
  try {
    server = await startServerProcess({ city: pack.dir, env: { IOC_TRUST_PROXY: 'true' } })
    const random = seededRandom(42)
    const [first, ...others] = pack.stationIds
    const figures: Figure[] = []

    const small = bulkLoad(server.dbFile, [first!], 0, sizes.days)
    log(`loaded ${small.rows.toLocaleString('en-US')} readings of 1 station in ${small.seconds.toFixed(1)} s; rolled up in ${(await rollUp(server.dataDir)).toFixed(1)} s`)
    figures.push(...(await measureRanges(server, [first!], sizes, random, log)))

    const large = bulkLoad(server.dbFile, others, 1, sizes.days)
    const rows = small.rows + large.rows
    const seconds = small.seconds + large.seconds
    log(`loaded ${large.rows.toLocaleString('en-US')} more readings (${sizes.stations} stations, ${rows.toLocaleString('en-US')} in all) in ${large.seconds.toFixed(1)} s; rolled up in ${(await rollUp(server.dataDir)).toFixed(1)} s`)
    figures.push(...(await measureRanges(server, pack.stationIds, sizes, random, log)))

    figures.unshift({
      name: `history · bulk load (${sizes.stations} stations × ${sizes.days} d of 1-min readings)`,
      value: rows / seconds,
      unit: 'rows/s',
      note: `informational: ${rows.toLocaleString('en-US')} rows through one prepared INSERT, one transaction per station, WAL + synchronous=NORMAL, beside the idle server`,
    })
    return figures
  } finally {
    await server?.stop()
    rmSync(pack.dir, { recursive: true, force: true })
  }
}
