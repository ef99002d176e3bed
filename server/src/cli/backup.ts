#!/usr/bin/env tsx
/**
 * `pnpm backup [--data-dir DIR] [--out FILE]`: an online backup of the SQLite store — the server may
 * keep running — through SQLite's backup API. docs/storage-and-backups.md, "Backups and export".
 */
import { dirname, join } from 'node:path'
import { backupDatabase, databaseFile, fileTimestamp } from '../plugins/app/storage/sqlite-backup.ts'
import { backupSnapshotFiles } from '../plugins/app/snapshots/snapshot-files-backup.ts'
import { CliExit, EXIT_OK, describeDatabase, formatBytes, parseCommandLine, resolveFromInvocation, runCommand, sqliteDataDir } from './storage-cli.ts'

const USAGE = `Usage: pnpm backup [--data-dir DIR] [--out FILE]

Backs up the embedded SQLite store while the server runs (SQLite's online backup API), then checks the copy;
then the camera snapshots (DIR/snapshots) beside it, as <backup>.snapshots/ (hard links where possible).
  --data-dir DIR  the server's data directory (default: IOC_DATA_DIR, else ./data)
  --out FILE      the backup to write; never overwritten
                  (default: backups/ioc-<UTC time>.sqlite in the folder that holds the data directory)
With IOC_DB_URL set (PostgreSQL), use pg_dump instead: see docs/storage-and-backups.md, "Backups and export".
Exit codes: 0 backed up, 1 refused or failed, 2 bad command line or configuration.`

process.exitCode = await runCommand('backup', async () => {
  const { values } = parseCommandLine(process.argv.slice(2), { 'data-dir': { type: 'string' }, out: { type: 'string' } }, USAGE)
  if (values.help) throw new CliExit(EXIT_OK, USAGE)
  const dataDir = sqliteDataDir(values['data-dir'], 'pnpm backup')
  // Beside the data directory, not in it: whoever replaces or deletes the data directory keeps the backups.
  const out = values.out === undefined ? join(dirname(dataDir), 'backups', `ioc-${fileTimestamp(new Date())}.sqlite`) : resolveFromInvocation(values.out)

  const source = databaseFile(dataDir)
  const report = await backupDatabase(source, out)
  console.log(`Backed up ${source}`)
  console.log(`  to       ${report.file}`)
  console.log(`  size     ${formatBytes(report.bytes)}`)
  for (const line of describeDatabase(report)) console.log(line)
  // After the database: a picture is written before its row, so every row backed up has its file.
  const pictures = await backupSnapshotFiles(dataDir, report.file)
  if (pictures) console.log(`  pictures ${pictures.files} camera snapshot(s), ${formatBytes(pictures.bytes)}, in ${pictures.dir}`)
  console.log(`Restore it with: pnpm restore ${report.file}`)
})
