import { sql, type Kysely } from 'kysely'
import type { AlarmType } from '@ioc/shared'
import type { Database } from '../storage/database.ts'
import type { LevelPoint } from './reading-window.ts'

/** An hour of a station's readings as readings-maintenance rolled it up. */
export interface HourSummary {
  hourTs: number
  count: number
  maxCm: number
}

export interface ReportAlarmRow {
  id: number
  type: string
  source_kind: 'station' | 'camera'
  source_id: string
  area_id: string
  state: 'active' | 'acknowledged' | 'cleared'
  raised_at: number
  cleared_at: number | null
}

export interface ReportTransitionRow {
  alarm_id: number
  at: number
  kind: string
  level: number | null
  actor: string | null
  note: string | null
}

/** Alarms a report lists at most: far beyond any storm, it bounds what one request may read. */
export const MAX_REPORT_ALARMS = 5_000

/**
 * The storm report's SQL, read-only, over the tables the readings and the alarms write: a station's
 * water levels in a window (and the one reading before it), its hourly rollups where raw readings are
 * gone, and the alarms open during the window with every transition of them.
 */
export function createReportsRepository(db: Kysely<Database>) {
  return {
    /** Levels in [fromMs, toMs), oldest first, with the alarm engine's verdict: only the columns the report needs. */
    async levels(stationId: string, fromMs: number, toMs: number): Promise<(LevelPoint & { suspect: boolean })[]> {
      const rows = await db
        .selectFrom('readings')
        .select(['ts', 'water_level_cm', 'suspect'])
        .where('station_id', '=', stationId)
        .where('ts', '>=', fromMs)
        .where('ts', '<', toMs)
        .orderBy('ts')
        .execute()
      return rows.map((row) => ({ ts: Number(row.ts), cm: row.water_level_cm, suspect: Boolean(row.suspect) }))
    },

    /** The newest reading before `beforeMs`, no older than `notBeforeMs`: what the water stood at as the window opened. */
    async levelBefore(stationId: string, beforeMs: number, notBeforeMs: number): Promise<LevelPoint | null> {
      const row = await db
        .selectFrom('readings')
        .select(['ts', 'water_level_cm'])
        .where('station_id', '=', stationId)
        .where('ts', '<', beforeMs)
        .where('ts', '>=', notBeforeMs)
        .where('suspect', 'is', null)
        .orderBy('ts', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row ? { ts: Number(row.ts), cm: row.water_level_cm } : null
    },

    /** Hourly rollups of hours starting in [fromMs, untilMs), oldest first. */
    async hours(stationId: string, fromMs: number, untilMs: number): Promise<HourSummary[]> {
      const rows = await db
        .selectFrom('readings_hourly')
        .select(['hour_ts', 'count', 'max_cm'])
        .where('station_id', '=', stationId)
        .where('hour_ts', '>=', fromMs)
        .where('hour_ts', '<', untilMs)
        .orderBy('hour_ts')
        .execute()
      return rows.map((row) => ({ hourTs: Number(row.hour_ts), count: Number(row.count), maxCm: row.max_cm }))
    },

    /** Alarms of these types open at some moment of [fromMs, toMs): raised before its end, not cleared before its start. */
    async alarmsDuring(fromMs: number, toMs: number, types: readonly AlarmType[]): Promise<ReportAlarmRow[]> {
      if (types.length === 0) return []
      return db
        .selectFrom('alarms')
        .select(['id', 'type', 'source_kind', 'source_id', 'area_id', 'state', 'raised_at', 'cleared_at'])
        .where('type', 'in', types)
        .where('raised_at', '<', toMs)
        .where((eb) => eb.or([eb('cleared_at', 'is', null), eb('cleared_at', '>=', fromMs)]))
        .orderBy('raised_at')
        .orderBy('id')
        .limit(MAX_REPORT_ALARMS)
        .execute()
    },

    /** Every transition of these alarms, in the order they happened. */
    async transitionsOf(alarmIds: readonly number[]): Promise<ReportTransitionRow[]> {
      if (alarmIds.length === 0) return []
      const rows: ReportTransitionRow[] = []
      // A few hundred ids a statement stays inside both engines' limits on bound parameters.
      for (let i = 0; i < alarmIds.length; i += 500) {
        rows.push(
          ...(await db
            .selectFrom('alarm_transitions')
            .select(['alarm_id', 'at', 'kind', 'level', 'actor', 'note'])
            .where('alarm_id', 'in', alarmIds.slice(i, i + 500))
            .orderBy(sql`id`)
            .execute()),
        )
      }
      return rows.map((row) => ({ ...row, alarm_id: Number(row.alarm_id), at: Number(row.at) }))
    },
  }
}
export type ReportsRepository = ReturnType<typeof createReportsRepository>
