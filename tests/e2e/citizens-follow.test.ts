import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { anonymousClient } from '../helpers/auth.ts'
import { launchChromium } from '../helpers/browser.ts'
import { startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const PHONE = { width: 360, height: 740 }

/**
 * Issue #18, point 8, on the citizens' page: following a flood point from its card, and ending it from
 * the link every message carries — without an account.
 */
describe('following a flood point on the citizens page', () => {
  let browser: Browser
  let pushOff: TestServer
  let pushOn: TestServer
  let pushService: PushEndpoint

  beforeAll(async () => {
    if (!existsSync(`${webDist}/public.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    browser = await launchChromium()
    // No https IOC_PUBLIC_URL and no IOC_MAIL_FROM: push services would have no one to contact, so push is off.
    pushOff = await startServer({ webDir: webDist })
    pushService = await startPushEndpoint()
    pushOn = await startServer({ webDir: webDist, env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn' }, pushAgent: pushService.agent() })
  })
  afterAll(async () => {
    await browser?.close()
    await pushOff?.close()
    await pushOn?.close()
    await pushService?.close()
  })

  it('offers to follow a point, and says plainly why it cannot when push is off', async () => {
    const context = await browser.newContext({ viewport: PHONE })
    await context.grantPermissions(['notifications'], { origin: pushOff.baseUrl })
    const page = await context.newPage()
    await page.goto(`${pushOff.baseUrl}/muc-nuoc`)
    const card = page.locator('[data-point-id="cau-xuan-quy"]')
    await card.getByRole('button', { name: 'Báo cho tôi khi mức nước ở đây thay đổi' }).click()
    await card.getByRole('alert').filter({ hasText: 'Hệ thống chưa bật thông báo.' }).waitFor()
    await context.close()
  })

  it("ends a citizen's subscription from the link in a message, and says so", async () => {
    const citizen = await anonymousClient(pushOn.baseUrl)
    const created = await fetch(`${pushOn.baseUrl}/api/public/push-subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `_csrf=${citizen.jar._csrf}`, 'x-csrf-token': citizen.csrfToken },
      body: JSON.stringify({ subscription: pushService.subscription('phone'), stationId: 'cau-xuan-quy', language: 'vi' }),
    })
    expect(created.status).toBe(201)
    const { unsubscribe } = (await created.json()) as { unsubscribe: string }

    const context = await browser.newContext({ viewport: PHONE })
    const page = await context.newPage()
    await page.goto(`${pushOn.baseUrl}/muc-nuoc/cau-xuan-quy?huy-theo-doi=${unsubscribe}`)
    const banner = page.locator('[data-testid="unsubscribe"]')
    await banner.getByText('Thôi nhận thông báo về điểm này trên điện thoại này?').waitFor()
    await banner.getByRole('button', { name: 'Thôi nhận thông báo' }).click()
    await banner.getByRole('status').filter({ hasText: 'Đã thôi nhận thông báo.' }).waitFor()
    // Gone on the server: the same link again finds nothing to end.
    await page.reload()
    await banner.getByRole('button', { name: 'Thôi nhận thông báo' }).click()
    await banner.getByRole('status').filter({ hasText: 'Thông báo này đã được hủy từ trước.' }).waitFor()
    await context.close()
  })
})
