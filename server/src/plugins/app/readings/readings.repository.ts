import { setImmediate as yieldToIngest } from 'node:timers/promises'
import { sql } from 'kysely'
import type { CameraStatus, FloodReading, LatestReading, ReadingPoint } from '@ioc/shared'
import { openDatabase, type DatabaseLocation } from '../storage/database.ts'
import { migrateToLatest } from '../storage/migrations.ts'
import type { CameraUptimePoint, DeadLetter, ExportRow, NewDeadLetter, Store } from '../storage/database-handle.ts'

/** How many dead letters are kept; older ones are dropped so a misbehaving device cannot fill the disk. */
export const DEAD_LETTER_LIMIT = 10_000
/**
 * How much of a refused payload a dead letter keeps: enough to see what a device sent (the ingest
 * refuses anything larger as `oversized`), while a device's 5 MB publish on an external broker costs
 * the store — and each `GET /api/dead-letters` — 4 KB, not 5 MB. The detail says how big it was.
 */
export const DEAD_LETTER_PAYLOAD_BYTES = 4096
/**
 * How many characters of a dead letter's topic and of its detail are kept: any topic of this IOC fits
 * many times over, while an MQTT topic may be 65,535 bytes and a detail may quote it.
 */
export const DEAD_LETTER_TEXT_CHARS = 1024
const HOUR = 3_600_000
const EXPORT_PAGE = 5_000
/** Rows one pruning statement deletes at most, so ingest waits at most one short statement. */
const PRUNE_BATCH = 5_000
const JOB = { rolledUpReceivedAt: 'rollup.received_at', rolledUpAt: 'rollup.ran_at' } as const
/**
 * Each rollup run looks again at readings received this long before the last run's newest one: a
 * reading stored in the same millisecond, a transaction that committed late, or another server's
 * clock a little behind is never missed. Re-rolling an hour is an idempotent upsert.
 */
const ROLLUP_LOOKBACK_MS = 5 * 60_000

const iso = (ms: number) => new Date(ms).toISOString()

/** The first `chars` UTF-16 units of `text`, never ending on half of a surrogate pair. */
function firstChars(text: string, chars: number): string {
  if (text.length <= chars) return text
  const last = text.charCodeAt(chars - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? chars - 1 : chars)
}

/** A dead letter as it is stored: payload, topic and detail cut to their limits, the detail saying what was cut. */
function keptDeadLetter(letter: NewDeadLetter): { topic: string; payload: Buffer; detail: string } {
  const notes: string[] = []
  const bytes = letter.payload.byteLength
  if (bytes > DEAD_LETTER_PAYLOAD_BYTES) {
    const size = `payload is ${bytes} bytes, limit ${DEAD_LETTER_PAYLOAD_BYTES}`
    // An `oversized` refusal already says so in the same words.
    notes.push(letter.detail.includes(size) ? `first ${DEAD_LETTER_PAYLOAD_BYTES} bytes kept` : `${size}; first ${DEAD_LETTER_PAYLOAD_BYTES} bytes kept`)
  }
  if (letter.topic.length > DEAD_LETTER_TEXT_CHARS) notes.push(`topic is ${letter.topic.length} characters; first ${DEAD_LETTER_TEXT_CHARS} kept`)
  const detail = letter.detail.length > DEAD_LETTER_TEXT_CHARS ? `${firstChars(letter.detail, DEAD_LETTER_TEXT_CHARS)}…` : letter.detail
  return {
    topic: firstChars(letter.topic, DEAD_LETTER_TEXT_CHARS),
    // A copy of the kept part only: the rest of a large payload is not held on to.
    payload: Buffer.from(letter.payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES)),
    detail: [detail, ...notes].join('; '),
  }
}

/** A camera_statuses row as the contract's status, optional fields only when stored. */
function cameraStatusOf(row: { ts: number; state: CameraStatus['state']; fps: number | null; bitrate_kbps: number | null; last_frame_at: string | null; tamper: number | null }): Omit<CameraStatus, 'cameraId'> {
  const status: Omit<CameraStatus, 'cameraId'> = { ts: iso(row.ts), state: row.state }
  if (row.fps !== null) status.fps = row.fps
  if (row.bitrate_kbps !== null) status.bitrateKbps = row.bitrate_kbps
  if (row.last_frame_at !== null) status.lastFrameAt = row.last_frame_at
  if (row.tamper !== null) status.tamper = row.tamper === 1
  return status
}
const hourOf = (ms: number) => ms - (ms % HOUR)

