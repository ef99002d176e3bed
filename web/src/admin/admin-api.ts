import type {
  AuditAction,
  AuditPage,
  CreateUserBody,
  ImportReport,
  UpdateUserBody,
  UserList,
  UserResponse,
  UserWithPassword,
} from '@ioc/shared'
import { getJson, sendJson } from '../api.ts'

/** Accounts administration (permission `user:manage`); every failure is an `ApiRequestError`. */
export const usersApi = {
  list: () => getJson<UserList>('/api/users'),
  create: (body: CreateUserBody) => sendJson<UserWithPassword>('POST', '/api/users', body),
  update: (id: number, body: UpdateUserBody) => sendJson<UserResponse>('PATCH', `/api/users/${id}`, body),
  resetPassword: (id: number) => sendJson<UserWithPassword>('POST', `/api/users/${id}/password-reset`),
  import: (csv: string, dryRun: boolean) => sendJson<ImportReport>('POST', '/api/users/import', { csv, dryRun }),
}
export type UsersApi = typeof usersApi

export interface AuditFilters {
  action: AuditAction | ''
  actor: string
}

/** `/api/audit` with the filters set, and `before` for the page after the entries already shown. */
export function auditPath(filters: AuditFilters, before?: number, limit = 50): string {
  const query = new URLSearchParams()
  if (filters.action) query.set('action', filters.action)
  const actor = filters.actor.trim()
  if (actor) query.set('actor', actor)
  if (before !== undefined) query.set('before', String(before))
  query.set('limit', String(limit))
  return `/api/audit?${query}`
}

/** The audit log (permission `audit:read`), newest first. */
export const fetchAudit = (filters: AuditFilters, before?: number, limit?: number) => getJson<AuditPage>(auditPath(filters, before, limit))
