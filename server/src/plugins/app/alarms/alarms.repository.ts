import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { alarmSeverity, type AlarmQuery, type AlarmTransition, type AlarmTransitionKind, type AlarmType, type AlarmView } from '@ioc/shared'
import type { Database } from '../storage/database.ts'

export type AlarmRow = Selectable<Database['alarms']>

export interface AlarmSource {
  kind: 'station' | 'camera'
  id: string
  areaId: string
}

const iso = (ms: number) => new Date(ms).toISOString()

export function toAlarmView(row: AlarmRow): AlarmView {
  const type = row.type as AlarmType
  return {
    id: row.id,
    type,
    source: { kind: row.source_kind, id: row.source_id },
    areaId: row.area_id,
    level: row.level,
    raisedLevel: row.raised_level,
    severity: alarmSeverity(type, row.level),
    state: row.state,
    value: row.value,
    raisedAt: iso(row.raised_at),
    updatedAt: iso(row.updated_at),
    clearedAt: row.cleared_at === null ? null : iso(row.cleared_at),
    acknowledged:
      row.acknowledged_by !== null && row.acknowledged_at !== null ? { by: row.acknowledged_by, at: iso(row.acknowledged_at), note: row.ack_note ?? '' } : null,
  }
}

/** Alarms and every transition of each, written together in one transaction. */
export function createAlarmsRepository(db: Kysely<Database>) {
  const transition = (alarmId: number, at: number, kind: AlarmTransitionKind, level: number | null, value: number | null, actor: string | null = null, note: string | null = null) => ({
    alarm_id: alarmId,
    at,
    kind,
    level,
    value,
    actor,
    note,
  })

  /**
   * Writes a transition and, in the same transaction, its entry in the notification outbox: whatever
   * notifications the change causes are planned from it, even if the server dies right after commit.
   */
  const record = async (tx: Transaction<Database>, values: ReturnType<typeof transition>) => {
    const { id } = await tx.insertInto('alarm_transitions').values(values).returning('id').executeTakeFirstOrThrow()
    await tx.insertInto('notification_outbox').values({ transition_id: id }).execute()
  }

  return {
    /** Every alarm not yet cleared: what the engine rebuilds its state from at start. */
    open: () => db.selectFrom('alarms').selectAll().where('state', '!=', 'cleared').execute(),

    byId: (id: number) => db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * A new alarm, with its `raised` transition. When the same condition is already open (another
     * instance raised it first), nothing is written and the open one is returned with `created: false`.
     */
    async raise(type: AlarmType, source: AlarmSource, level: number | null, value: number | null, at: number): Promise<{ alarm: AlarmRow; created: boolean }> {
      return db.transaction().execute(async (tx) => {
        const inserted = await tx
          .insertInto('alarms')
          .values({ type, source_kind: source.kind, source_id: source.id, area_id: source.areaId, level, raised_level: level, state: 'active', value, raised_at: at, updated_at: at })
          .onConflict((oc) => oc.columns(['type', 'source_id']).where(sql<boolean>`state != 'cleared'`).doNothing())
          .returningAll()
          .executeTakeFirst()
        if (inserted) {
          await record(tx, transition(inserted.id, at, 'raised', level, value))
          return { alarm: inserted, created: true }
        }
        const open = await tx.selectFrom('alarms').selectAll().where('type', '=', type).where('source_id', '=', source.id).where('state', '!=', 'cleared').executeTakeFirstOrThrow()
        return { alarm: open, created: false }
      })
    },

    /** A new level (escalation or de-escalation): an escalation makes an acknowledged alarm active again. */
    async changeLevel(id: number, level: number, value: number | null, at: number): Promise<AlarmRow> {
      return db.transaction().execute(async (tx) => {
        const before = await tx.selectFrom('alarms').select(['level']).where('id', '=', id).executeTakeFirstOrThrow()
        const up = level > (before.level ?? 0)
        const row = await tx
          .updateTable('alarms')
          .set({ level, value, updated_at: at, ...(up && { state: 'active' as const, acknowledged_by: null, acknowledged_at: null, ack_note: null }) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow()
        await record(tx, transition(id, at, up ? 'escalated' : 'deescalated', level, value))
        return row
      })
    },

    async clear(id: number, value: number | null, at: number): Promise<AlarmRow> {
      return db.transaction().execute(async (tx) => {
        const row = await tx.updateTable('alarms').set({ state: 'cleared', value, updated_at: at, cleared_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        await record(tx, transition(id, at, 'cleared', row.level, value))
        return row
      })
    },

    /**
     * Acknowledges an active alarm. Conditional on it still being active, so two operators acknowledging
     * at once give one acknowledgement: the second gets `undefined`.
     */
    async acknowledge(id: number, by: string, note: string, at: number): Promise<AlarmRow | undefined> {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('alarms')
          .set({ state: 'acknowledged', acknowledged_by: by, acknowledged_at: at, ack_note: note, updated_at: at })
          .where('id', '=', id)
          .where('state', '=', 'active')
          .returningAll()
          .executeTakeFirst()
        if (row) await record(tx, transition(id, at, 'acknowledged', row.level, row.value, by, note))
        return row
      })
    },

    async list(query: AlarmQuery, types: readonly AlarmType[]): Promise<AlarmRow[]> {
      if (types.length === 0) return []
      return db
        .selectFrom('alarms')
        .selectAll()
        .where('type', 'in', types)
        .$if(query.state === 'active', (q) => q.where('state', '!=', 'cleared'))
        .$if(query.state === 'acknowledged', (q) => q.where('state', '=', 'acknowledged'))
        .$if(query.state === 'cleared', (q) => q.where('state', '=', 'cleared'))
        .$if(query.type !== undefined, (q) => q.where('type', '=', query.type!))
        .$if(query.station !== undefined, (q) => q.where('source_kind', '=', 'station').where('source_id', '=', query.station!))
        .$if(query.camera !== undefined, (q) => q.where('source_kind', '=', 'camera').where('source_id', '=', query.camera!))
        .$if(query.area !== undefined, (q) => q.where('area_id', '=', query.area!))
        .$if(query.from !== undefined, (q) => q.where('raised_at', '>=', Date.parse(query.from!)))
        .$if(query.to !== undefined, (q) => q.where('raised_at', '<=', Date.parse(query.to!)))
        .orderBy('raised_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? 200)
        .execute()
    },

    async transitions(id: number): Promise<AlarmTransition[]> {
      const rows = await db.selectFrom('alarm_transitions').selectAll().where('alarm_id', '=', id).orderBy('id').execute()
      return rows.map((r) => ({ at: iso(r.at), kind: r.kind as AlarmTransitionKind, level: r.level, value: r.value, actor: r.actor, note: r.note }))
    },
  }
}
export type AlarmsRepository = ReturnType<typeof createAlarmsRepository>
