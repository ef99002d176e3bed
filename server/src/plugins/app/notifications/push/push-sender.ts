import { ECDH } from 'node:crypto'
import type { Agent } from 'node:https'
import webPush from 'web-push'
import type { VapidKeys } from './web-push-keys.repository.ts'

/** What a browser's PushSubscription.toJSON() gives (expirationTime aside): keys in URL-safe base64. */
export interface PushSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high'

export interface PushSendOptions {
  /** How long the push service keeps the message for a browser that is offline (0: deliver now or drop). @defaultValue the sender's defaultTtlSeconds */
  ttlSeconds?: number
  /** @defaultValue 'normal' */
  urgency?: PushUrgency
  /** A message with the same topic replaces one still waiting at the push service: 1–32 URL-safe base64 characters. */
  topic?: string
}

/**
 * What became of one message. `gone`: the push service says the subscription no longer exists (404,
 * 410): the caller deletes it. `retry`: it may be delivered later (429, 5xx, 408, or no answer: the
 * network, a timeout); `retryAfterSeconds` is the service's Retry-After when it gave one. Otherwise the
 * message was refused for good (another 4xx, or a subscription, payload or option that cannot be sent):
 * sending it again the same way would fail the same way.
 */
export type PushResult =
  | { ok: true; status: number }
  | { ok: false; gone: true; retry: false; status: 404 | 410 }
  | { ok: false; gone: false; retry: true; status?: number; retryAfterSeconds?: number; error: string }
  | { ok: false; gone: false; retry: false; status?: number; error: string }

export interface PushSender {
  /** The VAPID public key: the applicationServerKey browsers subscribe with. */
  readonly publicKey: string
  /** Encrypts `payload` (JSON) for `subscription` (RFC 8291, aes128gcm) and posts it with a VAPID JWT; never throws. */
  send(subscription: PushSubscription, payload: object, options?: PushSendOptions): Promise<PushResult>
}

export interface PushSenderOptions {
  /** The VAPID key pair (vapid-keys.ts resolves it). */
  keys: VapidKeys
  /** Who runs this server, for push services to contact: an https: URL or a mailto: address (see vapidSubject). */
  subject: string
  /** @defaultValue 86 400 s (a day): a flood warning older than that only misleads. */
  defaultTtlSeconds?: number
  /** How long one request may take before it counts as a network failure (retry). @defaultValue 10 000 ms */
  timeoutMs?: number
  /** The HTTPS agent for the push services (e.g. one trusting a test CA, or behind a proxy); Node's global agent otherwise. */
  agent?: Agent
}

/**
 * The most JSON one message carries, in UTF-8 bytes: push services accept 4,096 bytes of body, and
 * aes128gcm in one record takes 86 (header with the key id) + 16 (tag) + 1 (delimiter) of them.
 */
export const MAX_PAYLOAD_BYTES = 4096 - 86 - 16 - 1

const URL_SAFE_BASE64 = /^[A-Za-z0-9_-]+$/
const URGENCIES: ReadonlySet<string> = new Set<PushUrgency>(['very-low', 'low', 'normal', 'high'])

/**
 * The VAPID subject from the server's settings: IOC_PUBLIC_URL when it is https:// (and not localhost,
 * which push services refuse), else mailto: IOC_MAIL_FROM's address (`Name <a@b>` or `a@b`). Throws
 * when neither gives one.
 */
export function vapidSubject(settings: { publicUrl?: string | undefined; mailFrom?: string | undefined }): string {
  const url = settings.publicUrl ? parseUrl(settings.publicUrl) : null
  if (url?.protocol === 'https:' && !isLocalhost(url.hostname)) return settings.publicUrl!
  const address = settings.mailFrom ? (/<([^<>\s]+@[^<>\s]+)>/.exec(settings.mailFrom)?.[1] ?? settings.mailFrom.trim()) : undefined
  if (address && /^[^\s@<>]+@[^\s@<>]+$/.test(address)) return `mailto:${address}`
  throw new Error('Web Push needs a VAPID subject that push services can contact: set IOC_PUBLIC_URL to an https:// address, or IOC_MAIL_FROM to an e-mail address')
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}

function isLocalhost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost')
}

