#!/usr/bin/env tsx
/**
 * `pnpm users <command>`: the accounts of the IOC from a shell — the first setup of a server, or when no
 * one can log in as an admin. The same accounts service, rules and audit log as the admin API (issue #5),
 * in the store the server uses (same environment: IOC_DB_URL / IOC_DATA_DIR / IOC_CITY). It works while
 * the server runs: SQLite in WAL mode with a busy timeout, or PostgreSQL.
 */
import { readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { Compile } from 'typebox/compile'
import {
  CreateUserBody,
  FullName,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  UpdateUserBody,
  Username,
  zoneOffsetMs,
  type CityPack,
  type Role,
  type UserView,
} from '@ioc/shared'
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { ConfigError, loadConfig } from '../config.ts'
import { DomainError } from '../domain-errors.ts'
import { createAuditLogRepository } from '../plugins/app/audit/audit-log.repository.ts'
import { createAccountsService, normaliseUsername, type AccountsService, type Actor } from '../plugins/app/auth/accounts.service.ts'
import { createAreaLookup } from '../plugins/app/auth/area-lookup.ts'
import { createSessionsRepository } from '../plugins/app/auth/sessions.repository.ts'
import { createUsersRepository, toUserView, type UsersRepository } from '../plugins/app/auth/users.repository.ts'
import { openDatabase } from '../plugins/app/storage/database-handle.ts'
import { CliExit, EXIT_FAILED, EXIT_OK, resolveFromInvocation, runCommand } from './storage-cli.ts'

const ROLE_LIST = ROLES.join(', ')
/** pnpm 12 writes its own lines (the script line, "Command failed") to stderr: stdout is this command's alone. */
const CMD = 'pnpm users'
const SESSIONS_NOTE =
  'Ending sessions deletes them from the store: the user’s next request is refused at once, and the running\n' +
  'server disconnects their live dashboards within a minute.'

const COMMANDS = {
  list: {
    summary: 'every account: full name, role, area, state, last login',
    positionals: [],
    options: [],
    help: `Usage: ${CMD} list

Lists every account: username, full name, role, area (ward or commune), whether it is disabled or must
still choose its password, and its last login (in the city's time zone). Passwords are never shown.
Example:
  ${CMD} list`,
  },
  create: {
    summary: 'a new account; prints its one-time password',
    positionals: ['username'],
    options: ['name', 'role', 'area', 'password-stdin'],
    help: `Usage: ${CMD} create <username> --name "<full name>" --role <role> [--area <code or name>] [--password-stdin]

Creates an account and prints its one-time password, once: hand it to the user, who logs in with it and
chooses their own password.
  <username>        2 to 64 lower-case letters, digits and . _ - (written in capitals, it is stored lower-case)
  --name TEXT       full name (Họ và tên), with its diacritics
  --role ROLE       ${ROLE_LIST}
  --area AREA       area_staff only, and required for them: their ward or commune, by GSO code or name,
                    diacritics optional ("20362", "Xã Tam Thăng", "tam thang"); ${CMD} areas lists them
  --password-stdin  for scripts: read the password from the first line of stdin (${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH}
                    characters) instead of making one up. As with the admin page, the user still chooses
                    their own password at first login.
Examples:
  ${CMD} create nguyenvana --name "Nguyễn Văn A" --role area_staff --area "Tam Thăng"
  printf '%s\\n' "$PASSWORD" | ${CMD} create tranthib --name "Trần Thị B" --role admin --password-stdin`,
  },
  set: {
    summary: 'change the full name, role or area',
    positionals: ['username'],
    options: ['name', 'role', 'area', 'no-area'],
    help: `Usage: ${CMD} set <username> [--name "<full name>"] [--role <role>] [--area <code or name> | --no-area]

Changes an account; give at least one option.
  --name TEXT   the new full name
  --role ROLE   ${ROLE_LIST}; an area_staff account keeps its area, any other role drops it
  --area AREA   the ward or commune of an area_staff account, by GSO code or name (${CMD} areas)
  --no-area     no area (with a role other than area_staff)
A new role or area ends the user's open sessions: they log in again and see what the new role allows.
${SESSIONS_NOTE}
The last enabled admin cannot lose the admin role.
Examples:
  ${CMD} set nguyenvana --role area_staff --area 20362
  ${CMD} set nguyenvana --role staff --no-area
  ${CMD} set nguyenvana --name "Nguyễn Văn Anh"`,
  },
  disable: {
    summary: 'refuse the account’s logins and end its sessions',
    positionals: ['username'],
    options: [],
    help: `Usage: ${CMD} disable <username>

Disables an account: its logins are refused and its open sessions end. Nothing is deleted; the audit log
keeps its history, and ${CMD} enable undoes it.
${SESSIONS_NOTE}
The last enabled admin cannot be disabled.
Example:
  ${CMD} disable nguyenvana`,
  },
  enable: {
    summary: 'allow a disabled account to log in again',
    positionals: ['username'],
    options: [],
    help: `Usage: ${CMD} enable <username>

Enables a disabled account again, with its password unchanged (reset-password gives it a new one).
Example:
  ${CMD} enable nguyenvana`,
  },
  'reset-password': {
    summary: 'a new one-time password; ends the account’s sessions',
    positionals: ['username'],
    options: [],
    help: `Usage: ${CMD} reset-password <username>

Gives the account a new one-time password, printed once: the old password stops working, the user's open
sessions end, and they choose their own password at their next login.
${SESSIONS_NOTE}
Example:
  ${CMD} reset-password nguyenvana`,
  },
  import: {
    summary: 'many accounts from a CSV list (--dry-run checks only)',
    positionals: ['file.csv'],
    options: ['dry-run'],
    help: `Usage: ${CMD} import <file.csv> [--dry-run] > passwords.csv

Creates the accounts of a CSV list (UTF-8, header row first), each with a one-time password. Every row is
checked on its own: the good ones are created, the others refused with their line and reason.
  Columns: username, full_name, role, area (Vietnamese headers such as "Họ và tên", "Vai trò", "Phường/xã"
  work too). area: GSO code or name of the ward or commune, for area_staff only.
  --dry-run   check and report only; nothing is created
stdout: the created accounts as CSV (username,full_name,role,area,one_time_password), to redirect to a file
and hand out; the passwords are shown only this once. stderr: each refused row, then a summary.
Exit code 1 when any row was refused.
Example file:
  username,full_name,role,area
  nguyenvana,Nguyễn Văn A,area_staff,Xã Tam Thăng
  tranthib,Trần Thị B,operator,
Example:
  ${CMD} import accounts.csv --dry-run
  ${CMD} import accounts.csv > one-time-passwords.csv`,
  },
  areas: {
    summary: 'the wards and communes an area_staff account may belong to',
    positionals: [],
    options: [],
    help: `Usage: ${CMD} areas

Lists the wards and communes of the city (IOC_CITY): GSO code and Vietnamese name. --area takes either.
Example:
  ${CMD} areas`,
  },
} as const satisfies Record<string, { summary: string; positionals: readonly string[]; options: readonly string[]; help: string }>
type Command = keyof typeof COMMANDS

const USAGE = `Usage: ${CMD} <command> [options]

The IOC's accounts from the shell, for the first setup of a server or when no admin can log in. Same rules
and audit log as the admin page; the store is the server's (IOC_DB_URL, IOC_DATA_DIR, IOC_CITY, as for
pnpm start), and the server may keep running.

Commands:
${Object.entries(COMMANDS)
  .map(([name, { positionals, summary }]) => `  ${[name, ...positionals.map((p) => `<${p}>`)].join(' ').padEnd(27)} ${summary}`)
  .join('\n')}

${CMD} <command> --help shows a command's options and an example.
Roles: ${ROLE_LIST} (area_staff belong to one ward or commune).
Changes are recorded in the audit log as cli:<your OS user>.
Exit codes: 0 done, 1 refused or failed (one line on stderr says why).
Example:
  ${CMD} create nguyenvana --name "Nguyễn Văn A" --role operator`

const OPTIONS = {
  name: { type: 'string' },
  role: { type: 'string' },
  area: { type: 'string' },
  'no-area': { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const fail = (message: string) => new CliExit(EXIT_FAILED, message)
const isCommand = (name: string): name is Command => Object.hasOwn(COMMANDS, name)

/** The audit log's actor of everything this command does: who ran it on this machine. */
function cliActor(): Actor {
  let who: string
  try {
    who = userInfo().username
  } catch {
    who = process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
  return { username: `cli:${who}`, ip: null }
}

function parseCommandLine(argv: string[]) {
  const [first, ...rest] = argv
  if (first === undefined) throw fail(`which command? ${Object.keys(COMMANDS).join(', ')} (${CMD} --help)`)
  if (first === '--help' || first === '-h' || first === 'help') {
    const about = rest[0]
    if (about !== undefined && !isCommand(about)) throw fail(`unknown command "${about}": the commands are ${Object.keys(COMMANDS).join(', ')}`)
    throw new CliExit(EXIT_OK, about === undefined ? USAGE : COMMANDS[about].help)
  }
  if (!isCommand(first)) throw fail(`unknown command "${first}": the commands are ${Object.keys(COMMANDS).join(', ')} (${CMD} --help)`)
  const command = first
  const spec = COMMANDS[command]
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw fail(`${(error as Error).message.split('. ')[0]} (${CMD} ${command} --help)`)
  }
  const { values, positionals } = parsed
  if (values.help) throw new CliExit(EXIT_OK, spec.help)
  const allowed: readonly string[] = spec.options
  const stray = Object.keys(values).find((key) => !allowed.includes(key))
  if (stray) throw fail(`${command} takes no --${stray} (${CMD} ${command} --help)`)
  if (positionals.length !== spec.positionals.length) {
    const wanted = spec.positionals.length === 0 ? 'no arguments' : spec.positionals.map((p) => `<${p}>`).join(' ')
    throw fail(`${command} takes ${wanted}${positionals.length > spec.positionals.length ? `, not "${positionals.slice(spec.positionals.length).join(' ')}"` : ''} (${CMD} ${command} --help)`)
  }
  return { command, values, positionals }
}

/** The service's words for the API, in the words of this command line. */
const cliWording = (message: string) =>
  message
    .replaceAll('(see GET /api/areas)', `(${CMD} areas lists them)`)
    .replace(/\ban areaId\b/, '--area')
    .replace(/\bno areaId\b/, 'no --area')

function checkRole(role: string | undefined): Role | undefined {
  if (role === undefined) return undefined
  const found = ROLES.find((r) => r === role.trim().toLowerCase())
  if (!found) throw fail(`unknown role "${role}": the roles are ${ROLE_LIST}`)
  return found
}

/** What the admin API's request schemas refuse, refused here the same way, in command-line words. */
const createBodyCheck = Compile(CreateUserBody)
const updateBodyCheck = Compile(UpdateUserBody)
function checkBody<T>(check: { Check(value: unknown): boolean; Errors(value: unknown): Iterable<{ instancePath: string; message: string }> }, body: T): T {
  if (check.Check(body)) return body
  const problems = [...check.Errors(body)].map(({ instancePath, message }) => {
    const field = instancePath.slice(1)
    const value = (body as Record<string, unknown>)[field]
    if (field === 'username') return `username "${String(value)}" must be ${(Username as { description?: string }).description}`
    if (field === 'fullName') return `--name must be 1 to ${(FullName as { maxLength?: number }).maxLength} characters`
    if (field === 'password') return `the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`
    if (field === 'areaId') return `--area must be 1 to 64 characters`
    return `${field || 'input'}: ${message}`
  })
  throw fail([...new Set(problems)].join('; '))
}

/** The first line of stdin: a password piped in by a script, or typed (visibly) at a terminal. */
async function readPasswordLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (one line; it is shown as you type, prefer piping it in): ')
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })
  for await (const line of lines) {
    lines.close()
    return line
  }
  return ''
}

