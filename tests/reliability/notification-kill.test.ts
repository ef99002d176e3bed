import mqtt from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { clientIdForUrl, floodReadingTopic } from '@ioc/shared'
import { login } from '../helpers/auth.ts'
import { BENCH_ADMIN } from '../helpers/processes.ts'
import { startSmtpServer } from '../helpers/smtp-server.ts'
import { createRestartableServer } from './lib/server-process.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * Issue #18: a notification is never lost. The real server as a process, a real SMTP server that takes
 * the first message in and never answers it — so the server is killed (SIGKILL) in the middle of
 * sending it — and then answers normally. After the restart the message arrives, once, with the
 * delivery id it had before the kill.
 */
describe('a server killed while it sends a notification', () => {
  it('sends it after its restart, with the same delivery id', async () => {
    const smtp = await startSmtpServer()
    cleanups.push(() => smtp.close())
    const server = await createRestartableServer({ env: { IOC_SMTP_URL: smtp.url, IOC_MAIL_FROM: 'IOC Tam Kỳ <ioc@tamky.gov.vn>' } })
    cleanups.push(() => server.dispose())
    await server.start()
    // The only account is the admin: with no operator, the default rules page the admins.
    const admin = await login(server.baseUrl, BENCH_ADMIN.username, BENCH_ADMIN.password)
    expect((await admin.fetch('/api/me/contact', { method: 'PUT', body: { email: 'lanhdao@tamky.gov.vn', language: 'vi' } })).status).toBe(200)

    const held = smtp.holdNext()
    const start = Date.now() - 10 * 60_000
    const device = await mqtt.connectAsync(server.publishUrl, { clientId: clientIdForUrl(server.publishUrl, 'notification-kill'), reconnectPeriod: 0 })
    cleanups.push(() => device.endAsync())
    for (const [i, cm] of [100, 226, 228].entries()) {
      await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts: new Date(start + i * 60_000).toISOString(), waterLevelCm: cm }), { qos: 1 })
    }
    await held
    // The email is in the SMTP server's hands, unanswered: the server waits for its reply.
    await server.kill()
    expect(smtp.received).toHaveLength(0)

    await server.start()
    const mail = await smtp.message(1, 30_000)
    expect(mail.to).toEqual(['lanhdao@tamky.gov.vn'])
    expect(mail.subject).toMatch(/Báo động II \(BĐ2\)/)
    const deliveryId = String(mail.headers.get('x-ioc-delivery'))
    expect(mail.messageId).toBe(`<${deliveryId}@tamky.gov.vn>`)

    const again = await login(server.baseUrl, BENCH_ADMIN.username, BENCH_ADMIN.password)
    const log = (await (await again.fetch('/api/notifications/deliveries')).json()) as { deliveries: Array<{ id: string; channel: string; status: string; attemptLog: Array<{ ok: boolean }> }> }
    const emails = log.deliveries.filter((d) => d.channel === 'email')
    // One delivery, planned before the kill and sent after it: its id is the one the mail carries.
    expect(emails).toMatchObject([{ id: deliveryId, status: 'sent', attemptLog: [{ ok: true }] }])
    expect(smtp.received).toHaveLength(1)
  })
})
