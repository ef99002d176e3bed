import { randomUUID } from 'node:crypto'
import pg from 'pg'

/** The machine's PostgreSQL (trust auth, database `test`); IOC_TEST_DB_URL to point elsewhere. */
export const TEST_DB_URL = process.env.IOC_TEST_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * A schema of this test's own on the test database, and an IOC_DB_URL that puts the server's tables
 * in it (libpq `options=-c search_path=…`). drop() removes it with everything in it.
 */
export async function freshPostgresSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `ioc_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = new pg.Client({ connectionString: TEST_DB_URL })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const separator = TEST_DB_URL.includes('?') ? '&' : '?'
  return {
    url: `${TEST_DB_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    schema,
    async drop() {
      const cleanup = new pg.Client({ connectionString: TEST_DB_URL })
      await cleanup.connect()
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`)
      await cleanup.end()
    },
  }
}
