import nodemailer, { type Transporter } from 'nodemailer'
import type { RenderedMessage } from './messages.ts'
import type { SendResult } from './webhook-sender.ts'

export interface MailSender {
  send(to: string, message: RenderedMessage, deliveryId: string): Promise<SendResult>
  close(): void
}

/**
 * Email over the city's mail server: `IOC_SMTP_URL` (`smtp://user:pass@host:587` — STARTTLS when the
 * server offers it — or `smtps://…:465`), from `IOC_MAIL_FROM`. Plain text in UTF-8, so Vietnamese
 * diacritics arrive as written; the delivery id goes in the Message-ID, so a retried message is
 * recognisably the same one.
 */
export function createMailSender(smtpUrl: string, from: string, options: { timeoutMs?: number } = {}): MailSender {
  const timeoutMs = options.timeoutMs ?? 20_000
  const transport: Transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'ioc.local'
  return {
    async send(to, message, deliveryId) {
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: message.subject,
          text: message.text,
          messageId: `<${deliveryId}@${domain}>`,
          headers: { 'X-IOC-Delivery': deliveryId },
        })
        return { ok: true, detail: info.response ?? 'accepted' }
      } catch (error) {
        const e = error as { responseCode?: number; response?: string; code?: string; message: string }
        return { ok: false, detail: e.response ?? (e.code ? `${e.code}: ${e.message}` : e.message) }
      }
    },
    close: () => transport.close(),
  }
}
