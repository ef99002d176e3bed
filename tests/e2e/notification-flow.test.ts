import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { floodReadingTopic } from '@ioc/shared'
import { addUser } from '../helpers/auth.ts'
import { launchChromium } from '../helpers/browser.ts'
import { freePort } from '../helpers/ports.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts'
import { submitLogin } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const PHONE = { width: 360, height: 740 }
const MINUTE = 60_000

/**
 * Issue #18 from end to end: the water at Cầu Xuân Quý rises through BĐ2 (readings over MQTT); the
 * operator's email arrives through a real SMTP server with its link; opened in Chromium, the link asks
 * for a login and lands on the alarm's acknowledge dialog; acknowledging stops the escalation chain.
 */
describe('from a rising river to an acknowledged alarm, by email', () => {
  let server: TestServer
  let smtp: TestSmtpServer
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    smtp = await startSmtpServer()
    // The links in the messages lead to this server, as IOC_PUBLIC_URL does in a city.
    const port = await freePort()
    server = await startServer({ webDir: webDist, port, env: { IOC_SMTP_URL: smtp.url, IOC_MAIL_FROM: 'IOC Tam Kỳ <ioc@tamky.gov.vn>', IOC_PUBLIC_URL: `http://127.0.0.1:${port}` } })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await smtp?.close()
  })

  it('emails the operator, whose link opens the acknowledge dialog, and acknowledging stops the escalation', async () => {
    const operator = await addUser(server, { role: 'operator', fullName: 'Trần Thị Bình' })
    await server.app.notifications.repo.contacts.set(operator.username, { email: 'binh.tran@tamky.gov.vn', language: 'vi', groups: [] }, Date.now())

    // 5 cm a minute from 180 cm: BĐ1 (150) at once, BĐ2 (200) four minutes on — a rise the water can make.
    const device = await connectDevice(server.mqttUrl)
    const start = Date.now() - 10 * MINUTE
    for (const [i, cm] of [180, 185, 190, 195, 200, 205].entries()) await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: new Date(start + i * MINUTE).toISOString(), waterLevelCm: cm })
    await device.close()

    const page = await smtp.message(1, 20_000)
    expect(page.to).toEqual(['binh.tran@tamky.gov.vn'])
    expect(page.text).toContain('Báo động II (BĐ2)')
    const [flood] = (await server.app.alarms.repo.list({ state: 'active', type: 'flood_level', station: 'cau-xuan-quy' }, ['flood_level']))
    expect(flood?.level).toBe(2)
    const link = new RegExp(`http://127\\.0\\.0\\.1:\\d+/#/alarms/${flood!.id}/ack\\?exp=\\d+&sig=[\\w-]+`).exec(page.text)?.[0]
    expect(link, `the email links to alarm ${flood!.id}:\n${page.text}`).toBeDefined()
    // Its escalation chain is waiting: shift leaders after 10 minutes, heads of office after 20.
    const steps = async () => (await server.app.notifications.repo.deliveries.list({ alarm: flood!.id })).rows.filter((r) => r.channel === 'step').map((r) => r.status)
    expect(await steps()).toEqual(['pending', 'pending'])

    const context = await browser.newContext({ viewport: PHONE })
    const tab = await context.newPage()
    await tab.goto(link!)
    await submitLogin(tab, operator)
    const dialog = tab.locator('dialog[data-testid="ack-dialog"][open]')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('Báo động II (BĐ2)')
    await dialog.getByLabel('Ghi chú (không bắt buộc)').fill('Đã báo Ban Chỉ huy PCTT xã Tam Thăng')
    await dialog.locator('[data-testid="ack-submit"]').click()
    await dialog.waitFor({ state: 'detached' })
    await context.close()

    expect((await server.app.alarms.repo.byId(flood!.id))?.state).toBe('acknowledged')
    await server.app.notifications.runOnce()
    expect(await steps()).toEqual(['cancelled', 'cancelled'])
  })
})
