import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { startPushEndpoint, type PushEndpoint } from '../../../../../../tests/helpers/push-endpoint.ts'
import { createPushSender, MAX_PAYLOAD_BYTES, type PushSender } from './push-sender.ts'

/**
 * The real `web-push` package sending to a real push service: tests/helpers/push-endpoint.ts, which
 * verifies the VAPID JWT and decrypts the message as a browser would (RFC 8291).
 */
describe('Web Push to a push service', () => {
  const keys = webPush.generateVAPIDKeys()
  const subject = 'mailto:canh-bao@tamky.gov.vn'
  let endpoint: PushEndpoint
  let sender: PushSender

  beforeAll(async () => {
    endpoint = await startPushEndpoint()
    sender = createPushSender({ keys, subject, agent: endpoint.agent() })
  })
  afterAll(() => endpoint?.close())

  it('delivers the payload, encrypted for the subscription and signed with the VAPID key', async () => {
    const payload = {
      title: 'Cảnh báo lũ cấp 3 — Cầu Xuân Quý',
      body: 'Mực nước sông Tam Kỳ 3,45 m, vượt báo động III. Người dân xã Tam Thăng, phường Hòa Hương sơ tán ngay.',
      url: 'https://ioc.tamky.gov.vn/muc-nuoc/cau-xuan-quy',
      level: 3,
    }
    const result = await sender.send(endpoint.subscription('ops-1'), payload, { ttlSeconds: 3600, urgency: 'high', topic: 'flood-cau-xuan-quy' })
    expect(result).toEqual({ ok: true, status: 201 })
    const message = await endpoint.nextMessage()
    expect(message).toMatchObject({ id: 'ops-1', payload, text: JSON.stringify(payload), ttl: 3600, urgency: 'high', topic: 'flood-cau-xuan-quy' })
    const now = Date.now() / 1000
    expect(message.vapid).toEqual({ publicKey: keys.publicKey, audience: endpoint.origin, subject, expiresAt: expect.any(Number) })
    expect(message.vapid.expiresAt).toBeGreaterThan(now)
    expect(message.vapid.expiresAt).toBeLessThanOrEqual(now + 24 * 3600)
  })

  it("sends a day's TTL and normal urgency unless told otherwise, and no topic", async () => {
    await sender.send(endpoint.subscription('ops-1'), { n: 1 })
    expect(await endpoint.nextMessage()).toMatchObject({ payload: { n: 1 }, ttl: 86_400, urgency: 'normal', topic: undefined })
    await sender.send(endpoint.subscription('ops-1'), { n: 2 }, { ttlSeconds: 0 })
    expect(await endpoint.nextMessage()).toMatchObject({ payload: { n: 2 }, ttl: 0 })
  })

  it('encrypts for each subscription its own keys', async () => {
    await sender.send(endpoint.subscription('ops-2'), { to: 'ops-2' })
    await sender.send(endpoint.subscription('staff-tam-thang'), { to: 'staff-tam-thang' })
    expect([await endpoint.nextMessage(), await endpoint.nextMessage()].map((m) => [m.id, m.payload])).toEqual([
      ['ops-2', { to: 'ops-2' }],
      ['staff-tam-thang', { to: 'staff-tam-thang' }],
    ])
  })

  it('delivers the largest payload one message carries (4,096 bytes of body)', async () => {
    const chars = MAX_PAYLOAD_BYTES - '{"text":""}'.length
    const payload = { text: 'ệ'.repeat(Math.floor(chars / 3)) + 'x'.repeat(chars % 3) }
    expect(Buffer.byteLength(JSON.stringify(payload))).toBe(MAX_PAYLOAD_BYTES)
    expect(await sender.send(endpoint.subscription('ops-1'), payload)).toEqual({ ok: true, status: 201 })
    expect((await endpoint.nextMessage()).payload).toEqual(payload)
  })

  it('410 and 404: the subscription is gone', async () => {
    endpoint.failNext(1, 410)
    expect(await sender.send(endpoint.subscription('ops-1'), { n: 3 })).toEqual({ ok: false, gone: true, retry: false, status: 410 })
    const leaving = endpoint.subscription('unsubscribed')
    endpoint.unsubscribe('unsubscribed')
    expect(await sender.send(leaving, { n: 4 })).toEqual({ ok: false, gone: true, retry: false, status: 410 })
    expect(await sender.send({ ...leaving, endpoint: `${endpoint.origin}/push/never-subscribed` }, { n: 5 })).toEqual({ ok: false, gone: true, retry: false, status: 404 })
  })

  it('500 and 429: try again later (after Retry-After), and the next try is delivered', async () => {
    endpoint.failNext(1, 500)
    endpoint.failNext(1, 429, { 'Retry-After': '120' })
    const subscription = endpoint.subscription('ops-1')
    expect(await sender.send(subscription, { n: 6 })).toEqual({ ok: false, gone: false, retry: true, status: 500, error: 'the push service answered 500: failNext' })
    expect(await sender.send(subscription, { n: 6 })).toEqual({ ok: false, gone: false, retry: true, status: 429, retryAfterSeconds: 120, error: 'the push service answered 429: failNext' })
    expect(await sender.send(subscription, { n: 6 })).toEqual({ ok: true, status: 201 })
    expect((await endpoint.nextMessage()).payload).toEqual({ n: 6 })
  })

  it('a subscription made for another VAPID key: refused for good (403), not gone', async () => {
    const restricted = endpoint.subscription('made-with-old-keys', { applicationServerKey: webPush.generateVAPIDKeys().publicKey })
    expect(await sender.send(restricted, { n: 7 })).toEqual({
      ok: false,
      gone: false,
      retry: false,
      status: 403,
      error: 'the push service answered 403: k= is not the applicationServerKey the subscription was made with',
    })
  })

  it('no push service listening: try again later', async () => {
    const closed = await startPushEndpoint()
    const subscription = closed.subscription('ops-1')
    await closed.close()
    expect(await createPushSender({ keys, subject, agent: closed.agent() }).send(subscription, { n: 8 })).toMatchObject({ ok: false, gone: false, retry: true, error: expect.stringMatching(/^no answer from the push service: ECONNREFUSED/) })
  })

  it("checks the push service's certificate", async () => {
    const answered = endpoint.requests.length
    expect(await createPushSender({ keys, subject }).send(endpoint.subscription('ops-1'), { n: 9 })).toMatchObject({ ok: false, retry: true, error: expect.stringMatching(/certificate/i) })
    expect(endpoint.requests.length).toBe(answered)
  })
})

