import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cameraStatusTopic, floodReadingTopic, type PublicFloodResponse } from '@ioc/shared'
import { loginAs } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options)
  cleanup.push(() => s.close())
  return s
}
const flood = async (s: TestServer) => (await (await fetch(`${s.baseUrl}/api/public/flood`)).json()) as PublicFloodResponse

describe('GET /api/public/flood', () => {
  it('serves every flood point with its level and the open flood warnings — no names of staff, no device alarms', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server()
    const device = await connectDevice(s.mqttUrl)
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: new Date(Date.now() - 60_000).toISOString(), waterLevelCm: 400, batteryPct: 5 })
    await device.publish(cameraStatusTopic('cam-cau-tam-ky'), { ts: new Date().toISOString(), state: 'offline' })
    await device.close()
    await s.app.alarms.idle()
    const operator = await loginAs(s, 'operator')
    const [floodAlarm] = (await s.app.alarms.repo.list({ state: 'active', type: 'flood_level' }, ['flood_level'])).map((a) => a.id)
    await operator.fetch(`/api/alarms/${floodAlarm}/ack`, { method: 'POST', body: { note: 'Đã báo xã' } })

    const answer = await flood(s)
    const point = answer.points.find((p) => p.id === 'cau-xuan-quy')!
    expect(point).toMatchObject({ floodLevel: 3, latest: { waterLevelCm: 400 }, areaName: { vi: 'Xã Tam Thăng' } })
    expect(point.spark.length).toBeGreaterThan(0)
    expect(answer.points).toHaveLength(8)
    expect(answer.alarms.map((a) => a.type)).toEqual(['flood_level'])
    expect(JSON.stringify(answer)).not.toContain(operator.account.username)
    expect(JSON.stringify(answer)).not.toContain('Đã báo xã')
    expect(answer.advice?.['3'].action.vi).toMatch(/Sơ tán/)
  })

  it('makes its answer once per 5 seconds however many ask, and says so to caches', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server()
    const first = await fetch(`${s.baseUrl}/api/public/flood`)
    expect(first.headers.get('cache-control')).toBe('public, max-age=5')
    const made = ((await first.json()) as PublicFloodResponse).generatedAt
    const device = await connectDevice(s.mqttUrl)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts: new Date(Date.now() - 1000).toISOString(), waterLevelCm: 150 })
    await device.close()
    const again = await Promise.all(Array.from({ length: 20 }, () => flood(s)))
    expect(new Set(again.map((a) => a.generatedAt))).toEqual(new Set([made]))
    expect(again[0]!.points.find((p) => p.id === 'tam-ky-river')!.latest).toBeNull()
    vi.setSystemTime(Date.now() + 5_000)
    expect((await flood(s)).points.find((p) => p.id === 'tam-ky-river')!.latest).toMatchObject({ waterLevelCm: 150 })
  })

  it('answers 429 with Retry-After past 300 requests a minute from one address', async () => {
    const s = await server()
    const statuses = await Promise.all(Array.from({ length: 301 }, () => fetch(`${s.baseUrl}/api/public/flood`).then((r) => r.status)))
    expect(statuses.filter((st) => st === 200)).toHaveLength(300)
    const refused = await fetch(`${s.baseUrl}/api/public/flood`)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('the public page', () => {
  it('previews in chat apps: Open Graph tags name the point, its level and its link', async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'ioc-public-'))
    cleanup.push(() => rmSync(webDir, { recursive: true, force: true }))
    writeFileSync(join(webDir, 'index.html'), '<!doctype html>')
    writeFileSync(join(webDir, 'public.html'), '<meta property="og:title" content="%OG_TITLE%"><meta property="og:description" content="%OG_DESCRIPTION%"><meta property="og:url" content="%OG_URL%">')
    const s = await server({ webDir, env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn' } })
    const device = await connectDevice(s.mqttUrl)
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: new Date(Date.now() - 60_000).toISOString(), waterLevelCm: 182.4 })
    await device.close()

    const page = await fetch(`${s.baseUrl}/muc-nuoc/cau-xuan-quy`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<meta property="og:url" content="https://ioc.tamky.gov.vn/muc-nuoc/cau-xuan-quy">')
    expect(html).toMatch(/og:title" content="[^"]*Cầu Xuân Quý[^"]*: 182 cm — Báo động (I|II|III)"/)
    expect(await (await fetch(`${s.baseUrl}/muc-nuoc`)).text()).toContain('og:title" content="Mực nước lũ — Thành phố Tam Kỳ"')
    expect((await fetch(`${s.baseUrl}/muc-nuoc/khong-co`)).status).toBe(404)
  })

  it('links its previews to IOC_PUBLIC_URL whatever Host the request names', async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'ioc-public-'))
    cleanup.push(() => rmSync(webDir, { recursive: true, force: true }))
    writeFileSync(join(webDir, 'index.html'), '<!doctype html>')
    writeFileSync(join(webDir, 'public.html'), '<meta property="og:url" content="%OG_URL%">')
    // Behind a proxy that passes X-Forwarded-Host on, too.
    const s = await server({ webDir, env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn/', IOC_TRUST_PROXY: 'true' } })

    for (const headers of [{ host: 'evil.example' }, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' }]) {
      for (const [path, link] of [
        ['/muc-nuoc', 'https://ioc.tamky.gov.vn/muc-nuoc'],
        ['/muc-nuoc/cau-xuan-quy', 'https://ioc.tamky.gov.vn/muc-nuoc/cau-xuan-quy'],
      ]) {
        const page = await s.app.inject({ method: 'GET', url: path, headers })
        expect(page.statusCode).toBe(200)
        expect(page.body).toBe(`<meta property="og:url" content="${link}">`)
      }
    }
  })
})
