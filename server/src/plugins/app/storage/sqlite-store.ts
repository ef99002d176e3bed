import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { CameraStatus, FloodReading, LatestReading, ReadingPoint } from '@ioc/shared'
import type { DeadLetter, NewDeadLetter, Store } from './store.ts'

/** Versioned schema: entry i brings the database from user_version i to i + 1. Never edit a shipped entry. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE readings (
     station_id TEXT NOT NULL,
     ts INTEGER NOT NULL,
     water_level_cm REAL NOT NULL,
     rainfall_mm REAL,
     battery_pct REAL,
     seq INTEGER,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (station_id, ts)
   ) WITHOUT ROWID;
   CREATE TABLE camera_statuses (
     camera_id TEXT NOT NULL,
     ts INTEGER NOT NULL,
     state TEXT NOT NULL,
     fps REAL,
     bitrate_kbps REAL,
     last_frame_at TEXT,
     tamper INTEGER,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (camera_id, ts)
   ) WITHOUT ROWID;
   CREATE TABLE dead_letters (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     received_at INTEGER NOT NULL,
     topic TEXT NOT NULL,
     payload BLOB NOT NULL,
     reason TEXT NOT NULL,
     detail TEXT NOT NULL
   );`,
]

/** How many dead letters are kept; older ones are dropped so a misbehaving device cannot fill the disk. */
export const DEAD_LETTER_LIMIT = 10_000

type ReadingRow = { ts: number; water_level_cm: number; rainfall_mm: number | null; battery_pct: number | null }
type CameraRow = { ts: number; state: CameraStatus['state']; fps: number | null; bitrate_kbps: number | null; last_frame_at: string | null; tamper: number | null }
type BucketRow = { bucket: number; avg: number; min: number; max: number; rain: number | null }

const iso = (ms: number) => new Date(ms).toISOString()

export interface SqliteStoreOptions {
  /** Directory of the database file, created if missing; `:memory:` for a throw-away store. */
  dataDir: string
}

/**
 * SQLite through better-sqlite3, in WAL mode with synchronous=NORMAL: a committed write survives
 * a crash of the process (what "acknowledged means stored" needs); on power loss the last
 * transactions may roll back, which the sensors' QoS 1 redelivery covers.
 */
