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
const screenshots = fileURLToPath(new URL('../../test-results/forecast', import.meta.url))

const MINUTE = 60_000
/** The Tam Kỳ river at Tam Kỳ: BĐ1/2/3 = 170/220/270 cm. */
const STATION = 'tam-ky-river'
const WIDE = { width: 1440, height: 900 }
const PHONE = { width: 360, height: 740 }

/** Readings every `stepMs` from `fromMs`, one per value, as the station would publish them. */
async function publishSeries(server: TestServer, fromMs: number, stepMs: number, values: readonly number[]): Promise<void> {
  const device = await connectDevice(server.mqttUrl)
  for (const [i, waterLevelCm] of values.entries()) await device.publish(floodReadingTopic(STATION), { ts: new Date(fromMs + i * stepMs).toISOString(), waterLevelCm })
  await device.close()
}

/**
 * Issue #19, part 3: while the river rises steadily toward its next level, the dashboard's station
 * panel, the alarm beside it and the citizens' page say when it would reach it; once the water turns,
 * they all stop saying so — live, over the socket, without a reload.
 */
describe('flood forecast in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let dashboard: Page
  let citizens: Page
  /**
   * The rising hour ends 10 minutes ago: its newest reading is still current (the citizens' page calls
   * a reading old after three 5-minute intervals), and the falling readings after it are not in the future.
   */
  const riseEnd = Date.now() - 10 * MINUTE

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    dashboard = await (await browser.newContext({ viewport: WIDE })).newPage()
    citizens = await (await browser.newContext({ viewport: WIDE })).newPage()
    for (const page of [dashboard, citizens]) page.on('pageerror', (error) => console.error('page error:', error.message))
    await dashboard.goto(server.baseUrl)
    await logIn(dashboard, await addUser(server, { role: 'operator' }))
    await dashboard.locator('[data-testid="connection"][data-state="connected"]').waitFor()
    await citizens.goto(`${server.baseUrl}/muc-nuoc`)
    await citizens.locator('[data-testid="connection"][data-state="live"]').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('appears in the station panel, beside the alarm and on the citizens\' page while the river rises', async () => {
    // 172 → 196 cm over the hour, 24 cm/h: at BĐ1, BĐ2 (220 cm) an hour after the last reading.
    await publishSeries(server, riseEnd - 60 * MINUTE, 5 * MINUTE, Array.from({ length: 13 }, (_, i) => 172 + 2 * i))

    await dashboard.locator(`[data-station-id="${STATION}"] button`).first().click()
    const panelForecast = dashboard.locator('[data-testid="station-detail"] [data-testid="forecast"]')
    await panelForecast.waitFor()
    expect(await panelForecast.innerText()).toMatch(/^↗ Có thể đạt BĐ2 lúc ~\d\d:\d\d \(khoảng 1 giờ\) nếu nước tiếp tục lên như 1 giờ qua · đang lên 24 cm\/giờ$/)
    const alarmForecast = dashboard.locator(`[data-alarm-type="flood_level"][data-source-id="${STATION}"] [data-testid="forecast"]`)
    await alarmForecast.waitFor()
    expect(await alarmForecast.innerText()).toContain('Có thể đạt BĐ2')

    const card = citizens.locator(`article[data-point-id="${STATION}"]`)
    const cardForecast = card.locator('[data-testid="forecast"]')
    await cardForecast.waitFor()
    expect(await cardForecast.innerText()).toMatch(/^Có thể lên Báo động II lúc khoảng \d\d:\d\d \(khoảng 1 giờ nữa\) nếu nước tiếp tục lên như 1 giờ qua$/)
    // The same time everywhere: one source, the server.
    const time = (text: string) => /\d\d:\d\d/.exec(text)?.[0]
    expect(time(await cardForecast.innerText())).toBe(time(await panelForecast.innerText()))

    await dashboard.screenshot({ path: `${screenshots}/dashboard-1440.png` })
    await card.scrollIntoViewIfNeeded()
    await citizens.screenshot({ path: `${screenshots}/citizens-1440.png` })
    await dashboard.setViewportSize(PHONE)
    await dashboard.locator('[data-testid="station-detail"] [data-testid="forecast"]').scrollIntoViewIfNeeded()
    await dashboard.screenshot({ path: `${screenshots}/dashboard-360.png` })
    await citizens.setViewportSize(PHONE)
    await card.scrollIntoViewIfNeeded()
    await citizens.screenshot({ path: `${screenshots}/citizens-360.png` })

    // English second, on both.
    await citizens.getByRole('button', { name: 'English' }).click()
    await card.locator('[data-testid="forecast"]', { hasText: 'May reach Alarm level II at about' }).waitFor()
    await card.scrollIntoViewIfNeeded()
    await citizens.screenshot({ path: `${screenshots}/citizens-360-en.png` })
  })

  it('disappears from every view once the water falls', async () => {
    // The river turns: 4 cm down every 2 minutes since.
    await publishSeries(server, riseEnd + 2 * MINUTE, 2 * MINUTE, [192, 188, 184, 180])
    await dashboard.locator('[data-testid="forecast"]').first().waitFor({ state: 'detached' })
    await citizens.locator('[data-testid="forecast"]').first().waitFor({ state: 'detached' })
    expect(await dashboard.locator('[data-testid="forecast"]').count()).toBe(0)
    expect(await citizens.locator('[data-testid="forecast"]').count()).toBe(0)
    await dashboard.setViewportSize(WIDE)
    await dashboard.screenshot({ path: `${screenshots}/dashboard-1440-after.png` })
  })
})
