import { sql, type Kysely } from 'kysely'
import type { FloodReading, LatestReading, ReadingPoint } from '@ioc/shared'
import type { Database } from '../storage/database.ts'
import { createBatchInsert } from '../storage/batch-insert.ts'
import { createJobStateRepository } from '../storage/job-state.repository.ts'
import { HOUR, hourOf, lastRollUpAt } from './readings-maintenance.ts'

/** One stored reading as an export writes it: every field, absent ones as null. */
export interface ExportRow {
  ts: string
  waterLevelCm: number
  rainfallMm: number | null
  batteryPct: number | null
  seq: number | null
}

/** A stored observation and when the server that stored it received it. */
export interface Received<T> {
  item: T
  receivedAtMs: number
}

const EXPORT_PAGE = 5_000

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * The readings table, and readings_hourly for the history of long ranges (written by
 * readings-maintenance.ts). Writes are idempotent on (station, ts): a redelivery is stored once.
 */
/** A reading as a `readings` row: absent fields as null. */
function readingRow(r: FloodReading, tsMs: number, receivedAt: number) {
  return { station_id: r.stationId, ts: tsMs, water_level_cm: r.waterLevelCm, rainfall_mm: r.rainfallMm ?? null, battery_pct: r.batteryPct ?? null, seq: r.seq ?? null, received_at: receivedAt }
}

/** A (station or camera, ts) key: the primary key of an observation row. */
const rowKey = (id: string, tsMs: number) => `${id}\u0000${tsMs}`

/**
 * Per item of a batch, whether it was new: its (id, ts) is among the rows the insert returned, and no
 * earlier item of the batch had the same key (that one was stored; a later one is its duplicate).
 */
export function newInBatch(batch: readonly { id: string; tsMs: number }[], inserted: readonly { id: string; ts: number }[]): boolean[] {
  // Each row returned is a different item of the batch: as many rows as items, every item was new —
  // nearly every group commit, which then builds no keys.
  if (inserted.length === batch.length) return batch.map(() => true)
  const keys = new Set(inserted.map((row) => rowKey(row.id, Number(row.ts))))
  // delete() is true once per key.
  return batch.map(({ id, tsMs }) => keys.delete(rowKey(id, tsMs)))
}

