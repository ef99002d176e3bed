import type { Kysely, Selectable } from 'kysely'
import type { Role, UserView } from '@ioc/shared'
import type { Database } from '../storage/database.ts'

export type UserRow = Selectable<Database['users']>

export interface NewUserRow {
  username: string
  fullName: string
  role: Role
  areaId: string | null
  passwordHash: string | null
  mustChangePassword: boolean
}

const iso = (ms: number) => new Date(ms).toISOString()

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role as Role,
    areaId: row.area_id,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastLoginAt: row.last_login_at === null ? null : iso(row.last_login_at),
  }
}

/** The users table. Usernames are stored lower-case; callers normalise before asking. */
export function createUsersRepository(db: Kysely<Database>) {
  const insertValues = (user: NewUserRow, now: number) => ({
    username: user.username,
    full_name: user.fullName,
    role: user.role,
    area_id: user.areaId,
    password_hash: user.passwordHash,
    must_change_password: user.mustChangePassword ? 1 : 0,
    disabled: 0,
    created_at: now,
    updated_at: now,
  })
  return {
    list: () => db.selectFrom('users').selectAll().orderBy('username').execute(),
    byId: (id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    byUsername: (username: string) => db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),
    usernames: async () => new Set((await db.selectFrom('users').select('username').execute()).map((r) => r.username)),
    count: async () => Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    /** Enabled admins other than `exceptId`: an account change must never leave none. */
    otherEnabledAdmins: async (exceptId: number) =>
      Number(
        (
          await db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('role', '=', 'admin')
            .where('disabled', '=', 0)
            .where('id', '!=', exceptId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    /** Inserts; undefined when the username is taken (unique constraint, safe against a concurrent insert). */
    async insert(user: NewUserRow, now: number): Promise<UserRow | undefined> {
      return db
        .insertInto('users')
        .values(insertValues(user, now))
        .onConflict((oc) => oc.column('username').doNothing())
        .returningAll()
        .executeTakeFirst()
    },
    /** Inserts all in one transaction; the usernames that were taken meanwhile are skipped and returned. */
    async insertMany(users: readonly NewUserRow[], now: number): Promise<{ inserted: UserRow[]; taken: string[] }> {
      return db.transaction().execute(async (tx) => {
        const inserted: UserRow[] = []
        const taken: string[] = []
        for (const user of users) {
          const row = await tx
            .insertInto('users')
            .values(insertValues(user, now))
            .onConflict((oc) => oc.column('username').doNothing())
            .returningAll()
            .executeTakeFirst()
          if (row) inserted.push(row)
          else taken.push(user.username)
        }
        return { inserted, taken }
      })
    },
    async update(
      id: number,
      changes: Partial<{ fullName: string; role: Role; areaId: string | null; disabled: boolean; passwordHash: string | null; mustChangePassword: boolean; lastLoginAt: number }>,
      now: number,
    ): Promise<UserRow | undefined> {
      return db
        .updateTable('users')
        .set({
          ...(changes.fullName !== undefined && { full_name: changes.fullName }),
          ...(changes.role !== undefined && { role: changes.role }),
          ...(changes.areaId !== undefined && { area_id: changes.areaId }),
          ...(changes.disabled !== undefined && { disabled: changes.disabled ? 1 : 0 }),
          ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
          ...(changes.mustChangePassword !== undefined && { must_change_password: changes.mustChangePassword ? 1 : 0 }),
          ...(changes.lastLoginAt !== undefined ? { last_login_at: changes.lastLoginAt } : { updated_at: now }),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
    },
  }
}
export type UsersRepository = ReturnType<typeof createUsersRepository>
