import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createDeadLettersRepository } from '../ingest/dead-letters.repository.ts'
import { createReadingsRepository } from '../readings/readings.repository.ts'
import { connectDatabase } from './database.ts'
import { openDatabase } from './database-handle.ts'
import { ENGINES, T0, freshLocation, reading } from './test-databases.ts'

/** Opening, migrating and closing the database, and what it does to every table's text, against SQLite and PostgreSQL. */
describe.each(ENGINES)('database on $name', (engine) => {
  const freshDatabase = () => freshLocation(engine).open()

  describe('opening and closing', () => {
    it('keeps the data when the same directory is opened again', async () => {
      const { open } = freshLocation(engine)
      const first = await open()
      await createReadingsRepository(first.db).insert(...reading('tam-ky-river', T0, 120))
      await createDeadLettersRepository(first.db).record({ receivedAtMs: T0, topic: 't', payload: new Uint8Array([1]), reason: 'bad_topic', detail: 'd' })
      await first.close()
      const second = await open()
      expect({ readings: await createReadingsRepository(second.db).count(), letters: (await createDeadLettersRepository(second.db).list(10)).length }).toEqual({ readings: 1, letters: 1 })
    })

    it('can store again after reopening (migrations run once)', async () => {
      const { open } = freshLocation(engine)
      await (await open()).close()
      const second = await open()
      expect(await createReadingsRepository(second.db).insert(...reading('tam-ky-river', T0, 120))).toBe(true)
    })

    it('answers ping while open', async () => {
      await expect((await freshDatabase()).ping()).resolves.toBeUndefined()
    })

    it('fails ping once closed', async () => {
      const database = await freshDatabase()
      await database.close()
      await expect(database.ping()).rejects.toThrow()
    })
  })

  describe('schema versions', () => {
    it('refuses a database migrated by a newer server', async () => {
      const { location, open } = freshLocation(engine)
      await (await open()).close()
      const { db } = connectDatabase(await location)
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')`.execute(db)
      await db.destroy()
      await expect(open()).rejects.toThrow(/migrated by a newer server.*9999-from-the-future/)
    })
  })

  describe('text with NUL characters, from anywhere', () => {
    it('stores a NUL in any text column as U+FFFD, through the query builder and raw SQL alike', async () => {
      const database = await freshDatabase()
      // A name typed into the accounts form, and an alarm note: user text reaches PostgreSQL too.
      await database.db.insertInto('users').values({ username: 'nguyenvana', full_name: 'Nguyễn\u0000Văn A', role: 'staff', area_id: null, password_hash: null, must_change_password: 1, disabled: 0, created_at: T0, updated_at: T0, last_login_at: null }).execute()
      await sql`INSERT INTO alarm_transitions (alarm_id, at, kind, level, value, actor, note) VALUES (1, ${T0}, 'acknowledged', NULL, NULL, 'nguyenvana', ${'đã kiểm tra\u0000'})`.execute(database.db)
      expect(await database.db.selectFrom('users').select('full_name').executeTakeFirst()).toEqual({ full_name: 'Nguyễn\uFFFDVăn A' })
      expect(await database.db.selectFrom('alarm_transitions').select('note').executeTakeFirst()).toEqual({ note: 'đã kiểm tra\uFFFD' })
    })

    it('finds a value stored with a NUL by the same value, and not by the text without it', async () => {
      const database = await freshDatabase()
      await database.db.insertInto('server_secrets').values({ name: 'key\u0000one', value: 'v' }).execute()
      expect(await database.db.selectFrom('server_secrets').select('value').where('name', '=', 'key\u0000one').executeTakeFirst()).toEqual({ value: 'v' })
      expect(await database.db.selectFrom('server_secrets').select('value').where('name', 'in', ['keyone', 'key\u0000one']).execute()).toEqual([{ value: 'v' }])
      expect(await database.db.selectFrom('server_secrets').select('value').where('name', '=', 'keyone').executeTakeFirst()).toBeUndefined()
    })
  })
})

describe('database on sqlite only', () => {
  it('creates a missing data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-test-'))
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
    const database = await openDatabase({ dataDir: join(dataDir, 'nested', 'data') })
    onTestFinished(() => database.close())
    await expect(database.ping()).resolves.toBeUndefined()
  })

  it('works in memory', async () => {
    const database = await openDatabase({ dataDir: ':memory:' })
    onTestFinished(() => database.close())
    const readings = createReadingsRepository(database.db)
    await readings.insert(...reading('tam-ky-river', T0, 120))
    expect(await readings.count()).toBe(1)
  })
})
