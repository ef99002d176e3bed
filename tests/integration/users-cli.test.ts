import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ROLES } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { openDatabase } from '@ioc/server/storage'
import { createAuditLogRepository } from '../../server/src/plugins/app/audit/audit-log.repository.ts'
import { createAccountsService } from '../../server/src/plugins/app/auth/accounts.service.ts'
import { createAreaLookup } from '../../server/src/plugins/app/auth/area-lookup.ts'
import { createSessionsRepository } from '../../server/src/plugins/app/auth/sessions.repository.ts'
import { createUsersRepository } from '../../server/src/plugins/app/auth/users.repository.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'

/**
 * `pnpm users` as an administrator runs it: its own process, against the store a server uses. The test
 * then opens that store itself and checks the accounts through the same service the login route uses.
 */

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))
const CLI = fileURLToPath(new URL('../../server/src/cli/users.ts', import.meta.url))
const SESSIONS = { idleMs: 3_600_000, maxAgeMs: 86_400_000 }

type Location = { dataDir: string } | { url: string }
interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI with the server's environment pointing at `location`; `stdin` is piped in (and closed). */
function users(location: Location, args: string[], stdin = ''): Promise<CommandResult> {
  const { IOC_DB_URL: _db, IOC_DATA_DIR: _dir, IOC_MQTT_URL: _mqtt, IOC_CITY: _city, ...inherited } = process.env
  const env = { ...inherited, IOC_CITY: 'tam-ky', ...('url' in location ? { IOC_DB_URL: location.url } : { IOC_DATA_DIR: location.dataDir }) }
  return new Promise((resolve) => {
    const child = execFile(TSX, [CLI, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
    child.stdin?.end(stdin)
  })
}

/** The database as the server opens it, with the server's accounts service over it. */
async function serverSide(location: Location) {
  const database = await openDatabase(location)
  onTestFinished(() => database.close())
  const sessions = createSessionsRepository(database.db, SESSIONS)
  const accounts = createAccountsService({
    users: createUsersRepository(database.db),
    audit: createAuditLogRepository(database.db),
    findArea: createAreaLookup(loadCityPack('tam-ky').areas),
    endSessions: async (userId, keep) => void (await sessions.deleteForUser(userId, keep)),
  })
  return { database, sessions, accounts, audit: createAuditLogRepository(database.db) }
}

const oneTimePassword = (stdout: string) => /One-time password \(shown only now\): (\S+)/.exec(stdout)?.[1]
const cliActor = `cli:${userInfo().username}`

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-users-it-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Each test runs the CLI several times as real processes through tsx: a second or two each on an idle
 * machine, over 20 s each with both cores busy and other suites running. A safety net, not an expectation.
 */
const CLI_TEST_MS = 300_000

describe('pnpm users', () => {
  it('creates, lists, edits, disables and resets accounts while the store is open elsewhere (SQLite)', { timeout: CLI_TEST_MS }, async () => {
    const location = { dataDir: tempDataDir() }
    // Opened first and kept open throughout, as a running server keeps it.
    const server = await serverSide(location)

    const created = await users(location, ['create', 'nguyenvana', '--name', 'Nguyễn Văn Ánh', '--role', 'area_staff', '--area', 'Tam Thăng'])
    expect(created.stderr).not.toContain('pnpm users:')
    expect(created.code).toBe(0)
    expect(created.stdout).toContain('Created nguyenvana (Nguyễn Văn Ánh), area_staff of Xã Tam Thăng.')
    const password = oneTimePassword(created.stdout)
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/)

    const listed = await users(location, ['list'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/^USERNAME +FULL NAME +ROLE +AREA +DISABLED +MUST CHANGE PASSWORD +LAST LOGIN/)
    expect(listed.stdout).toMatch(/^nguyenvana +Nguyễn Văn Ánh +area_staff +Xã Tam Thăng +no +yes +never$/m)
    expect(listed.stdout).not.toContain(password)

    // The printed one-time password logs in, and the user must then choose their own.
    const login = await server.accounts.checkLogin('nguyenvana', password!)
    expect(login.ok).toBe(true)
    const user = login.ok ? login.user : undefined
    expect(user).toMatchObject({ full_name: 'Nguyễn Văn Ánh', role: 'area_staff', area_id: '20362', must_change_password: 1 })

    // Every change is in the audit log, by the OS user who ran the command, with no address.
    const [entry] = await server.audit.list({ action: 'user.created' })
    expect(entry).toMatchObject({ actor: cliActor, ip: null, target: 'user:nguyenvana' })

    // A new role ends the user's sessions: the server finds the row gone.
    const session = await server.sessions.create(user!.id, { ip: null, userAgent: 'test' })
    const set = await users(location, ['set', 'nguyenvana', '--role', 'operator'])
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('Updated nguyenvana: role area_staff → operator, area Xã Tam Thăng → (none).')
    expect(set.stdout).toContain('1 open session ended')
    expect(await server.sessions.stillValid([session.id])).toEqual(new Set())
    expect(await server.accounts.checkLogin('nguyenvana', password!)).toMatchObject({ ok: true, user: { role: 'operator', area_id: null } })

    const disabled = await users(location, ['disable', 'nguyenvana'])
    expect(disabled.code).toBe(0)
    expect(disabled.stdout).toContain('Disabled nguyenvana')
    expect(await server.accounts.checkLogin('nguyenvana', password!)).toEqual({ ok: false, reason: 'disabled' })
    expect((await users(location, ['list'])).stdout).toMatch(/^nguyenvana +Nguyễn Văn Ánh +operator +yes +yes +never$/m)
    expect((await users(location, ['enable', 'nguyenvana'])).code).toBe(0)

    const reset = await users(location, ['reset-password', 'nguyenvana'])
    expect(reset.code).toBe(0)
    const newPassword = /shown only now\): (\S+)/.exec(reset.stdout)?.[1]
    expect(newPassword).toBeDefined()
    expect(newPassword).not.toBe(password)
    expect(await server.accounts.checkLogin('nguyenvana', password!)).toEqual({ ok: false, reason: 'wrong_password' })
    expect(await server.accounts.checkLogin('nguyenvana', newPassword!)).toMatchObject({ ok: true, user: { must_change_password: 1 } })
    expect((await server.audit.list({ actor: cliActor })).map((e) => e.action)).toEqual(['user.password_reset', 'user.updated', 'user.updated', 'user.updated', 'user.created'])

    // A chosen password from stdin, for scripts: it works, and must still be changed at first login.
    const scripted = await users(location, ['create', 'tranthib', '--name', 'Trần Thị B', '--role', 'admin', '--password-stdin'], 'a-chosen-password-1\n')
    expect(scripted.code).toBe(0)
    expect(scripted.stdout).not.toContain('a-chosen-password-1')
    expect(await server.accounts.checkLogin('tranthib', 'a-chosen-password-1')).toMatchObject({ ok: true, user: { role: 'admin', must_change_password: 1 } })
  })

  it('imports a CSV list: the good rows are created, the bad one is reported and fails the command', { timeout: CLI_TEST_MS }, async () => {
    const dir = tempDataDir()
    const location = { dataDir: join(dir, 'data') }
    const file = join(dir, 'accounts.csv')
    writeFileSync(file, 'username,full_name,role,area\nphamvanc,"Phạm Văn C, Jr",operator,\nhoangthid,Hoàng Thị Dung,area_staff,20362\nvoe,Võ Văn E,chief,\n')

    const dryRun = await users(location, ['import', file, '--dry-run'])
    expect(dryRun.code).toBe(1)
    expect(dryRun.stderr).toContain('refused line 4 (voe): role must be one of staff, area_staff, operator, admin: "chief"')
    expect(dryRun.stderr).toContain('dry run: 2 accounts would be created, 1 row refused; nothing was written')

    const imported = await users(location, ['import', file])
    expect(imported.code).toBe(1)
    const [header, ...rows] = imported.stdout.trim().split('\n')
    expect(header).toBe('username,full_name,role,area,one_time_password')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^phamvanc,"Phạm Văn C, Jr",operator,,\S+$/)
    expect(rows[1]).toMatch(/^hoangthid,Hoàng Thị Dung,area_staff,Xã Tam Thăng,\S+$/)
    expect(imported.stderr).toContain('refused line 4 (voe): role must be one of')
    expect(imported.stderr).toContain('created 2 accounts, 1 row refused')

    const server = await serverSide(location)
    const password = rows[1]!.split(',').at(-1)!
    expect(await server.accounts.checkLogin('hoangthid', password)).toMatchObject({ ok: true, user: { full_name: 'Hoàng Thị Dung', area_id: '20362' } })
    expect(await server.accounts.checkLogin('voe', 'anything')).toEqual({ ok: false, reason: 'unknown_user' })
  })

  it('refuses bad input with one line on stderr and exit code 1', { timeout: CLI_TEST_MS }, async () => {
    const location = { dataDir: tempDataDir() }
    const runs: CommandResult[] = []
    for (const args of [
      ['create', 'lethif', '--name', 'Lê Thị F', '--role', 'chief'],
      ['disable', 'nobody'],
      ['create', 'lethif', '--name', 'Lê Thị F', '--role', 'area_staff', '--area', 'Atlantis'],
      ['frobnicate'],
    ]) {
      runs.push(await users(location, args))
    }
    for (const run of runs) {
      expect(run.code).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
    }
    const [badRole, unknownUser, unknownArea, unknownCommand] = runs.map((run) => run.stderr.trim())
    expect(badRole).toBe(`pnpm users: unknown role "chief": the roles are ${ROLES.join(', ')}`)
    expect(unknownUser).toContain('no user "nobody"')
    expect(unknownArea).toContain('no ward or commune "Atlantis" in this city (pnpm users areas lists them)')
    expect(unknownCommand).toContain('unknown command "frobnicate"')

    const help = await users(location, ['--help'])
    expect(help.code).toBe(0)
    for (const command of ['list', 'create', 'set', 'disable', 'enable', 'reset-password', 'import']) expect(help.stdout).toContain(`  ${command} `)
    const disableHelp = await users(location, ['disable', '--help'])
    expect(disableHelp.stdout).toContain('within a minute')
    expect(disableHelp.stdout).toContain('Example:')
  })

  it('works on PostgreSQL (IOC_DB_URL)', { timeout: CLI_TEST_MS }, async () => {
    const database = await freshPostgresSchema()
    // onTestFinished runs last-registered first: the store opened below closes before the schema goes.
    onTestFinished(() => database.drop())
    const location = { url: database.url }

    const created = await users(location, ['create', 'dangvang', '--name', 'Đặng Văn G', '--role', 'staff'])
    expect(created.code).toBe(0)
    const password = oneTimePassword(created.stdout)
    expect((await users(location, ['list'])).stdout).toMatch(/^dangvang +Đặng Văn G +staff +no +yes +never$/m)
    expect((await users(location, ['disable', 'dangvang'])).code).toBe(0)

    const server = await serverSide(location)
    expect(server.database.engine).toBe('postgres')
    expect(await server.accounts.checkLogin('dangvang', password!)).toEqual({ ok: false, reason: 'disabled' })
  })
})
