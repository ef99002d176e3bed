import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { floodReadingTopic, type PublicFloodResponse, type StationView } from '@ioc/shared'
import { loginAs } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options)
  cleanup.push(() => s.close())
  return s
}

const MINUTE = 60_000
const STATION = 'tam-ky-river' // BĐ1/2/3 = 170/220/270 cm

/** One reading every 5 minutes over the last hour, from `fromCm` to `toCm`; the newest a few seconds ago. */
async function publishHour(s: TestServer, fromCm: number, toCm: number, endMs = Date.now() - 5_000) {
  const device = await connectDevice(s.mqttUrl)
  for (let i = 0; i <= 12; i++) await device.publish(floodReadingTopic(STATION), { ts: new Date(endMs - (12 - i) * 5 * MINUTE).toISOString(), waterLevelCm: fromCm + ((toCm - fromCm) * i) / 12 })
  await device.close()
}

async function stationView(s: TestServer): Promise<StationView> {
  const staff = await loginAs(s, 'staff')
  return (await staff.fetch(`/api/stations/${STATION}`)).json() as Promise<StationView>
}
const publicPoint = async (s: TestServer) => ((await (await fetch(`${s.baseUrl}/api/public/flood`)).json()) as PublicFloodResponse).points.find((p) => p.id === STATION)!

describe('flood forecast', () => {
  it('is carried on the station view, the public data and the socket while the water rises, and withdrawn when it falls', async () => {
    const s = await server()
    const citizen = await connectSocket(s.baseUrl, { batch: true })
    cleanup.push(() => citizen.close())
    const rising = nextEvent(citizen, 'forecast:changed', (change) => change.stationId === STATION && change.forecast !== null)

    // 196 → 208 cm over the hour that ended half an hour ago, 12 cm/h: BĐ2 (220 cm) an hour after its last reading.
    const end = Date.now() - 30 * MINUTE
    await publishHour(s, 196, 208, end)
    const pushed = await rising
    expect(pushed.forecast).toMatchObject({ level: 2, minutes: 60, ratePerHour: 12 })
    expect((await stationView(s)).forecast).toEqual(pushed.forecast)
    expect((await publicPoint(s)).forecast).toEqual(pushed.forecast)

    // Then the water turned: 10 cm down over the half hour since.
    const withdrawn = nextEvent(citizen, 'forecast:changed', (change) => change.stationId === STATION && change.forecast === null)
    const device = await connectDevice(s.mqttUrl)
    for (let i = 1; i <= 6; i++) await device.publish(floodReadingTopic(STATION), { ts: new Date(end + i * 5 * MINUTE).toISOString(), waterLevelCm: 208 - (10 * i) / 6 })
    await device.close()
    await withdrawn
    expect((await stationView(s)).forecast).toBeNull()
  })

  it('is computed from the store, not from what one instance heard: a fresh instance on the same store says the same', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-forecast-'))
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = await startServer({ dataDir })
    await publishHour(first, 196, 208)
    await first.app.forecasts.idle()
    const said = (await stationView(first)).forecast
    await first.close()
    expect(said).toMatchObject({ level: 2 })

    // An instance that stored none of these readings and has heard none of them since it started.
    const second = await server({ dataDir })
    expect((await stationView(second)).forecast).toEqual(said)
    expect((await publicPoint(second)).forecast).toEqual(said)
  })

  it('is withheld on a flat, noisy river', async () => {
    const s = await server()
    const device = await connectDevice(s.mqttUrl)
    const end = Date.now() - 5_000
    for (let i = 0; i <= 30; i++) await device.publish(floodReadingTopic(STATION), { ts: new Date(end - (30 - i) * 2 * MINUTE).toISOString(), waterLevelCm: 200 + (i % 3) - 1 })
    await device.close()
    await s.app.forecasts.idle()
    expect((await stationView(s)).forecast).toBeNull()
  })
})
