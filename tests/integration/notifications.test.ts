import { afterEach, describe, expect, it } from 'vitest'
import { floodReadingTopic } from '@ioc/shared'
import { addUser, login, loginAs, TEST_ADMIN } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { startSmtpServer } from '../helpers/smtp-server.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
const MINUTE = 60_000

describe('notifications through the whole server', () => {
  it('emails the operators a BĐ2 raised from MQTT readings, in Vietnamese, with a link to the alarm', async () => {
    const smtp = await startSmtpServer()
    cleanup.push(() => smtp.close())
    const s: TestServer = await startServer({ env: { IOC_SMTP_URL: smtp.url, IOC_MAIL_FROM: 'IOC Tam Kỳ <ioc@tamky.gov.vn>', IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn' } })
    cleanup.push(() => s.close())
    // The city's default rules page the operators on duty; with nobody on the roster, every operator.
    const operator = await addUser(s, { role: 'operator' })
    const session = await login(s.baseUrl, operator.username, operator.password)
    const set = await session.fetch('/api/me/contact', { method: 'PUT', body: { email: 'trucban@tamky.gov.vn', language: 'vi' } })
    expect(set.status).toBe(200)

    const device = await connectDevice(s.mqttUrl)
    const start = Date.now() - 10 * MINUTE
    for (const [i, cm] of [100, 226, 228].entries()) await device.publish(floodReadingTopic('tam-ky-river'), { ts: new Date(start + i * MINUTE).toISOString(), waterLevelCm: cm })
    await device.close()

    const mail = await smtp.message(1)
    expect(mail.to).toEqual(['trucban@tamky.gov.vn'])
    expect(mail.subject).toMatch(/^\[IOC\] Cảnh báo: Báo động II \(BĐ2\) — /)
    expect(mail.text).toMatch(/Mở và xác nhận cảnh báo: https:\/\/ioc\.tamky\.gov\.vn\/#\/alarms\/\d+\/ack\?exp=\d+&sig=[\w-]+/)
    expect(mail.headers.get('x-ioc-delivery')).toMatch(/^[0-9a-f-]{36}$/)

    // The delivery log shows it sent, with its attempt.
    const admin = await login(s.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
    const log = (await (await admin.fetch('/api/notifications/deliveries')).json()) as { deliveries: Array<{ channel: string; target: string; status: string; attemptLog: Array<{ ok: boolean }> }> }
    expect(log.deliveries.find((d) => d.channel === 'email' && d.target === 'trucban@tamky.gov.vn')).toMatchObject({ status: 'sent', attemptLog: [{ ok: true }] })
  })

  it('ships the city\'s default rules, and refuses a rule or a shift that names nobody real, saying why', async () => {
    const s = await startServer()
    cleanup.push(() => s.close())
    const admin = await login(s.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
    const rules = (await (await admin.fetch('/api/notifications/rules')).json()) as { rules: Array<{ name: string; minLevel: number | null }> }
    expect(rules.rules.map((r) => r.name)).toEqual(['BĐ2 trở lên và nước lên nhanh → trực ban', 'Cảnh báo ngập trong phường/xã → cán bộ phường/xã', 'Thiết bị lỗi → nhóm kỹ thuật'])

    const badRule = await admin.fetch('/api/notifications/rules', {
      method: 'POST',
      body: { name: 'x', enabled: true, alarmTypes: ['flood_level'], minLevel: 2, areaIds: null, sourceIds: null, recipients: [{ kind: 'user', username: 'khong-co-ai' }], escalation: [] },
    })
    expect(badRule.status).toBe(400)
    expect(((await badRule.json()) as { message: string }).message).toBe('no account "khong-co-ai"')

    const operator = await loginAs(s, 'operator')
    const now = Date.now()
    const backwards = await operator.fetch('/api/roster', { method: 'POST', body: { username: TEST_ADMIN.username, startsAt: new Date(now + 2 * 3_600_000).toISOString(), endsAt: new Date(now).toISOString(), areaIds: null } })
    expect(backwards.status).toBe(400)
    expect(((await backwards.json()) as { message: string }).message).toBe('a shift must end after it starts')

    const shift = await operator.fetch('/api/roster', { method: 'POST', body: { username: TEST_ADMIN.username, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 8 * 3_600_000).toISOString(), areaIds: null } })
    expect(shift.status).toBe(201)
    const week = (await (await operator.fetch(`/api/roster?from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 6 * 86_400_000).toISOString()}`)).json()) as { shifts: Array<{ username: string; createdBy: string }> }
    expect(week.shifts).toMatchObject([{ username: TEST_ADMIN.username }])

    // Without IOC_SMTP_URL the test message says what to set.
    const test = await admin.fetch('/api/notifications/email-test', { method: 'POST', body: { to: 'trucban@tamky.gov.vn' } })
    expect(await test.json()).toEqual({ ok: false, detail: 'email is not configured: set IOC_SMTP_URL and IOC_MAIL_FROM' })
  })
})
