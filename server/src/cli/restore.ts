#!/usr/bin/env tsx
/**
 * `pnpm restore FILE [--data-dir DIR]`: puts a backup made by `pnpm backup` in place of the SQLite
 * store, with the server stopped. docs/storage-and-backups.md, "Backups and export".
 */
import { migrations } from '../plugins/app/storage/migrations.ts'
import { databaseFile, fileTimestamp, restoreDatabase } from '../plugins/app/storage/sqlite-backup.ts'
import { restoreSnapshotFiles } from '../plugins/app/snapshots/snapshot-files-backup.ts'
import { CliExit, EXIT_OK, EXIT_USAGE, describeDatabase, parseCommandLine, resolveFromInvocation, runCommand, sqliteDataDir } from './storage-cli.ts'

const USAGE = `Usage: pnpm restore FILE [--data-dir DIR]

Replaces the embedded SQLite store with FILE (a backup made by pnpm backup). Stop the server first.
FILE is checked first: a SQLite database of this app, intact, with a schema this server knows.
The database it replaces is kept beside it as ioc.sqlite.before-restore-<UTC time>.
The camera snapshots backed up with it (FILE's .snapshots/ folder) replace DIR/snapshots, kept likewise.
  --data-dir DIR  the server's data directory (default: IOC_DATA_DIR, else ./data)
With IOC_DB_URL set (PostgreSQL), use pg_restore instead: see docs/storage-and-backups.md, "Backups and export".
Exit codes: 0 restored, 1 refused or failed, 2 bad command line or configuration.`

process.exitCode = await runCommand('restore', async () => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { 'data-dir': { type: 'string' } }, USAGE)
  if (values.help) throw new CliExit(EXIT_OK, USAGE)
  if (positionals.length !== 1) throw new CliExit(EXIT_USAGE, `${positionals.length === 0 ? 'which backup? Give its file' : 'give one backup file'}\n\n${USAGE}`)
  const dataDir = sqliteDataDir(values['data-dir'], 'pnpm restore')
  const file = resolveFromInvocation(positionals[0]!)

  const report = restoreDatabase(file, dataDir, { migrations: Object.keys(migrations('sqlite')) })
  console.log(`Restored ${file}`)
  console.log(`  into     ${databaseFile(dataDir)}`)
  for (const line of describeDatabase(report)) console.log(line)
  if (report.pending.length > 0) console.log(`           the server applies ${report.pending.length} migration(s) when it starts: ${report.pending.join(', ')}`)
  console.log(report.keptAs ? `  kept     the database it replaced as ${report.keptAs}` : '  kept     nothing: the data directory had no database')
  for (const orphan of report.orphansKept) console.log(`  moved    ${orphan} (left without its database; not replayed)`)
  const pictures = await restoreSnapshotFiles(file, dataDir, fileTimestamp(new Date()))
  if (pictures) console.log(`  pictures ${pictures.files} camera snapshot(s)${pictures.keptAs ? `; the ones they replaced kept as ${pictures.keptAs}` : ''}`)
  else console.log('  pictures none in this backup: the camera snapshots in the data directory are left as they are')
  console.log('Start the server when ready.')
})
