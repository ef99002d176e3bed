import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freshPostgresSchema, TEST_DB_URL } from '../../../../../tests/helpers/postgres.ts'
import { createPgLeadership, type Leadership } from './leadership.ts'
import { createDomainEvents } from '../events/domain-events.ts'

/**
 * Elections on the machine's real PostgreSQL (see tests/helpers/postgres.ts), each test in schemas
 * of its own and under a lock name of its own, so parallel test files never share a lock.
 */
const silent = { info() {}, warn() {}, error() {} }
const ELECTION_MS = 5_000

let schemas: Array<Awaited<ReturnType<typeof freshPostgresSchema>>> = []
let started: Leadership[] = []

afterEach(async () => {
  await Promise.all(started.map((leadership) => leadership.stop()))
  await Promise.all(schemas.map((schema) => schema.drop()))
  started = []
  schemas = []
})

async function schema() {
  const fresh = await freshPostgresSchema()
  schemas.push(fresh)
  return fresh
}

/** `count` instances asking for the lead under `name` in one schema, each remembering what its listener heard. */
function candidates(url: string, name: string, count: number) {
  return Array.from({ length: count }, () => {
    const events = createDomainEvents(silent)
    const leadership = createPgLeadership({ connectionString: url, name, log: silent, events, checkEveryMs: 50 })
    const heard: boolean[] = []
    events.on('leadership.changed', (leader) => heard.push(leader))
    started.push(leadership)
    return { leadership, heard }
  })
}

type Candidate = ReturnType<typeof candidates>[number]
const leaders = (group: Candidate[]) => group.filter((c) => c.leadership.isLeader())

/** Waits (at most ELECTION_MS) until exactly one of `group` leads, and answers it. */
async function electedOne(group: Candidate[]): Promise<Candidate> {
  return vi.waitFor(
    () => {
      const leading = leaders(group)
      expect(leading).toHaveLength(1)
      return leading[0]!
    },
    { timeout: ELECTION_MS, interval: 20 },
  )
}

/** Kills, from another session, the PostgreSQL session holding the `name` lock; answers how many it killed. */
async function killLockHolder(name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_DB_URL })
  await admin.connect()
  try {
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(a.pid)
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1 AND a.pid <> pg_backend_pid()`,
      [`ioc-leadership:${name}`],
    )
    return rowCount ?? 0
  } finally {
    await admin.end()
  }
}

const lockName = () => `alarms-${randomUUID().slice(0, 8)}`

describe('PostgreSQL leadership', () => {
  it('elects exactly one leader among instances on the same schema and name, and keeps it', async () => {
    const { url } = await schema()
    const group = candidates(url, lockName(), 3)
    const leader = await electedOne(group)
    for (let checked = 0; checked < 12; checked++) {
      await sleep(25)
      expect(leaders(group)).toEqual([leader])
    }
  })

  it('tells the leader, and only the leader, that it took the lead', async () => {
    const { url } = await schema()
    const group = candidates(url, lockName(), 2)
    const leader = await electedOne(group)
    expect(group.map((c) => c.heard)).toEqual(group.map((c) => (c === leader ? [true] : [])))
  })

  it('hands the lead to another instance when the leader stops', async () => {
    const { url } = await schema()
    const group = candidates(url, lockName(), 2)
    const first = await electedOne(group)
    await first.leadership.stop()
    const next = await electedOne(group)
    expect(next).not.toBe(first)
    expect(first.heard).toEqual([true, false])
  })

  it('steps a leader down when its PostgreSQL session is killed, and the lead is taken again', async () => {
    const { url } = await schema()
    const name = lockName()
    const group = candidates(url, name, 2)
    const first = await electedOne(group)
    expect(await killLockHolder(name)).toBe(1)
    await vi.waitFor(() => expect(first.heard.slice(0, 2)).toEqual([true, false]), { timeout: ELECTION_MS, interval: 20 })
    // The killed instance reconnects and competes again: either may win, but one must.
    await electedOne(group)
  })

  it('elects a leader in each schema, under the same lock name', async () => {
    const name = lockName()
    const [east, west] = await Promise.all([schema(), schema()])
    const group = [...candidates(east.url, name, 1), ...candidates(west.url, name, 1)]
    await vi.waitFor(() => expect(leaders(group)).toHaveLength(2), { timeout: ELECTION_MS, interval: 20 })
  })
})
