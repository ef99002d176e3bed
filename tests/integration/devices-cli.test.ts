import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mqtt, { type ErrorWithReasonCode } from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { startServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

/** `pnpm devices` as an operator runs it: its own process, against the data directory a server uses. */

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))
const CLI = fileURLToPath(new URL('../../server/src/cli/devices.ts', import.meta.url))

function devices(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { IOC_DB_URL: _db, IOC_MQTT_URL: _mqtt, ...inherited } = process.env
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { env: { ...inherited, IOC_DATA_DIR: dataDir, IOC_CITY: 'tam-ky' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

/**
 * Each test runs the CLI several times as real processes through tsx: a second or two each on an idle
 * machine, over 20 s each with both cores busy and other suites running. A safety net, not an expectation.
 */
const CLI_TEST_MS = 300_000

describe('pnpm devices', () => {
  it('issues credentials a device then connects with, lists them without secrets, and revokes them', { timeout: CLI_TEST_MS }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-devices-it-'))
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
    const pack = loadCityPack('tam-ky')

    const unknown = await devices(dataDir, 'issue', 'tam-ky-river', 'no-such-station')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('not a station or camera of the city pack: no-such-station')
    expect(unknown.stderr).toContain('cau-xuan-quy')
    expect(unknown.stdout).toBe('')

    const issued = await devices(dataDir, 'issue', '--all')
    expect(issued.code).toBe(0)
    const [header, ...rows] = issued.stdout.trim().split('\n')
    expect(header).toBe('username,password,topic')
    expect(rows).toHaveLength(pack.stations.length + pack.cameras.length)
    const river = rows.map((row) => row.split(',')).find(([username]) => username === 'tam-ky-river')!
    expect(river[2]).toBe(floodReadingTopic('tam-ky-river'))

    const listed = await devices(dataDir, 'list')
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/^tam-ky-river +device +active/m)
    expect(listed.stdout).not.toContain(river[1])

    // The server reads the same store: the printed credential works on its embedded broker.
    const server = await startServer({ dataDir })
    onTestFinished(() => server.close())
    const socket = await connectSocket(server.baseUrl)
    onTestFinished(() => void socket.close())
    const ts = new Date(Date.now() - 60_000).toISOString()
    const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === ts)
    const device = await mqtt.connectAsync(server.app.mqttUrl, { clientId: river[0], username: river[0], password: river[1], reconnectPeriod: 0 })
    await device.publishAsync(river[2]!, JSON.stringify({ ts, waterLevelCm: 120 }), { qos: 1 })
    await stored
    await device.endAsync()

    const revoked = await devices(dataDir, 'revoke', 'tam-ky-river')
    expect(revoked.code).toBe(0)
    const refused = await mqtt.connectAsync(server.app.mqttUrl, { clientId: river[0], username: river[0], password: river[1], reconnectPeriod: 0 }).then(
      (client) => (void client.end(true), undefined),
      (error: ErrorWithReasonCode) => error.code,
    )
    expect(refused).toBe(5)
    expect((await devices(dataDir, 'revoke', 'nobody')).code).toBe(1)

    // Issuing and revoking are privileged actions: the audit log names the shell user who ran them.
    const audited = await server.app.audit.list({})
    expect(audited.filter((e) => e.action.startsWith('device.')).map((e) => [e.action, e.target, e.actor?.startsWith('cli:')])).toEqual([
      ['device.credential_revoked', 'mqtt:tam-ky-river', true],
      ['device.credentials_issued', `devices:${pack.stations.length + pack.cameras.length}`, true],
    ])
  })
})
