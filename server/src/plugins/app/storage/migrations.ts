import { Migrator, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type DatabaseIntrospector, type Kysely, type Migration, type TableMetadata } from 'kysely'
import type { Database, Engine } from './database.ts'

/**
 * The schema, versioned. Each entry runs once, in name order, on both engines; never edit a shipped
 * one — add the next. Written with Kysely's schema builder, with the few words the dialects spell
 * differently chosen by `engine`.
 */
export function migrations(engine: Engine): Record<string, Migration> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob'
  const double = engine === 'postgres' ? 'double precision' : 'real'
  // SQLite: the primary key is the table (one B-tree per insert, not a rowid table plus a key index).
  const clusteredOnKey = <T extends { modifyEnd(node: ReturnType<typeof sql>): T }>(builder: T): T =>
    engine === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder
  return {
    // `ifNotExists`: databases made before versioned migrations (PRAGMA user_version 1) already hold these tables.
    '0001-readings-cameras-dead-letters': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('readings')
          .ifNotExists()
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('water_level_cm', double, (c) => c.notNull())
          .addColumn('rainfall_mm', double)
          .addColumn('battery_pct', double)
          .addColumn('seq', 'bigint')
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('readings_pk', ['station_id', 'ts'])
          .$call(clusteredOnKey)
          .execute()
        await db.schema
          .createTable('camera_statuses')
          .ifNotExists()
          .addColumn('camera_id', 'text', (c) => c.notNull())
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('fps', double)
          .addColumn('bitrate_kbps', double)
          .addColumn('last_frame_at', 'text')
          .addColumn('tamper', 'integer')
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('camera_statuses_pk', ['camera_id', 'ts'])
          .$call(clusteredOnKey)
          .execute()
        await db.schema
          .createTable('dead_letters')
          .ifNotExists()
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('payload', blob, (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0002-hourly-rollups-and-job-state': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('readings_hourly')
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('hour_ts', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('sum_cm', double, (c) => c.notNull())
          .addColumn('min_cm', double, (c) => c.notNull())
          .addColumn('max_cm', double, (c) => c.notNull())
          .addColumn('rain_mm', double)
          .addPrimaryKeyConstraint('readings_hourly_pk', ['station_id', 'hour_ts'])
          .$call(clusteredOnKey)
          .execute()
        // Which hours late readings touched since the last rollup run.
        await db.schema.createIndex('readings_received_at').on('readings').column('received_at').execute()
        await db.schema
          .createTable('job_state')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    '0003-accounts-sessions-audit-devices': {
      async up(db: Kysely<unknown>) {
        const serial = (name: string) => (t: CreateTableBuilder<string, never>) =>
          t.addColumn(name, engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        await db.schema
          .createTable('users')
          .$call(serial('id'))
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('full_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('area_id', 'text')
          // Null until the user has a password of their own or a one-time one (argon2id, PHC string).
          .addColumn('password_hash', 'text')
          .addColumn('must_change_password', 'integer', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('last_login_at', 'bigint')
          .execute()
        // The id is the SHA-256 of the cookie's token: a copy of the database opens no session.
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .execute()
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute()
        await db.schema
          .createTable('audit_log')
          .$call(serial('id'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('ip', 'text')
          .addColumn('detail', 'text')
          .execute()
        await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute()
        await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute()
        // MQTT credentials of the embedded broker: one per device, or a gateway publishing for many.
        await db.schema
          .createTable('device_credentials')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        // Keys the server makes once and every instance shares (e.g. the CSRF token key).
        await db.schema
          .createTable('server_secrets')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0004-alarms-station-settings': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('alarms')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('area_id', 'text', (c) => c.notNull())
          .addColumn('level', 'integer')
          .addColumn('raised_level', 'integer')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('value', double)
          .addColumn('raised_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('cleared_at', 'bigint')
          .addColumn('acknowledged_by', 'text')
          .addColumn('acknowledged_at', 'bigint')
          .addColumn('ack_note', 'text')
          .execute()
        // At most one open alarm per type and source: a second raise of the same condition cannot be
        // stored, whichever process tries (the engine's own guard, and #10's several instances).
        await db.schema
          .createIndex('alarms_one_open')
          .on('alarms')
          .columns(['type', 'source_id'])
          .unique()
          .where(sql<boolean>`state != 'cleared'`)
          .execute()
        await db.schema.createIndex('alarms_raised_at').on('alarms').column('raised_at').execute()
        await db.schema
          .createTable('alarm_transitions')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('alarm_id', 'bigint', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('level', 'integer')
          .addColumn('value', double)
          .addColumn('actor', 'text')
          .addColumn('note', 'text')
          .execute()
        await db.schema.createIndex('alarm_transitions_alarm').on('alarm_transitions').columns(['alarm_id', 'id']).execute()
        // Admins' changes to a station's alarm settings, over the city pack's values (JSON object).
        await db.schema
          .createTable('station_settings')
          .addColumn('station_id', 'text', (c) => c.primaryKey())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'text')
          .execute()
      },
    },
    '0005-indicators': {
      async up(db: Kysely<unknown>) {
        // The current value of each (area, indicator, period); `version` grows with each change and is
        // what an edit must name, so two editors never overwrite each other silently.
        await db.schema
          .createTable('indicator_values')
          .addColumn('area_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('value', double, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('demo', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('indicator_values_pk', ['area_id', 'key', 'period'])
          .$call(clusteredOnKey)
          .execute()
        // Every value each period has had, never overwritten.
        await db.schema
          .createTable('indicator_changes')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('area_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('value', double, (c) => c.notNull())
          .addColumn('previous', double)
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('by', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute()
        await db.schema.createIndex('indicator_changes_value').on('indicator_changes').columns(['area_id', 'key', 'period', 'version']).execute()
      },
    },
    '0006-camera-statuses-received-at': {
      async up(db: Kysely<unknown>) {
        // The alarm leader of several instances reads camera statuses by the time they were received.
        await db.schema.createIndex('camera_statuses_received_at').on('camera_statuses').column('received_at').execute()
      },
    },
    '0007-notifications': {
      async up(db: Kysely<unknown>) {
        const serial = (c: ColumnDefinitionBuilder) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement())
        const id = engine === 'postgres' ? 'bigserial' : 'integer'
        // The transactional outbox: each alarm transition that may notify someone, written in the
        // transaction that writes the transition; the notifier plans its deliveries and deletes it.
        await db.schema.createTable('notification_outbox').addColumn('transition_id', 'bigint', (c) => c.primaryKey()).execute()
        // A user's contact points and language, and the groups rules may address (e.g. technicians).
        await db.schema
          .createTable('user_contacts')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text')
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('groups', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('notification_channels')
          .addColumn('id', id, serial)
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        // Rules: JSON arrays for the lists (alarm types, areas, sources, recipients, escalation steps).
        await db.schema
          .createTable('notification_rules')
          .addColumn('id', id, serial)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('alarm_types', 'text', (c) => c.notNull())
          .addColumn('min_level', 'integer')
          .addColumn('area_ids', 'text')
          .addColumn('source_ids', 'text')
          .addColumn('recipients', 'text', (c) => c.notNull())
          .addColumn('escalation', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('duty_shifts')
          .addColumn('id', id, serial)
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('starts_at', 'bigint', (c) => c.notNull())
          .addColumn('ends_at', 'bigint', (c) => c.notNull())
          .addColumn('area_ids', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('duty_shifts_ends_at').on('duty_shifts').column('ends_at').execute()
        // One message to one recipient on one channel. `id` is the delivery id receivers see (the same
        // on every retry); `payload` the alarm as it was when planned (JSON), so a retry sends the same.
        await db.schema
          .createTable('notification_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('alarm_id', 'bigint', (c) => c.notNull())
          .addColumn('transition_id', 'bigint', (c) => c.notNull())
          .addColumn('rule_id', 'bigint')
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('due_at', 'bigint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('sent_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'due_at']).execute()
        await db.schema.createIndex('notification_deliveries_alarm').on('notification_deliveries').columns(['alarm_id', 'created_at']).execute()
        await db.schema
          .createTable('notification_attempts')
          .addColumn('id', id, serial)
          .addColumn('delivery_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('ok', 'integer', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('notification_attempts_delivery').on('notification_attempts').columns(['delivery_id', 'id']).execute()
      },
    },
    '0008-suspect-readings': {
      async up(db: Kysely<unknown>) {
        // 1 while the alarm engine holds a reading as suspect (a jump the water cannot make) and nothing
        // confirmed it; null otherwise — every reading stored before, and all but a handful after. The
        // ingest never writes it: the engine judges readings after they are stored. Nullable without a
        // default, so adding it rewrites nothing (a PostgreSQL catalogue change, a SQLite schema edit).
        await db.schema.alterTable('readings').addColumn('suspect', 'integer').execute()
      },
    },
    '0009-web-push': {
      async up(db: Kysely<unknown>) {
        // The server's VAPID key pair (Web Push), when IOC_VAPID_* do not give one: made once, one row
        // (id 1) that every instance shares, since browsers' subscriptions are bound to its public key.
        await db.schema
          .createTable('web_push_keys')
          .addColumn('id', 'integer', (c) => c.primaryKey().check(sql<boolean>`id = 1`))
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('private_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    '0010-push-subscriptions': {
      async up(db: Kysely<unknown>) {
        // A browser's or phone's Web Push subscription: a user's (username), or a citizen's for one flood
        // point (station_id, no account; `token` lets the message's unsubscribe link end it).
        await db.schema
          .createTable('push_subscriptions')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('endpoint', 'text', (c) => c.notNull().unique())
          .addColumn('p256dh', 'text', (c) => c.notNull())
          .addColumn('auth', 'text', (c) => c.notNull())
          .addColumn('username', 'text')
          .addColumn('station_id', 'text')
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_sent_at', 'bigint')
          .execute()
        await db.schema.createIndex('push_subscriptions_username').on('push_subscriptions').column('username').execute()
        await db.schema.createIndex('push_subscriptions_station').on('push_subscriptions').column('station_id').execute()
      },
    },
    '0011-camera-snapshots': {
      async up(db: Kysely<unknown>) {
        // A camera's still pictures (snapshots/snapshots.repository.ts). `jpeg` holds the picture on
        // PostgreSQL, so that every instance of a cluster reads it; on SQLite it is null and the picture
        // is a file under IOC_DATA_DIR/snapshots/, so the database stays small and quick to back up.
        await db.schema
          .createTable('camera_snapshots')
          .addColumn('camera_id', 'text', (c) => c.notNull())
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('width', 'integer', (c) => c.notNull())
          .addColumn('height', 'integer', (c) => c.notNull())
          .addColumn('bytes', 'integer', (c) => c.notNull())
          .addColumn('jpeg', blob)
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('camera_snapshots_pk', ['camera_id', 'ts'])
          .execute()
        // Retention finds what expired by time, and what to thin by what arrived since its last run.
        await db.schema.createIndex('camera_snapshots_ts').on('camera_snapshots').column('ts').execute()
        await db.schema.createIndex('camera_snapshots_received_at').on('camera_snapshots').column('received_at').execute()
      },
    },
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Brings the schema to the latest version; refuses a database migrated by a newer server. */
export async function migrateToLatest(db: Kysely<Database>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') return migrateWith(db, engine)
  // Several instances starting at once on one PostgreSQL: Kysely's own lock lives in a table that the
  // first of them creates, so they race to create it. A session-level advisory lock, held on one
  // pooled connection while the migration runs on others, lets them migrate one after the other (the
  // later ones find nothing left to do).
  await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(hashtext(current_schema() || ':ioc-migrations'))`.execute(connection)
    try {
      await migrateWith(db, engine)
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(current_schema() || ':ioc-migrations'))`.execute(connection)
    }
  })
}

async function migrateWith(db: Kysely<Database>, engine: Engine): Promise<void> {
  const known = migrations(engine)
  // PostgreSQL: Kysely looks for its tables in every schema unless told which one: the database may
  // hold other deployments' (or tests') schemas, whose tables must not count as this one's.
  const schema = engine === 'postgres' ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema : undefined
  const migrator = new Migrator({
    db: schema ? withOwnSchemaIntrospection(db, schema) : db,
    provider: { getMigrations: async () => known },
    ...(schema && { migrationTableSchema: schema }),
  })
  const unknown = await sql<{ name: string }>`SELECT name FROM kysely_migration`
    .execute(db)
    .then((r) => r.rows.map((row) => row.name).filter((name) => !(name in known)))
    .catch(() => [])
  if (unknown.length > 0) {
    throw new MigrationError(`the database was migrated by a newer server (${unknown.join(', ')}); upgrade this server`)
  }
  // On PostgreSQL, Kysely runs the migrations in one transaction: all or nothing.
  const { error } = await migrator.migrateToLatest()
  if (error) throw new MigrationError(`migrating the database failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
}

/**
 * `db` for Kysely's migrator, whose look for its own tables sees this schema's tables only. Kysely's
 * PostgreSQL introspector lists every table of every schema in the database and resolves each one's
 * name as it goes (`pg_get_serial_sequence`): when another deployment or test dropped its schema at
 * that moment, the listing failed with `relation "<theirs>.<table>" does not exist` although nothing
 * was wrong with ours (measured with a neighbour dropping schemas in a tight loop: 4 to 6 of 15
 * migrations failed; ten attempts in a row failed once with two test suites and a CPU hog beside).
 * This one reads the catalog of this schema by name only, so a neighbour's drop cannot fail it.
 */
function withOwnSchemaIntrospection(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspector: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    async getTables(): Promise<TableMetadata[]> {
      const { rows } = await sql<{ name: string; isView: boolean }>`
        SELECT c.relname AS name, c.relkind = 'v' AS "isView"
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p', 'v')`.execute(db)
      return rows.map((row) => ({ name: row.name, schema, isView: row.isView, columns: [] }))
    },
    async getMetadata() {
      return { tables: await this.getTables() }
    },
  }
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspector
      const value: unknown = Reflect.get(target, property, target)
      // Kysely's methods use private fields: they must run on the instance itself, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
