import { afterAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { freshPostgresSchema, TEST_DB_URL } from '../../../../../tests/helpers/postgres.ts'
import { connectDatabase } from './database.ts'
import { migrateToLatest } from './migrations.ts'

/**
 * Other deployments (or other test files) share the database in schemas of their own, and drop them
 * when they are done. Kysely's migrator looks for its table by listing every table of every schema,
 * resolving each one's name as it goes: a schema dropped in between made a start fail with
 * `relation "<other schema>.<table>" does not exist` (seen in tests/integration/cluster.test.ts).
 */
describe('migrations on a PostgreSQL shared with others', () => {
  const schemas: Array<{ drop(): Promise<void> }> = []
  afterAll(async () => {
    await Promise.all(schemas.map((s) => s.drop().catch(() => undefined)))
  })

  it('migrate while other schemas come and go', { timeout: 300_000 }, async () => {
    let churning = true
    let churned = 0
    // Another tenant creating and dropping schemas with tables as fast as it can.
    const churn = (async () => {
      const admin = new pg.Client({ connectionString: TEST_DB_URL })
      await admin.connect()
      try {
        for (let i = 0; churning; i++) {
          const name = `ioc_churn_${process.pid}_${i}`
          await admin.query(`CREATE SCHEMA ${name}; CREATE TABLE ${name}.t (id serial PRIMARY KEY, a int, b text, c text, d text)`)
          await admin.query(`DROP SCHEMA ${name} CASCADE`)
          churned++
        }
      } finally {
        await admin.end()
      }
    })()
    const failures: string[] = []
    try {
      for (let i = 0; i < 15; i++) {
        const fresh = await freshPostgresSchema()
        schemas.push(fresh)
        const { db } = connectDatabase({ url: fresh.url })
        try {
          await migrateToLatest(db, 'postgres')
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error))
        } finally {
          await db.destroy()
        }
      }
    } finally {
      churning = false
      await churn
    }
    expect({ failures, churnedMeanwhile: churned > 0 }).toEqual({ failures: [], churnedMeanwhile: true })
  })
})
