import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { floodReadingTopic } from '@ioc/shared'
import { launchChromium } from '../helpers/browser.ts'
import { addUser } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { logIn } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const screenshots = fileURLToPath(new URL('../../test-results', import.meta.url))

/** What an operator sees once logged in: the live Tam Kỳ map, and a reading published over MQTT changing it. */
describe('dashboard in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const cspViolations: string[] = []

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('page error:', error.message))
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text())
    })
    await page.goto(server.baseUrl)
    await logIn(page, await addUser(server, { role: 'operator' }))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('draws every station of the city pack on the map and connects live', async () => {
    const stationCount = server.app.city.stations.length
    await page.locator(`[data-testid="map"][data-stations-drawn="${stationCount}"]`).waitFor()
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor()
    expect(await page.locator('[data-station-id]').count()).toBe(stationCount)
    expect(await page.locator('html').getAttribute('lang')).toBe('vi')
    await page.screenshot({ path: `${screenshots}/dashboard-initial.png` })
  })

  it('runs the map (its worker included) under the Content-Security-Policy, which allows no inline script', async () => {
    await page.locator('[data-testid="map"][data-stations-drawn]').waitFor()
    const csp = (await page.request.get(server.baseUrl)).headers()['content-security-policy']
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).not.toContain('unsafe-inline')
    expect(cspViolations).toEqual([])
  })

  it('shows a reading published over MQTT: level in cm and the BĐ level as text', async () => {
    const item = page.locator('[data-station-id="tam-ky-river"]')
    const device = await connectDevice(server.mqttUrl)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts: new Date().toISOString(), waterLevelCm: 235 })
    await device.close()

    await item.filter({ hasText: 'BĐ2' }).filter({ hasText: '235' }).waitFor()
    await item.click()
    const detail = page.locator('[data-testid="station-detail"]')
    await detail.filter({ hasText: 'Trạm thủy văn Tam Kỳ' }).filter({ hasText: '235' }).waitFor()
    const text = await detail.innerText()
    for (const level of ['170', '220', '270']) expect(text).toContain(level)
    await page.screenshot({ path: `${screenshots}/dashboard-reading.png` })
  })

  it('switches to English', async () => {
    await page.getByRole('button', { name: /^EN$/ }).click()
    await page.locator('[data-testid="station-detail"]').filter({ hasText: 'Tam Kỳ hydrological station' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
  })
})
