import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { alarmLink } from '../../server/src/plugins/app/notifications/alarm-link.ts'
import { addUser, TEST_ADMIN, TEST_AREA, type TestAccount } from '../helpers/auth.ts'
import { launchChromium } from '../helpers/browser.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts'
import { logIn, openUserMenu, submitLogin } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
/** Pictures of each screen at a desk's and a phone's width, to look at; kept out of the repository. */
const screenshots = join(tmpdir(), 'shots')
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source

const DESK = { width: 1440, height: 900 }
const PHONE = { width: 360, height: 740 }
const DAY_MS = 86_400_000
/** Cầu Xuân Quý, in Xã Tam Thăng (TEST_AREA): BĐ3 is 250 cm (demo values of the Tam Kỳ pack). */
const STATION = 'cau-xuan-quy'
const DEFAULT_RULES = ['BĐ2 trở lên và nước lên nhanh → trực ban', 'Cảnh báo ngập trong phường/xã → cán bộ phường/xã', 'Thiết bị lỗi → nhóm kỹ thuật']

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown[] }>
}

const nextFrames = 'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))'
/** How tall the page would be with nothing scrolling inside it (the admin screens scroll in their <main>). */
const fullHeight = `(() => {
  const main = document.querySelector('main.admin')
  const inner = main ? main.getBoundingClientRect().top + main.scrollHeight : 0
  return Math.ceil(Math.max(document.documentElement.scrollHeight, inner))
})()`

/** The page as a desk and a phone show it, whole, under /tmp/shots. */
async function shoot(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()
  // A modal dialog is seen over the screen as it is, not over a page stretched to its whole length.
  const dialog = (await page.locator('dialog[open]').count()) > 0
  for (const size of [DESK, PHONE]) {
    await page.setViewportSize(size)
    await page.evaluate(nextFrames)
    if (dialog) {
      await page.screenshot({ path: `${screenshots}/${name}-${size.width}.png` })
      continue
    }
    const height = (await page.evaluate(fullHeight)) as number
    if (height > size.height) {
      await page.setViewportSize({ width: size.width, height })
      await page.evaluate(nextFrames)
    }
    await page.screenshot({ path: `${screenshots}/${name}-${size.width}.png`, fullPage: true })
    // A tall page also in parts of a screen's height, each readable at its real size.
    const part = size.width < 800 ? 1000 : 1100
    for (let y = 0, n = 1; height > part * 1.2 && y < height; y += part, n++) {
      await page.screenshot({ path: `${screenshots}/${name}-${size.width}-part${n}.png`, fullPage: true, clip: { x: 0, y, width: size.width, height: Math.min(part, height - y) } })
    }
  }
  if (before) await page.setViewportSize(before)
}

