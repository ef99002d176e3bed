import { createHmac, timingSafeEqual } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { waitForCount } from './wait-for-count.ts'

export interface ReceivedHook {
  headers: IncomingHttpHeaders
  body: string
  json: unknown
  /** Whether X-IOC-Signature is the HMAC-SHA256 of the raw body with the receiver's secret. */
  signatureValid: boolean
  /** The status this receiver answered. */
  answered: number
}

/**
 * A webhook receiver as a Zalo or SMS gateway runs one: checks the signature the way its docs say
 * (HMAC-SHA256 of the raw body, constant-time compare), records every request, and answers 204 — or
 * what `answerNext` says, to exercise retries.
 */
export async function startWebhookReceiver(secret: string) {
  const received: ReceivedHook[] = []
  const events = new EventEmitter()
  const answers: number[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
      const given = Buffer.from(String(request.headers['x-ioc-signature'] ?? ''))
      const status = answers.shift() ?? 204
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        json = null
      }
      received.push({ headers: request.headers, body, json, signatureValid: expected.length === given.length && timingSafeEqual(expected, given), answered: status })
      response.writeHead(status).end()
      events.emit('hook')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/ioc`,
    received,
    /** The next requests get these statuses, in order (then 204 again). */
    answerNext: (...statuses: number[]) => void answers.push(...statuses),
    /** Resolves with the n-th request received (1-based), by event. */
    hook: async (n: number, timeoutMs = 10_000): Promise<ReceivedHook> => {
      await waitForCount(events, 'hook', () => received.length, n, timeoutMs, 'requests the webhook received')
      return received[n - 1]!
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>