export function openSqliteStore({ dataDir }: SqliteStoreOptions): Store {
  let file = ':memory:'
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true })
    file = join(dataDir, 'ioc.sqlite')
  }
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  try {
    migrate(db)
  } catch (error) {
    db.close()
    throw error
  }

  const insertReading = db.prepare(
    `INSERT OR IGNORE INTO readings (station_id, ts, water_level_cm, rainfall_mm, battery_pct, seq, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertCamera = db.prepare(
    `INSERT OR IGNORE INTO camera_statuses (camera_id, ts, state, fps, bitrate_kbps, last_frame_at, tamper, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const latestReading = db.prepare<[string], ReadingRow>(
    'SELECT ts, water_level_cm, rainfall_mm, battery_pct FROM readings WHERE station_id = ? ORDER BY ts DESC LIMIT 1',
  )
  const latestCamera = db.prepare<[string], CameraRow>(
    'SELECT ts, state, fps, bitrate_kbps, last_frame_at, tamper FROM camera_statuses WHERE camera_id = ? ORDER BY ts DESC LIMIT 1',
  )
  const rawReadings = db.prepare<[string, number, number], ReadingRow>(
    'SELECT ts, water_level_cm, rainfall_mm, battery_pct FROM readings WHERE station_id = ? AND ts BETWEEN ? AND ? ORDER BY ts',
  )
  const bucketReadings = db.prepare<{ id: string; from: number; to: number; b: number }, BucketRow>(
    // `%` works on integers in SQLite; a bound JS number arrives as REAL, so `/` would not truncate.
    `SELECT ts - (ts % :b) AS bucket, AVG(water_level_cm) AS avg, MIN(water_level_cm) AS min, MAX(water_level_cm) AS max,
            SUM(rainfall_mm) AS rain
     FROM readings WHERE station_id = :id AND ts BETWEEN :from AND :to GROUP BY bucket ORDER BY bucket`,
  )
  const countUpTo = db.prepare<[string, number, number, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM (SELECT 1 FROM readings WHERE station_id = ? AND ts BETWEEN ? AND ? LIMIT ?)',
  )
  const countAll = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM readings')
  const countStation = db.prepare<[string, number, number], { n: number }>('SELECT COUNT(*) AS n FROM readings WHERE station_id = ? AND ts BETWEEN ? AND ?')
  const insertDeadLetter = db.prepare('INSERT INTO dead_letters (received_at, topic, payload, reason, detail) VALUES (?, ?, ?, ?, ?)')
  const trimDeadLetters = db.prepare('DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - ?')
  const listDeadLetters = db.prepare<[number], { id: number; received_at: number; topic: string; payload: Buffer; reason: string; detail: string }>(
    'SELECT id, received_at, topic, payload, reason, detail FROM dead_letters ORDER BY id DESC LIMIT ?',
  )
  const ping = db.prepare('SELECT 1')
  // Trim at open too: a server restarted often would otherwise never reach the 100th insert.
  trimDeadLetters.run(DEAD_LETTER_LIMIT)
  let deadLettersSinceTrim = 0

  return {
    engine: 'sqlite',
    async insertReading(r: FloodReading, tsMs: number) {
      const info = insertReading.run(r.stationId, tsMs, r.waterLevelCm, r.rainfallMm ?? null, r.batteryPct ?? null, r.seq ?? null, Date.now())
      return info.changes === 1
    },
    async insertCameraStatus(s: CameraStatus, tsMs: number) {
      const tamper = s.tamper === undefined ? null : Number(s.tamper)
      const info = insertCamera.run(s.cameraId, tsMs, s.state, s.fps ?? null, s.bitrateKbps ?? null, s.lastFrameAt ?? null, tamper, Date.now())
      return info.changes === 1
    },
    async latestReadings(stationIds) {
      const out = new Map<string, LatestReading>()
      for (const id of stationIds) {
        const row = latestReading.get(id)
        if (!row) continue
        const latest: LatestReading = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
        if (row.rainfall_mm !== null) latest.rainfallMm = row.rainfall_mm
        if (row.battery_pct !== null) latest.batteryPct = row.battery_pct
        out.set(id, latest)
      }
      return out
    },
    async latestCameraStatuses(cameraIds) {
      const out = new Map<string, Omit<CameraStatus, 'cameraId'>>()
      for (const id of cameraIds) {
        const row = latestCamera.get(id)
        if (!row) continue
        const status: Omit<CameraStatus, 'cameraId'> = { ts: iso(row.ts), state: row.state }
        if (row.fps !== null) status.fps = row.fps
        if (row.bitrate_kbps !== null) status.bitrateKbps = row.bitrate_kbps
        if (row.last_frame_at !== null) status.lastFrameAt = row.last_frame_at
        if (row.tamper !== null) status.tamper = row.tamper === 1
        out.set(id, status)
      }
      return out
    },
    async readings(stationId, fromMs, toMs, bucketMs) {
      if (bucketMs === 0) {
        return rawReadings.all(stationId, fromMs, toMs).map((row) => {
          const point: ReadingPoint = { ts: iso(row.ts), waterLevelCm: row.water_level_cm }
          if (row.rainfall_mm !== null) point.rainfallMm = row.rainfall_mm
          return point
        })
      }
      return bucketReadings.all({ id: stationId, from: fromMs, to: toMs, b: bucketMs }).map((row) => {
        const point: ReadingPoint = { ts: iso(row.bucket), waterLevelCm: row.avg, avg: row.avg, min: row.min, max: row.max }
        if (row.rain !== null) point.rainfallMm = row.rain
        return point
      })
    },
    async countReadings(stationId, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER) {
      return (stationId === undefined ? countAll.get() : countStation.get(stationId, fromMs, toMs))!.n
    },
    async countReadingsUpTo(stationId, fromMs, toMs, limit) {
      return countUpTo.get(stationId, fromMs, toMs, limit)!.n
    },
    async recordDeadLetter(letter: NewDeadLetter) {
      insertDeadLetter.run(letter.receivedAtMs, letter.topic, Buffer.from(letter.payload), letter.reason, letter.detail)
      if (++deadLettersSinceTrim >= 100) {
        deadLettersSinceTrim = 0
        trimDeadLetters.run(DEAD_LETTER_LIMIT)
      }
    },
    async deadLetters(limit) {
      return listDeadLetters.all(limit).map(
        (row): DeadLetter => ({
          id: row.id,
          receivedAt: iso(row.received_at),
          topic: row.topic,
          payloadBase64: row.payload.toString('base64'),
          reason: row.reason,
          detail: row.detail,
        }),
      )
    },
    async ping() {
      ping.get()
    },
    async close() {
      db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${current}, newer than this server (${MIGRATIONS.length}): upgrade the server`)
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!)
      db.pragma(`user_version = ${version + 1}`)
    }
  })()
}