/** No serious or critical accessibility problem in the admin screen as it is now (axe-core, WCAG 2.2 AA). */
async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> } }
    const result = await page.axe.run({ include: [['main.admin']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
  })
  for (const v of violations) console.info(`axe ${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
}

/** The hash of a link the IOC puts in its messages, to open on this test server. */
const hashOf = (link: string) => link.slice(link.indexOf('#'))

/**
 * Issue #18, the dashboard's side of notifications: an admin's rules, webhooks, roster and delivery
 * log screens, in Vietnamese; each user's contact settings; and a link from a message opening the
 * alarm's acknowledge dialog after login.
 */
describe('notifications in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let admin: Page
  let operator: TestAccount
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  const contexts: BrowserContext[] = []

  async function openPage(viewport = DESK): Promise<Page> {
    const context = await browser.newContext({ viewport })
    contexts.push(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    return page
  }

  /** An admin screen from the user menu, as a person reaches it. */
  async function openScreen(page: Page, screen: string, testId: string) {
    await openUserMenu(page)
    await page.locator(`[data-testid="nav-${screen}"]`).click()
    const section = page.locator(`[data-testid="${testId}"]`)
    await section.waitFor()
    return section
  }

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    // The receiver's secret is the one the admin types for the webhook, so it can check signatures.
    receiver = await startWebhookReceiver('khoa-bi-mat-zalo-thu-nghiem')
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    operator = await addUser(server, { role: 'operator', fullName: 'Trần Thị Bình' })
    admin = await openPage()
    await admin.goto(server.baseUrl)
    await logIn(admin, TEST_ADMIN)
  })
  // Each test's own pages are closed when it ends: a dashboard left open goes on rendering its map and
  // taking live events, and on a busy machine a dozen of them starved the later tests (30 s timeouts).
  afterEach(async () => {
    for (const context of contexts.splice(1)) await context.close()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await receiver?.close()
  })

  it('shows the three default rules by their Vietnamese names, in words', async () => {
    const screen = await openScreen(admin, 'rules', 'rules-screen')
    await screen.getByRole('heading', { level: 1, name: 'Quy tắc thông báo' }).waitFor()
    const rows = admin.locator('[data-testid="rules-table"] tbody tr')
    await rows.first().waitFor()
    expect(await admin.locator('[data-testid="rules-table"] .rule-name').allInnerTexts()).toEqual(DEFAULT_RULES)
    const first = rows.filter({ hasText: DEFAULT_RULES[0]! })
    expect(await first.innerText()).toContain('Trực ban đang trong ca (theo lịch trực)')
    expect(await first.innerText()).toContain('Sau 10 phút: Nhóm Trưởng ca (shift-leaders)')
    expect(await first.innerText()).toContain('Từ Báo động II (BĐ2) trở lên')
    await shoot(admin, 'rules')
    await expectAccessible(admin)

    // English second: the same screen, in English, the rules' own names as the admin wrote them.
    await admin.getByRole('button', { name: 'EN', exact: true }).click()
    await screen.getByRole('heading', { level: 1, name: 'Notification rules' }).waitFor()
    expect(await first.innerText()).toContain('Operators on duty (duty roster)')
    expect(await first.innerText()).toContain('After 10 min: Group Shift leaders (shift-leaders)')
    await shoot(admin, 'rules-en')
    await admin.getByRole('button', { name: 'VI', exact: true }).click()
    await screen.getByRole('heading', { level: 1, name: 'Quy tắc thông báo' }).waitFor()
  })

  it('adds a webhook and shows its secret once, then sends a test message and shows the answer', async () => {
    await openScreen(admin, 'webhooks', 'webhooks-screen')
    await admin.locator('[data-testid="webhooks-empty"]').waitFor()
    await admin.locator('[data-testid="webhook-create"]').click()
    const form = admin.locator('[data-testid="webhook-create-form"]')
    // Refused before sending: the first field in error gets the focus.
    await form.getByRole('button', { name: 'Thêm webhook' }).click()
    await admin.locator('#webhook-create-name:focus').waitFor()
    await form.getByLabel('Tên').fill('Zalo OA thử nghiệm')
    await form.getByLabel('Địa chỉ nhận (URL)').fill(receiver.url)
    await form.getByRole('button', { name: 'Thêm webhook' }).click()

    const card = admin.locator('[data-testid="webhook-secret"]')
    await card.waitFor()
    expect(await card.innerText()).toContain('Khóa chỉ hiện một lần này và sẽ không hiện lại')
    const secret = (await card.locator('[data-testid="webhook-secret-value"]').innerText()).trim()
    expect(secret.length).toBeGreaterThanOrEqual(24)
    await card.getByRole('button', { name: 'Sao chép khóa' }).waitFor()
    await shoot(admin, 'webhooks-secret')

    // Put the receiver's own secret in, so it can check what the IOC signs.
    const row = admin.locator('[data-testid="webhooks-table"] tr[data-name="Zalo OA thử nghiệm"]')
    await row.getByRole('button', { name: 'Sửa webhook Zalo OA thử nghiệm' }).click()
    const edit = admin.locator('[data-testid="webhook-edit-form"]')
    await edit.getByLabel('Khóa bí mật mới (không bắt buộc)').fill('khoa-bi-mat-zalo-thu-nghiem')
    await edit.getByRole('button', { name: 'Lưu thay đổi' }).click()
    await admin.locator('[data-testid="webhooks-notice"]', { hasText: 'Đã lưu webhook “Zalo OA thử nghiệm”.' }).waitFor()

    // Shown once: once dismissed, and after a reload, the secret is nowhere.
    await admin.locator('[data-testid="webhook-secret-dismiss"]').click()
    await admin.reload()
    await admin.locator('[data-testid="webhooks-table"]').waitFor()
    expect(await admin.locator('[data-testid="webhook-secret"]').count()).toBe(0)
    expect(await admin.content()).not.toContain(secret)

    await row.locator('[data-testid="webhook-test"]').click()
    const result = row.locator('[data-testid="webhook-test-result"][data-ok="true"]')
    await result.filter({ hasText: 'Đã gửi được' }).waitFor()
    expect((await receiver.hook(1)).signatureValid).toBe(true)

    // No mail server here: the email test says so.
    const email = admin.locator('[data-testid="email-test"]')
    await email.getByLabel('Gửi tới địa chỉ').fill('trucban@tamky.gov.vn')
    await email.locator('[data-testid="email-test-send"]').click()
    await email.locator('[data-testid="email-test-result"][data-ok="false"]').filter({ hasText: 'IOC_SMTP_URL' }).waitFor()
    await shoot(admin, 'webhooks')
    await expectAccessible(admin)
  })

  it('adds a rule sending flood alarms from BĐ1 to the webhook, with an escalation step', async () => {
    await openScreen(admin, 'rules', 'rules-screen')
    await admin.locator('[data-testid="rule-create"]').click()
    const form = admin.locator('[data-testid="rule-create-form"]')
    await form.getByLabel('Tên quy tắc').fill('Ngập từ BĐ1 → Zalo thử nghiệm')
    await form.getByLabel('Mức báo động thấp nhất').selectOption('1')
    // Only Tam Thăng, where Cầu Xuân Quý is.
    await form.getByLabel('Chỉ các phường, xã được chọn').check()
    await form.getByLabel('Xã Tam Thăng').check()
    const recipients = form.locator('[data-testid="rule-create-recipients"]')
    await recipients.getByRole('button', { name: 'Bỏ người nhận: Trực ban đang trong ca (theo lịch trực)' }).click()
    await recipients.getByLabel('Thêm người nhận').selectOption('webhook')
    await recipients.getByLabel('Webhook', { exact: true }).selectOption({ label: 'Zalo OA thử nghiệm' })
    await recipients.locator('[data-testid="rule-create-recipients-add"]').click()
    await recipients.locator('li', { hasText: 'Webhook Zalo OA thử nghiệm' }).waitFor()

    // A step with nobody to tell is refused before sending, and says so.
    await form.locator('[data-testid="rule-add-step"]').click()
    await form.getByRole('button', { name: 'Tạo quy tắc' }).click()
    await form.locator('#rule-create-step-0-recipients-error', { hasText: 'Thêm ít nhất một người nhận.' }).waitFor()
    const step = form.locator('[data-testid="rule-create-step-0-recipients"]')
    await step.getByLabel('Thêm người nhận').selectOption('group')
    await step.getByLabel('Nhóm', { exact: true }).selectOption('office-heads')
    await step.locator('[data-testid="rule-create-step-0-recipients-add"]').click()
    await shoot(admin, 'rule-form')
    await expectAccessible(admin)
    await form.getByRole('button', { name: 'Tạo quy tắc' }).click()

    await admin.locator('[data-testid="rules-notice"]', { hasText: 'Đã thêm quy tắc “Ngập từ BĐ1 → Zalo thử nghiệm”.' }).waitFor()
    const row = admin.locator('[data-testid="rules-table"] tbody tr', { hasText: 'Ngập từ BĐ1 → Zalo thử nghiệm' })
    expect(await row.innerText()).toContain('Webhook Zalo OA thử nghiệm')
    expect(await row.innerText()).toContain('Xã Tam Thăng')
    expect(await row.innerText()).toContain('Sau 10 phút: Nhóm Lãnh đạo văn phòng (office-heads)')

    // Turned off and on again from the list.
    await row.locator('[data-testid="rule-toggle"]').click()
    await admin.locator('[data-testid="rules-table"] tr[data-enabled="false"]', { hasText: 'Ngập từ BĐ1' }).waitFor()
    await row.locator('[data-testid="rule-toggle"]').click()
    await admin.locator('[data-testid="rules-table"] tr[data-enabled="true"]', { hasText: 'Ngập từ BĐ1' }).waitFor()
  })

  it('adds a shift in the week view of the roster and shows it on its day', async () => {
    await openScreen(admin, 'roster', 'roster-screen')
    const week = admin.locator('[data-testid="roster-week"]')
    await week.waitFor()
    expect(await week.locator('li.day').count()).toBe(7)
    expect(await week.locator('li.day h3').first().innerText()).toMatch(/^Thứ Hai/)
    const today = week.locator('li.day[aria-current="date"]')
    await today.getByRole('button', { name: /^Thêm ca trực / }).click()
    const form = admin.locator('[data-testid="shift-form"]')
    await form.getByLabel('Người trực').selectOption(operator.username)
    await form.getByRole('button', { name: 'Thêm ca' }).click()
    await admin.locator('[data-testid="roster-notice"]', { hasText: 'Đã thêm ca trực của Trần Thị Bình.' }).waitFor()
    const shift = week.locator(`li.day[aria-current="date"] li.shift[data-username="${operator.username}"]`)
    await shift.waitFor()
    expect(await shift.innerText()).toContain('07:00 – 19:00')
    expect(await shift.innerText()).toContain('Toàn thành phố')

    // Next week is empty; back again, the shift is there.
    await admin.locator('[data-testid="week-next"]').click()
    await week.locator('li.shift').first().waitFor({ state: 'detached' })
    await admin.locator('[data-testid="week-previous"]').click()
    await shift.waitFor()
    await shoot(admin, 'roster')
    await expectAccessible(admin)
  })

  it("lets an operator keep the roster by username, and shows the server's refusal in its words", async () => {
    const page = await openPage(PHONE)
    await page.goto(server.baseUrl)
    await logIn(page, operator)
    await openUserMenu(page)
    // Operators see the roster, and no other administration screen (the indicators and the storm report are every staff member's).
    expect(await page.locator('#user-menu-panel [data-testid^="nav-"]').evaluateAll((links) => links.map((l) => l.getAttribute('data-testid')))).toEqual(['nav-indicators', 'nav-report', 'nav-roster'])
    await page.locator('[data-testid="nav-roster"]').click()
    await page.locator('[data-testid="roster-week"]').waitFor()
    await page.locator('[data-testid="shift-create"]').click()
    const form = page.locator('[data-testid="shift-form"]')
    await form.getByLabel('Tên đăng nhập người trực').fill('khong-co-ai')
    await form.getByRole('button', { name: 'Thêm ca' }).click()
    await form.locator('[data-testid="shift-form-error"]', { hasText: 'no account "khong-co-ai"' }).waitFor()
    await page.locator('[data-testid="shift-form-error"]:focus').waitFor()
    await shoot(page, 'roster-operator')
    await form.getByLabel('Tên đăng nhập người trực').fill(operator.username)
    await form.getByLabel('Bắt đầu (giờ thành phố, GMT+7)').fill(await form.getByLabel('Kết thúc (giờ thành phố, GMT+7)').inputValue())
    await form.getByRole('button', { name: 'Thêm ca' }).click()
    await form.locator('#shift-end-error', { hasText: 'Ca trực phải kết thúc sau khi bắt đầu.' }).waitFor()
    await page.locator('#shift-end:focus').waitFor()
  })

  let alarmId: number

  it('opens a link from a message after login, on the acknowledge dialog, and acknowledging works', async () => {
    const { alarm } = await server.app.alarms.repo.raise('flood_level', { kind: 'station', id: STATION, areaId: TEST_AREA }, 3, 262, Date.now())
    alarmId = alarm.id
    const link = alarmLink(server.app.notifications.publicUrl, server.app.notifications.linkKey, alarmId, Date.now())
    expect(link.startsWith(`${server.app.notifications.publicUrl}/#/alarms/${alarmId}/ack?exp=`)).toBe(true)

    const page = await openPage()
    await page.goto(`${server.baseUrl}/${hashOf(link)}`)
    // Not logged in: the login page first, then on to the link.
    await submitLogin(page, operator)
    const dialog = page.locator('dialog[data-testid="ack-dialog"][open]')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('Báo động III (BĐ3) · Điểm cảnh báo lũ Cầu Xuân Quý')
    await page.locator('#ack-note:focus').waitFor()
    await dialog.getByLabel('Ghi chú (không bắt buộc)').fill('Đã gọi UBND xã Tam Thăng')
    await shoot(page, 'alarm-link-ack')
    await dialog.locator('[data-testid="ack-submit"]').click()
    await dialog.waitFor({ state: 'detached' })
    await page.locator(`[data-testid="alarm-panel"] li[data-alarm-id="${alarmId}"][data-state="acknowledged"]`).filter({ hasText: operator.username }).waitFor()
    // Closed, the link leaves the address: a reload shows the map, not the dialog again.
    await page.waitForURL((url) => url.hash === '#/')

    // The same link again: already acknowledged, and by whom.
    await page.goto(`${server.baseUrl}/${hashOf(link)}`)
    const notice = page.locator('dialog[data-testid="alarm-link-dialog"][data-state="ready"][open]')
    await notice.locator('[data-testid="alarm-link-acknowledged"]', { hasText: `Cảnh báo đã được ${operator.username} xác nhận lúc` }).waitFor()
    await shoot(page, 'alarm-link-acknowledged')
    await notice.getByRole('button', { name: 'Xem trên bản đồ' }).click()
    await page.waitForURL((url) => url.hash === '#/')
    expect(await page.locator('dialog[data-testid="alarm-link-dialog"]').count()).toBe(0)
  })

  it('still shows the alarm of an expired or made-up link, and says so', async () => {
    const { alarm } = await server.app.alarms.repo.raise('flood_level', { kind: 'station', id: 'hoa-huong-1', areaId: '20344' }, 2, 180, Date.now())
    const key = server.app.notifications.linkKey
    const expired = alarmLink(server.app.notifications.publicUrl, key, alarm.id, Date.now() - 8 * DAY_MS)
    const page = await openPage(PHONE)
    await page.goto(server.baseUrl)
    await logIn(page, operator)

    await page.goto(`${server.baseUrl}/${hashOf(expired)}`)
    const notice = page.locator('dialog[data-testid="alarm-link-dialog"][data-state="ready"][open]')
    await notice.locator('[data-testid="alarm-link-expired"]', { hasText: 'Liên kết đã hết hạn' }).waitFor()
    expect(await notice.innerText()).toContain('Báo động II (BĐ2)')
    expect(await page.locator('dialog[data-testid="ack-dialog"]').count()).toBe(0)
    await shoot(page, 'alarm-link-expired')
    await notice.getByRole('button', { name: 'Xem trên bản đồ' }).click()
    await page.waitForURL((url) => url.hash === '#/')

    // A signature made up (or changed): invalid — the user may still acknowledge, as from the list.
    const forged = hashOf(expired).replace(/sig=[\w-]+/, 'sig=bia-dat-ra-khong-phai-cua-ioc')
    await page.goto(`${server.baseUrl}/${forged}`)
    await notice.locator('[data-testid="alarm-link-invalid"]', { hasText: 'Liên kết không hợp lệ' }).waitFor()
    await notice.locator('[data-testid="alarm-link-ack"]').click()
    await page.locator('dialog[data-testid="ack-dialog"][open]').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('dialog[data-testid="ack-dialog"]').waitFor({ state: 'detached' })
  })

  it('shows the delivery log: what went where, its status in words, and every attempt', async () => {
    // The BĐ3 raised above went to the webhook through the rule added above.
    await receiver.hook(2, 20_000)
    const screen = await openScreen(admin, 'deliveries', 'deliveries-screen')
    await screen.getByRole('heading', { level: 1, name: 'Nhật ký gửi' }).waitFor()
    const sent = admin.locator(`[data-testid="deliveries-table"] tr[data-channel="webhook"][data-status="sent"]`).filter({ hasText: `#${alarmId}` }).filter({ hasText: 'Cảnh báo mới' })
    // The notifier may still be sending: refresh until it has.
    for (let i = 0; i < 20 && (await sent.count()) === 0; i++) {
      await admin.locator('[data-testid="deliveries-refresh"]:not([disabled])').click()
      await admin.waitForTimeout(500)
    }
    const row = sent.first()
    await row.waitFor()
    expect(await row.innerText()).toContain('Zalo OA thử nghiệm')
    expect(await row.innerText()).toContain('Đã gửi')
    // Its acknowledgement went to the webhook too (webhooks are told of every change).
    await admin.locator('[data-testid="deliveries-table"] tr[data-channel="webhook"]').filter({ hasText: `#${alarmId}` }).filter({ hasText: 'Đã xác nhận' }).first().waitFor()
    await row.locator('details.attempts summary').click()
    await row.locator('details.attempts li[data-ok="true"]', { hasText: 'Thành công' }).waitFor()
    // Escalation steps wait for their time: pending, in words.
    await admin.locator('[data-testid="deliveries-table"] tr[data-channel="escalation"]').first().waitFor()

    await shoot(admin, 'deliveries-all')

    await admin.getByLabel('Trạng thái').selectOption('sent')
    await admin.getByLabel('Mã cảnh báo').fill(String(alarmId))
    await admin.getByRole('button', { name: 'Lọc', exact: true }).click()
    const filtered = admin.locator(`[data-testid="deliveries-table"][data-filter-status="sent"][data-filter-alarm="${alarmId}"]`)
    await filtered.waitFor()
    expect(await filtered.locator('tbody tr').count()).toBeGreaterThanOrEqual(2)
    expect(await filtered.locator('tbody tr:not([data-status="sent"])').count()).toBe(0)
    await filtered.locator('details.attempts summary').first().click()
    await shoot(admin, 'deliveries')
    await expectAccessible(admin)
  })

  it('offers notifications on this device, and says what stops them', async () => {
    const page = await openPage()
    await page.context().grantPermissions(['notifications'], { origin: server.baseUrl })
    await page.goto(server.baseUrl)
    await logIn(page, operator)
    await openUserMenu(page)
    await page.locator('[data-testid="contact-settings"]').click()
    const push = page.locator('dialog[data-testid="contact-dialog"][open] [data-testid="device-push"]')
    await push.locator('[data-testid="device-push-state"]', { hasText: 'Chưa bật trên thiết bị này.' }).waitFor()
    await push.getByRole('button', { name: 'Bật thông báo trên thiết bị này' }).click()
    // This test server has no VAPID subject (no https IOC_PUBLIC_URL, no IOC_MAIL_FROM): push is off, and the user is told so.
    await push.locator('[data-testid="device-push-problem"]', { hasText: 'Máy chủ IOC chưa bật thông báo đẩy' }).waitFor()
    await page.keyboard.press('Escape')
  })

  it("lets a user set their own email and language, and an admin an account's groups", async () => {
    const page = await openPage(PHONE)
    await page.goto(server.baseUrl)
    await logIn(page, operator)
    await openUserMenu(page)
    await page.locator('[data-testid="contact-settings"]').click()
    const dialog = page.locator('dialog[data-testid="contact-dialog"][open]')
    await page.locator('#contact-email:focus').waitFor()
    await dialog.getByLabel('Thư điện tử').fill('binh.tran')
    await dialog.getByRole('button', { name: 'Lưu' }).click()
    await dialog.locator('#contact-email-error').waitFor()
    await dialog.getByLabel('Thư điện tử').fill('binh.tran@tamky.gov.vn')
    await dialog.getByLabel('English').check()
    await shoot(page, 'contact-dialog')
    await dialog.getByRole('button', { name: 'Lưu' }).click()
    await dialog.locator('[data-testid="contact-done"]', { hasText: 'binh.tran@tamky.gov.vn' }).waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    await openScreen(admin, 'users', 'users-screen')
    await admin.locator(`[data-testid="users-table"] tr[data-username="${operator.username}"] button`).click()
    const contact = admin.locator('[data-testid="account-contact-form"]')
    await contact.waitFor()
    expect(await contact.getByLabel('Thư điện tử').inputValue()).toBe('binh.tran@tamky.gov.vn')
    expect(await contact.getByLabel('English').isChecked()).toBe(true)
    await contact.getByLabel('Trưởng ca (shift-leaders)').check()
    await contact.getByRole('button', { name: 'Lưu thông tin nhận thông báo' }).click()
    await admin.locator('[data-testid="users-notice"]', { hasText: `Đã lưu thông tin nhận thông báo của ${operator.username}.` }).waitFor()
    await shoot(admin, 'account-contact')
    expect(await server.app.notifications.repo.contacts.get(operator.username)).toEqual({ email: 'binh.tran@tamky.gov.vn', language: 'en', groups: ['shift-leaders'] })
  })
})
