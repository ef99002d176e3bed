import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { floodReadingTopic } from '@ioc/shared'
import { errorMessage, getJson } from '../helpers/http.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'
import { loginAs } from '../helpers/auth.ts'

/**
 * The CSV export of a station's readings, end to end: readings published over MQTT to a real server
 * (embedded broker), downloaded over HTTP as a city clerk's browser would.
 */

const VI_HEADINGS = 'Thời gian địa phương (UTC+07:00),Thời gian UTC (ISO 8601),Mực nước (cm),Lượng mưa (mm),Pin (%),Số thứ tự bản tin (seq)'
const EN_HEADINGS = 'Local time (UTC+07:00),Time UTC (ISO 8601),Water level (cm),Rainfall (mm),Battery (%),Message sequence no. (seq)'
const BOM = [0xef, 0xbb, 0xbf]

/** The body as bytes and as the lines of the text after the BOM (the last, empty one dropped). */
async function download(response: Response): Promise<{ bytes: Uint8Array; lines: string[] }> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  expect(text.endsWith('\r\n')).toBe(true)
  return { bytes, lines: text.slice(1, -2).split('\r\n') }
}

/** `2024-10-30 14:00:00`: the instant in Tam Kỳ (UTC+7), as the export writes local time. */
const tamKyTime = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')

