import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type Generated } from 'kysely'
import pg from 'pg'
import { createPrivateFile, ensurePrivateDir, matchCompanionModes } from './private-files.ts'
import { NulFreeTextPlugin } from './nul-free-text.ts'
import { withStatementCache } from './statement-cache.ts'

/** The tables, as Kysely sees them. Times are epoch milliseconds (BIGINT in PostgreSQL). */
export interface Database {
  readings: {
    station_id: string
    ts: number
    water_level_cm: number
    rainfall_mm: number | null
    battery_pct: number | null
    seq: number | null
    received_at: number
    /** 1 while the alarm engine holds the reading as suspect (0008-suspect-readings); null otherwise. */
    suspect: number | null
  }
  /** One row per station and hour: what the history of long ranges reads, kept after raw readings go. */
  readings_hourly: {
    station_id: string
    hour_ts: number
    count: number
    sum_cm: number
    min_cm: number
    max_cm: number
    rain_mm: number | null
  }
  camera_statuses: {
    camera_id: string
    ts: number
    state: 'online' | 'offline' | 'degraded'
    fps: number | null
    bitrate_kbps: number | null
    last_frame_at: string | null
    tamper: number | null
    received_at: number
  }
  /** Cameras' still pictures (0011-camera-snapshots): the JPEG in `jpeg` on PostgreSQL, in a file on SQLite. */
  camera_snapshots: {
    camera_id: string
    ts: number
    width: number
    height: number
    bytes: number
    jpeg: Buffer | null
    received_at: number
  }
  dead_letters: {
    id: Generated<number>
    received_at: number
    topic: string
    payload: Buffer
    reason: string
    detail: string
  }
  users: {
    id: Generated<number>
    username: string
    full_name: string
    role: string
    area_id: string | null
    password_hash: string | null
    /** 0 or 1 (one spelling for both engines). */
    must_change_password: number
    disabled: number
    created_at: number
    updated_at: number
    last_login_at: number | null
  }
  sessions: {
    /** SHA-256 (hex) of the session token the cookie carries. */
    id: string
    user_id: number
    created_at: number
    last_seen_at: number
    expires_at: number
    ip: string | null
    user_agent: string | null
  }
  audit_log: {
    id: Generated<number>
    at: number
    actor: string | null
    action: string
    target: string | null
    ip: string | null
    /** JSON object, or null. */
    detail: string | null
  }
  device_credentials: {
    username: string
    kind: 'device' | 'gateway'
    /** The station or camera a device credential is for; null for a gateway. */
    device_id: string | null
    secret_hash: string
    disabled: number
    created_at: number
  }
  alarms: {
    id: Generated<number>
    type: string
    source_kind: 'station' | 'camera'
    source_id: string
    area_id: string
    level: number | null
    raised_level: number | null
    state: 'active' | 'acknowledged' | 'cleared'
    value: number | null
    raised_at: number
    updated_at: number
    cleared_at: number | null
    acknowledged_by: string | null
    acknowledged_at: number | null
    ack_note: string | null
  }
  alarm_transitions: {
    id: Generated<number>
    alarm_id: number
    at: number
    kind: string
    level: number | null
    value: number | null
    actor: string | null
    note: string | null
  }
  station_settings: {
    station_id: string
    /** JSON: the settings an admin changed (a partial StationAlarmSettings). */
    settings: string
    updated_at: number
    updated_by: string | null
  }
  indicator_values: {
    area_id: string
    key: string
    period: string
    value: number
    version: number
    updated_at: number
    updated_by: string
    note: string | null
    /** 1 for the pack's demo data. */
    demo: number
  }
  indicator_changes: {
    id: Generated<number>
    area_id: string
    key: string
    period: string
    version: number
    value: number
    previous: number | null
    at: number
    by: string
    note: string | null
  }
  server_secrets: {
    name: string
    value: string
  }
  /** Alarm transitions the notifier has still to plan (the transactional outbox). */
  notification_outbox: {
    transition_id: number
  }
  user_contacts: {
    username: string
    email: string | null
    language: string
    /** JSON array of group names. */
    groups: string
    updated_at: number
  }
  notification_channels: {
    id: Generated<number>
    kind: string
    name: string
    url: string
    secret: string
    /** 0 or 1. */
    enabled: number
    updated_at: number
  }
  notification_rules: {
    id: Generated<number>
    name: string
    enabled: number
    /** JSON arrays. */
    alarm_types: string
    min_level: number | null
    area_ids: string | null
    source_ids: string | null
    recipients: string
    escalation: string
    updated_at: number
  }
  duty_shifts: {
    id: Generated<number>
    username: string
    starts_at: number
    ends_at: number
    area_ids: string | null
    created_by: string
    created_at: number
  }
  notification_deliveries: {
    id: string
    alarm_id: number
    transition_id: number
    rule_id: number | null
    step: number
    event: string
    channel: string
    target: string
    language: string
    status: string
    due_at: number
    attempts: number
    last_error: string | null
    sent_at: number | null
    created_at: number
  }
  notification_attempts: {
    id: Generated<number>
    delivery_id: string
    at: number
    ok: number
    detail: string
    duration_ms: number
  }
  /** Small named values background jobs keep between runs (e.g. how far rollups have got). */
  job_state: {
    name: string
    value: number
  }
  /** The VAPID key pair of Web Push, when the environment gives none: one row, id 1 (notifications/push/). */
  web_push_keys: {
    id: number
    /** P-256 public key, uncompressed point (65 bytes), URL-safe base64 without padding. */
    public_key: string
    /** P-256 private scalar (32 bytes), URL-safe base64 without padding. */
    private_key: string
    created_at: number
  }
  push_subscriptions: {
    id: Generated<number>
    endpoint: string
    p256dh: string
    auth: string
    /** The user's, or null for a citizen's. */
    username: string | null
    /** The flood point a citizen follows; null for a user's. */
    station_id: string | null
    language: string
    /** A citizen's unsubscribe secret (random); unused for a user's. */
    token: string
    created_at: number
    last_sent_at: number | null
  }
}