/** Opens (and migrates) the store at `location`: SQLite under a data dir, or PostgreSQL by URL. */
export async function openStore(location: DatabaseLocation): Promise<Store> {
  const store = createKyselyStore(location)
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

function createKyselyStore(location: DatabaseLocation): Store {
  const { db, engine } = openDatabase(location)
  let deadLettersSinceTrim = 0

  const storedJobValue = async (name: string) => (await db.selectFrom('job_state').select('value').where('name', '=', name).executeTakeFirst())?.value ?? null
  const jobValue = async (name: string) => (await storedJobValue(name)) ?? 0
  const setJobValue = async (name: string, value: number) => {
    await db
      .insertInto('job_state')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute()
  }

  const trimDeadLetters = () =>
    db
      .deleteFrom('dead_letters')
      .where('id', '<=', (eb) => eb.selectFrom('dead_letters').select(sql<number>`max(id) - ${DEAD_LETTER_LIMIT}`.as('cutoff')))
      .execute()

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
    engine,
    db,
    async migrate() {
      await migrateToLatest(db, engine)
      await trimDeadLetters()
    },

    async insertReading(r: FloodReading, tsMs: number) {
      const result = await db
        .insertInto('readings')
        .values({
          station_id: r.stationId,
          ts: tsMs,
          water_level_cm: r.waterLevelCm,
          rainfall_mm: r.rainfallMm ?? null,
          battery_pct: r.batteryPct ?? null,
          seq: r.seq ?? null,
          received_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    },

    async insertReadings(batch) {
      const receivedAt = Date.now()
      let inserted = 0
      await db.transaction().execute(async (trx) => {
        // 500 rows a statement stays well inside both engines' limits on bound parameters.
        for (let i = 0; i < batch.length; i += 500) {
          const result = await trx
            .insertInto('readings')
            .values(
              batch.slice(i, i + 500).map(({ reading: r, tsMs }) => ({
                station_id: r.stationId,
                ts: tsMs,
                water_level_cm: r.waterLevelCm,
                rainfall_mm: r.rainfallMm ?? null,
                battery_pct: r.batteryPct ?? null,
                seq: r.seq ?? null,
                received_at: receivedAt,
              })),
            )
            .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
            .executeTakeFirst()
          inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
        }
      })
      return inserted
    },

    async insertCameraStatus(s: CameraStatus, tsMs: number) {
      const result = await db
        .insertInto('camera_statuses')
        .values({
          camera_id: s.cameraId,
          ts: tsMs,
          state: s.state,
          fps: s.fps ?? null,
          bitrate_kbps: s.bitrateKbps ?? null,
          last_frame_at: s.lastFrameAt ?? null,
          tamper: s.tamper === undefined ? null : Number(s.tamper),
          received_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['camera_id', 'ts']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    },

    async latestReadings(stationIds) {
      const out = new Map<string, LatestReading>()
      for (const id of stationIds) {
        const row = await db
          .selectFrom('readings')
          .select(['ts', 'water_level_cm', 'rainfall_mm', 'battery_pct'])
          .where('station_id', '=', id)
          .orderBy('ts', 'desc')
          .limit(1)
          .executeTakeFirst()
        if (!row) continue
        const latest: LatestReading = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
        if (row.rainfall_mm !== null) latest.rainfallMm = row.rainfall_mm
        if (row.battery_pct !== null) latest.batteryPct = row.battery_pct
        out.set(id, latest)
      }
      return out
    },

    async receivedSince(fromMs, limit) {
      const readingRows = await db
        .selectFrom('readings')
        .select(['station_id', 'ts', 'water_level_cm', 'rainfall_mm', 'battery_pct', 'seq', 'received_at'])
        .where('received_at', '>=', fromMs)
        .orderBy('received_at')
        .limit(limit)
        .execute()
      const statusRows = await db
        .selectFrom('camera_statuses')
        .select(['camera_id', 'ts', 'state', 'fps', 'bitrate_kbps', 'last_frame_at', 'tamper', 'received_at'])
        .where('received_at', '>=', fromMs)
        .orderBy('received_at')
        .limit(limit)
        .execute()
      return {
        readings: readingRows.map((row) => {
          const reading: FloodReading = { stationId: row.station_id, ts: iso(row.ts), waterLevelCm: row.water_level_cm }
          if (row.rainfall_mm !== null) reading.rainfallMm = row.rainfall_mm
          if (row.battery_pct !== null) reading.batteryPct = row.battery_pct
          if (row.seq !== null) reading.seq = row.seq
          return { item: reading, receivedAtMs: row.received_at }
        }),
        cameraStatuses: statusRows.map((row) => ({ item: { cameraId: row.camera_id, ...cameraStatusOf(row) }, receivedAtMs: row.received_at })),
      }
    },

    jobValue: storedJobValue,
    setJobValue,

    async latestCameraStatuses(cameraIds) {
      const out = new Map<string, Omit<CameraStatus, 'cameraId'>>()
      for (const id of cameraIds) {
        const row = await db
          .selectFrom('camera_statuses')
          .select(['ts', 'state', 'fps', 'bitrate_kbps', 'last_frame_at', 'tamper'])
          .where('camera_id', '=', id)
          .orderBy('ts', 'desc')
          .limit(1)
          .executeTakeFirst()
        if (row) out.set(id, cameraStatusOf(row))
      }
      return out
    },

    async readings(stationId, fromMs, toMs, bucketMs) {
      if (bucketMs === 0) {
        const rows = await db
          .selectFrom('readings')
          .select(['ts', 'water_level_cm', 'rainfall_mm'])
          .where('station_id', '=', stationId)
          .where('ts', '>=', fromMs)
          .where('ts', '<=', toMs)
          .orderBy('ts')
          .execute()
        return rows.map((row) => {
          const point: ReadingPoint = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
          if (row.rainfall_mm !== null) point.rainfallMm = row.rainfall_mm
          return point
        })
      }
      // Whole-hour buckets read the rollups for hours they cover completely, raw readings for the rest
      // (the range's first partial hour, and hours since the last rollup run).
      let rows
      if (bucketMs % HOUR === 0) {
        const rolledUntil = Math.min(hourOf(await jobValue(JOB.rolledUpAt)), hourOf(toMs + 1))
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

    async countReadings(stationId, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER) {
      let query = db.selectFrom('readings').select(sql<number>`count(*)`.as('n'))
      if (stationId !== undefined) query = query.where('station_id', '=', stationId).where('ts', '>=', fromMs).where('ts', '<=', toMs)
      return Number((await query.executeTakeFirstOrThrow()).n)
    },

    async countReadingsUpTo(stationId, fromMs, toMs, limit) {
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

    async *exportReadings(stationId, fromMs, toMs) {
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

    async cameraUptime(cameraId, fromMs, toMs, bucketMs) {
      const bucket = bucketMs > 0 ? bucketMs : HOUR
      const rows = await db
        .selectFrom('camera_statuses')
        .select([
          sql<number>`ts - (ts % ${sql.lit(bucket)})`.as('bucket'),
          sql<number>`count(*)`.as('reports'),
          sql<number>`sum(case when state = 'online' then 1 else 0 end)`.as('online'),
          sql<number>`sum(case when state = 'degraded' then 1 else 0 end)`.as('degraded'),
          sql<number>`sum(case when state = 'offline' then 1 else 0 end)`.as('offline'),
        ])
        .where('camera_id', '=', cameraId)
        .where('ts', '>=', fromMs)
        .where('ts', '<=', toMs)
        .groupBy(sql`ts - (ts % ${sql.lit(bucket)})`)
        .orderBy('bucket')
        .execute()
      return rows.map(
        (row): CameraUptimePoint => ({
          ts: iso(Number(row.bucket)),
          reports: Number(row.reports),
          online: Number(row.online),
          degraded: Number(row.degraded),
          offline: Number(row.offline),
        }),
      )
    },

    async rollUp() {
      const since = await jobValue(JOB.rolledUpReceivedAt)
      const ranAt = Date.now()
      const newest = (await db.selectFrom('readings').select(sql<number | null>`max(received_at)`.as('m')).executeTakeFirstOrThrow()).m
      if (newest === null) {
        await setJobValue(JOB.rolledUpAt, ranAt)
        return 0
      }
      // Every (station, hour) that received a reading since the last run, late arrivals included.
      const touched = await db
        .selectFrom('readings')
        .select(['station_id', sql<number>`ts - (ts % ${sql.lit(HOUR)})`.as('hour')])
        .where('received_at', '>=', since - ROLLUP_LOOKBACK_MS)
        .where('received_at', '<=', newest)
        .groupBy(['station_id', sql`ts - (ts % ${sql.lit(HOUR)})`])
        .orderBy('station_id')
        .orderBy('hour')
        .execute()
      // One statement per run of consecutive hours: live, that is the current hour of each station;
      // after an import or a sensor's late upload, a whole stretch at once.
      let written = 0
      for (const { stationId, from, to, hours } of hourRuns(touched)) {
        await sql`
          INSERT INTO readings_hourly (station_id, hour_ts, count, sum_cm, min_cm, max_cm, rain_mm)
          SELECT station_id, ts - (ts % ${sql.lit(HOUR)}), count(*), sum(water_level_cm), min(water_level_cm), max(water_level_cm), sum(rainfall_mm)
          FROM readings WHERE station_id = ${stationId} AND ts >= ${from} AND ts < ${to}
          GROUP BY station_id, ts - (ts % ${sql.lit(HOUR)})
          ON CONFLICT (station_id, hour_ts) DO UPDATE SET
            count = excluded.count, sum_cm = excluded.sum_cm, min_cm = excluded.min_cm,
            max_cm = excluded.max_cm, rain_mm = excluded.rain_mm`.execute(db)
        written += hours
        await yieldToIngest()
      }
      await setJobValue(JOB.rolledUpReceivedAt, newest)
      await setJobValue(JOB.rolledUpAt, ranAt)
      return written
    },

    async prune(cutoffMs) {
      // Raw readings go only once the rollups hold their hour.
      const readingsCutoff = Math.min(cutoffMs, hourOf(await jobValue(JOB.rolledUpAt)))
      let readings = 0
      let cameraStatuses = 0
      const stations = await db.selectFrom('readings').select('station_id').distinct().where('ts', '<', readingsCutoff).execute()
      for (const { station_id } of stations) {
        for (;;) {
          const oldest = await db.selectFrom('readings').select('ts').where('station_id', '=', station_id).where('ts', '<', readingsCutoff).orderBy('ts').offset(PRUNE_BATCH - 1).limit(1).executeTakeFirst()
          const upTo = oldest ? oldest.ts + 1 : readingsCutoff
          const result = await db.deleteFrom('readings').where('station_id', '=', station_id).where('ts', '<', upTo).executeTakeFirst()
          readings += Number(result.numDeletedRows)
          await yieldToIngest()
          if (!oldest) break
        }
      }
      const result = await db.deleteFrom('camera_statuses').where('ts', '<', cutoffMs).executeTakeFirst()
      cameraStatuses += Number(result.numDeletedRows)
      return { readings, cameraStatuses }
    },

    async recordDeadLetter(letter: NewDeadLetter) {
      // Cut here, so every caller (the ingest, the embedded broker's refusals) is held to the limits.
      const kept = keptDeadLetter(letter)
      await db
        .insertInto('dead_letters')
        .values({ received_at: letter.receivedAtMs, topic: kept.topic, payload: kept.payload, reason: letter.reason, detail: kept.detail })
        .execute()
      if (++deadLettersSinceTrim >= 100) {
        deadLettersSinceTrim = 0
        await trimDeadLetters()
      }
    },

    async deadLetters(limit) {
      const rows = await db.selectFrom('dead_letters').selectAll().orderBy('id', 'desc').limit(limit).execute()
      return rows.map(
        (row): DeadLetter => ({
          id: Number(row.id),
          receivedAt: iso(row.received_at),
          topic: row.topic,
          payloadBase64: Buffer.from(row.payload).toString('base64'),
          reason: row.reason,
          detail: row.detail,
        }),
      )
    },

    async ping() {
      await sql`SELECT 1`.execute(db)
    },

    async close() {
      await db.destroy()
    },
  }
}

/** Consecutive touched hours of a station joined into [from, to) runs. Rows sorted by station, hour. */
function hourRuns(rows: { station_id: string; hour: number }[]): { stationId: string; from: number; to: number; hours: number }[] {
  const runs: { stationId: string; from: number; to: number; hours: number }[] = []
  for (const row of rows) {
    const hour = Number(row.hour)
    const last = runs.at(-1)
    if (last && last.stationId === row.station_id && last.to === hour) {
      last.to = hour + HOUR
      last.hours++
    } else {
      runs.push({ stationId: row.station_id, from: hour, to: hour + HOUR, hours: 1 })
    }
  }
  return runs
}

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
