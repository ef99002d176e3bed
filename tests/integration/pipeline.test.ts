import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cameraStatusTopic, floodReadingTopic, type AreaCollection, type CameraView, type CityDef, type ReadingsResponse, type StationView } from '@ioc/shared'
import { errorMessage, getJson } from '../helpers/http.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'
import { readMetric } from '../helpers/metrics.ts'
import { loginAs, type TestSession } from '../helpers/auth.ts'

/**
 * A reading's whole path: device → MQTT broker → ingest (validate, store) → socket.io and HTTP.
 * Once with the embedded Aedes broker, once with the machine's Mosquitto (a real external broker,
 * shared with other tests: assertions pick out this test's own messages by their timestamps).
 */
const brokers = [
  { name: 'embedded Aedes broker', url: undefined },
  { name: 'Mosquitto at 127.0.0.1:1883', url: process.env.IOC_TEST_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883' },
]

describe.each(brokers)('pipeline through the $name', ({ url }) => {
  let server: TestServer
  let socket: IocClientSocket
  let staff: TestSession

  beforeEach(async () => {
    server = await startServer(url ? { mqttUrl: url } : {})
    // A logged-in staff member's dashboard: camera status is not for the public.
    staff = await loginAs(server, 'staff')
    socket = await connectSocket(server.baseUrl, {}, { cookie: staff.cookie })
  })
  afterEach(async () => {
    socket.close()
    await server.close()
  })

  it('delivers a published reading to socket.io clients and the HTTP API', async () => {
    const ts = new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString()
    const received = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === ts)
    const device = await connectDevice(server.mqttUrl)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 235, rainfallMm: 12.5, batteryPct: 88, seq: 7 })
    await device.close()

    expect(await received).toEqual({ stationId: 'tam-ky-river', ts, waterLevelCm: 235, rainfallMm: 12.5, batteryPct: 88, seq: 7 })

    const history = await getJson<ReadingsResponse>(`${server.baseUrl}/api/stations/tam-ky-river/readings?from=${ts}&to=${ts}`)
    expect(history).toMatchObject({ stationId: 'tam-ky-river', bucket: 'raw', points: [{ ts, waterLevelCm: 235, rainfallMm: 12.5 }] })

    if (!url) {
      // Only this test publishes to the embedded broker, so its reading is the latest one.
      const station = await getJson<StationView>(`${server.baseUrl}/api/stations/tam-ky-river`)
      expect(station.latest).toEqual({ ts, waterLevelCm: 235, rainfallMm: 12.5, batteryPct: 88 })
      expect(station.floodLevel).toBe(2)
      expect(station.levels).toEqual({ bd1: 170, bd2: 220, bd3: 270 })
    }
  })

  it('delivers a camera status to socket.io clients and the cameras API', async () => {
    const ts = new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString()
    const received = nextEvent(socket, 'camera:status', (s) => s.cameraId === 'cam-cau-tam-ky' && s.ts === ts)
    const device = await connectDevice(server.mqttUrl)
    await device.publish(cameraStatusTopic('cam-cau-tam-ky'), { ts, state: 'degraded', fps: 7.5, bitrateKbps: 900, tamper: false })
    await device.close()

    expect(await received).toEqual({ cameraId: 'cam-cau-tam-ky', ts, state: 'degraded', fps: 7.5, bitrateKbps: 900, tamper: false })
    if (!url) {
      const cameras = (await (await staff.fetch('/api/cameras')).json()) as CameraView[]
      expect(cameras.find((c) => c.id === 'cam-cau-tam-ky')?.latest).toEqual({ ts, state: 'degraded', fps: 7.5, bitrateKbps: 900, tamper: false })
      expect(cameras.length).toBeGreaterThanOrEqual(8)
    }
  })

  it('rejects and counts bad payloads while storing the valid readings around them', async () => {
    const base = Date.now() - 120_000 - Math.floor(Math.random() * 60_000)
    const valid = [0, 1, 2].map((i) => new Date(base + i * 1000).toISOString())
    const lastStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'cau-xuan-quy' && r.ts === valid[2])

    const device = await connectDevice(server.mqttUrl)
    const topic = floodReadingTopic('cau-xuan-quy')
    await device.publish(topic, { ts: valid[0], waterLevelCm: 80 })
    await device.publish(topic, '{"ts": "not json')
    await device.publish(topic, { ts: valid[0], waterLevelCm: 'high' })
    await device.publish(topic, '{"ts": 1700000000000, "waterLevelCm": 1e400}')
    await device.publish(floodReadingTopic('no-such-station'), { ts: valid[0], waterLevelCm: 80 })
    await device.publish('ioc/v1/flood/cau-xuan-quy', { ts: valid[0], waterLevelCm: 80 })
    await device.publish(topic, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
    await device.publish(topic, { ts: valid[1], waterLevelCm: 81 })
    await device.publish(topic, { ts: new Date(Date.now() + 3_600_000).toISOString(), waterLevelCm: 80 })
    await device.publish(topic, { ts: valid[1], waterLevelCm: 81 })
    await device.publish(topic, { ts: valid[2], waterLevelCm: 82 })
    await device.close()
    await lastStored

    const history = await getJson<ReadingsResponse>(`${server.baseUrl}/api/stations/cau-xuan-quy/readings?from=${valid[0]}&to=${valid[2]}&bucket=raw`)
    expect(history.points).toEqual([
      { ts: valid[0], waterLevelCm: 80 },
      { ts: valid[1], waterLevelCm: 81 },
      { ts: valid[2], waterLevelCm: 82 },
    ])
    // This test's own dead letters: on the shared Mosquitto, other tests' devices are rejected too.
    const mine = new Set([topic, floodReadingTopic('no-such-station'), 'ioc/v1/flood/cau-xuan-quy'])
    const deadLetters = (await server.app.deadLetters.list(1000)).filter((d) => mine.has(d.topic))
    const expected = { malformed_json: 1, schema: 2, unknown_station: 1, bad_topic: 1, invalid_utf8: 1, future_timestamp: 1 }
    const byReason = (letters: { reason: string }[]) => letters.reduce<Record<string, number>>((n, d) => ({ ...n, [d.reason]: (n[d.reason] ?? 0) + 1 }), {})
    expect(byReason(deadLetters)).toEqual(expected)

    // Every rejection is counted by reason in /metrics: exactly, where this test is the only publisher.
    for (const [reason, count] of Object.entries(expected)) {
      const counted = await readMetric(server.baseUrl, 'ioc_ingest_rejected_total', { reason })
      if (url) expect(counted).toBeGreaterThanOrEqual(count)
      else expect(counted).toBe(count)
    }
    const duplicates = await readMetric(server.baseUrl, 'ioc_ingest_duplicates_total', { kind: 'flood' })
    if (url) expect(duplicates).toBeGreaterThanOrEqual(1)
    else expect(duplicates).toBe(1)
    expect(Buffer.from(deadLetters.find((d) => d.reason === 'invalid_utf8')!.payloadBase64, 'base64')).toEqual(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
  })
})