function textWidth(text: string): number {
  return [...text.normalize('NFC')].length
}
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(textWidth(h), ...rows.map((row) => textWidth(row[i] ?? ''))))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - textWidth(cell))))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
const csvLine = (cells: string[]) => cells.map(csvCell).join(',')

process.exitCode = await runCommand('users', async () => {
  const { command, values, positionals } = parseCommandLine(process.argv.slice(2))
  const [target] = positionals

  // What can be refused without the store is refused before opening it.
  const role = checkRole(values.role)
  if (values.area !== undefined && values['no-area']) throw fail('--area and --no-area exclude each other')
  if (command === 'set' && values.name === undefined && role === undefined && values.area === undefined && !values['no-area']) {
    throw fail(`set needs at least one of --name, --role, --area, --no-area (${CMD} set --help)`)
  }
  if (command === 'create' && (values.name === undefined || role === undefined)) {
    throw fail(`create needs --name "<full name>" and --role <role> (${CMD} create --help)`)
  }
  const password = values['password-stdin'] ? await readPasswordLine() : undefined

  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) throw fail(`invalid configuration: ${error.problems.join('; ')}`)
    throw error
  }
  const pack = resolveCityPack(config.city)
  if (command === 'areas') return printAreas(pack)
  const csv = command === 'import' ? await readCsv(target!) : undefined

  const database = await openDatabase(config.dbUrl ? { url: config.dbUrl } : { dataDir: config.dataDir })
  try {
    const users = createUsersRepository(database.db)
    const sessions = createSessionsRepository(database.db, config.sessions)
    let sessionsEnded = 0
    const accounts = createAccountsService({
      users,
      audit: createAuditLogRepository(database.db),
      findArea: createAreaLookup(pack.areas),
      endSessions: async (userId, keep) => {
        sessionsEnded += (await sessions.deleteForUser(userId, keep)).length
      },
    })
    const areaName = areaNames(pack)
    const describe = (user: UserView) => `${user.username} (${user.fullName}), ${user.role}${user.areaId ? ` of ${areaName(user.areaId)}` : ''}`
    const endedNote = () =>
      sessionsEnded === 0 ? 'No session was open.' : `${sessionsEnded} open session${sessionsEnded === 1 ? '' : 's'} ended (live dashboards are disconnected within a minute).`
    const actor = cliActor()

    const findUser = async (username: string): Promise<UserView> => {
      const row = await users.byUsername(normaliseUsername(username))
      if (!row) throw fail(`no user "${username}" (${CMD} list shows every account)`)
      return toUserView(row)
    }

    try {
      switch (command) {
        case 'list':
          return printList(await accounts.list(), areaName, pack.city.timezone)
        case 'create': {
          const body = checkBody(createBodyCheck, {
            username: normaliseUsername(target!),
            fullName: values.name!.normalize('NFC').trim(),
            role: role!,
            ...(values.area !== undefined && { areaId: values.area }),
            ...(password !== undefined && { password }),
          })
          const { user, temporaryPassword } = await accounts.create(body, actor)
          console.log(`Created ${describe(user)}.`)
          if (temporaryPassword) {
            console.log(`One-time password (shown only now): ${temporaryPassword}`)
            console.log('They log in with it and then choose their own password.')
          } else {
            console.log('Password: the one from stdin. They choose their own password at first login.')
          }
          await noteMissingAdmin(users)
          return
        }
        case 'set': {
          const before = await findUser(target!)
          const patch = checkBody(updateBodyCheck, {
            ...(values.name !== undefined && { fullName: values.name.normalize('NFC').trim() }),
            ...(role !== undefined && { role }),
            ...(values.area !== undefined && { areaId: values.area }),
            ...(values['no-area'] && { areaId: null }),
          })
          const after = await accounts.update(before.id, patch, actor)
          const changes = [
            before.fullName !== after.fullName && `name “${before.fullName}” → “${after.fullName}”`,
            before.role !== after.role && `role ${before.role} → ${after.role}`,
            before.areaId !== after.areaId && `area ${before.areaId ? areaName(before.areaId) : '(none)'} → ${after.areaId ? areaName(after.areaId) : '(none)'}`,
          ].filter((change) => change !== false)
          if (changes.length === 0) return console.log(`Nothing to change: ${describe(after)}.`)
          console.log(`Updated ${after.username}: ${changes.join(', ')}.`)
          if (before.role !== after.role || before.areaId !== after.areaId) console.log(endedNote())
          return
        }
        case 'disable':
        case 'enable': {
          const before = await findUser(target!)
          const disabled = command === 'disable'
          if (before.disabled === disabled) return console.log(`${before.username} is already ${disabled ? 'disabled' : 'enabled'}.`)
          const after = await accounts.update(before.id, { disabled }, actor)
          if (disabled) console.log(`Disabled ${describe(after)}: their logins are refused. ${endedNote()}`)
          else console.log(`Enabled ${describe(after)}: they can log in again with their password.`)
          return
        }
        case 'reset-password': {
          const before = await findUser(target!)
          const { user, temporaryPassword } = await accounts.resetPassword(before.id, actor)
          console.log(`New one-time password for ${describe(user)} (shown only now): ${temporaryPassword}`)
          console.log(`The old password no longer works; they choose their own at their next login. ${endedNote()}`)
          if (user.disabled) console.log(`Note: ${user.username} is disabled; ${CMD} enable ${user.username} lets them log in.`)
          return
        }
        case 'import':
          return await importAccounts(accounts, csv!, values['dry-run'] ?? false, actor, areaName)
      }
    } catch (error) {
      if (error instanceof DomainError) throw fail(cliWording(error.message))
      throw error
    }
  } finally {
    await database.close()
  }
})

