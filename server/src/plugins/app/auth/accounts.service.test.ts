import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CreateUserBody, Role } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { DomainError } from '../../../domain-errors.ts'
import { createAuditLogRepository, type AuditLogRepository } from '../audit/audit-log.repository.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createAccountsService, type AccountsService, type Actor } from './accounts.service.ts'
import { createAreaLookup } from './area-lookup.ts'
import { createUsersRepository, type UsersRepository } from './users.repository.ts'

const findArea = createAreaLookup(loadCityPack('tam-ky').areas)
const TAM_THANG = '20362'
const HOA_HUONG = '20344'
const T0 = Date.parse('2025-11-01T01:00:00.000Z')
const ONE_TIME_PASSWORD = /^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){4}$/
const admin: Actor = { username: 'admin', ip: '203.0.113.7' }
const PASSWORD = 'mật khẩu đủ dài 2025'

describe('accounts service', () => {
  let database: DatabaseHandle
  let users: UsersRepository
  let audit: AuditLogRepository
  let accounts: AccountsService
  /** What the service asked the session layer to end: [userId] or [userId, keptSessionId]. */
  let endedSessions: Array<[number] | [number, string]>

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    users = createUsersRepository(database.db)
    audit = createAuditLogRepository(database.db, () => T0)
    endedSessions = []
    accounts = createAccountsService({
      users,
      audit,
      findArea,
      endSessions: async (userId, keep) => {
        endedSessions.push(keep === undefined ? [userId] : [userId, keep])
      },
      now: () => T0,
    })
  })
  afterEach(() => database.close())

  const create = async (username: string, role: Role = 'staff', extra: Partial<CreateUserBody> = {}) =>
    (await accounts.create({ username, fullName: `Người ${username}`, role, ...extra }, admin)).user
  const loginWorks = async (username: string, password: string) => (await accounts.checkLogin(username, password)).ok

  describe('create', () => {
    it('makes up a one-time password when none is given, and returns it', async () => {
      const { user, temporaryPassword } = await accounts.create({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff' }, admin)
      expect(temporaryPassword).toMatch(ONE_TIME_PASSWORD)
      expect(user).toMatchObject({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null, disabled: false, mustChangePassword: true })
      expect(await loginWorks('nguyenvana', temporaryPassword!)).toBe(true)
    })

    it('keeps a given password, returns no password, and still asks for a new one at first login', async () => {
      const result = await accounts.create({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', password: PASSWORD }, admin)
      expect(result).not.toHaveProperty('temporaryPassword')
      expect(result.user.mustChangePassword).toBe(true)
      expect(await loginWorks('nguyenvana', PASSWORD)).toBe(true)
    })

    it('does not ask for a new password with keepPassword', async () => {
      const { user } = await accounts.create({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', password: PASSWORD }, admin, { keepPassword: true })
      expect(user.mustChangePassword).toBe(false)
    })

    it('stores a hash, never the password', async () => {
      const { temporaryPassword } = await accounts.create({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff' }, admin)
      await accounts.create({ username: 'tranthib', fullName: 'Trần Thị B', role: 'staff', password: PASSWORD }, admin)
      const hashes = Object.fromEntries((await users.list()).map((row) => [row.username, row.password_hash]))
      expect(hashes.nguyenvana).toMatch(/^\$argon2id\$/)
      expect(hashes.nguyenvana).not.toContain(temporaryPassword)
      expect(hashes.tranthib).toMatch(/^\$argon2id\$/)
      expect(hashes.tranthib).not.toContain(PASSWORD)
    })

    it('stores the username lower-case and the full name composed (NFC) and trimmed', async () => {
      const user = await create(' NguyenVanA ', 'staff', { fullName: '  Nguyễn Văn Ánh '.normalize('NFD') })
      expect(user).toMatchObject({ username: 'nguyenvana', fullName: 'Nguyễn Văn Ánh'.normalize('NFC') })
    })

    it('refuses a taken username with 409, whatever its case, and creates nothing', async () => {
      await create('nguyenvana')
      const attempt = accounts.create({ username: 'NguyenVanA', fullName: 'Người Khác', role: 'operator' }, admin)
      await expect(attempt).rejects.toBeInstanceOf(DomainError)
      await expect(attempt).rejects.toMatchObject({ kind: 'conflict' })
      expect((await accounts.list()).map((u) => [u.username, u.role])).toEqual([['nguyenvana', 'staff']])
    })

    it('gives area staff the area they name, by code or name', async () => {
      expect(await create('a1', 'area_staff', { areaId: TAM_THANG })).toMatchObject({ areaId: TAM_THANG })
      expect(await create('a2', 'area_staff', { areaId: 'Phường Hòa Hương' })).toMatchObject({ areaId: HOA_HUONG })
    })

    it.each<{ role: Role; areaId?: string | null; why: string }>([
      { role: 'area_staff', why: 'area staff without an area' },
      { role: 'area_staff', areaId: null, why: 'area staff with a null area' },
      { role: 'area_staff', areaId: '99999', why: 'area staff with an unknown area' },
      { role: 'area_staff', areaId: 'Hội An', why: 'area staff with a place outside the city' },
      { role: 'staff', areaId: TAM_THANG, why: 'staff with an area' },
      { role: 'operator', areaId: TAM_THANG, why: 'an operator with an area' },
      { role: 'admin', areaId: TAM_THANG, why: 'an admin with an area' },
    ])('refuses $why with 400 and creates nothing', async ({ role, areaId }) => {
      const attempt = accounts.create({ username: 'nguyenvana', fullName: 'Nguyễn Văn A', role, ...(areaId !== undefined && { areaId }) }, admin)
      await expect(attempt).rejects.toBeInstanceOf(DomainError)
      await expect(attempt).rejects.toMatchObject({ kind: 'invalid' })
      expect(await accounts.list()).toEqual([])
    })

    it('records who created the account, from where', async () => {
      await create('nguyenvana', 'area_staff', { areaId: TAM_THANG })
      expect(await audit.list({})).toEqual([
        {
          id: expect.any(Number),
          at: new Date(T0).toISOString(),
          action: 'user.created',
          actor: 'admin',
          ip: '203.0.113.7',
          target: 'user:nguyenvana',
          detail: { role: 'area_staff', areaId: TAM_THANG },
        },
      ])
    })
  })

  describe('update', () => {
    it('ends the user’s sessions when the role changes', async () => {
      const { id } = await create('nguyenvana', 'staff')
      expect(await accounts.update(id, { role: 'operator' }, admin)).toMatchObject({ role: 'operator' })
      expect(endedSessions).toEqual([[id]])
    })

    it('keeps the user’s sessions when only the full name changes', async () => {
      const { id } = await create('nguyenvana', 'staff')
      expect(await accounts.update(id, { fullName: 'Nguyễn Văn Ánh' }, admin)).toMatchObject({ fullName: 'Nguyễn Văn Ánh', role: 'staff' })
      expect(endedSessions).toEqual([])
    })

    it('ends the user’s sessions when the account is disabled', async () => {
      const { id } = await create('nguyenvana', 'staff')
      expect(await accounts.update(id, { disabled: true }, admin)).toMatchObject({ disabled: true })
      expect(endedSessions).toEqual([[id]])
    })

    it('ends the user’s sessions when their area changes', async () => {
      const { id } = await create('nguyenvana', 'area_staff', { areaId: TAM_THANG })
      expect(await accounts.update(id, { areaId: 'Hòa Hương' }, admin)).toMatchObject({ areaId: HOA_HUONG })
      expect(endedSessions).toEqual([[id]])
    })

    it('drops the area when area staff become staff, and needs one the other way', async () => {
      const { id } = await create('nguyenvana', 'area_staff', { areaId: TAM_THANG })
      expect(await accounts.update(id, { role: 'staff' }, admin)).toMatchObject({ role: 'staff', areaId: null })
      await expect(accounts.update(id, { role: 'area_staff' }, admin)).rejects.toMatchObject({ kind: 'invalid' })
      expect(await accounts.update(id, { role: 'area_staff', areaId: TAM_THANG }, admin)).toMatchObject({ role: 'area_staff', areaId: TAM_THANG })
    })

    it('refuses an area for a role that takes none with 400, changing nothing', async () => {
      const { id } = await create('nguyenvana', 'staff')
      await expect(accounts.update(id, { areaId: TAM_THANG }, admin)).rejects.toMatchObject({ kind: 'invalid' })
      expect((await users.byId(id))!.area_id).toBeNull()
      expect(endedSessions).toEqual([])
    })

    it('answers 404 for an account that does not exist', async () => {
      await expect(accounts.update(999, { fullName: 'Không Ai' }, admin)).rejects.toMatchObject({ kind: 'not_found' })
    })

    it('records what changed, from what to what', async () => {
      const { id } = await create('nguyenvana', 'staff')
      await accounts.update(id, { role: 'operator', fullName: 'Người nguyenvana' }, { username: 'boss', ip: '198.51.100.2' })
      const [entry] = await audit.list({ action: 'user.updated' })
      expect(entry).toMatchObject({ actor: 'boss', ip: '198.51.100.2', target: 'user:nguyenvana', detail: { role: { from: 'staff', to: 'operator' } } })
    })

    it('refuses to disable the last enabled admin with 409', async () => {
      const { id } = await create('boss', 'admin')
      await expect(accounts.update(id, { disabled: true }, admin)).rejects.toMatchObject({ kind: 'conflict' })
      expect((await users.byId(id))!.disabled).toBe(0)
      expect(endedSessions).toEqual([])
    })

    it('refuses to demote the last enabled admin with 409', async () => {
      const { id } = await create('boss', 'admin')
      await expect(accounts.update(id, { role: 'operator' }, admin)).rejects.toMatchObject({ kind: 'conflict' })
      expect((await users.byId(id))!.role).toBe('admin')
      expect(endedSessions).toEqual([])
    })

    it('does not count a disabled admin as another admin', async () => {
      const { id } = await create('boss', 'admin')
      const other = await create('boss2', 'admin')
      await accounts.update(other.id, { disabled: true }, admin)
      await expect(accounts.update(id, { disabled: true }, admin)).rejects.toMatchObject({ kind: 'conflict' })
    })

    it('disables an admin once another enabled admin exists', async () => {
      const { id } = await create('boss', 'admin')
      await create('boss2', 'admin')
      expect(await accounts.update(id, { disabled: true }, admin)).toMatchObject({ role: 'admin', disabled: true })
    })

    it('demotes an admin once another enabled admin exists', async () => {
      const { id } = await create('boss', 'admin')
      await create('boss2', 'admin')
      expect(await accounts.update(id, { role: 'staff' }, admin)).toMatchObject({ role: 'staff', disabled: false })
    })

    it('lets the last admin change their full name', async () => {
      const { id } = await create('boss', 'admin')
      expect(await accounts.update(id, { fullName: 'Quản trị viên' }, admin)).toMatchObject({ fullName: 'Quản trị viên', role: 'admin' })
    })
  })

  describe('resetPassword', () => {
    it('gives a new one-time password that logs in, and the old password no longer does', async () => {
      const { id } = await create('nguyenvana', 'staff', { password: PASSWORD })
      const { user, temporaryPassword } = await accounts.resetPassword(id, admin)
      expect(temporaryPassword).toMatch(ONE_TIME_PASSWORD)
      expect(user.mustChangePassword).toBe(true)
      expect(await loginWorks('nguyenvana', temporaryPassword!)).toBe(true)
      expect(await accounts.checkLogin('nguyenvana', PASSWORD)).toEqual({ ok: false, reason: 'wrong_password' })
    })

    it('ends the user’s sessions and records who reset it', async () => {
      const { id } = await create('nguyenvana', 'staff')
      await accounts.resetPassword(id, admin)
      expect(endedSessions).toEqual([[id]])
      expect(await audit.list({ action: 'user.password_reset' })).toMatchObject([{ actor: 'admin', ip: '203.0.113.7', target: 'user:nguyenvana' }])
    })

    it('answers 404 for an account that does not exist', async () => {
      await expect(accounts.resetPassword(999, admin)).rejects.toMatchObject({ kind: 'not_found' })
    })
  })

  describe('checkLogin', () => {
    it('logs in with the right password, the username in any case and with spaces', async () => {
      await create('nguyenvana', 'staff', { password: PASSWORD })
      const result = await accounts.checkLogin(' NguyenVanA ', PASSWORD)
      expect(result).toMatchObject({ ok: true, user: { username: 'nguyenvana' } })
    })

    it('answers unknown_user for a username no account has', async () => {
      await create('nguyenvana', 'staff', { password: PASSWORD })
      expect(await accounts.checkLogin('tranthib', PASSWORD)).toEqual({ ok: false, reason: 'unknown_user' })
    })

    it('answers wrong_password for a known user with another password', async () => {
      await create('nguyenvana', 'staff', { password: PASSWORD })
      expect(await accounts.checkLogin('nguyenvana', `${PASSWORD}!`)).toEqual({ ok: false, reason: 'wrong_password' })
    })

    it('says an account is disabled only to someone with its right password', async () => {
      const { id } = await create('nguyenvana', 'staff', { password: PASSWORD })
      await accounts.update(id, { disabled: true }, admin)
      expect(await accounts.checkLogin('nguyenvana', PASSWORD)).toEqual({ ok: false, reason: 'disabled' })
      expect(await accounts.checkLogin('nguyenvana', `${PASSWORD}!`)).toEqual({ ok: false, reason: 'wrong_password' })
    })
  })

  describe('changePassword', () => {
    const NEW_PASSWORD = 'một mật khẩu mới 2026'
    const session = 'current-session-id'
    const me: Actor = { username: 'nguyenvana', ip: '192.0.2.10' }
    const newUser = async () => {
      const { id } = await create('nguyenvana', 'staff', { password: PASSWORD })
      return (await users.byId(id))!
    }

    it.each([
      ['the current password is wrong', `${PASSWORD}!`, NEW_PASSWORD],
      ['the new password is the current one', PASSWORD, PASSWORD],
      ['the new password contains the username', PASSWORD, 'tôi là nguyenvana 2026'],
      ['the new password contains the username in capitals', PASSWORD, 'tôi là NguyenVanA 2026'],
    ])('refuses with 400 when %s, and the password stays', async (_why, current, next) => {
      const user = await newUser()
      await expect(accounts.changePassword(user, current, next, session, me)).rejects.toMatchObject({ kind: 'invalid' })
      expect(await loginWorks('nguyenvana', PASSWORD)).toBe(true)
      expect((await users.byId(user.id))!.must_change_password).toBe(1)
      expect(endedSessions).toEqual([])
    })

    it('sets the new password, clears mustChangePassword and ends the other sessions only', async () => {
      const user = await newUser()
      const row = await accounts.changePassword(user, PASSWORD, NEW_PASSWORD, session, me)
      expect(row.must_change_password).toBe(0)
      expect((await users.byId(user.id))!.must_change_password).toBe(0)
      expect(await loginWorks('nguyenvana', NEW_PASSWORD)).toBe(true)
      expect(await loginWorks('nguyenvana', PASSWORD)).toBe(false)
      expect(endedSessions).toEqual([[user.id, session]])
    })

    it('records the change with who made it and from where', async () => {
      const user = await newUser()
      await accounts.changePassword(user, PASSWORD, NEW_PASSWORD, session, me)
      expect(await audit.list({ action: 'auth.password_changed' })).toMatchObject([{ actor: 'nguyenvana', ip: '192.0.2.10', target: 'user:nguyenvana' }])
    })
  })

  describe('importCsv', () => {
    const CSV = [
      '\uFEFFTên đăng nhập,Họ và tên,Vai trò,Phường/Xã',
      'NguyenVanA,Nguyễn Văn A,staff,',
      'tranthib,Trần Thị B,area_staff,Tam Thăng',
      'taken,Đã Có,staff,',
      'levanc,Lê Văn C,chief,',
    ].join('\n')

    it('checks and reports on a dry run, and creates nothing', async () => {
      await create('taken')
      const report = await accounts.importCsv(CSV, true, admin)
      expect(report).toEqual({
        dryRun: true,
        created: [
          { line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null },
          { line: 3, username: 'tranthib', fullName: 'Trần Thị B', role: 'area_staff', areaId: TAM_THANG },
        ],
        refused: [
          { line: 4, username: 'taken', reason: 'username_taken', message: expect.any(String) },
          { line: 5, username: 'levanc', reason: 'invalid_role', message: expect.any(String) },
        ],
      })
      expect((await accounts.list()).map((u) => u.username)).toEqual(['taken'])
      expect(await audit.list({ action: 'user.imported' })).toEqual([])
    })

    it('creates the accounts, each with a one-time password that logs in and must be changed', async () => {
      await create('taken')
      const report = await accounts.importCsv(CSV, false, admin)
      expect(report.dryRun).toBe(false)
      expect(report.created).toEqual([
        { line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null, temporaryPassword: expect.stringMatching(ONE_TIME_PASSWORD) },
        { line: 3, username: 'tranthib', fullName: 'Trần Thị B', role: 'area_staff', areaId: TAM_THANG, temporaryPassword: expect.stringMatching(ONE_TIME_PASSWORD) },
      ])
      expect(report.refused.map((r) => [r.line, r.reason])).toEqual([
        [4, 'username_taken'],
        [5, 'invalid_role'],
      ])
      for (const { username, temporaryPassword } of report.created) expect(await loginWorks(username, temporaryPassword!)).toBe(true)
      expect((await accounts.list()).map((u) => [u.username, u.mustChangePassword])).toEqual([
        ['nguyenvana', true],
        ['taken', true],
        ['tranthib', true],
      ])
    })

    it('records the import with who made it, from where, and what it created', async () => {
      await create('taken')
      await accounts.importCsv(CSV, false, admin)
      expect(await audit.list({ action: 'user.imported' })).toMatchObject([
        { actor: 'admin', ip: '203.0.113.7', target: 'users:2', detail: { created: ['nguyenvana', 'tranthib'], refused: 2 } },
      ])
    })
  })

  describe('ensureAdmin', () => {
    it('creates the admin account once, with the given password kept', async () => {
      expect(await accounts.ensureAdmin(PASSWORD)).toEqual({ created: true })
      expect(await accounts.ensureAdmin(PASSWORD)).toEqual({ created: false })
      expect((await accounts.list()).map((u) => [u.username, u.role, u.mustChangePassword])).toEqual([['admin', 'admin', false]])
      expect(await loginWorks('admin', PASSWORD)).toBe(true)
    })

    it('makes up a password when none is given, to be changed at first login', async () => {
      const result = await accounts.ensureAdmin(undefined)
      expect(result).toEqual({ created: true, generatedPassword: expect.stringMatching(ONE_TIME_PASSWORD) })
      expect((await accounts.list()).map((u) => [u.username, u.mustChangePassword])).toEqual([['admin', true]])
      expect(await loginWorks('admin', (result as { generatedPassword: string }).generatedPassword)).toBe(true)
      expect(await accounts.ensureAdmin(undefined)).toEqual({ created: false })
    })

    it('creates nothing when any account exists', async () => {
      await create('nguyenvana')
      expect(await accounts.ensureAdmin(undefined)).toEqual({ created: false })
      expect((await accounts.list()).map((u) => u.username)).toEqual(['nguyenvana'])
    })

    it('records the bootstrap with no actor', async () => {
      await accounts.ensureAdmin(PASSWORD)
      expect(await audit.list({})).toMatchObject([{ action: 'user.created', actor: null, ip: null, target: 'user:admin', detail: { role: 'admin', bootstrap: true } }])
    })
  })
})
