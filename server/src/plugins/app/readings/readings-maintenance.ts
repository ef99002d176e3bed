import { setImmediate as yieldToIngest } from 'node:timers/promises'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../storage/database.ts'
import { createJobStateRepository, type JobStateRepository } from '../storage/job-state.repository.ts'

export const HOUR = 3_600_000
export const hourOf = (ms: number) => ms - (ms % HOUR)

/** Rows one pruning statement deletes at most, so ingest waits at most one short statement. */
const PRUNE_BATCH = 5_000
/** Where the rollup job keeps its progress (job_state). */
const JOB = { rolledUpReceivedAt: 'rollup.received_at', rolledUpAt: 'rollup.ran_at' } as const
/**
 * Each rollup run looks again at readings received this long before the last run's newest one: a
 * reading stored in the same millisecond, a transaction that committed late, or another server's
 * clock a little behind is never missed. Re-rolling an hour is an idempotent upsert.
 */
const ROLLUP_LOOKBACK_MS = 5 * 60_000

/** When the last rollup run started (0 before the first): hours before it are in readings_hourly. */
export const lastRollUpAt = async (jobState: JobStateRepository): Promise<number> => (await jobState.get(JOB.rolledUpAt)) ?? 0

/** The background upkeep of readings and camera statuses: hourly rollups, and retention. */
export function createReadingsMaintenance(db: Kysely<Database>) {
  const jobState = createJobStateRepository(db)
  return {
    /**
     * Brings the hourly rollups up to date with every reading received since the last run, late ones
     * included. Returns how many (station, hour) rollups were (re)written.
     */
    async rollUp(): Promise<number> {
      const since = (await jobState.get(JOB.rolledUpReceivedAt)) ?? 0
      const ranAt = Date.now()
      const newest = (await db.selectFrom('readings').select(sql<number | null>`max(received_at)`.as('m')).executeTakeFirstOrThrow()).m
      if (newest === null) {
        await jobState.set(JOB.rolledUpAt, ranAt)
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
      await jobState.set(JOB.rolledUpReceivedAt, newest)
      await jobState.set(JOB.rolledUpAt, ranAt)
      return written
    },

    /**
     * Deletes raw readings and camera statuses older than `cutoffMs` — readings only once their hour is
     * rolled up — in small batches, so ingest never waits long. Returns how many rows went.
     */
    async prune(cutoffMs: number): Promise<{ readings: number; cameraStatuses: number }> {
      // Raw readings go only once the rollups hold their hour.
      const readingsCutoff = Math.min(cutoffMs, hourOf(await lastRollUpAt(jobState)))
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
  }
}
export type ReadingsMaintenance = ReturnType<typeof createReadingsMaintenance>

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

export interface MaintenanceSchedule {
  maintenance: ReadingsMaintenance
  /** Several instances: the leader alone runs it, so rollups are not computed twice at once. */
  isLeader(): boolean
  /** Days raw readings and camera statuses are kept (IOC_RETENTION_DAYS); hourly rollups stay. */
  retentionDays: number
  everyMs: number
  log: { debug(detail: object, message: string): void; error(detail: object, message: string): void }
}

/** Runs rollUp then prune every `everyMs`, one run at a time; `stop` waits for the run under way. */
export function scheduleReadingsMaintenance({ maintenance, isLeader, retentionDays, everyMs, log }: MaintenanceSchedule): { stop(): Promise<void> } {
  let running: Promise<void> | undefined
  const maintain = () => {
    if (!isLeader()) return
    running ??= (async () => {
      const rolledUp = await maintenance.rollUp()
      const pruned = await maintenance.prune(Date.now() - retentionDays * 86_400_000)
      if (rolledUp > 0 || pruned.readings > 0 || pruned.cameraStatuses > 0) log.debug({ rolledUp, pruned }, 'storage maintenance')
    })()
      .catch((error: unknown) => log.error({ err: error }, 'storage maintenance failed; retrying at the next run'))
      .finally(() => (running = undefined))
  }
  const timer = setInterval(maintain, everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