function areaNames(pack: CityPack): (code: string) => string {
  const names = new Map(pack.areas.features.map(({ properties }) => [properties.code, properties.nameVi.normalize('NFC')]))
  return (code) => names.get(code) ?? code
}

function printAreas(pack: CityPack): void {
  const rows = pack.areas.features.map(({ properties }) => [properties.code, properties.nameVi.normalize('NFC'), properties.nameEn])
  console.log(table(['CODE', 'NAME', 'ENGLISH'], rows))
}

function printList(users: UserView[], areaName: (code: string) => string, timeZone: string): void {
  if (users.length === 0) {
    console.log(`No accounts yet. The server creates "admin" at its first start on an empty store, or: ${CMD} create --help`)
    return
  }
  const local = (iso: string) => {
    const ms = Date.parse(iso)
    return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 16).replace('T', ' ')
  }
  const yesNo = (flag: boolean) => (flag ? 'yes' : 'no')
  const rows = users.map((u) => [u.username, u.fullName, u.role, u.areaId ? areaName(u.areaId) : '', yesNo(u.disabled), yesNo(u.mustChangePassword), u.lastLoginAt ? local(u.lastLoginAt) : 'never'])
  console.log(table(['USERNAME', 'FULL NAME', 'ROLE', 'AREA', 'DISABLED', 'MUST CHANGE PASSWORD', `LAST LOGIN (${timeZone})`], rows))
  console.log(`${users.length} account${users.length === 1 ? '' : 's'}, ${users.filter((u) => !u.disabled).length} enabled.`)
}

