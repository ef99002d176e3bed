import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { floodReadingTopic, type ReadingsResponse } from '@ioc/shared'
import { getJson } from '../helpers/http.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

/**
 * `pnpm backup` and `pnpm restore` as an operator runs them: the commands in their own processes,
 * against the data directory of a real server that is ingesting over MQTT meanwhile.
 */

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))
const CLI = fileURLToPath(new URL('../../server/src/cli/', import.meta.url))
/**
 * A test here starts up to three CLI processes (tsx compiles each at start) and three servers: seconds
 * each when the machine is idle, but CI once took over 60 s for one of them with both cores busy
 * (the whole file 179 s). A ceiling, not a timing the test relies on.
 */
const CLI_TEST_TIMEOUT_MS = 180_000

interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `pnpm <command>`'s script with a clean storage environment (no IOC_DB_URL unless given). */
function run(command: 'backup' | 'restore', args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  const { IOC_DB_URL: _db, IOC_DATA_DIR: _dir, ...inherited } = process.env
  return new Promise((resolve) => {
    execFile(TSX, [join(CLI, `${command}.ts`), ...args], { env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-backup-it-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function serverOn(dataDir: string): Promise<TestServer> {
  const server = await startServer({ dataDir })
  onTestFinished(() => server.close())
  return server
}

describe('pnpm backup and pnpm restore', () => {
  it('backs up a running server’s store while it ingests, and restores it once the server is stopped', { timeout: 120_000 }, async () => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    const server = await serverOn(dataDir)

    // Readings through the whole pipeline: device → broker → ingest → store.
    const base = Date.now() - 30 * 60_000
    const published = [0, 1, 2].map((i) => new Date(base + i * 60_000).toISOString())
    const socket = await connectSocket(server.baseUrl)
    const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === published[2])
    const device = await connectDevice(server.mqttUrl)
    for (const [i, ts] of published.entries()) await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 200 + i, seq: i })
    await device.close()
    await stored
    socket.close()

    // The server keeps writing while the backup runs in its own process.
    const t0 = Date.parse('2024-10-01T00:00:00Z')
    let written = 0
    let writing = true
    const writer = (async () => {
      for (; writing; written++) {
        await server.app.readings.insert({ stationId: 'hoa-huong-1', ts: new Date(t0 + written * 1000).toISOString(), waterLevelCm: written % 300 }, t0 + written * 1000)
        // The embedded store settles in microtasks: without a turn of the event loop, this loop
        // would starve everything else, the backup command's exit included.
        await new Promise(setImmediate)
      }
    })()
    while (written < 200) await new Promise(setImmediate)
    const writtenBefore = written
    const out = join(dir, 'backups', 'ioc-test.sqlite')
    const backup = await run('backup', ['--data-dir', dataDir, '--out', out])
    expect(backup).toMatchObject({ code: 0, stderr: '' })
    expect(backup.stdout).toContain(`Backed up ${join(dataDir, 'ioc.sqlite')}`)
    expect(backup.stdout).toContain(`to       ${out}`)
    expect(backup.stdout).toMatch(/size {5}[\d.]+ [KM]B \([\d,]+ bytes\)/)
    expect(backup.stdout).toMatch(/rows {5}[\d,]+ readings, 0 camera statuses/)
    expect(backup.stdout).toMatch(/schema {3}\d+ Kysely migrations? applied/)

    // Refused while the server has the database open; nothing in the data directory changes.
    const refused = await run('restore', [out, '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/stop the server first/)
    expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([])

    writing = false
    await writer
    expect(written).toBeGreaterThan(writtenBefore)

    // Into a fresh data directory, then a server on it holds what was committed before the backup began.
    const restoredDir = join(dir, 'restored')
    const restore = await run('restore', [out, '--data-dir', restoredDir])
    expect(restore).toMatchObject({ code: 0, stderr: '' })
    expect(restore.stdout).toContain(`into     ${join(restoredDir, 'ioc.sqlite')}`)
    expect(restore.stdout).toContain('kept     nothing: the data directory had no database')
    const restored = await serverOn(restoredDir)
    const history = await getJson<ReadingsResponse>(`${restored.baseUrl}/api/stations/tam-ky-river/readings?from=${published[0]}&to=${published[2]}&bucket=raw`)
    expect(history.points.map((p) => p.ts)).toEqual(published)
    const rows = await restored.app.readings.count('hoa-huong-1')
    expect(rows).toBeGreaterThanOrEqual(writtenBefore)
    expect(await restored.app.readings.count('hoa-huong-1', t0, t0 + (rows - 1) * 1000)).toBe(rows)
  })

  it('keeps the database it replaces, complete, when restoring over a stopped server’s store', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    const server = await startServer({ dataDir })
    await server.app.readings.insert({ stationId: 'tam-ky-river', ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 150 }, Date.parse('2024-10-30T00:00:00Z'))
    const backup = await run('backup', ['--data-dir', dataDir, '--out', join(dir, 'one-reading.sqlite')])
    expect(backup.code).toBe(0)
    await server.app.readings.insert({ stationId: 'tam-ky-river', ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 151 }, Date.parse('2024-10-30T00:01:00Z'))
    await server.close()

    const restore = await run('restore', [join(dir, 'one-reading.sqlite'), '--data-dir', dataDir])
    expect(restore.code).toBe(0)
    const kept = /kept {5}the database it replaced as (\S+)/.exec(restore.stdout)![1]!
    expect(readdirSync(dataDir).sort()).toEqual(['ioc.sqlite', kept.slice(dataDir.length + 1)])

    const restored = await serverOn(dataDir)
    expect(await restored.app.readings.count('tam-ky-river')).toBe(1)
    // The kept database is whole: restored in turn, it gives back both readings.
    const check = await run('restore', [kept, '--data-dir', join(dir, 'check')])
    expect(check.code).toBe(0)
    const keptServer = await serverOn(join(dir, 'check'))
    expect(await keptServer.app.readings.count('tam-ky-river')).toBe(2)
  })

  it('keeps the store, its WAL files, its backups and a restored store readable by their owner only', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const dir = tempDir()
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)
    // A data directory the server creates itself, as on a first start.
    const dataDir = join(dir, 'data')
    const server = await serverOn(dataDir)
    await server.app.readings.insert({ stationId: 'tam-ky-river', ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 150 }, Date.parse('2024-10-30T00:00:00Z'))
    expect(mode(dataDir)).toBe('700')
    expect(readdirSync(dataDir).sort()).toEqual(['ioc.sqlite', 'ioc.sqlite-shm', 'ioc.sqlite-wal'])
    for (const name of readdirSync(dataDir)) expect({ name, mode: mode(join(dataDir, name)) }).toEqual({ name, mode: '600' })

    // The default place: a backups directory beside the data directory, made by the command.
    const backup = await run('backup', ['--data-dir', dataDir])
    expect(backup.code).toBe(0)
    const file = /to {7}(\S+)/.exec(backup.stdout)![1]!
    expect(mode(join(dir, 'backups'))).toBe('700')
    expect(mode(file)).toBe('600')

    const restoredDir = join(dir, 'restored')
    expect((await run('restore', [file, '--data-dir', restoredDir])).code).toBe(0)
    expect(mode(restoredDir)).toBe('700')
    expect(mode(join(restoredDir, 'ioc.sqlite'))).toBe('600')
  })

  it('refuses clearly: PostgreSQL store, no database, not a backup, bad command line', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const dir = tempDir()
    const postgres = await run('backup', ['--data-dir', dir], { IOC_DB_URL: 'postgres://127.0.0.1:5432/ioc' })
    expect(postgres.code).toBe(1)
    expect(postgres.stderr).toContain('pg_dump -Fc "$IOC_DB_URL" -f ioc.dump')

    const nothing = await run('backup', ['--data-dir', join(dir, 'empty')])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toMatch(/there is no database at .*ioc\.sqlite/)
    expect(existsSync(join(dir, 'backups'))).toBe(false)

    const notBackup = await run('restore', [fileURLToPath(import.meta.url), '--data-dir', join(dir, 'data')])
    expect(notBackup.code).toBe(1)
    expect(notBackup.stderr).toMatch(/is not a SQLite database/)

    const usage = await run('restore', [])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('Usage: pnpm restore FILE [--data-dir DIR]')
  })
})