export type Engine = 'sqlite' | 'postgres'

export type DatabaseLocation =
  /** The embedded default: `<dataDir>/ioc.sqlite` (`:memory:` for a throw-away one). */
  | { dataDir: string }
  /** PostgreSQL (IOC_DB_URL); `schema` puts the tables in a schema of their own (tests use one per run). */
  | { url: string; schema?: string }

/** A connection, not yet migrated: database-handle.ts opens one and brings its schema up to date. */
export interface DatabaseConnection {
  db: Kysely<Database>
  engine: Engine
}

const PG_INT8 = 20
const PG_NUMERIC = 1700

/** The SQLite file under `dataDir`; undefined for `:memory:`. */
export function sqliteFile(dataDir: string): string | undefined {
  return dataDir === ':memory:' ? undefined : join(dataDir, 'ioc.sqlite')
}

export function connectDatabase(location: DatabaseLocation): DatabaseConnection {
  if ('url' in location) {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 10,
      ...(location.schema ? { options: `-c search_path=${location.schema}` } : {}),
      // Epoch-ms BIGINTs, COUNTs and AVGs as JS numbers (exact below 2^53), for this pool only.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === PG_INT8 || oid === PG_NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new NulFreeTextPlugin()] }), engine: 'postgres' }
  }
  let file = ':memory:'
  const onDisk = sqliteFile(location.dataDir)
  if (onDisk !== undefined) {
    // Owner-only (private-files.ts): the store holds password hashes and sessions.
    ensurePrivateDir(location.dataDir)
    file = onDisk
    createPrivateFile(file)
  }
  const sqlite = new BetterSqlite3(file)
  // WAL with synchronous=NORMAL: a committed write survives a crash of the process (what
  // "acknowledged means stored" needs); on power loss the last transactions may roll back, which the
  // sensors' QoS 1 redelivery covers.
  sqlite.pragma('journal_mode = WAL')
  if (file !== ':memory:') matchCompanionModes(file)
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [new NulFreeTextPlugin()] }), engine: 'sqlite' }
}

