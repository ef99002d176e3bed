import type { WebhookChannel, WebhookChannelInput } from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'

/** The API's limits on a webhook (WebhookChannelInput). */
export const WEBHOOK_LIMITS = { nameMax: 120, urlMax: 2000, secretMin: 16, secretMax: 200 } as const
const URL_PATTERN = /^https?:\/\/[^\s]+$/

export interface WebhookFormValues {
  name: string
  url: string
  enabled: boolean
  /** '' to have the server make one (new webhook) or to keep the current one (edit). */
  secret: string
}

export type WebhookFormErrors = Partial<Record<'name' | 'url' | 'secret', MessageKey>>

export const emptyWebhookForm = (): WebhookFormValues => ({ name: '', url: 'https://', enabled: true, secret: '' })
export const webhookFormOf = (channel: WebhookChannel): WebhookFormValues => ({ name: channel.name, url: channel.url, enabled: channel.enabled, secret: '' })

export function webhookFormErrors(values: WebhookFormValues): WebhookFormErrors {
  const errors: WebhookFormErrors = {}
  const name = values.name.trim()
  if (name === '' || [...name].length > WEBHOOK_LIMITS.nameMax) errors.name = 'webhookForm.error.name'
  const url = values.url.trim()
  if (!URL_PATTERN.test(url) || url.length > WEBHOOK_LIMITS.urlMax) errors.url = 'webhookForm.error.url'
  const secret = values.secret.trim()
  if (secret !== '' && (secret.length < WEBHOOK_LIMITS.secretMin || secret.length > WEBHOOK_LIMITS.secretMax)) errors.secret = 'webhookForm.error.secret'
  return errors
}

/** The webhook as the API takes it; without a secret the server makes one (new) or keeps the old one (edit). */
export function webhookBody(values: WebhookFormValues): WebhookChannelInput {
  const secret = values.secret.trim()
  return { name: values.name.trim(), url: values.url.trim(), enabled: values.enabled, ...(secret && { secret }) }
}
