import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { CameraStatus, FloodReading } from '@ioc/shared'
import { freshPostgresSchema, TEST_DB_URL } from '../../../../../tests/helpers/postgres.ts'
import type { DatabaseLocation } from './database.ts'
import { openDatabase, type DatabaseHandle } from './database-handle.ts'

/**
 * For the repositories' contract tests, run against both engines: SQLite in a temporary directory,
 * and PostgreSQL (127.0.0.1:5432, database `test`, trust auth; IOC_TEST_DB_URL to point elsewhere) in
 * a schema of its own per test, dropped afterwards. Without PostgreSQL these tests fail; they never skip.
 */
export interface Engine {
  name: 'sqlite' | 'postgres'
  /** A fresh, empty place for a database, removed when the test ends. */
  location(): Promise<DatabaseLocation>
}

export const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    async location() {
      const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-test-'))
      onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
      return { dataDir }
    },
  },
  {
    name: 'postgres',
    async location() {
      const { schema, drop } = await freshPostgresSchema()
      onTestFinished(drop)
      return { url: TEST_DB_URL, schema }
    },
  },
]

/** One place for this test's databases; every one opened on it is closed (cleanup runs after, LIFO). */
export function freshLocation(engine: Engine): { location: Promise<DatabaseLocation>; open(): Promise<DatabaseHandle> } {
  const opened: DatabaseHandle[] = []
  const located = engine.location()
  onTestFinished(async () => {
    for (const database of opened) await database.close().catch(() => undefined)
  })
  return {
    location: located,
    open: async () => {
      const database = await openDatabase(await located)
      opened.push(database)
      return database
    },
  }
}

export const T0 = Date.parse('2024-10-30T00:00:00Z')
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

export function reading(stationId: string, tsMs: number, waterLevelCm: number, extra: Partial<FloodReading> = {}): [FloodReading, number] {
  return [{ stationId, ts: new Date(tsMs).toISOString(), waterLevelCm, ...extra }, tsMs]
}

export function cameraStatus(cameraId: string, tsMs: number, extra: Partial<CameraStatus> = {}): [CameraStatus, number] {
  return [{ cameraId, ts: new Date(tsMs).toISOString(), state: 'online', ...extra }, tsMs]
}
