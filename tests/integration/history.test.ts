import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cameraStatusTopic, type CameraHistoryResponse, type ReadingsResponse } from '@ioc/shared'
import { errorMessage, getJson } from '../helpers/http.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'
import { loginAs } from '../helpers/auth.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('history over HTTP', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(() => server.close())

  it("gives a camera's reports per hour and the share of them online", async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
    const staff = await loginAs(server, 'staff')
    const socket = await connectSocket(server.baseUrl, {}, { cookie: staff.cookie })
    // The server pushes each status once it is stored: the last one arriving means all four are in.
    const lastStored = nextEvent(socket, 'camera:status', (s) => s.ts === new Date(hour + 45 * 60_000).toISOString())
    const device = await connectDevice(server.mqttUrl)
    const states = ['online', 'online', 'offline', 'degraded'] as const
    for (const [i, state] of states.entries()) {
      await device.publish(cameraStatusTopic('cam-ql1-tam-ngoc'), { ts: hour + i * 15 * 60_000, state })
    }
    await device.close()
    await lastStored
    socket.close()
    const from = new Date(hour).toISOString()
    const to = new Date(hour + HOUR - 1).toISOString()
    const history = (await (await staff.fetch(`/api/cameras/cam-ql1-tam-ngoc/history?from=${from}&to=${to}&bucket=1h`)).json()) as CameraHistoryResponse
    expect(history).toEqual({
      cameraId: 'cam-ql1-tam-ngoc',
      bucket: '1h',
      from,
      to,
      points: [{ ts: from, reports: 4, online: 2, degraded: 1, offline: 1, uptime: 0.5 }],
    })
    const missing = await staff.fetch('/api/cameras/cam-nowhere/history')
    expect(missing.status).toBe(404)
    expect(await errorMessage(missing)).toBe('no camera "cam-nowhere"')
  })

  it('answers a 30-day range in hourly buckets, the same before and after the rollup', async () => {
    const end = Math.floor(Date.now() / HOUR) * HOUR
    const batch = Array.from({ length: 30 * 24 * 12 }, (_, i) => {
      const tsMs = end - 30 * DAY + i * 300_000
      return { reading: { stationId: 'tam-ky-river', ts: new Date(tsMs).toISOString(), waterLevelCm: 60 + (i % 120) }, tsMs }
    })
    expect(await server.app.store.insertReadings(batch)).toBe(batch.length)
    const url = `${server.baseUrl}/api/stations/tam-ky-river/readings?from=${new Date(end - 30 * DAY).toISOString()}&to=${new Date(end - 1).toISOString()}`
    const before = await getJson<ReadingsResponse>(url)
    expect(before.bucket).toBe('1h')
    expect(before.points).toHaveLength(30 * 24)
    await server.app.store.rollUp()
    expect(await getJson<ReadingsResponse>(url)).toEqual(before)
  })
})
