import type { Kysely } from 'kysely'
import type { Database } from './database.ts'

/**
 * The job_state table: small named numbers background jobs keep between runs and across instances
 * (how far the hourly rollups have got, the alarm feed's position).
 */
export function createJobStateRepository(db: Kysely<Database>) {
  return {
    /** The value kept under `name`; null when never set. */
    get: async (name: string): Promise<number | null> => (await db.selectFrom('job_state').select('value').where('name', '=', name).executeTakeFirst())?.value ?? null,

    async set(name: string, value: number): Promise<void> {
      await db
        .insertInto('job_state')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
        .execute()
    },
  }
}
export type JobStateRepository = ReturnType<typeof createJobStateRepository>
