import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigError, loadConfig } from '../config.ts'
import { BackupError, describeSchema, type DatabaseReport } from '../plugins/app/storage/sqlite-backup.ts'

/** What `pnpm backup` and `pnpm restore` share: exit codes, command line, configuration, output. */

export const EXIT_OK = 0
/** Refused (PostgreSQL store, no database, server running, not a backup of this app…) or failed. */
export const EXIT_FAILED = 1
/** Bad command line or configuration. */
export const EXIT_USAGE = 2

/** Ends the command with this code and message (stderr when it is not a success). */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

/** Relative paths on the command line mean what they meant where the command was typed (pnpm runs scripts from the root). */
export const invocationDir = () => process.env.INIT_CWD ?? process.cwd()

export function parseCommandLine<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliExit(EXIT_USAGE, `${(error as Error).message}\n\n${usage}`)
  }
}

/**
 * The SQLite data directory, read like the server reads it (IOC_DATA_DIR, same default, same
 * validation); `--data-dir` stands in for IOC_DATA_DIR. A PostgreSQL store is refused: its tools are
 * pg_dump and pg_restore.
 */
export function sqliteDataDir(dataDirOption: string | undefined, command: string): string {
  const env = dataDirOption === undefined ? process.env : { ...process.env, IOC_DATA_DIR: dataDirOption }
  let config
  try {
    config = loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(EXIT_USAGE, error.message)
    throw error
  }
  if (config.dbUrl) {
    throw new CliExit(
      EXIT_FAILED,
      `IOC_DB_URL is set, so the store is PostgreSQL: ${command} handles the embedded SQLite store only.\n` +
        `Use PostgreSQL's own tools (docs/storage-and-backups.md, "Backups and export"):\n` +
        `  pg_dump -Fc "$IOC_DB_URL" -f ioc.dump\n` +
        `  pg_restore --clean --if-exists -d "$IOC_DB_URL" ioc.dump`,
    )
  }
  return config.dataDir
}

export const resolveFromInvocation = (path: string) => resolve(invocationDir(), path)

const count = (n: number) => n.toLocaleString('en-US')

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]} (${count(bytes)} bytes)`
}

/** The lines every report prints about a database: its rows and its schema. */
export function describeDatabase(report: DatabaseReport): string[] {
  return [`  rows     ${count(report.rows.readings)} readings, ${count(report.rows.cameraStatuses)} camera statuses`, `  schema   ${describeSchema(report.schema)}`]
}

/** Runs a command's main, turning its refusals into a message and an exit code. */
export async function runCommand(name: string, main: () => Promise<void>): Promise<number> {
  try {
    await main()
    return EXIT_OK
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.code === EXIT_OK) console.log(error.message)
      else console.error(`pnpm ${name}: ${error.message}`)
      return error.code
    }
    if (error instanceof BackupError) {
      console.error(`pnpm ${name}: ${error.message}`)
      return EXIT_FAILED
    }
    console.error(`pnpm ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT_FAILED
  }
}
