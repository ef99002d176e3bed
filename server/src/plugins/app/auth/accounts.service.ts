import { Role, roleNeedsArea, type CreateUserBody, type ImportReport, type UpdateUserBody, type UserView, type UserWithPassword } from '@ioc/shared'
import { Conflict, InvalidRequest, NotFound } from '../../../domain-errors.ts'
import type { AuditLogRepository } from '../audit/audit-log.repository.ts'
import { generatePassword, hashPassword, spendVerifyTime, verifyPassword } from './passwords.ts'
import { checkUserImport } from './user-import.ts'
import { toUserView, type UserRow, type UsersRepository } from './users.repository.ts'

/** A password change whose current password is wrong: a failed guess, counted like a failed login. */
export class WrongCurrentPassword extends InvalidRequest {
  constructor() {
    super('the current password is not right')
  }
}

/** Who is acting, for the audit log. */
export interface Actor {
  username: string | null
  ip: string | null
}

export type LoginResult = { ok: true; user: UserRow } | { ok: false; reason: 'unknown_user' | 'wrong_password' | 'disabled' }

export interface AccountsDeps {
  users: UsersRepository
  audit: AuditLogRepository
  /** The area a written area means (code or name), or null: see area-lookup.ts. */
  findArea: (written: string) => string | null
  /** Ends every session of a user: called on disable, role or area change, password reset. */
  endSessions: (userId: number, keepSessionId?: string) => Promise<void>
  now?: () => number
}

export const normaliseUsername = (username: string) => username.normalize('NFC').trim().toLowerCase()