describe('HTTP surface', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(() => server.close())

  it('reports ready when the broker and the store answer', async () => {
    const response = await fetch(`${server.baseUrl}/readyz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ready: true, broker: true, store: true, redis: true })
    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toEqual({ status: 'ok', instance: expect.any(String) })
  })

  it('documents every /api route in OpenAPI at /docs', async () => {
    const spec = await getJson<{ paths: Record<string, unknown> }>(`${server.baseUrl}/docs/json`)
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/stations/', '/api/stations/{id}', '/api/stations/{id}/readings', '/api/cameras/', '/api/city', '/api/areas']),
    )
    expect((await fetch(`${server.baseUrl}/docs`)).status).toBe(200)
  })

  it('answers unknown routes and stations with JSON errors', async () => {
    const missing = await fetch(`${server.baseUrl}/api/nothing-here`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route GET /api/nothing-here' })
    const station = await fetch(`${server.baseUrl}/api/stations/atlantis`)
    expect(station.status).toBe(404)
    expect(await errorMessage(station)).toBe('no station "atlantis"')
  })

  it('refuses bad history queries with a clear 400', async () => {
    const get = (query: string) => fetch(`${server.baseUrl}/api/stations/tam-ky-river/readings?${query}`)
    const reversed = await get('from=2024-10-31T00:00:00Z&to=2024-10-30T00:00:00Z')
    expect(reversed.status).toBe(400)
    expect(await errorMessage(reversed)).toMatch(/"from" .* is after "to"/)
    const badBucket = await get('bucket=7h')
    expect(badBucket.status).toBe(400)
    expect(await errorMessage(badBucket)).toMatch(/bucket/)
    const badDate = await get('from=yesterday')
    expect(badDate.status).toBe(400)
  })

  it('serves the city, its 13 areas as GeoJSON, and every station with its alarm levels', async () => {
    const city = await getJson<CityDef>(`${server.baseUrl}/api/city`)
    expect(city.name.vi).toBe('Thành phố Tam Kỳ')
    const areas = await getJson<AreaCollection>(`${server.baseUrl}/api/areas`)
    expect(areas.type).toBe('FeatureCollection')
    expect(areas.features).toHaveLength(13)
    const stations = await getJson<StationView[]>(`${server.baseUrl}/api/stations`)
    expect(stations.length).toBeGreaterThanOrEqual(6)
    expect(stations.every((s) => s.latest === null && s.floodLevel === 0)).toBe(true)
  })
})
