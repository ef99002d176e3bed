import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createAuditLogRepository, type AuditLogRepository, type NewAuditEntry } from './audit-log.repository.ts'

const T0 = Date.parse('2025-11-01T01:00:00.000Z')

describe('audit log', () => {
  let database: DatabaseHandle
  let now: number
  let audit: AuditLogRepository

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    now = T0
    audit = createAuditLogRepository(database.db, () => now)
  })
  afterEach(() => database.close())

  /** Records the entries one second apart, in order. */
  async function recordAll(entries: readonly NewAuditEntry[]): Promise<void> {
    for (const entry of entries) {
      await audit.record(entry)
      now += 1000
    }
  }

  it('lists entries newest first, with the time they were recorded', async () => {
    await recordAll([
      { action: 'auth.login', actor: 'nguyenvana' },
      { action: 'user.created', actor: 'admin', target: 'user:tranthib' },
      { action: 'auth.logout', actor: 'nguyenvana' },
    ])
    const entries = await audit.list({})
    expect(entries.map((e) => [e.action, e.at])).toEqual([
      ['auth.logout', '2025-11-01T01:00:02.000Z'],
      ['user.created', '2025-11-01T01:00:01.000Z'],
      ['auth.login', '2025-11-01T01:00:00.000Z'],
    ])
  })

  it('keeps actor, target and ip, and null for what was not given', async () => {
    await audit.record({ action: 'user.created', actor: 'admin', target: 'user:tranthib', ip: '203.0.113.7' })
    await audit.record({ action: 'auth.login_failed', actor: null })
    expect(await audit.list({})).toMatchObject([
      { action: 'auth.login_failed', actor: null, target: null, ip: null, detail: null },
      { action: 'user.created', actor: 'admin', target: 'user:tranthib', ip: '203.0.113.7', detail: null },
    ])
  })

  it('filters by action', async () => {
    await recordAll([
      { action: 'auth.login', actor: 'nguyenvana' },
      { action: 'user.created', actor: 'admin' },
      { action: 'auth.login', actor: 'tranthib' },
    ])
    const entries = await audit.list({ action: 'auth.login' })
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['auth.login', 'tranthib'],
      ['auth.login', 'nguyenvana'],
    ])
  })

  it('filters by actor, whatever the case and spaces of the query', async () => {
    await recordAll([
      { action: 'auth.login', actor: 'nguyenvana' },
      { action: 'auth.login', actor: 'tranthib' },
      { action: 'auth.logout', actor: 'nguyenvana' },
      { action: 'auth.login_failed', actor: null },
    ])
    const entries = await audit.list({ actor: ' NguyenVanA ' })
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['auth.logout', 'nguyenvana'],
      ['auth.login', 'nguyenvana'],
    ])
  })

  it('combines the action and actor filters', async () => {
    await recordAll([
      { action: 'auth.login', actor: 'nguyenvana' },
      { action: 'auth.logout', actor: 'nguyenvana' },
      { action: 'auth.login', actor: 'tranthib' },
    ])
    expect(await audit.list({ action: 'auth.login', actor: 'nguyenvana' })).toMatchObject([{ action: 'auth.login', actor: 'nguyenvana' }])
  })

  it('pages back with `before` and `limit` without gaps or repeats', async () => {
    await recordAll(Array.from({ length: 5 }, (_, i) => ({ action: 'auth.login' as const, actor: `user${i + 1}` })))
    const first = await audit.list({ limit: 2 })
    expect(first.map((e) => e.actor)).toEqual(['user5', 'user4'])
    const second = await audit.list({ limit: 2, before: first.at(-1)!.id })
    expect(second.map((e) => e.actor)).toEqual(['user3', 'user2'])
    const third = await audit.list({ limit: 2, before: second.at(-1)!.id })
    expect(third.map((e) => e.actor)).toEqual(['user1'])
    expect(await audit.list({ limit: 2, before: third.at(-1)!.id })).toEqual([])
  })

  it('pages within a filter', async () => {
    await recordAll([
      { action: 'auth.login', actor: 'a1' },
      { action: 'auth.logout', actor: 'a1' },
      { action: 'auth.login', actor: 'a2' },
      { action: 'auth.logout', actor: 'a2' },
      { action: 'auth.login', actor: 'a3' },
    ])
    const first = await audit.list({ action: 'auth.login', limit: 1 })
    expect(first.map((e) => e.actor)).toEqual(['a3'])
    const rest = await audit.list({ action: 'auth.login', before: first[0]!.id })
    expect(rest.map((e) => e.actor)).toEqual(['a2', 'a1'])
  })

  it('returns at most 100 entries when no limit is given', async () => {
    await recordAll(Array.from({ length: 101 }, () => ({ action: 'auth.login' as const, actor: 'nguyenvana' })))
    const entries = await audit.list({})
    expect(entries).toHaveLength(100)
    expect(entries.at(-1)!.at).toBe(new Date(T0 + 1000).toISOString())
  })

  it('gives back the detail it was given, nested values and Vietnamese text included', async () => {
    const detail = { role: { from: 'staff', to: 'area_staff' }, areaId: '20362', fullName: 'Nguyễn Văn Ánh', created: ['a', 'b'], refused: 0, bootstrap: true, note: null }
    await audit.record({ action: 'user.updated', actor: 'admin', detail })
    const [entry] = await audit.list({})
    expect(entry!.detail).toEqual(detail)
  })
})