describe('CSV export of a station’s readings', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(() => server.close())

  const csvUrl = (station: string, query: string) => `${server.baseUrl}/api/stations/${station}/readings.csv?${query}`

  it('downloads readings published over MQTT, Excel-ready, with Vietnamese or English headings', async () => {
    const base = Date.now() - 10 * 60_000
    const ts = [0, 1, 2].map((i) => new Date(base + i * 60_000).toISOString())
    const socket = await connectSocket(server.baseUrl)
    const lastStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'cau-xuan-quy' && r.ts === ts[2])
    const device = await connectDevice(server.mqttUrl)
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: ts[0], waterLevelCm: 235, rainfallMm: 12.5, batteryPct: 88, seq: 7 })
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: ts[1], waterLevelCm: 236.4 })
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: ts[2], waterLevelCm: 240, batteryPct: 87, seq: 9 })
    await device.close()
    await lastStored
    socket.close()

    const range = `from=${new Date(base - 60_000).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`
    const response = await fetch(csvUrl('cau-xuan-quy', range))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const disposition = response.headers.get('content-disposition')!
    expect(disposition).toMatch(/^attachment; filename="cau-xuan-quy_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.csv"; filename\*=UTF-8''/)
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toMatch(/^Điểm cảnh báo lũ Cầu Xuân Quý_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.csv$/)

    const { bytes, lines } = await download(response)
    expect([...bytes.subarray(0, 3)]).toEqual(BOM)
    expect(lines).toEqual([
      VI_HEADINGS,
      `${tamKyTime(ts[0]!)},${ts[0]},235,12.5,88,7`,
      `${tamKyTime(ts[1]!)},${ts[1]},236.4,,,`,
      `${tamKyTime(ts[2]!)},${ts[2]},240,,87,9`,
    ])

    const english = await fetch(csvUrl('cau-xuan-quy', `${range}&headers=en`))
    expect(decodeURIComponent(english.headers.get('content-disposition')!.split("filename*=UTF-8''")[1]!)).toMatch(/^Cầu Xuân Quý flood-warning point_/)
    const { lines: englishLines } = await download(english)
    expect(englishLines[0]).toBe(EN_HEADINGS)
    expect(englishLines.slice(1)).toEqual(lines.slice(1))
  })

  it('gives the heading row alone for a range without readings', async () => {
    const response = await fetch(csvUrl('tam-ky-river', 'from=2024-10-30T00:00:00Z&to=2024-10-31T00:00:00Z'))
    expect(response.status).toBe(200)
    const { bytes, lines } = await download(response)
    expect([...bytes.subarray(0, 3)]).toEqual(BOM)
    expect(lines).toEqual([VI_HEADINGS])
  })

  it('refuses bad ranges with a clear 400, and an unknown station with 404', async () => {
    const reversed = await fetch(csvUrl('tam-ky-river', 'from=2024-10-31T00:00:00Z&to=2024-10-30T00:00:00Z'))
    expect(reversed.status).toBe(400)
    expect(await errorMessage(reversed)).toMatch(/"from" .* is after "to"/)

    const badDate = await fetch(csvUrl('tam-ky-river', 'from=yesterday'))
    expect(badDate.status).toBe(400)
    expect(await errorMessage(badDate)).toMatch(/from/)

    const tooLong = await fetch(csvUrl('tam-ky-river', 'from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z'))
    expect(tooLong.status).toBe(400)
    expect(await errorMessage(tooLong)).toMatch(/longer than 400 days/)

    const badLanguage = await fetch(csvUrl('tam-ky-river', 'headers=fr'))
    expect(badLanguage.status).toBe(400)
    expect(await errorMessage(badLanguage)).toMatch(/headers/)

    const unknown = await fetch(csvUrl('atlantis', ''))
    expect(unknown.status).toBe(404)
    expect(await errorMessage(unknown)).toBe('no station "atlantis"')
  })

  it('streams a large export to logged-in staff completely, oldest first', { timeout: 60_000 }, async () => {
    const t0 = Date.parse('2024-10-01T00:00:00Z')
    const count = 20_000
    for (let i = 0; i < count; i++) {
      await server.app.readings.insert({ stationId: 'hoa-huong-1', ts: new Date(t0 + i * 60_000).toISOString(), waterLevelCm: i % 400, seq: i }, t0 + i * 60_000)
    }

    const staff = await loginAs(server, 'staff')
    const response = await staff.fetch(`/api/stations/hoa-huong-1/readings.csv?from=${new Date(t0).toISOString()}&to=${new Date(t0 + count * 60_000).toISOString()}`)
    expect(response.status).toBe(200)
    // Streamed: sent in chunks as it is read, not measured up front.
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    expect(response.headers.get('content-length')).toBeNull()
    let chunks = 0
    let text = ''
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    for await (const chunk of response.body!) {
      chunks++
      text += decoder.decode(chunk, { stream: true })
    }
    expect(chunks).toBeGreaterThan(1)
    const lines = text.slice(1, -2).split('\r\n')
    expect(lines).toHaveLength(1 + count)
    expect(lines[1]).toBe(`2024-10-01 07:00:00,2024-10-01T00:00:00.000Z,0,,,0`)
    const last = new Date(t0 + (count - 1) * 60_000).toISOString()
    expect(lines[count]).toBe(`${tamKyTime(last)},${last},${(count - 1) % 400},,,${count - 1}`)
    const seqs = lines.slice(1).map((line) => Number(line.split(',')[5]))
    expect(seqs.every((seq, i) => seq === i)).toBe(true)
  })

  it('without login, exports at most 5,000 readings and says how to get more', async () => {
    const t0 = Date.parse('2024-10-01T00:00:00Z')
    const batch = Array.from({ length: 5_001 }, (_, i) => ({ reading: { stationId: 'tam-ky-river', ts: new Date(t0 + i * 60_000).toISOString(), waterLevelCm: 150 }, tsMs: t0 + i * 60_000 }))
    await server.app.readings.insertMany(batch)
    const through = (n: number) => `from=${new Date(t0).toISOString()}&to=${new Date(t0 + (n - 1) * 60_000).toISOString()}`

    const refused = await fetch(csvUrl('tam-ky-river', through(5_001)))
    expect(refused.status).toBe(400)
    expect(await errorMessage(refused)).toBe(
      'this range holds more than 5,000 readings, more than an export without login may hold: ask for a shorter range, or log in — city staff may export up to 400 days at once',
    )
    const { lines } = await download(await fetch(csvUrl('tam-ky-river', through(5_000))))
    expect(lines).toHaveLength(1 + 5_000)
    const staff = await loginAs(server, 'staff')
    const { lines: all } = await download(await staff.fetch(`/api/stations/tam-ky-river/readings.csv?${through(5_001)}`))
    expect(all).toHaveLength(1 + 5_001)
  })

  it("limits one address's exports without a login, not another address's, nor staff's", async () => {
    const ask = (remoteAddress: string, cookie?: string) =>
      server.app.inject({ method: 'GET', url: '/api/stations/tam-ky-river/readings.csv', remoteAddress, headers: cookie ? { cookie } : {} })
    for (let i = 0; i < 20; i++) expect((await ask('198.51.100.30')).statusCode).toBe(200)

    const refused = await ask('198.51.100.30')
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json().message).toMatch(/^more than 20 CSV exports a minute from your address: try again in \d+ s \(city staff who log in have no limit\)$/)

    expect((await ask('198.51.100.31')).statusCode).toBe(200)
    const staff = await loginAs(server, 'staff')
    expect((await ask('198.51.100.30', staff.cookie)).statusCode).toBe(200)
  })

  it('is documented in OpenAPI as a CSV download', async () => {
    const spec = await getJson<{ paths: Record<string, { get: { tags: string[]; responses: Record<string, { content?: Record<string, unknown> }> } }> }>(
      `${server.baseUrl}/docs/json`,
    )
    const route = spec.paths['/api/stations/{id}/readings.csv']!.get
    expect(route.tags).toEqual(['stations'])
    expect(Object.keys(route.responses['200']!.content!)).toEqual(['text/csv'])
    expect(Object.keys(route.responses['400']!.content!)).toEqual(['application/json'])
  })
})
