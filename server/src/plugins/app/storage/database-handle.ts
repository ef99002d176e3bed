import type { Kysely } from 'kysely'
import type { Database } from './database.ts'
import type { CameraStatus, FloodReading, LatestReading, ReadingPoint } from '@ioc/shared'

/** A refused MQTT message, kept with its reason so an admin can see what a device sent. */
export interface DeadLetter {
  id: number
  receivedAt: string
  topic: string
  /** The raw payload, base64 (it may not be valid UTF-8): its first 4 KB, when it was larger. */
  payloadBase64: string
  reason: string
  detail: string
}

export interface CameraUptimePoint {
  ts: string
  reports: number
  online: number
  degraded: number
  offline: number
}

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

export interface NewDeadLetter {
  receivedAtMs: number
  topic: string
  payload: Uint8Array
  reason: string
  detail: string
}

/**
 * The one storage contract, implemented once over Kysely for SQLite (embedded default) and PostgreSQL
 * (IOC_DB_URL). The same contract tests run against both. Writes are idempotent on (device, ts).
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres'
  /**
   * The database itself, for the repositories of other capabilities (accounts, sessions, audit, device
   * credentials) that keep their tables beside these and share the connection and migrations.
   */
  readonly db: Kysely<Database>
  /** Runs the schema migrations; called once before the store is used. */
  migrate(): Promise<void>
  /** Stores a reading; false when (station, ts) was already stored (a redelivery). */
  insertReading(reading: FloodReading, tsMs: number): Promise<boolean>
  /** Stores many readings in one transaction (history imports, backfills); returns how many were new. */
  insertReadings(batch: readonly { reading: FloodReading; tsMs: number }[]): Promise<number>
  /** Stores a camera status; false when (camera, ts) was already stored. */
  insertCameraStatus(status: CameraStatus, tsMs: number): Promise<boolean>
  /** The newest reading of each of these stations that has one. */
  latestReadings(stationIds: readonly string[]): Promise<Map<string, LatestReading>>
  latestCameraStatuses(cameraIds: readonly string[]): Promise<Map<string, Omit<CameraStatus, 'cameraId'>>>
  /** Points in [fromMs, toMs], oldest first: raw when bucketMs is 0, else avg/min/max per bucket. */
  readings(stationId: string, fromMs: number, toMs: number, bucketMs: number): Promise<ReadingPoint[]>
  /** Readings stored: all, one station's, or one station's within [fromMs, toMs]. */
  countReadings(stationId?: string, fromMs?: number, toMs?: number): Promise<number>
  /** Every raw reading of a station in [fromMs, toMs], oldest first, read in pages: for exports of any size. */
  exportReadings(stationId: string, fromMs: number, toMs: number): AsyncIterable<ExportRow>
  /** Like countReadings for one station's range, but stops counting at `limit`: enough to choose a bucket. */
  countReadingsUpTo(stationId: string, fromMs: number, toMs: number, limit: number): Promise<number>
  /**
   * Keeps a refused message: at most the first 4 KB of its payload and 1,024 characters of its topic
   * and detail, the detail saying how large what was cut had been (DEAD_LETTER_PAYLOAD_BYTES). Keeps
   * the newest DEAD_LETTER_LIMIT letters.
   */
  recordDeadLetter(letter: NewDeadLetter): Promise<void>
  deadLetters(limit: number): Promise<DeadLetter[]>
  /** Camera reports per bucket and state, oldest first: uptime = online / reports. */
  cameraUptime(cameraId: string, fromMs: number, toMs: number, bucketMs: number): Promise<CameraUptimePoint[]>
  /**
   * Brings the hourly rollups up to date with every reading received since the last run, late ones
   * included. Returns how many (station, hour) rollups were (re)written.
   */
  rollUp(): Promise<number>
  /**
   * Deletes raw readings and camera statuses older than `cutoffMs` — readings only once their hour is
   * rolled up — in small batches, so ingest never waits long. Returns how many rows went.
   */
  prune(cutoffMs: number): Promise<{ readings: number; cameraStatuses: number }>
  /**
   * Readings and camera statuses received at or after `fromMs` (the storing server's clock), oldest
   * received first, at most `limit` of each: the alarm leader's feed when several instances ingest.
   */
  receivedSince(fromMs: number, limit: number): Promise<{ readings: Received<FloodReading>[]; cameraStatuses: Received<CameraStatus>[] }>
  /** A named number kept for a background job (e.g. the alarm feed's position); null when never set. */
  jobValue(name: string): Promise<number | null>
  setJobValue(name: string, value: number): Promise<void>
  /** Throws when the store cannot answer (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
