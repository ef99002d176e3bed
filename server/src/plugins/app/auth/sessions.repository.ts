import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../storage/database.ts'
import type { UserRow } from './users.repository.ts'

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number
  /** A session ends this long after login, however busy. */
  maxAgeMs: number
}

export interface ActiveSession {
  /** SHA-256 of the token: safe to log, to name socket rooms, to store. */
  id: string
  createdAt: number
  expiresAt: number
  user: UserRow
}

/** Last-seen times are written at most this often per session: a busy dashboard is not a write per request. */
const TOUCH_EVERY_MS = 60_000

export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex')

/**
 * Server-side sessions: the cookie holds a random 256-bit token, the store only its hash. A session is
 * valid while its row exists, it is within both timeouts and its user is enabled — so deleting the row
 * (logout, disable, role change, password reset) ends it everywhere at once.
 */
export function createSessionsRepository(db: Kysely<Database>, policy: SessionPolicy, now: () => number = Date.now) {
  return {
    policy,
    async create(userId: number, client: { ip: string | null; userAgent: string | null }): Promise<{ token: string; id: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url')
      const id = sessionIdOf(token)
      const at = now()
      const expiresAt = at + policy.maxAgeMs
      await db
        .insertInto('sessions')
        .values({ id, user_id: userId, created_at: at, last_seen_at: at, expires_at: expiresAt, ip: client.ip, user_agent: client.userAgent?.slice(0, 300) ?? null })
        .execute()
      return { token, id, expiresAt }
    },

    /** The session a token opens, or null; `touch` counts this as activity for the idle timeout. */
    async lookup(token: string, touch = true): Promise<ActiveSession | null> {
      if (token.length > 100) return null
      const id = sessionIdOf(token)
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(['sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
        .where('sessions.id', '=', id)
        .executeTakeFirst()
      if (!row) return null
      const at = now()
      if (row.expires_at <= at || row.last_seen_at + policy.idleMs <= at || row.disabled === 1) return null
      if (touch && at - row.last_seen_at >= TOUCH_EVERY_MS) {
        await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute()
      }
      const { session_created_at, last_seen_at: _seen, expires_at, ...user } = row
      return { id, createdAt: session_created_at, expiresAt: expires_at, user }
    },

    async delete(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute()
    },

    /** Ends every session of a user (but `keepId`); returns the ids that ended. */
    async deleteForUser(userId: number, keepId?: string): Promise<string[]> {
      const rows = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .$if(keepId !== undefined, (q) => q.where('id', '!=', keepId!))
        .returning('id')
        .execute()
      return rows.map((r) => r.id)
    },

    /** Deletes sessions past either timeout; returns their ids. */
    async deleteExpired(): Promise<string[]> {
      const at = now()
      const rows = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen_at', '<=', at - policy.idleMs)]))
        .returning('id')
        .execute()
      return rows.map((r) => r.id)
    },

    /** Which of these sessions are still valid (exist, in time, user enabled). */
    async stillValid(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set()
      const at = now()
      const rows = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select('sessions.id')
        .where('sessions.id', 'in', ids)
        .where('sessions.expires_at', '>', at)
        .where('sessions.last_seen_at', '>', at - policy.idleMs)
        .where('users.disabled', '=', 0)
        .execute()
      return new Set(rows.map((r) => r.id))
    },
  }
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>
