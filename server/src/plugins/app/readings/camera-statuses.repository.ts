import { sql, type Kysely } from 'kysely'
import type { CameraStatus } from '@ioc/shared'
import { createBatchInsert } from '../storage/batch-insert.ts'
import type { Database } from '../storage/database.ts'
import { HOUR } from './readings-maintenance.ts'
import { newInBatch, type Received } from './readings.repository.ts'

export interface CameraUptimePoint {
  ts: string
  reports: number
  online: number
  degraded: number
  offline: number
}

const iso = (ms: number) => new Date(ms).toISOString()

/** A camera_statuses row as the contract's status, optional fields only when stored. */
function cameraStatusOf(row: { ts: number; state: CameraStatus['state']; fps: number | null; bitrate_kbps: number | null; last_frame_at: string | null; tamper: number | null }): Omit<CameraStatus, 'cameraId'> {
  const status: Omit<CameraStatus, 'cameraId'> = { ts: iso(row.ts), state: row.state }
  if (row.fps !== null) status.fps = row.fps
  if (row.bitrate_kbps !== null) status.bitrateKbps = row.bitrate_kbps
  if (row.last_frame_at !== null) status.lastFrameAt = row.last_frame_at
  if (row.tamper !== null) status.tamper = row.tamper === 1
  return status
}

/** A status as a `camera_statuses` row: absent fields as null. */
function cameraStatusRow(s: CameraStatus, tsMs: number, receivedAt: number) {
  return {
    camera_id: s.cameraId,
    ts: tsMs,
    state: s.state,
    fps: s.fps ?? null,
    bitrate_kbps: s.bitrateKbps ?? null,
    last_frame_at: s.lastFrameAt ?? null,
    tamper: s.tamper === undefined ? null : Number(s.tamper),
    received_at: receivedAt,
  }
}

/** The camera_statuses table: each camera's reports, idempotent on (camera, ts). */
export function createCameraStatusesRepository(db: Kysely<Database>) {
  const insertRows = createBatchInsert(db, (rows: ReturnType<typeof cameraStatusRow>[]) =>
    db
      .insertInto('camera_statuses')
      .values(rows)
      .onConflict((oc) => oc.columns(['camera_id', 'ts']).doNothing())
      .returning(['camera_id', 'ts']),
  )
  return {
    /** Stores a camera status; false when (camera, ts) was already stored. */
    async insert(s: CameraStatus, tsMs: number): Promise<boolean> {
      const result = await db
        .insertInto('camera_statuses')
        .values(cameraStatusRow(s, tsMs, Date.now()))
        .onConflict((oc) => oc.columns(['camera_id', 'ts']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    },

    /** Stores camera statuses in one statement; per status, whether it was new (as ReadingsRepository.insertBatch). */
    async insertBatch(batch: readonly { status: CameraStatus; tsMs: number }[]): Promise<boolean[]> {
      if (batch.length === 0) return []
      const receivedAt = Date.now()
      const { rows } = await insertRows.run(batch.map(({ status, tsMs }) => cameraStatusRow(status, tsMs, receivedAt)))
      return newInBatch(
        batch.map(({ status, tsMs }) => ({ id: status.cameraId, tsMs })),
        rows.map((row) => ({ id: row.camera_id, ts: row.ts })),
      )
    },

    /** The newest status of each of these cameras that has one. */
    async latest(cameraIds: readonly string[]): Promise<Map<string, Omit<CameraStatus, 'cameraId'>>> {
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

    /** Camera reports per bucket and state, oldest first: uptime = online / reports. */
    async uptime(cameraId: string, fromMs: number, toMs: number, bucketMs: number): Promise<CameraUptimePoint[]> {
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

    /**
     * Camera statuses received at or after `fromMs` (the storing server's clock), oldest received
     * first, at most `limit`: with readings', the alarm leader's feed when several instances ingest.
     */
    async receivedSince(fromMs: number, limit: number): Promise<Received<CameraStatus>[]> {
      const rows = await db
        .selectFrom('camera_statuses')
        .select(['camera_id', 'ts', 'state', 'fps', 'bitrate_kbps', 'last_frame_at', 'tamper', 'received_at'])
        .where('received_at', '>=', fromMs)
        .orderBy('received_at')
        .limit(limit)
        .execute()
      return rows.map((row) => ({ item: { cameraId: row.camera_id, ...cameraStatusOf(row) }, receivedAtMs: row.received_at }))
    },
  }
}
export type CameraStatusesRepository = ReturnType<typeof createCameraStatusesRepository>