/** Why `subscription` cannot be sent to, or undefined when it can: an https endpoint, a P-256 point and a 16-byte auth secret. */
export function subscriptionProblem(subscription: unknown): string | undefined {
  const s = subscription as Partial<PushSubscription> | null | undefined
  if (typeof s !== 'object' || s === null) return 'a subscription must be an object with endpoint and keys'
  const endpoint = typeof s.endpoint === 'string' ? parseUrl(s.endpoint) : null
  if (endpoint?.protocol !== 'https:') return 'the subscription endpoint must be an https:// URL'
  const { p256dh, auth } = (typeof s.keys === 'object' && s.keys) || ({} as Partial<PushSubscription['keys']>)
  if (typeof p256dh !== 'string' || !URL_SAFE_BASE64.test(p256dh)) return 'keys.p256dh must be URL-safe base64'
  const point = Buffer.from(p256dh, 'base64url')
  try {
    if (point.length !== 65) throw new Error()
    ECDH.convertKey(point, 'prime256v1')
  } catch {
    return 'keys.p256dh must be an uncompressed P-256 point (65 bytes)'
  }
  if (typeof auth !== 'string' || !URL_SAFE_BASE64.test(auth) || Buffer.from(auth, 'base64url').length !== 16) return 'keys.auth must be 16 bytes, URL-safe base64'
  return undefined
}

function optionsProblem(options: PushSendOptions): string | undefined {
  const { ttlSeconds, urgency, topic } = options
  if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds >= 0)) return `ttlSeconds must be a whole number of seconds, 0 or more (got ${ttlSeconds})`
  if (urgency !== undefined && !URGENCIES.has(urgency)) return `urgency must be very-low, low, normal or high (got ${String(urgency)})`
  if (topic !== undefined && !(topic.length <= 32 && URL_SAFE_BASE64.test(topic))) return 'topic must be 1 to 32 URL-safe base64 characters (letters, digits, - and _)'
  return undefined
}

/** Retry-After: delay-seconds or an HTTP-date, as whole seconds from now. */
function retryAfterSeconds(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return undefined
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim())
  const at = Date.parse(raw)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

/** The result of a send that failed with `error` (what web-push's sendNotification rejected with). */
export function classifyPushFailure(error: unknown): Exclude<PushResult, { ok: true }> {
  if (error instanceof webPush.WebPushError) {
    const status = error.statusCode
    if (status === 404 || status === 410) return { ok: false, gone: true, retry: false, status }
    const detail = `the push service answered ${status}${error.body ? `: ${String(error.body).slice(0, 200)}` : ''}`
    if (status === 408 || status === 429 || status >= 500) {
      const after = retryAfterSeconds(error.headers?.['retry-after'])
      return { ok: false, gone: false, retry: true, status, ...(after !== undefined && { retryAfterSeconds: after }), error: detail }
    }
    return { ok: false, gone: false, retry: false, status, error: detail }
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  // No answer: the network (ECONNREFUSED, ECONNRESET, a TLS failure …) or web-push's own timeout.
  if (typeof code === 'string' || message === 'Socket timeout') {
    return { ok: false, gone: false, retry: true, error: `no answer from the push service: ${typeof code === 'string' ? `${code} ` : ''}${String(message)}` }
  }
  return { ok: false, gone: false, retry: false, error: `web-push refused the message: ${error instanceof Error ? error.message : String(error)}` }
}

/**
 * Sends Web Push messages with the `web-push` package: payloads encrypted as aes128gcm (RFC 8291),
 * signed with the VAPID key pair (RFC 8292). Throws at once when the subject cannot be a VAPID subject.
 */
export function createPushSender(options: PushSenderOptions): PushSender {
  const { keys, subject, defaultTtlSeconds = 86_400, timeoutMs = 10_000, agent } = options
  const parsed = parseUrl(subject)
  if (!parsed || !(parsed.protocol === 'mailto:' || (parsed.protocol === 'https:' && !isLocalhost(parsed.hostname)))) {
    throw new Error(`the VAPID subject must be an https: URL (not localhost) or a mailto: address, not "${subject}"`)
  }
  const vapidDetails = { subject, publicKey: keys.publicKey, privateKey: keys.privateKey }

  return {
    publicKey: keys.publicKey,
    async send(subscription, payload, sendOptions = {}) {
      const problem = subscriptionProblem(subscription) ?? optionsProblem(sendOptions)
      if (problem) return { ok: false, gone: false, retry: false, error: problem }
      const body = Buffer.from(JSON.stringify(payload), 'utf8')
      if (body.length > MAX_PAYLOAD_BYTES) {
        return { ok: false, gone: false, retry: false, error: `the payload is ${body.length} bytes of JSON; one Web Push message carries at most ${MAX_PAYLOAD_BYTES}` }
      }
      try {
        const sent = await webPush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth } }, body, {
          vapidDetails,
          contentEncoding: 'aes128gcm',
          TTL: sendOptions.ttlSeconds ?? defaultTtlSeconds,
          urgency: sendOptions.urgency ?? 'normal',
          ...(sendOptions.topic !== undefined && { topic: sendOptions.topic }),
          timeout: timeoutMs,
          ...(agent && { agent }),
        })
        return { ok: true, status: sent.statusCode }
      } catch (error) {
        return classifyPushFailure(error)
      }
    },
  }
}
