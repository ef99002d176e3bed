import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError, AuditPage, UserWithPassword } from '@ioc/shared'
import { loginAsAdmin, type TestSession } from '../helpers/auth.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * Issue #15, beyond the ingest: what users send over HTTP reaches PostgreSQL too. A number past what
 * its column holds, or a NUL character in text, used to fail the database write — a 500 for the user.
 * Now numbers are bounded by the shared schemas (a clear 400) and NUL is stored as U+FFFD.
 */
describe('HTTP input and the database columns it reaches, on PostgreSQL', () => {
  let server: TestServer
  let admin: TestSession
  let dropSchema: () => Promise<void>

  beforeAll(async () => {
    const db = await freshPostgresSchema()
    dropSchema = db.drop
    server = await startServer({ dbUrl: db.url })
    admin = await loginAsAdmin(server)
  })
  afterAll(async () => {
    await server?.close()
    await dropSchema?.()
  })

  it('refuses an audit page `before` an id beyond the bigint column with a 400 that says why', async () => {
    const response = await admin.fetch('/api/audit?before=100000000000000000000')
    expect(response.status).toBe(400)
    expect((await response.json()) as ApiError).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('before') })
    expect(((await (await admin.fetch(`/api/audit?before=${Number.MAX_SAFE_INTEGER}`)).json()) as AuditPage).entries.length).toBeGreaterThan(0)
  })

  it("refuses an indicator edit naming a version beyond the integer column with a 400 that says why", async () => {
    const response = await admin.fetch('/api/indicators/20362/households/2025-01', { method: 'PUT', body: { value: 100, expectedVersion: 3_000_000_000 } })
    expect(response.status).toBe(400)
    expect((await response.json()) as ApiError).toMatchObject({ statusCode: 400, message: expect.stringContaining('expectedVersion') })
  })

  it('refuses an alarm or account id beyond the bigint column with a 400, and a big id that fits is simply not found', async () => {
    for (const path of ['/api/alarms/100000000000000000000', '/api/users/100000000000000000000']) {
      const response = path.startsWith('/api/users') ? await admin.fetch(path, { method: 'PATCH', body: { role: 'staff' } }) : await admin.fetch(path)
      expect(response.status, path).toBe(400)
      expect((await response.json()) as ApiError).toMatchObject({ statusCode: 400, message: expect.stringContaining('id') })
    }
    expect((await admin.fetch(`/api/alarms/${Number.MAX_SAFE_INTEGER}`)).status).toBe(404)
  })

  it('creates an account whose name carries a NUL character, keeping the NUL as U+FFFD', async () => {
    const response = await admin.fetch('/api/users', { method: 'POST', body: { username: 'nguyenvannul', fullName: 'Nguyễn\u0000Văn A', role: 'staff' } })
    expect(response.status).toBe(201)
    expect(((await response.json()) as UserWithPassword).user.fullName).toBe('Nguyễn\uFFFDVăn A')
  })
})
