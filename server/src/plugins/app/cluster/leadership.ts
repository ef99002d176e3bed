import pg from 'pg'
import type { DomainEvents } from '../events/domain-events.ts'

/** Whether this instance is the one that runs the cluster's single-runner work (alarms, maintenance). */
export interface Leadership {
  isLeader(): boolean
  /** Gives the lead up (another instance takes it at its next try) and stops trying. */
  stop(): Promise<void>
}

/** A single instance leads alone, always. */
export function soleLeadership(): Leadership {
  return { isLeader: () => true, stop: async () => {} }
}

export interface PgLeadershipOptions {
  connectionString: string
  /** Names the lock: instances asking for the same name in the same database schema elect one leader. */
  name: string
  log: { info(detail: object, message: string): void; warn(detail: object, message: string): void }
  /** Where `leadership.changed` goes: true on taking the lead, false on losing it (never twice in a row the same). */
  events: Pick<DomainEvents, 'emit'>
  /**
   * How often a follower tries to take the lock, and the leader checks its connection still holds it.
   * @defaultValue 2 000 ms
   */
  checkEveryMs?: number
}

/**
 * Leadership by a PostgreSQL session advisory lock on a connection of its own: PostgreSQL lets one
 * session hold it, and releases it when that session ends — a clean stop, a crash, a SIGKILL (the
 * kernel closes the socket). Followers try every `checkEveryMs`. The leader checks its connection at
 * the same pace and steps down at the first failure: it cannot know whether PostgreSQL still counts
 * it as the holder, so it stops acting before another may start.
 */
export function createPgLeadership(options: PgLeadershipOptions): Leadership {
  const everyMs = options.checkEveryMs ?? 2_000
  // Per schema: deployments (and tests) sharing one database in different schemas elect separately.
  const lockSql = `SELECT pg_try_advisory_lock(hashtext(current_schema() || ':' || $1)) AS locked`
  let leader = false
  let client: pg.Client | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const setLeader = (value: boolean) => {
    if (leader === value) return
    leader = value
    options.log.info({ lock: options.name }, value ? 'took the lead' : 'lead given up')
    options.events.emit('leadership.changed', value)
  }
  const dropClient = () => {
    const old = client
    client = undefined
    setLeader(false)
    old?.end().catch(() => {})
  }

  async function check(): Promise<void> {
    if (!client) {
      const fresh = new pg.Client({ connectionString: options.connectionString, application_name: `ioc-leadership:${options.name}` })
      // An error on an idle connection (the server went away) arrives here, not at a query.
      fresh.on('error', (error) => {
        if (client !== fresh) return
        options.log.warn({ err: error, lock: options.name }, 'leadership connection lost')
        dropClient()
      })
      client = fresh
      await fresh.connect()
    }
    if (leader) await client.query('SELECT 1')
    else if ((await client.query<{ locked: boolean }>(lockSql, [options.name])).rows[0]?.locked && !stopped) setLeader(true)
  }

  const schedule = (delayMs: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      check().then(
        () => schedule(everyMs),
        (error: unknown) => {
          options.log.warn({ err: error, lock: options.name }, 'leadership check failed; trying again')
          dropClient()
          schedule(everyMs)
        },
      )
    }, delayMs)
    timer.unref()
  }
  schedule(0)

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true
      clearTimeout(timer)
      const old = client
      client = undefined
      setLeader(false)
      // Ending the session releases the lock at once: the next instance takes it at its next try.
      await old?.end().catch(() => {})
    },
  }
}
