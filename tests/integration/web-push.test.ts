import { afterEach, describe, expect, it } from 'vitest'
import { floodReadingTopic } from '@ioc/shared'
import { addUser, anonymousClient, login } from '../helpers/auth.ts'
import { startPushEndpoint } from '../helpers/push-endpoint.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
const MINUTE = 60_000

/**
 * Web Push end to end (issue #18): the real server sends with the `web-push` package (VAPID, RFC 8291)
 * to a local push service that checks the JWT and decrypts the message as a browser's would.
 */
describe('Web Push', () => {
  async function setup() {
    const pushService = await startPushEndpoint()
    cleanup.push(() => pushService.close())
    const s: TestServer = await startServer({ env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn' }, pushAgent: pushService.agent() })
    cleanup.push(() => s.close())
    const publish = async (stationId: string, levels: readonly number[], startMs: number) => {
      const device = await connectDevice(s.mqttUrl)
      for (const [i, cm] of levels.entries()) await device.publish(floodReadingTopic(stationId), { ts: new Date(startMs + i * MINUTE).toISOString(), waterLevelCm: cm })
      await device.close()
    }
    return { pushService, s, publish }
  }

  it("pages an operator's phone when BĐ2 is raised, with the alarm's link", async () => {
    const { pushService, s, publish } = await setup()
    const key = (await (await fetch(`${s.baseUrl}/api/push/key`)).json()) as { publicKey: string }
    expect(key.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/)
    const operator = await addUser(s, { role: 'operator' })
    const session = await login(s.baseUrl, operator.username, operator.password)
    const phone = pushService.subscription('operator-phone', { applicationServerKey: key.publicKey })
    expect((await session.fetch('/api/me/push-subscriptions', { method: 'POST', body: phone })).status).toBe(201)

    await publish('tam-ky-river', [200, 212, 226, 228], Date.now() - 10 * MINUTE)
    const message = await pushService.nextMessage()
    expect(message.id).toBe('operator-phone')
    expect(message.payload).toMatchObject({ title: 'Cảnh báo tăng mức: Báo động II (BĐ2) — Trạm thủy văn Tam Kỳ', url: expect.stringMatching(/^https:\/\/ioc\.tamky\.gov\.vn\/#\/alarms\/\d+\/ack\?exp=/) })
    expect((message.payload as { body: string }).body).toContain('Mực nước: 226 cm')
  })

  it('tells a citizen following a point when it crosses a level, and lets them unsubscribe from the message', async () => {
    const { pushService, s, publish } = await setup()
    const citizen = await anonymousClient(s.baseUrl)
    const subscribe = await fetch(`${s.baseUrl}/api/public/push-subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `_csrf=${citizen.jar._csrf}`, 'x-csrf-token': citizen.csrfToken },
      body: JSON.stringify({ subscription: pushService.subscription('citizen'), stationId: 'tam-ky-river', language: 'vi' }),
    })
    expect(subscribe.status).toBe(201)
    const { unsubscribe } = (await subscribe.json()) as { unsubscribe: string }

    await publish('tam-ky-river', [150, 162, 175, 176], Date.now() - 10 * MINUTE)
    const message = await pushService.nextMessage()
    expect(message.id).toBe('citizen')
    expect(message.payload).toEqual({
      title: 'Trạm thủy văn Tam Kỳ: Báo động I (BĐ1)',
      body: 'Mực nước đang ở Báo động I (BĐ1) (175 cm). Mở để xem chi tiết và hướng dẫn.',
      url: 'https://ioc.tamky.gov.vn/muc-nuoc/tam-ky-river',
      tag: 'point-tam-ky-river',
      unsubscribeUrl: `https://ioc.tamky.gov.vn/muc-nuoc/tam-ky-river?huy-theo-doi=${unsubscribe}`,
    })

    const post = (body: unknown) =>
      fetch(`${s.baseUrl}/api/public/push-subscriptions/unsubscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `_csrf=${citizen.jar._csrf}`, 'x-csrf-token': citizen.csrfToken },
        body: JSON.stringify(body),
      })
    expect((await post({ unsubscribe: `${unsubscribe.split('.')[0]}.wrong-token` })).status).toBe(404)
    expect((await post({ unsubscribe })).status).toBe(204)
    expect((await post({ unsubscribe })).status).toBe(404)
  })

  it('refuses a push endpoint on this network unless it is a test push service, and a point that does not exist', async () => {
    const s = await startServer()
    cleanup.push(() => s.close())
    const citizen = await anonymousClient(s.baseUrl)
    const post = (body: unknown) =>
      fetch(`${s.baseUrl}/api/public/push-subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `_csrf=${citizen.jar._csrf}`, 'x-csrf-token': citizen.csrfToken },
        body: JSON.stringify(body),
      })
    const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' }
    const local = await post({ subscription: { endpoint: 'https://10.0.0.5/push/x', keys }, stationId: 'tam-ky-river', language: 'vi' })
    expect(local.status).toBe(400)
    expect(((await local.json()) as { message: string }).message).toMatch(/push service on the internet|P-256/)
    const nowhere = await post({ subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys }, stationId: 'khong-co', language: 'vi' })
    expect(nowhere.status).toBe(400)
    expect(((await nowhere.json()) as { message: string }).message).toBe('no flood point "khong-co"')
  })
})
