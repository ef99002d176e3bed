import { createHmac } from 'node:crypto'
import type { WebhookPayload } from '@ioc/shared'

/** A webhook that does not answer within this is a failed attempt (retried). */
export const WEBHOOK_TIMEOUT_MS = 10_000

export type SendResult = { ok: true; detail: string } | { ok: false; detail: string }

/** `sha256=<hex HMAC-SHA256 of the raw body>` with the channel's secret: what a receiver checks. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * POSTs one delivery to a webhook: JSON `{ event, alarm, url, sentAt }` with `X-IOC-Event`,
 * `X-IOC-Delivery` (the same on every retry) and `X-IOC-Signature`. A 2xx answer is delivered;
 * anything else, or no answer within WEBHOOK_TIMEOUT_MS, is a failed attempt to retry.
 */
export async function sendWebhook(channel: { url: string; secret: string }, deliveryId: string, payload: WebhookPayload, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<SendResult> {
  const body = JSON.stringify(payload)
  try {
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'tam-ky-ioc-notifier',
        'x-ioc-event': payload.event,
        'x-ioc-delivery': deliveryId,
        'x-ioc-signature': webhookSignature(channel.secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The answer's body is not needed; reading it lets the connection be reused.
    await response.arrayBuffer().catch(() => undefined)
    if (response.status >= 200 && response.status < 300) return { ok: true, detail: `HTTP ${response.status}` }
    return { ok: false, detail: `HTTP ${response.status}` }
  } catch (error) {
    const name = (error as Error).name
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, detail: `no answer within ${timeoutMs / 1000} s` }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return { ok: false, detail: cause?.code ?? cause?.message ?? (error as Error).message }
  }
}
