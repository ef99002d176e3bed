import { afterEach, describe, expect, it, vi } from 'vitest'
import { PNG } from 'pngjs'
import { floodReadingTopic } from '@ioc/shared'
import { connectDevice, startServer, type TestServer } from '../../../../tests/helpers/server.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(): Promise<TestServer> {
  const s = await startServer({ env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn' } })
  cleanup.push(() => s.close())
  return s
}
async function publish(s: TestServer, stationId: string, waterLevelCm: number, ts = new Date(Date.now() - 60_000)) {
  const device = await connectDevice(s.mqttUrl)
  await device.publish(floodReadingTopic(stationId), { ts: ts.toISOString(), waterLevelCm })
  await device.close()
  await s.app.alarms.idle()
}
async function png(s: TestServer, path: string) {
  const response = await fetch(`${s.baseUrl}${path}`)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type')).toBe('image/png')
  expect(response.headers.get('cache-control')).toBe('public, max-age=60')
  const body = Buffer.from(await response.arrayBuffer())
  expect(body.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a')
  expect(body.toString('latin1', 12, 16)).toBe('IHDR')
  expect({ width: body.readUInt32BE(16), height: body.readUInt32BE(20) }).toEqual({ width: 1200, height: 630 })
  expect(body.length).toBeLessThan(60_000)
  return body
}
/** The colour at (x, y) of a PNG, as `#rrggbb`. */
function colourAt(body: Buffer, x: number, y: number): string {
  const image = PNG.sync.read(body)
  const i = (y * image.width + x) * 4
  return `#${[...image.data.subarray(i, i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

describe('GET /muc-nuoc/og.png', () => {
  it('is the city card, a 1200×630 PNG — not the page of a point called "og.png"', async () => {
    const s = await server()
    const body = await png(s, '/muc-nuoc/og.png')
    // No reading anywhere yet: the top band is the page's blue.
    expect(colourAt(body, 5, 5)).toBe('#1f62a8')
  })

  it('colours its top band by the highest level in the city', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server()
    await publish(s, 'cau-xuan-quy', 210)
    expect(colourAt(await png(s, '/muc-nuoc/og.png'), 5, 5)).toBe('#ee7b1c')
  })
})

describe('GET /muc-nuoc/:stationId/og.png', () => {
  it('shows the point at its level: a different image, banded in the level colour, once the water reaches BĐ2', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server()
    await publish(s, 'cau-xuan-quy', 120)
    const atRest = await png(s, '/muc-nuoc/cau-xuan-quy/og.png')
    expect(colourAt(atRest, 20, 20)).toBe('#1f62a8')

    await publish(s, 'cau-xuan-quy', 210, new Date(Date.now() - 1000))
    // The public answer is made at most every 5 s.
    vi.setSystemTime(Date.now() + 5_000)
    const atBd2 = await png(s, '/muc-nuoc/cau-xuan-quy/og.png')
    expect(colourAt(atBd2, 20, 20)).toBe('#ee7b1c')
    expect(atBd2.equals(atRest)).toBe(false)
  })

  it('answers the same bytes to every crawler while nothing changes', async () => {
    const s = await server()
    const [first, ...rest] = await Promise.all(Array.from({ length: 10 }, () => fetch(`${s.baseUrl}/muc-nuoc/tam-ky-river/og.png`).then(async (r) => Buffer.from(await r.arrayBuffer()))))
    for (const body of rest) expect(body.equals(first!)).toBe(true)
  })

  it('draws a point without a reading in the "no data" grey, and every point fits the size', async () => {
    const s = await server()
    expect(colourAt(await png(s, '/muc-nuoc/hoa-huong-1/og.png'), 20, 20)).toBe('#6b7280')
    for (const station of s.app.city.stations) await png(s, `/muc-nuoc/${station.id}/og.png`)
  })

  it('answers 404 for a point the city does not have', async () => {
    const s = await server()
    const response = await fetch(`${s.baseUrl}/muc-nuoc/khong-co/og.png`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ statusCode: 404, message: 'no flood point "khong-co"' })
  })
})
