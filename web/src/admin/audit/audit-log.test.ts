import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '@ioc/shared'
import { auditPath } from '../admin-api.ts'
import { appendPage, detailText, nextBefore } from './audit-log.ts'

const entry = (id: number, detail: AuditEntry['detail'] = null): AuditEntry => ({
  id,
  at: '2025-10-30T07:00:00.000Z',
  actor: 'admin',
  action: 'user.created',
  target: 'user:nguyenvana',
  ip: '127.0.0.1',
  detail,
})

describe('audit paging', () => {
  it('asks for the entries before the smallest id shown', () => {
    expect(nextBefore([entry(30), entry(12), entry(20)])).toBe(12)
    expect(nextBefore([])).toBeUndefined()
  })

  it('appends a page without repeating an entry already shown', () => {
    expect(appendPage([entry(3), entry(2)], [entry(2), entry(1)]).map((e) => e.id)).toEqual([3, 2, 1])
  })

  it('builds the query with only the filters set', () => {
    expect(auditPath({ action: '', actor: '  ' })).toBe('/api/audit?limit=50')
    expect(auditPath({ action: 'auth.login_failed', actor: 'admin' }, 120, 25)).toBe('/api/audit?action=auth.login_failed&actor=admin&before=120&limit=25')
  })
})

describe('detailText', () => {
  it('puts the detail on one line', () => {
    expect(detailText({ role: 'operator', changed: ['role', 'areaId'] })).toBe('role: operator, changed: ["role","areaId"]')
    expect(detailText(null)).toBe('')
  })
})