async function readCsv(file: string): Promise<string> {
  const path = resolveFromInvocation(file)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw fail(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`)
  }
}

async function importAccounts(accounts: AccountsService, csv: string, dryRun: boolean, actor: Actor, areaName: (code: string) => string): Promise<void> {
  const report = await accounts.importCsv(csv, dryRun, actor)
  const header = ['username', 'full_name', 'role', 'area']
  console.log(csvLine(dryRun ? header : [...header, 'one_time_password']))
  for (const row of report.created) {
    const cells = [row.username, row.fullName, row.role, row.areaId ? areaName(row.areaId) : '']
    console.log(csvLine(dryRun ? cells : [...cells, row.temporaryPassword ?? '']))
  }
  for (const refused of report.refused) {
    console.error(`refused line ${refused.line}${refused.username ? ` (${refused.username})` : ''}: ${refused.message}`)
  }
  const created = report.created.length
  const accountsWord = `${created} account${created === 1 ? '' : 's'}`
  const refusedWord = `${report.refused.length} row${report.refused.length === 1 ? '' : 's'} refused`
  const summary = dryRun ? `dry run: ${accountsWord} would be created, ${refusedWord}; nothing was written` : `created ${accountsWord}, ${refusedWord}`
  // Any refusal fails the command, so a script notices; the accounts that were fine are created all the same.
  if (report.refused.length > 0) throw fail(summary)
  console.error(summary.charAt(0).toUpperCase() + summary.slice(1) + '.')
}

/** The server makes `admin` only on an empty store: if the CLI made the first account, say what is missing. */
async function noteMissingAdmin(users: UsersRepository): Promise<void> {
  if ((await users.otherEnabledAdmins(0)) > 0) return
  console.error(`Note: there is no enabled admin account yet, and the server creates "admin" only on an empty store. Make one: ${CMD} create <username> --name "<full name>" --role admin`)
}