export function createReadingsRepository(db: Kysely<Database>) {
  const jobState = createJobStateRepository(db)
  const insertRows = createBatchInsert(db, (rows: ReturnType<typeof readingRow>[]) =>
    db
      .insertInto('readings')
      .values(rows)
      .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
      .returning(['station_id', 'ts']),
  )

  /** avg/min/max per bucket straight from raw readings in [fromMs, toMs]. */
  const rawBuckets = (stationId: string, fromMs: number, toMs: number, bucketMs: number) =>
    db
      .selectFrom('readings')
      .select([
        sql<number>`ts - (ts % ${sql.lit(bucketMs)})`.as('bucket'),
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(water_level_cm)`.as('sum'),
        sql<number>`min(water_level_cm)`.as('min'),
        sql<number>`max(water_level_cm)`.as('max'),
        sql<number | null>`sum(rainfall_mm)`.as('rain'),
      ])
      .where('station_id', '=', stationId)
      .where('ts', '>=', fromMs)
      .where('ts', '<=', toMs)
      .groupBy(sql`ts - (ts % ${sql.lit(bucketMs)})`)
      .execute()

  /** The same from the hourly rollups (bucketMs a whole number of hours), for hours in [fromMs, untilMs). */
  const rolledUpBuckets = (stationId: string, fromMs: number, untilMs: number, bucketMs: number) =>
    db
      .selectFrom('readings_hourly')
      .select([
        sql<number>`hour_ts - (hour_ts % ${sql.lit(bucketMs)})`.as('bucket'),
        sql<number>`sum(count)`.as('n'),
        sql<number>`sum(sum_cm)`.as('sum'),
        sql<number>`min(min_cm)`.as('min'),
        sql<number>`max(max_cm)`.as('max'),
        sql<number | null>`sum(rain_mm)`.as('rain'),
      ])
      .where('station_id', '=', stationId)
      .where('hour_ts', '>=', fromMs)
      .where('hour_ts', '<', untilMs)
      .groupBy(sql`hour_ts - (hour_ts % ${sql.lit(bucketMs)})`)
      .execute()

  return {
    /** Stores a reading; false when (station, ts) was already stored (a redelivery). */
    async insert(r: FloodReading, tsMs: number): Promise<boolean> {
      const result = await db
        .insertInto('readings')
        .values(readingRow(r, tsMs, Date.now()))
        .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    },

    /**
     * Stores readings in one statement (the ingest's group commit: one commit, one fsync, for all of
     * them); per reading, whether it was new. False for a (station, ts) already stored, or stored by an
     * earlier reading of the same batch: a redelivery is stored once however it arrives. Atomic: a
     * reading the store refuses stores none of them.
     */
    async insertBatch(batch: readonly { reading: FloodReading; tsMs: number }[]): Promise<boolean[]> {
      if (batch.length === 0) return []
      const receivedAt = Date.now()
      const { rows } = await insertRows.run(batch.map(({ reading, tsMs }) => readingRow(reading, tsMs, receivedAt)))
      return newInBatch(
        batch.map(({ reading, tsMs }) => ({ id: reading.stationId, tsMs })),
        rows.map((row) => ({ id: row.station_id, ts: row.ts })),
      )
    },

    /** Stores many readings in one transaction (history imports, backfills); returns how many were new. */
    async insertMany(batch: readonly { reading: FloodReading; tsMs: number }[]): Promise<number> {
      const receivedAt = Date.now()
      let inserted = 0
      await db.transaction().execute(async (trx) => {
        // 500 rows a statement stays well inside both engines' limits on bound parameters.
        for (let i = 0; i < batch.length; i += 500) {
          const result = await trx
            .insertInto('readings')
            .values(
              batch.slice(i, i + 500).map(({ reading, tsMs }) => readingRow(reading, tsMs, receivedAt)),
            )
            .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
            .executeTakeFirst()
          inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
        }
      })
      return inserted
    },

    /**
     * Marks a stored reading suspect, or not (the next reading confirmed it): the alarm engine's
     * verdict, kept with the reading so the dashboard, the history and an engine started later see it.
     */
    async markSuspect(stationId: string, tsMs: number, suspect: boolean): Promise<void> {
      await db
        .updateTable('readings')
        .set({ suspect: suspect ? 1 : null })
        .where('station_id', '=', stationId)
        .where('ts', '=', tsMs)
        .execute()
    },

    /** The newest reading of each of these stations that has one. */
    async latest(stationIds: readonly string[]): Promise<Map<string, LatestReading>> {
      const out = new Map<string, LatestReading>()
      for (const id of stationIds) {
        const row = await db
          .selectFrom('readings')
          .select(['ts', 'water_level_cm', 'rainfall_mm', 'battery_pct', 'suspect'])
          .where('station_id', '=', id)
          .orderBy('ts', 'desc')
          .limit(1)
          .executeTakeFirst()
        if (!row) continue
        const latest: LatestReading = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
        if (row.rainfall_mm !== null) latest.rainfallMm = row.rainfall_mm
        if (row.battery_pct !== null) latest.batteryPct = row.battery_pct
        if (row.suspect) latest.suspect = true
        out.set(id, latest)
      }
      return out
    },

    /**
     * Readings received at or after `fromMs` (the storing server's clock), oldest received first, at
     * most `limit`: with camera statuses', the alarm leader's feed when several instances ingest.
     */
    async receivedSince(fromMs: number, limit: number): Promise<Received<FloodReading>[]> {
      const rows = await db
        .selectFrom('readings')
        .select(['station_id', 'ts', 'water_level_cm', 'rainfall_mm', 'battery_pct', 'seq', 'received_at'])
        .where('received_at', '>=', fromMs)
        .orderBy('received_at')
        .limit(limit)
        .execute()
      return rows.map((row) => {
        const reading: FloodReading = { stationId: row.station_id, ts: iso(row.ts), waterLevelCm: row.water_level_cm }
        if (row.rainfall_mm !== null) reading.rainfallMm = row.rainfall_mm
        if (row.battery_pct !== null) reading.batteryPct = row.battery_pct
        if (row.seq !== null) reading.seq = row.seq
        return { item: reading, receivedAtMs: row.received_at }
      })
    },

    /** Points in [fromMs, toMs], oldest first: raw when bucketMs is 0, else avg/min/max per bucket. */
    async points(stationId: string, fromMs: number, toMs: number, bucketMs: number): Promise<ReadingPoint[]> {
      if (bucketMs === 0) {
        const rows = await db
          .selectFrom('readings')
          .select(['ts', 'water_level_cm', 'rainfall_mm', 'suspect'])
          .where('station_id', '=', stationId)
          .where('ts', '>=', fromMs)
          .where('ts', '<=', toMs)
          .orderBy('ts')
          .execute()
        return rows.map((row) => {
          const point: ReadingPoint = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
          if (row.rainfall_mm !== null) point.rainfallMm = row.rainfall_mm
          if (row.suspect) point.suspect = true
          return point
        })
      }
      // Whole-hour buckets read the rollups for hours they cover completely, raw readings for the rest
      // (the range's first partial hour, and hours since the last rollup run).
      let rows
      if (bucketMs % HOUR === 0) {
        const rolledUntil = Math.min(hourOf(await lastRollUpAt(jobState)), hourOf(toMs + 1))
        const firstWholeHour = fromMs % HOUR === 0 ? fromMs : hourOf(fromMs) + HOUR
        if (rolledUntil > firstWholeHour) {
          const head = firstWholeHour > fromMs ? await rawBuckets(stationId, fromMs, firstWholeHour - 1, bucketMs) : []
          const middle = await rolledUpBuckets(stationId, firstWholeHour, rolledUntil, bucketMs)
          const tail = await rawBuckets(stationId, rolledUntil, toMs, bucketMs)
          rows = mergeBuckets([...head, ...middle, ...tail])
        }
      }
      rows ??= await rawBuckets(stationId, fromMs, toMs, bucketMs)
      return rows
        .sort((a, b) => a.bucket - b.bucket)
        .map((row) => {
          const avg = row.sum / row.n
          const point: ReadingPoint = { ts: iso(row.bucket), waterLevelCm: avg, avg, min: row.min, max: row.max }
          if (row.rain !== null) point.rainfallMm = row.rain
          return point
        })
    },

    /** Readings stored: all, one station's, or one station's within [fromMs, toMs]. */
    async count(stationId?: string, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): Promise<number> {
      let query = db.selectFrom('readings').select(sql<number>`count(*)`.as('n'))
      if (stationId !== undefined) query = query.where('station_id', '=', stationId).where('ts', '>=', fromMs).where('ts', '<=', toMs)
      return Number((await query.executeTakeFirstOrThrow()).n)
    },

    /** Like count for one station's range, but stops counting at `limit`: enough to choose a bucket. */
    async countUpTo(stationId: string, fromMs: number, toMs: number, limit: number): Promise<number> {
      const row = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('readings')
            .select(sql<number>`1`.as('one'))
            .where('station_id', '=', stationId)
            .where('ts', '>=', fromMs)
            .where('ts', '<=', toMs)
            .limit(limit)
            .as('capped'),
        )
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** Every raw reading of a station in [fromMs, toMs], oldest first, read in pages: for exports of any size. */
    async *export(stationId: string, fromMs: number, toMs: number): AsyncIterable<ExportRow> {
      // Keyset pages: each page is one short read, so an export never holds the database for long.
      let after = fromMs - 1
      for (;;) {
        const page = await db
          .selectFrom('readings')
          .select(['ts', 'water_level_cm', 'rainfall_mm', 'battery_pct', 'seq'])
          .where('station_id', '=', stationId)
          .where('ts', '>', after)
          .where('ts', '<=', toMs)
          .orderBy('ts')
          .limit(EXPORT_PAGE)
          .execute()
        for (const row of page) {
          yield { ts: iso(row.ts), waterLevelCm: row.water_level_cm, rainfallMm: row.rainfall_mm, batteryPct: row.battery_pct, seq: row.seq } satisfies ExportRow
        }
        if (page.length < EXPORT_PAGE) return
        after = page[page.length - 1]!.ts
      }
    },
  }
}
export type ReadingsRepository = ReturnType<typeof createReadingsRepository>

type BucketRow = { bucket: number; n: number; sum: number; min: number; max: number; rain: number | null }

/** Joins bucket rows from several sources that may share a bucket (a partial hour at an edge). */
function mergeBuckets(rows: BucketRow[]): BucketRow[] {
  const byBucket = new Map<number, BucketRow>()
  for (const raw of rows) {
    const row = { bucket: Number(raw.bucket), n: Number(raw.n), sum: Number(raw.sum), min: Number(raw.min), max: Number(raw.max), rain: raw.rain === null ? null : Number(raw.rain) }
    const seen = byBucket.get(row.bucket)
    if (!seen) {
      byBucket.set(row.bucket, row)
      continue
    }
    seen.n += row.n
    seen.sum += row.sum
    seen.min = Math.min(seen.min, row.min)
    seen.max = Math.max(seen.max, row.max)
    seen.rain = seen.rain === null && row.rain === null ? null : (seen.rain ?? 0) + (row.rain ?? 0)
  }
  return [...byBucket.values()]
}
