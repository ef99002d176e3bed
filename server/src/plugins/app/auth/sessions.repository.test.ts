import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createSessionsRepository, type SessionPolicy, type SessionsRepository } from './sessions.repository.ts'
import { createUsersRepository } from './users.repository.ts'

const MINUTE = 60_000
const policy: SessionPolicy = { idleMs: 30 * MINUTE, maxAgeMs: 12 * 60 * MINUTE }
const T0 = Date.parse('2025-11-01T01:00:00Z')
const client = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' }

describe('session store', () => {
  let database: DatabaseHandle
  let now: number
  let sessions: SessionsRepository

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    now = T0
    sessions = createSessionsRepository(database.db, policy, () => now)
  })
  afterEach(() => database.close())

  async function addUser(username: string): Promise<number> {
    const row = await createUsersRepository(database.db).insert({ username, fullName: username, role: 'staff', areaId: null, passwordHash: null, mustChangePassword: false }, now)
    return row!.id
  }
  const lastSeen = async (id: string) => (await database.db.selectFrom('sessions').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow()).last_seen_at

  it('finds a new session by its token, with its user', async () => {
    const userId = await addUser('nguyenvana')
    const created = await sessions.create(userId, client)
    expect(created.expiresAt).toBe(T0 + policy.maxAgeMs)
    expect(await sessions.lookup(created.token)).toMatchObject({
      id: created.id,
      createdAt: T0,
      expiresAt: T0 + policy.maxAgeMs,
      user: { id: userId, username: 'nguyenvana', disabled: 0 },
    })
  })

  it('gives every session its own token', async () => {
    const userId = await addUser('nguyenvana')
    const a = await sessions.create(userId, client)
    const b = await sessions.create(userId, client)
    expect(a.token).not.toBe(b.token)
    expect((await sessions.lookup(a.token))!.id).not.toBe((await sessions.lookup(b.token))!.id)
  })

  it('stores only the SHA-256 of the token, never the token', async () => {
    const { token, id } = await sessions.create(await addUser('nguyenvana'), client)
    const rows = await database.db.selectFrom('sessions').selectAll().execute()
    expect(rows.map((r) => r.id)).toEqual([createHash('sha256').update(token).digest('hex')])
    expect(id).toBe(rows[0]!.id)
    expect(JSON.stringify(rows)).not.toContain(token)
  })

  it('finds nothing for an unknown token', async () => {
    await sessions.create(await addUser('nguyenvana'), client)
    expect(await sessions.lookup('not-a-session-token')).toBeNull()
  })

  it('ends an unused session exactly when the idle time has passed', async () => {
    const { token } = await sessions.create(await addUser('nguyenvana'), client)
    now = T0 + policy.idleMs - 1
    expect(await sessions.lookup(token, false)).not.toBeNull()
    now = T0 + policy.idleMs
    expect(await sessions.lookup(token, false)).toBeNull()
  })

  it('ends a busy session exactly at its maximum age', async () => {
    const { token } = await sessions.create(await addUser('nguyenvana'), client)
    // Activity every 10 minutes keeps it from going idle.
    for (now = T0 + 10 * MINUTE; now < T0 + policy.maxAgeMs; now += 10 * MINUTE) expect(await sessions.lookup(token)).not.toBeNull()
    now = T0 + policy.maxAgeMs - 1
    expect(await sessions.lookup(token)).not.toBeNull()
    now = T0 + policy.maxAgeMs
    expect(await sessions.lookup(token)).toBeNull()
  })

  it('counts a lookup with touch as activity: the idle window starts again from it', async () => {
    const { token } = await sessions.create(await addUser('nguyenvana'), client)
    const activeAt = T0 + 20 * MINUTE
    now = activeAt
    await sessions.lookup(token)
    now = T0 + policy.idleMs + MINUTE
    expect(await sessions.lookup(token, false)).not.toBeNull()
    now = activeAt + policy.idleMs - 1
    expect(await sessions.lookup(token, false)).not.toBeNull()
    now = activeAt + policy.idleMs
    expect(await sessions.lookup(token, false)).toBeNull()
  })

  it('does not count a lookup without touch as activity', async () => {
    const { token } = await sessions.create(await addUser('nguyenvana'), client)
    now = T0 + 20 * MINUTE
    await sessions.lookup(token, false)
    now = T0 + policy.idleMs
    expect(await sessions.lookup(token, false)).toBeNull()
  })

  it('never moves the maximum age: activity leaves expiresAt where login put it', async () => {
    const { token } = await sessions.create(await addUser('nguyenvana'), client)
    now = T0 + 20 * MINUTE
    expect((await sessions.lookup(token))!.expiresAt).toBe(T0 + policy.maxAgeMs)
    now = T0 + 40 * MINUTE
    expect((await sessions.lookup(token))!.expiresAt).toBe(T0 + policy.maxAgeMs)
  })

  it('writes the last-seen time at most once a minute', async () => {
    const { token, id } = await sessions.create(await addUser('nguyenvana'), client)
    now = T0 + MINUTE - 1
    await sessions.lookup(token)
    expect(await lastSeen(id)).toBe(T0)
    now = T0 + MINUTE
    await sessions.lookup(token)
    expect(await lastSeen(id)).toBe(T0 + MINUTE)
    now = T0 + 2 * MINUTE - 1
    await sessions.lookup(token)
    expect(await lastSeen(id)).toBe(T0 + MINUTE)
  })

  it('finds nothing once the user is disabled, and again once enabled', async () => {
    const userId = await addUser('nguyenvana')
    const { token } = await sessions.create(userId, client)
    const users = createUsersRepository(database.db)
    await users.update(userId, { disabled: true }, now)
    expect(await sessions.lookup(token)).toBeNull()
    await users.update(userId, { disabled: false }, now)
    expect(await sessions.lookup(token)).not.toBeNull()
  })

  it('answers null for a token longer than 100 characters, even if a session has its hash', async () => {
    const userId = await addUser('nguyenvana')
    const insert = (token: string) =>
      database.db
        .insertInto('sessions')
        .values({ id: createHash('sha256').update(token).digest('hex'), user_id: userId, created_at: now, last_seen_at: now, expires_at: now + policy.maxAgeMs, ip: null, user_agent: null })
        .execute()
    const longest = 'a'.repeat(100)
    const tooLong = 'a'.repeat(101)
    await insert(longest)
    await insert(tooLong)
    expect(await sessions.lookup(longest)).not.toBeNull()
    expect(await sessions.lookup(tooLong)).toBeNull()
  })

  it('ends the session it is told to', async () => {
    const userId = await addUser('nguyenvana')
    const a = await sessions.create(userId, client)
    const b = await sessions.create(userId, client)
    await sessions.delete(a.id)
    expect(await sessions.lookup(a.token)).toBeNull()
    expect(await sessions.lookup(b.token)).not.toBeNull()
  })

  it('ends every session of a user but the one to keep, and only that user’s', async () => {
    const userId = await addUser('nguyenvana')
    const otherId = await addUser('tranthib')
    const kept = await sessions.create(userId, client)
    const ended1 = await sessions.create(userId, client)
    const ended2 = await sessions.create(userId, client)
    const other = await sessions.create(otherId, client)
    const ended = await sessions.deleteForUser(userId, kept.id)
    expect(new Set(ended)).toEqual(new Set([ended1.id, ended2.id]))
    expect(await sessions.lookup(kept.token)).not.toBeNull()
    expect(await sessions.lookup(ended1.token)).toBeNull()
    expect(await sessions.lookup(ended2.token)).toBeNull()
    expect(await sessions.lookup(other.token)).not.toBeNull()
  })

  it('ends every session of a user when none is kept', async () => {
    const userId = await addUser('nguyenvana')
    const a = await sessions.create(userId, client)
    const b = await sessions.create(userId, client)
    expect(new Set(await sessions.deleteForUser(userId))).toEqual(new Set([a.id, b.id]))
    expect(await sessions.lookup(a.token)).toBeNull()
    expect(await sessions.lookup(b.token)).toBeNull()
  })

  it('deletes exactly the sessions past either timeout and returns their ids', async () => {
    const shortPolicy: SessionPolicy = { idleMs: 30 * MINUTE, maxAgeMs: 120 * MINUTE }
    sessions = createSessionsRepository(database.db, shortPolicy, () => now)
    const userId = await addUser('nguyenvana')
    const tooOld = await sessions.create(userId, client)
    for (const at of [25, 50, 75, 100, 115]) {
      now = T0 + at * MINUTE
      await sessions.lookup(tooOld.token)
    }
    now = T0 + 90 * MINUTE
    const idle = await sessions.create(userId, client)
    now = T0 + 91 * MINUTE
    const live = await sessions.create(userId, client)

    now = T0 + 120 * MINUTE - 1
    expect(await sessions.deleteExpired()).toEqual([])
    now = T0 + 120 * MINUTE
    expect(new Set(await sessions.deleteExpired())).toEqual(new Set([tooOld.id, idle.id]))
    expect((await database.db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([live.id])
    expect(await sessions.deleteExpired()).toEqual([])
  })

  it('tells which sessions are still valid: known, in time, user enabled', async () => {
    const userId = await addUser('nguyenvana')
    const disabledId = await addUser('tranthib')
    const idle = await sessions.create(userId, client)
    now = T0 + 10 * MINUTE
    const valid = await sessions.create(userId, client)
    const ofDisabled = await sessions.create(disabledId, client)
    await createUsersRepository(database.db).update(disabledId, { disabled: true }, now)
    now = T0 + policy.idleMs
    const deleted = await sessions.create(userId, client)
    await sessions.delete(deleted.id)

    expect(await sessions.stillValid([valid.id, idle.id, ofDisabled.id, deleted.id, 'unknown'])).toEqual(new Set([valid.id]))
    expect(await sessions.stillValid([])).toEqual(new Set())
  })
})
