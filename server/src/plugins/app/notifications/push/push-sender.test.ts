import { createECDH, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { classifyPushFailure, createPushSender, MAX_PAYLOAD_BYTES, subscriptionProblem, vapidSubject, type PushSubscription } from './push-sender.ts'

const keys = webPush.generateVAPIDKeys()
const browserKey = createECDH('prime256v1')
/** A well-formed subscription whose endpoint nothing listens on (these tests never reach the network). */
const subscription: PushSubscription = {
  endpoint: 'https://127.0.0.1:9/push/unit',
  keys: { p256dh: browserKey.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
}
const webPushError = (status: number, headers: Record<string, string> = {}, body = '') =>
  new webPush.WebPushError('Received unexpected response code', status, headers, body, subscription.endpoint)

describe('the VAPID subject', () => {
  it('is IOC_PUBLIC_URL when it is https', () => {
    expect(vapidSubject({ publicUrl: 'https://ioc.tamky.gov.vn', mailFrom: 'ioc@tamky.gov.vn' })).toBe('https://ioc.tamky.gov.vn')
  })

  it("is mailto: IOC_MAIL_FROM's address when IOC_PUBLIC_URL is http, localhost or unset", () => {
    expect(vapidSubject({ publicUrl: 'http://10.0.0.5:8080', mailFrom: 'ioc@tamky.gov.vn' })).toBe('mailto:ioc@tamky.gov.vn')
    expect(vapidSubject({ publicUrl: 'https://localhost:8443', mailFrom: 'IOC Tam Kỳ <canh-bao@tamky.gov.vn>' })).toBe('mailto:canh-bao@tamky.gov.vn')
    expect(vapidSubject({ mailFrom: ' ioc@tamky.gov.vn ' })).toBe('mailto:ioc@tamky.gov.vn')
  })

  it('cannot be made from neither', () => {
    expect(() => vapidSubject({ publicUrl: 'http://localhost:8080' })).toThrow(/set IOC_PUBLIC_URL to an https:\/\/ address, or IOC_MAIL_FROM to an e-mail address/)
    expect(() => vapidSubject({ publicUrl: 'http://localhost:8080', mailFrom: 'IOC Tam Kỳ' })).toThrow(/IOC_MAIL_FROM/)
  })

  it('is checked when the sender is made', () => {
    expect(() => createPushSender({ keys, subject: 'http://ioc.tamky.gov.vn' })).toThrow('the VAPID subject must be an https: URL (not localhost) or a mailto: address, not "http://ioc.tamky.gov.vn"')
    expect(() => createPushSender({ keys, subject: 'https://localhost' })).toThrow(/not localhost/)
    expect(createPushSender({ keys, subject: 'mailto:ioc@tamky.gov.vn' }).publicKey).toBe(keys.publicKey)
  })
})

describe('a subscription', () => {
  it('is usable with an https endpoint, a P-256 point and a 16-byte auth secret', () => {
    expect(subscriptionProblem(subscription)).toBeUndefined()
  })

  it.each([
    ['not an object', null, /must be an object/],
    ['an http endpoint', { ...subscription, endpoint: 'http://push.example/x' }, /https:\/\//],
    ['no keys', { endpoint: subscription.endpoint }, /keys\.p256dh/],
    ['a p256dh of standard base64', { ...subscription, keys: { ...subscription.keys, p256dh: Buffer.from(subscription.keys.p256dh, 'base64url').toString('base64') } }, /keys\.p256dh must be URL-safe base64/],
    ['a p256dh off the curve', { ...subscription, keys: { ...subscription.keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } }, /uncompressed P-256 point/],
    ['a short auth secret', { ...subscription, keys: { ...subscription.keys, auth: randomBytes(8).toString('base64url') } }, /keys\.auth must be 16 bytes/],
  ])('is refused with %s', (_what, value, problem) => {
    expect(subscriptionProblem(value)).toMatch(problem)
  })
})

describe('what a failed send means', () => {
  it('404 and 410: the subscription is gone', () => {
    expect(classifyPushFailure(webPushError(410))).toEqual({ ok: false, gone: true, retry: false, status: 410 })
    expect(classifyPushFailure(webPushError(404))).toEqual({ ok: false, gone: true, retry: false, status: 404 })
  })

  it('429, 5xx and 408: try again, after the Retry-After the service gave', () => {
    expect(classifyPushFailure(webPushError(429, { 'retry-after': '120' }, 'slow down'))).toEqual({
      ok: false,
      gone: false,
      retry: true,
      status: 429,
      retryAfterSeconds: 120,
      error: 'the push service answered 429: slow down',
    })
    expect(classifyPushFailure(webPushError(503, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }))).toMatchObject({ retry: true, status: 503, retryAfterSeconds: expect.any(Number) })
    expect(classifyPushFailure(webPushError(500))).toEqual({ ok: false, gone: false, retry: true, status: 500, error: 'the push service answered 500' })
    expect(classifyPushFailure(webPushError(408))).toMatchObject({ retry: true, status: 408 })
  })

  it('no answer (refused connection, reset, TLS, timeout): try again', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
    expect(classifyPushFailure(refused)).toEqual({ ok: false, gone: false, retry: true, error: 'no answer from the push service: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9' })
    expect(classifyPushFailure(new Error('Socket timeout'))).toMatchObject({ retry: true })
  })

  it('another 4xx, or a message web-push refuses: refused for good', () => {
    for (const status of [400, 401, 403, 413]) expect(classifyPushFailure(webPushError(status))).toMatchObject({ ok: false, gone: false, retry: false, status })
    expect(classifyPushFailure(new Error('The subscription p256dh value should be 65 bytes long.'))).toEqual({
      ok: false,
      gone: false,
      retry: false,
      error: 'web-push refused the message: The subscription p256dh value should be 65 bytes long.',
    })
  })
})

describe('sending', () => {
  const sender = createPushSender({ keys, subject: 'mailto:ioc@tamky.gov.vn' })

  it('refuses, without sending, a payload one message cannot carry', async () => {
    const payload = { text: 'x'.repeat(MAX_PAYLOAD_BYTES - 10) }
    expect(Buffer.byteLength(JSON.stringify(payload))).toBe(MAX_PAYLOAD_BYTES + 1)
    expect(await sender.send(subscription, payload)).toEqual({ ok: false, gone: false, retry: false, error: `the payload is ${MAX_PAYLOAD_BYTES + 1} bytes of JSON; one Web Push message carries at most 3993` })
  })

  it('refuses, without sending, a subscription or options that cannot be sent', async () => {
    expect(await sender.send({ ...subscription, endpoint: 'http://push.example/x' }, {})).toMatchObject({ ok: false, retry: false, gone: false, error: expect.stringMatching(/https/) })
    expect(await sender.send(subscription, {}, { topic: 'lũ lụt' })).toMatchObject({ retry: false, error: expect.stringMatching(/^topic must be/) })
    expect(await sender.send(subscription, {}, { topic: 'x'.repeat(33) })).toMatchObject({ retry: false, error: expect.stringMatching(/^topic must be/) })
    expect(await sender.send(subscription, {}, { ttlSeconds: -1 })).toMatchObject({ retry: false, error: expect.stringMatching(/^ttlSeconds must be/) })
    expect(await sender.send(subscription, {}, { urgency: 'urgent' as 'high' })).toMatchObject({ retry: false, error: expect.stringMatching(/^urgency must be/) })
  })
})