/** The test push service refuses what a real one refuses: its checks are what the tests above rest on. */
describe('the test push endpoint', () => {
  const keys = webPush.generateVAPIDKeys()
  let endpoint: PushEndpoint

  beforeAll(async () => {
    endpoint = await startPushEndpoint()
  })
  afterAll(() => endpoint?.close())

  /** web-push's request for `payload`, with `change` applied to its headers or body, posted as is. */
  async function post(id: string, change: (details: { headers: Record<string, string>; body: Buffer }) => void, vapid: { audience?: string; expiration?: number } = {}) {
    const subscription = endpoint.subscription(id)
    const details = webPush.generateRequestDetails(subscription, Buffer.from('{"n":1}'), { vapidDetails: { subject: 'mailto:ioc@tamky.gov.vn', ...keys }, contentEncoding: 'aes128gcm', TTL: 60 })
    const headers = Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)]))
    if (vapid.audience !== undefined || vapid.expiration !== undefined) {
      headers.Authorization = webPush.getVapidHeaders(vapid.audience ?? endpoint.origin, 'mailto:ioc@tamky.gov.vn', keys.publicKey, keys.privateKey, 'aes128gcm', vapid.expiration).Authorization
    }
    const request_ = { headers, body: Buffer.from(details.body) }
    change(request_)
    request_.headers['Content-Length'] = String(request_.body.length)
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(details.endpoint, { method: 'POST', headers: request_.headers, agent: endpoint.agent() }, (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject).end(request_.body)
    })
  }

  it("takes web-push's request as it is", async () => {
    expect(await post('a', () => undefined)).toEqual({ status: 201, text: '' })
    expect((await endpoint.nextMessage()).payload).toEqual({ n: 1 })
  })

  it('refuses a JWT signed by another key than k=', async () => {
    const stranger = webPush.generateVAPIDKeys()
    expect(await post('a', (r) => (r.headers.Authorization = r.headers.Authorization!.replace(/k=.*$/, `k=${stranger.publicKey}`)))).toEqual({
      status: 403,
      text: 'the VAPID token signature does not verify against k=',
    })
  })

  it('refuses a JWT whose claims were altered', async () => {
    const altered = (auth: string) => {
      const [, header, claims, signature] = /t=([^.]+)\.([^.]+)\.([^,]+)/.exec(auth)!
      const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), sub: 'mailto:attacker@example.org' })).toString('base64url')
      return auth.replace(`${header}.${claims}.${signature}`, `${header}.${changed}.${signature}`)
    }
    expect((await post('a', (r) => (r.headers.Authorization = altered(r.headers.Authorization!)))).status).toBe(403)
  })

  it('refuses a JWT for another audience, or expired, and no JWT at all', async () => {
    expect(await post('a', () => undefined, { audience: 'https://fcm.googleapis.com' })).toEqual({ status: 403, text: `the VAPID token's aud is https://fcm.googleapis.com, not this push service's origin ${endpoint.origin}` })
    expect((await post('a', () => undefined, { expiration: Math.floor(Date.now() / 1000) - 10 })).text).toMatch(/^the VAPID token has expired/)
    expect((await post('a', (r) => delete r.headers.Authorization)).status).toBe(401)
  })

  it('refuses a body that was altered, or that is not aes128gcm', async () => {
    expect(await post('a', (r) => (r.body[r.body.length - 20]! ^= 1))).toEqual({ status: 400, text: 'cannot decrypt the body: the AES-128-GCM tag does not verify (wrong keys, or the body was altered)' })
    expect((await post('a', (r) => (r.headers['Content-Encoding'] = 'aesgcm'))).status).toBe(415)
    expect((await post('a', (r) => delete r.headers.TTL)).status).toBe(400)
    expect(await post('a', (r) => (r.body = Buffer.concat([r.body, Buffer.alloc(4096)])))).toEqual({ status: 413, text: 'the body is over 4096 bytes' })
  })

  it('refuses a message encrypted for another subscription', async () => {
    const other = endpoint.subscription('b')
    expect(await post('a', (r) => (r.body = webPush.encrypt(other.keys.p256dh, other.keys.auth, '{"n":1}', 'aes128gcm').cipherText))).toMatchObject({ status: 400 })
  })

  it('awaits the next message by event: a waiter set up before the message arrives gets it', async () => {
    const next = endpoint.nextMessage()
    await createPushSender({ keys, subject: 'mailto:ioc@tamky.gov.vn', agent: endpoint.agent() }).send(endpoint.subscription('c'), { n: 'chờ' })
    expect((await next).payload).toEqual({ n: 'chờ' })
    await expect(endpoint.nextMessage({ timeoutMs: 50 })).rejects.toThrow(/^no push message within 50 ms; requests answered: /)
  })
})
