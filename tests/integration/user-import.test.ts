import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport } from '@ioc/shared'
import { loginAsAdmin } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * `POST /api/users/import` with cells that name what every JavaScript object inherits: each such row
 * is refused at its line, the others go through, and the answer is JSON — in the dry run and for real.
 */

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const

describe('account import with inherited property names as values', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(() => server.close())

  it('refuses each such role and area by line, in the dry run and the import, and creates the rest', async () => {
    const admin = await loginAsAdmin(server)
    const csv = [
      'username,full_name,role,area',
      'tran.dau,Trần Đầu,staff,',
      ...INHERITED.map((word, i) => `role.${i},Vai Trò ${i},${word},`),
      ...INHERITED.map((word, i) => `area.${i},Phường ${i},area_staff,${word}`),
      'le.cuoi,Lê Cuối,area_staff,Tam Thăng',
    ].join('\n')
    const refusedLines = [
      ...INHERITED.map((word, i) => ({ line: 3 + i, username: `role.${i}`, reason: 'invalid_role', message: expect.stringContaining(JSON.stringify(word.toLowerCase())) })),
      ...INHERITED.map((word, i) => ({ line: 7 + i, username: `area.${i}`, reason: 'unknown_area', message: expect.stringContaining(JSON.stringify(word)) })),
    ]

    for (const dryRun of [true, false]) {
      const response = await admin.fetch('/api/users/import', { method: 'POST', body: { csv, dryRun } })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const report = JSON.parse(await response.text()) as ImportReport
      expect(report.dryRun).toBe(dryRun)
      expect(report.created.map((row) => [row.line, row.username, row.role])).toEqual([
        [2, 'tran.dau', 'staff'],
        [11, 'le.cuoi', 'area_staff'],
      ])
      expect(report.refused).toEqual(refusedLines)
    }

    const users = (await (await admin.fetch('/api/users')).json()) as { users: Array<{ username: string }> }
    expect(users.users.map((u) => u.username).sort()).toEqual(['admin', 'le.cuoi', 'tran.dau'])
  })
})
