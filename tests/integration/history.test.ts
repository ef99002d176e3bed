import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cameraStatusTopic, MAX_HISTORY_POINTS, type CameraHistoryResponse, type ReadingsResponse } from '@ioc/shared'
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
    expect(await server.app.readings.insertMany(batch)).toBe(batch.length)
    const url = `${server.baseUrl}/api/stations/tam-ky-river/readings?from=${new Date(end - 30 * DAY).toISOString()}&to=${new Date(end - 1).toISOString()}`
    const before = await getJson<ReadingsResponse>(url)
    expect(before.bucket).toBe('1h')
    expect(before.points).toHaveLength(30 * 24)
    await server.app.readingsMaintenance.rollUp()
    expect(await getJson<ReadingsResponse>(url)).toEqual(before)
  })

  it('refuses a range and bucket that would give more than 5,000 points, saying what to ask instead', async () => {
    const to = Date.parse('2025-10-30T00:00:00Z')
    const from = new Date(to - 400 * DAY).toISOString()
    const readings = (query: string) => fetch(`${server.baseUrl}/api/stations/tam-ky-river/readings?from=${from}&to=${new Date(to).toISOString()}&${query}`)

    const refused = await readings('bucket=1m')
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        '400 days in 1-minute buckets would be 576,001 points, more than the 5,000 one answer may hold: ask for bucket=6h or coarser over this range ' +
        '(bucket=auto chooses one for you), or ask for at most 3 days 11 hours at a time in 1-minute buckets',
    })
    // The pair it names answers, and so does the automatic choice.
    const sixHourly = await readings('bucket=6h')
    expect(sixHourly.status).toBe(200)
    expect(((await sixHourly.json()) as ReadingsResponse).bucket).toBe('6h')
    expect((await readings('bucket=auto')).status).toBe(200)
    // 1-minute buckets over the longest range they may cover.
    const short = await fetch(`${server.baseUrl}/api/stations/tam-ky-river/readings?from=${new Date(to - (MAX_HISTORY_POINTS - 1) * 60_000).toISOString()}&to=${new Date(to).toISOString()}&bucket=1m`)
    expect(short.status).toBe(200)
  })

  it('refuses more than 5,000 raw readings in one answer, and bucket=auto still answers', async () => {
    const end = Date.parse('2025-10-30T00:00:00Z')
    const batch = Array.from({ length: MAX_HISTORY_POINTS + 1 }, (_, i) => {
      const tsMs = end - i * 60_000
      return { reading: { stationId: 'cau-xuan-quy', ts: new Date(tsMs).toISOString(), waterLevelCm: 100 + (i % 50) }, tsMs }
    })
    await server.app.readings.insertMany(batch)
    const range = (count: number) => `from=${new Date(end - (count - 1) * 60_000).toISOString()}&to=${new Date(end).toISOString()}`

    const refused = await fetch(`${server.baseUrl}/api/stations/cau-xuan-quy/readings?${range(MAX_HISTORY_POINTS + 1)}&bucket=raw`)
    expect(refused.status).toBe(400)
    expect(await errorMessage(refused)).toBe(
      'this range holds more than 5,000 readings, more than one answer may hold: ask for bucket=5m or coarser over this range (bucket=auto chooses one for you), or ask for a shorter range',
    )
    const fits = await getJson<ReadingsResponse>(`${server.baseUrl}/api/stations/cau-xuan-quy/readings?${range(MAX_HISTORY_POINTS)}&bucket=raw`)
    expect(fits.points).toHaveLength(MAX_HISTORY_POINTS)
    // The automatic choice buckets them for a chart (at most 1,000 points).
    const auto = await getJson<ReadingsResponse>(`${server.baseUrl}/api/stations/cau-xuan-quy/readings?${range(MAX_HISTORY_POINTS + 1)}`)
    expect(auto.bucket).toBe('15m')
    expect(auto.points.length).toBeLessThanOrEqual(1000)
  })

  it("limits one address's history requests without a login, not another address's, nor staff's", async () => {
    const ask = (remoteAddress: string, cookie?: string) =>
      server.app.inject({ method: 'GET', url: '/api/stations/tam-ky-river/readings', remoteAddress, headers: cookie ? { cookie } : {} })
    const statuses = await Promise.all(Array.from({ length: 120 }, () => ask('198.51.100.20').then((r) => r.statusCode)))
    expect(statuses.filter((status) => status === 200)).toHaveLength(120)

    const refused = await ask('198.51.100.20')
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^more than 120 history requests a minute from your address: try again in \d+ s/) })

    expect((await ask('198.51.100.21')).statusCode).toBe(200)
    const staff = await loginAs(server, 'staff')
    expect((await ask('198.51.100.20', staff.cookie)).statusCode).toBe(200)
  })
})
