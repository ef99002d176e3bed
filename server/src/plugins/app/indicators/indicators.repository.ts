import type { Kysely, Selectable } from 'kysely'
import type { IndicatorChange, IndicatorQuery, IndicatorValue } from '@ioc/shared'
import type { Database } from '../storage/database.ts'

type ValueRow = Selectable<Database['indicator_values']>
const iso = (ms: number) => new Date(ms).toISOString()

export function toIndicatorValue(row: ValueRow): IndicatorValue {
  return {
    areaId: row.area_id,
    key: row.key,
    period: row.period,
    value: row.value,
    version: row.version,
    updatedAt: iso(row.updated_at),
    updatedBy: row.updated_by,
    note: row.note,
    demo: row.demo === 1,
  }
}

export interface PutValue {
  areaId: string
  key: string
  period: string
  value: number
  note: string | null
  by: string
  expectedVersion: number
  at: number
}

/** Indicator values and their change history, written together. */
export function createIndicatorsRepository(db: Kysely<Database>) {
  const one = (areaId: string, key: string, period: string) =>
    db.selectFrom('indicator_values').selectAll().where('area_id', '=', areaId).where('key', '=', key).where('period', '=', period).executeTakeFirst()

  return {
    async list(query: IndicatorQuery): Promise<IndicatorValue[]> {
      const rows = await db
        .selectFrom('indicator_values')
        .selectAll()
        .$if(query.area !== undefined, (q) => q.where('area_id', '=', query.area!))
        .$if(query.key !== undefined, (q) => q.where('key', '=', query.key!))
        .$if(query.period !== undefined, (q) => q.where('period', '=', query.period!))
        .$if(query.from !== undefined, (q) => q.where('period', '>=', query.from!))
        .$if(query.to !== undefined, (q) => q.where('period', '<=', query.to!))
        .orderBy('key')
        .orderBy('area_id')
        .orderBy('period')
        .execute()
      return rows.map(toIndicatorValue)
    },

    get: async (areaId: string, key: string, period: string) => {
      const row = await one(areaId, key, period)
      return row && toIndicatorValue(row)
    },

    /**
     * Sets a value if its current version is `expectedVersion` (0: it must not exist yet), keeping the
     * change in the history. Otherwise nothing is written and the current value comes back: a conflict,
     * never a lost update — the version check is in the UPDATE's WHERE (or the INSERT's key), so it
     * holds between instances too.
     */
    async put(change: PutValue): Promise<{ ok: true; value: IndicatorValue } | { ok: false; current: IndicatorValue | undefined }> {
      return db.transaction().execute(async (tx) => {
        const before = await tx
          .selectFrom('indicator_values')
          .selectAll()
          .where('area_id', '=', change.areaId)
          .where('key', '=', change.key)
          .where('period', '=', change.period)
          .executeTakeFirst()
        const fields = { value: change.value, updated_at: change.at, updated_by: change.by, note: change.note, demo: 0 }
        let row: ValueRow | undefined
        if (change.expectedVersion === 0) {
          row = await tx
            .insertInto('indicator_values')
            .values({ area_id: change.areaId, key: change.key, period: change.period, version: 1, ...fields })
            .onConflict((oc) => oc.columns(['area_id', 'key', 'period']).doNothing())
            .returningAll()
            .executeTakeFirst()
        } else {
          row = await tx
            .updateTable('indicator_values')
            .set({ ...fields, version: change.expectedVersion + 1 })
            .where('area_id', '=', change.areaId)
            .where('key', '=', change.key)
            .where('period', '=', change.period)
            .where('version', '=', change.expectedVersion)
            .returningAll()
            .executeTakeFirst()
        }
        if (!row) {
          const current = await tx.selectFrom('indicator_values').selectAll().where('area_id', '=', change.areaId).where('key', '=', change.key).where('period', '=', change.period).executeTakeFirst()
          return { ok: false as const, current: current && toIndicatorValue(current) }
        }
        await tx
          .insertInto('indicator_changes')
          .values({ area_id: change.areaId, key: change.key, period: change.period, version: row.version, value: row.value, previous: before?.value ?? null, at: change.at, by: change.by, note: change.note })
          .execute()
        return { ok: true as const, value: toIndicatorValue(row) }
      })
    },

    async history(areaId: string, key: string, period: string): Promise<IndicatorChange[]> {
      const rows = await db
        .selectFrom('indicator_changes')
        .selectAll()
        .where('area_id', '=', areaId)
        .where('key', '=', key)
        .where('period', '=', period)
        .orderBy('id', 'desc')
        .execute()
      return rows.map((r) => ({ version: r.version, value: r.value, previous: r.previous, at: iso(r.at), by: r.by, note: r.note }))
    },

    isEmpty: async () => (await db.selectFrom('indicator_values').select('key').limit(1).executeTakeFirst()) === undefined,

    /** Loads a pack's seed values (one transaction), each with a first history entry by `by`. */
    async seed(values: readonly { areaId: string; key: string; period: string; value: number }[], demo: boolean, by: string, at: number): Promise<number> {
      return db.transaction().execute(async (tx) => {
        for (let i = 0; i < values.length; i += 200) {
          const chunk = values.slice(i, i + 200)
          await tx
            .insertInto('indicator_values')
            .values(chunk.map((v) => ({ area_id: v.areaId, key: v.key, period: v.period, value: v.value, version: 1, updated_at: at, updated_by: by, note: null, demo: demo ? 1 : 0 })))
            .onConflict((oc) => oc.columns(['area_id', 'key', 'period']).doNothing())
            .execute()
          await tx
            .insertInto('indicator_changes')
            .values(chunk.map((v) => ({ area_id: v.areaId, key: v.key, period: v.period, version: 1, value: v.value, previous: null, at, by, note: null })))
            .execute()
        }
        return values.length
      })
    },
  }
}
export type IndicatorsRepository = ReturnType<typeof createIndicatorsRepository>
