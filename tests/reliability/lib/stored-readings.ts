import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import type { PlannedReading } from './publisher.ts'

/**
 * The server's SQLite file, opened read-only by the test: it counts what was committed whether the
 * server is up, killed or restarting, and takes nothing on the server's word. (The HTTP API has no
 * count of everything, and `openDatabase` would open a second writer and run migrations.) WAL mode lets
 * this reader and the server's writer work side by side.
 */
export function openStoredReadings(dbFile: string) {
  if (!existsSync(dbFile)) throw new Error(`no store at ${dbFile}: start the server first`)
  const db = new Database(dbFile, { readonly: true })
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM readings')
  const cameraStatuses = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM camera_statuses')
  const all = db.prepare<[], { station_id: string; ts: number; seq: number | null }>('SELECT station_id, ts, seq FROM readings')
  return {
    count: () => count.get()!.n,
    cameraStatusCount: () => cameraStatuses.get()!.n,
    /** Polls the count until it reaches `n` (another process is writing), within `timeoutMs`. */
    async reach(n: number, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (count.get()!.n < n) {
        if (Date.now() > deadline) throw new Error(`${count.get()!.n} of ${n} readings stored after ${timeoutMs / 1000} s`)
        await sleep(25)
      }
    },
    /** Every stored reading checked against the plan: what is missing, and what is stored but should not be. */
    compare(plan: readonly PlannedReading[]): { stored: number; missing: number[]; unexpected: string[] } {
      const rows = all.all()
      const unexpected: string[] = []
      const seen = new Set<number>()
      for (const row of rows) {
        const planned = row.seq === null ? undefined : plan[row.seq]
        if (!planned || planned.stationId !== row.station_id || planned.tsMs !== row.ts || seen.has(planned.seq)) unexpected.push(`${row.station_id}@${row.ts} seq ${row.seq}`)
        else seen.add(planned.seq)
      }
      return { stored: rows.length, missing: plan.filter((r) => !seen.has(r.seq)).map((r) => r.seq), unexpected }
    },
    close: () => db.close(),
  }
}
export type StoredReadings = ReturnType<typeof openStoredReadings>
