import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createBatchInsert } from './batch-insert.ts'
import { ENGINES, freshLocation } from './test-databases.ts'

type Row = { station_id: string; ts: number; water_level_cm: number; rainfall_mm: number | null; battery_pct: number | null; seq: number | null; received_at: number }

const row = (stationId: string, ts: number, level: number, extra: Partial<Row> = {}): Row => ({
  station_id: stationId,
  ts,
  water_level_cm: level,
  rainfall_mm: null,
  battery_pct: null,
  seq: null,
  received_at: 1,
  ...extra,
})

/** The batch insert against SQLite and PostgreSQL (storage/test-databases.ts): what Kysely's own query would do. */
describe.each(ENGINES)('createBatchInsert on $name', (engine) => {
  const open = async () => {
    const { db } = await freshLocation(engine).open()
    const build = (rows: Row[]) =>
      db
        .insertInto('readings')
        .values(rows)
        .onConflict((oc) => oc.columns(['station_id', 'ts']).doNothing())
        .returning(['station_id', 'ts'])
    // At most 3 row counts kept, so that a larger batch takes the uncached path.
    return { db, build, insert: createBatchInsert(db, build, 3) }
  }
  const count = async (db: Awaited<ReturnType<typeof open>>['db']) =>
    Number((await db.selectFrom('readings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)

  it('compiles to the SQL and parameters of Kysely’s own query, a NUL in text replaced as its plugin does, cached or not', async () => {
    const { build, insert } = await open()
    const batches = [
      [row('cau-xuan-quy', 10, 80, { rainfall_mm: 2.5 }), row('hoa\u0000huong', 20, 90, { seq: 7, battery_pct: 88 })],
      [row('a', 1, 1), row('b', 2, 2)],
      [row('a', 1, 1), row('b', 2, 2), row('c', 3, 3), row('d', 4, 4)],
    ]
    for (const rows of batches) {
      const ours = insert.compile(rows)
      const kysely = build(rows).compile()
      expect({ sql: ours.sql, parameters: ours.parameters }).toEqual({ sql: kysely.sql, parameters: kysely.parameters })
    }
    expect(insert.compile(batches[0]!).parameters).toContain('hoa\uFFFDhuong')
  })

  it('stores batches of every size, counts it has compiled before and counts past its cache, and returns the new rows', async () => {
    const { db, insert } = await open()
    let ts = 0
    for (const size of [1, 3, 2, 3, 5, 5]) {
      ts++
      const rows = Array.from({ length: size }, (_, i) => row(`s${i}`, ts, 50 + i, { seq: i }))
      const { rows: returned } = await insert.run(rows)
      expect(returned.map((r) => `${r.station_id}@${Number(r.ts)}`).sort()).toEqual(rows.map((r) => `${r.station_id}@${r.ts}`).sort())
    }
    expect(await count(db)).toBe(19)
    const last = await db.selectFrom('readings').select(['station_id', 'water_level_cm', 'seq']).where('ts', '=', 6).orderBy('station_id').execute()
    expect(last.map((r) => [r.station_id, r.water_level_cm, Number(r.seq)])).toEqual([0, 1, 2, 3, 4].map((i) => [`s${i}`, 50 + i, i]))
  })

  it('returns only the rows that were new: a (station, ts) already stored is skipped, not overwritten', async () => {
    const { db, insert } = await open()
    await insert.run([row('cau-xuan-quy', 10, 80)])
    const { rows } = await insert.run([row('cau-xuan-quy', 10, 81), row('cau-xuan-quy', 11, 82)])
    expect(rows.map((r) => Number(r.ts))).toEqual([11])
    expect(await count(db)).toBe(2)
    expect((await db.selectFrom('readings').select('water_level_cm').where('ts', '=', 10).executeTakeFirstOrThrow()).water_level_cm).toBe(80)
  })
})
