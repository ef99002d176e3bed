import type { Kysely } from 'kysely'
import type { AuditAction, AuditEntry, AuditQuery } from '@ioc/shared'
import type { Database } from '../storage/database.ts'

export interface NewAuditEntry {
  action: AuditAction
  /** Username of who acted; null for an anonymous attempt. */
  actor: string | null
  target?: string | null
  ip?: string | null
  detail?: Record<string, unknown> | null
}

export interface AuditLogRepository {
  record(entry: NewAuditEntry): Promise<void>
  /** Newest first; `before` pages back by id. */
  list(query: AuditQuery): Promise<AuditEntry[]>
}

/** The audit trail: append-only rows in the store, read newest first. */
export function createAuditLogRepository(db: Kysely<Database>, now: () => number = Date.now): AuditLogRepository {
  return {
    async record(entry) {
      await db
        .insertInto('audit_log')
        .values({
          at: now(),
          actor: entry.actor,
          action: entry.action,
          target: entry.target ?? null,
          ip: entry.ip ?? null,
          detail: entry.detail ? JSON.stringify(entry.detail) : null,
        })
        .execute()
    },
    async list(query) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .$if(query.action !== undefined, (q) => q.where('action', '=', query.action!))
        .$if(query.actor !== undefined, (q) => q.where('actor', '=', query.actor!.trim().toLowerCase()))
        .$if(query.before !== undefined, (q) => q.where('id', '<', query.before!))
        .orderBy('id', 'desc')
        .limit(query.limit ?? 100)
        .execute()
      return rows.map((row) => ({
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action as AuditAction,
        target: row.target,
        ip: row.ip,
        detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
      }))
    },
  }
}