/** Accounts and their rules: who may exist with which role and area, passwords, and the last admin. */
export function createAccountsService(deps: AccountsDeps) {
  const { users, audit, findArea, endSessions } = deps
  const now = deps.now ?? Date.now

  /** The area a role may have: required and known for area staff, none for every other role. */
  function areaFor(role: Role, areaId: string | null | undefined): string | null {
    if (roleNeedsArea(role)) {
      if (!areaId) throw new InvalidRequest('an area_staff account needs an areaId: the GSO code of its ward or commune (see GET /api/areas)')
      const found = findArea(areaId)
      if (!found) throw new InvalidRequest(`no ward or commune "${areaId}" in this city (see GET /api/areas)`)
      return found
    }
    if (areaId) throw new InvalidRequest(`only area_staff accounts belong to an area; a ${role} account takes no areaId`)
    return null
  }

  async function mustFind(id: number): Promise<UserRow> {
    const row = await users.byId(id)
    if (!row) throw new NotFound(`no user ${id}`)
    return row
  }

  return {
    async list(): Promise<UserView[]> {
      return (await users.list()).map(toUserView)
    },

    async byUsername(username: string): Promise<UserView | undefined> {
      const row = await users.byUsername(normaliseUsername(username))
      return row && toUserView(row)
    },

    /**
     * Creates an account. Without a password one is made up and returned once; either way the user
     * chooses their own at first login (`mustChangePassword`) unless `keepPassword` (bootstrap, demo).
     */
    async create(input: CreateUserBody, actor: Actor, options: { keepPassword?: boolean } = {}): Promise<UserWithPassword> {
      const username = normaliseUsername(input.username)
      const areaId = areaFor(input.role, input.areaId)
      const temporaryPassword = input.password === undefined ? generatePassword() : undefined
      const row = await users.insert(
        {
          username,
          fullName: input.fullName.normalize('NFC').trim(),
          role: input.role,
          areaId,
          passwordHash: await hashPassword(input.password ?? temporaryPassword!),
          mustChangePassword: !options.keepPassword,
        },
        now(),
      )
      if (!row) throw new Conflict(`the username "${username}" is taken`)
      await audit.record({ action: 'user.created', actor: actor.username, ip: actor.ip, target: `user:${username}`, detail: { role: row.role, areaId: row.area_id } })
      return { user: toUserView(row), ...(temporaryPassword && { temporaryPassword }) }
    },

    async update(id: number, patch: UpdateUserBody, actor: Actor): Promise<UserView> {
      const before = await mustFind(id)
      const role = patch.role ?? (before.role as Role)
      // A new role takes the area given now, or keeps the old one only if it still fits the role.
      const areaId =
        patch.areaId !== undefined || patch.role !== undefined
          ? areaFor(role, patch.areaId !== undefined ? patch.areaId : roleNeedsArea(role) ? before.area_id : null)
          : before.area_id
      const losesAdmin = before.role === Role.admin && before.disabled === 0 && (role !== Role.admin || patch.disabled === true)
      if (losesAdmin && (await users.otherEnabledAdmins(id)) === 0) {
        throw new Conflict('this is the only enabled admin account: make another admin first')
      }
      const after = await users.update(
        id,
        {
          ...(patch.fullName !== undefined && { fullName: patch.fullName.normalize('NFC').trim() }),
          role,
          areaId,
          ...(patch.disabled !== undefined && { disabled: patch.disabled }),
        },
        now(),
      )
      if (!after) throw new NotFound(`no user ${id}`)
      const changed = (['full_name', 'role', 'area_id', 'disabled'] as const).filter((key) => before[key] !== after[key])
      // What someone may see or do changed: their open sessions (and sockets) end now.
      if (changed.some((key) => key !== 'full_name')) await endSessions(id)
      if (changed.length > 0) {
        await audit.record({
          action: 'user.updated',
          actor: actor.username,
          ip: actor.ip,
          target: `user:${after.username}`,
          detail: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
        })
      }
      return toUserView(after)
    },

    /** A new one-time password; the user's sessions end and they choose a password at next login. */
    async resetPassword(id: number, actor: Actor): Promise<UserWithPassword> {
      await mustFind(id)
      const temporaryPassword = generatePassword()
      const row = await users.update(id, { passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true }, now())
      if (!row) throw new NotFound(`no user ${id}`)
      await endSessions(id)
      await audit.record({ action: 'user.password_reset', actor: actor.username, ip: actor.ip, target: `user:${row.username}` })
      return { user: toUserView(row), temporaryPassword }
    },

    /**
     * Sets a password chosen elsewhere (the demo's accounts, the CLI's --password-stdin), re-enabling
     * the account; its sessions end. With `mustChangePassword` the user replaces it at next login.
     */
    async setPassword(id: number, password: string, options: { mustChangePassword: boolean }, actor: Actor): Promise<UserView> {
      const row = await users.update(id, { passwordHash: await hashPassword(password), mustChangePassword: options.mustChangePassword, disabled: false }, now())
      if (!row) throw new NotFound(`no user ${id}`)
      await endSessions(id)
      await audit.record({ action: 'user.password_reset', actor: actor.username, ip: actor.ip, target: `user:${row.username}`, detail: { chosen: true } })
      return toUserView(row)
    },

    /**
     * Creates the accounts of a CSV list, each with a one-time password, and reports per row what was
     * created and what was refused and why. A dry run checks and reports only.
     */
    async importCsv(csv: string, dryRun: boolean, actor: Actor): Promise<ImportReport> {
      const taken = await users.usernames()
      const { rows, refused } = checkUserImport(csv, (u) => taken.has(u), findArea)
      if (dryRun) {
        return { dryRun, created: rows.map(({ line, username, fullName, role, areaId }) => ({ line, username, fullName, role, areaId })), refused }
      }
      const passwords = new Map(rows.map((row) => [row.username, generatePassword()]))
      const hashed = await Promise.all(rows.map(async (row) => ({ ...row, passwordHash: await hashPassword(passwords.get(row.username)!), mustChangePassword: true })))
      const { inserted, taken: takenMeanwhile } = await users.insertMany(hashed, now())
      const lost = new Set(takenMeanwhile)
      const report: ImportReport = {
        dryRun,
        created: rows
          .filter((row) => !lost.has(row.username))
          .map(({ line, username, fullName, role, areaId }) => ({ line, username, fullName, role, areaId, temporaryPassword: passwords.get(username)! })),
        refused: [
          ...refused,
          ...rows
            .filter((row) => lost.has(row.username))
            .map((row) => ({ line: row.line, username: row.username, reason: 'username_taken' as const, message: 'an account with this username already exists' })),
        ].sort((a, b) => a.line - b.line),
      }
      await audit.record({
        action: 'user.imported',
        actor: actor.username,
        ip: actor.ip,
        target: `users:${inserted.length}`,
        detail: { created: inserted.map((u) => u.username), refused: report.refused.length },
      })
      return report
    },

    /** Checks a login. Unknown users cost the same time as known ones, so timing tells nothing. */
    async checkLogin(username: string, password: string): Promise<LoginResult> {
      const row = await users.byUsername(normaliseUsername(username))
      if (!row?.password_hash) {
        await spendVerifyTime(password)
        return { ok: false, reason: 'unknown_user' }
      }
      if (!(await verifyPassword(row.password_hash, password))) return { ok: false, reason: 'wrong_password' }
      // Said only to someone who knows the password: it helps the user and no one else.
      if (row.disabled === 1) return { ok: false, reason: 'disabled' }
      return { ok: true, user: row }
    },

    async recordLogin(userId: number): Promise<void> {
      await users.update(userId, { lastLoginAt: now() }, now())
    },

    /** The user's own password change; their other sessions end. */
    async changePassword(user: UserRow, current: string, next: string, sessionId: string, actor: Actor): Promise<UserRow> {
      if (!user.password_hash || !(await verifyPassword(user.password_hash, current))) throw new WrongCurrentPassword()
      if (next === current) throw new InvalidRequest('the new password must differ from the current one')
      if (next.toLowerCase().includes(user.username)) throw new InvalidRequest('the new password must not contain the username')
      const row = await users.update(user.id, { passwordHash: await hashPassword(next), mustChangePassword: false }, now())
      if (!row) throw new NotFound('the account no longer exists')
      await endSessions(user.id, sessionId)
      await audit.record({ action: 'auth.password_changed', actor: actor.username, ip: actor.ip, target: `user:${user.username}` })
      return row
    },

    /**
     * On an empty store: the account `admin`, with IOC_ADMIN_PASSWORD, or a random password the caller
     * logs once (and that must be changed at first login).
     */
    async ensureAdmin(password: string | undefined): Promise<{ created: false } | { created: true; generatedPassword?: string }> {
      if ((await users.count()) > 0) return { created: false }
      const generated = password === undefined ? generatePassword() : undefined
      const row = await users.insert(
        { username: 'admin', fullName: 'Quản trị hệ thống', role: Role.admin, areaId: null, passwordHash: await hashPassword(password ?? generated!), mustChangePassword: generated !== undefined },
        now(),
      )
      if (!row) return { created: false }
      await audit.record({ action: 'user.created', actor: null, ip: null, target: 'user:admin', detail: { role: 'admin', bootstrap: true } })
      return { created: true, ...(generated && { generatedPassword: generated }) }
    },
  }
}
export type AccountsService = ReturnType<typeof createAccountsService>
