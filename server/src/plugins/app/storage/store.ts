import type { CameraStatus, FloodReading, LatestReading, ReadingPoint } from '@ioc/shared'

/** A refused MQTT message, kept with its reason so an admin can see what a device sent. */
export interface DeadLetter {
  id: number
  receivedAt: string
  topic: string
  /** The raw payload, base64 (it may not be valid UTF-8). */
  payloadBase64: string
  reason: string
  detail: string
}

export interface NewDeadLetter {
  receivedAtMs: number
  topic: string
  payload: Uint8Array
  reason: string
  detail: string
}

/**
 * The one storage contract. The embedded engine is SQLite; PostgreSQL implements the same interface
 * (issue #4). Async throughout so both engines fit. Writes are idempotent on (device, ts).
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres'
  /** Stores a reading; false when (station, ts) was already stored (a redelivery). */
  insertReading(reading: FloodReading, tsMs: number): Promise<boolean>
  /** Stores a camera status; false when (camera, ts) was already stored. */
  insertCameraStatus(status: CameraStatus, tsMs: number): Promise<boolean>
  /** The newest reading of each of these stations that has one. */
  latestReadings(stationIds: readonly string[]): Promise<Map<string, LatestReading>>
  latestCameraStatuses(cameraIds: readonly string[]): Promise<Map<string, Omit<CameraStatus, 'cameraId'>>>
  /** Points in [fromMs, toMs], oldest first: raw when bucketMs is 0, else avg/min/max per bucket. */
  readings(stationId: string, fromMs: number, toMs: number, bucketMs: number): Promise<ReadingPoint[]>
  /** Readings stored: all, one station's, or one station's within [fromMs, toMs]. */
  countReadings(stationId?: string, fromMs?: number, toMs?: number): Promise<number>
  /** Like countReadings for one station's range, but stops counting at `limit`: enough to choose a bucket. */
  countReadingsUpTo(stationId: string, fromMs: number, toMs: number, limit: number): Promise<number>
  recordDeadLetter(letter: NewDeadLetter): Promise<void>
  deadLetters(limit: number): Promise<DeadLetter[]>
  /** Throws when the store cannot answer (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
