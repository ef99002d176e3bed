import type {
  DeliveryStatus,
  DeliveryView,
  DutyShift,
  DutyShiftInput,
  NotificationRule,
  NotificationRuleInput,
  WebhookChannel,
  WebhookChannelInput,
} from '@ioc/shared'
import { getJson, sendJson } from '../../api.ts'

/**
 * What a test send answered (`POST …/webhooks/{id}/test`, `POST …/email-test`). The route declares it
 * inline; @ioc/shared exports no type for it yet.
 */
export interface SendTestResult {
  ok: boolean
  detail: string
}

/** One try at sending a delivery, as the delivery log lists it (`DeliveryAttempt` of @ioc/shared, whose type it does not export yet). */
export interface DeliveryAttemptView {
  at: string
  ok: boolean
  detail: string
  durationMs: number
}
export type DeliveryEntry = DeliveryView & { attemptLog: DeliveryAttemptView[] }

/** A new webhook as the server answers its creation: with its secret, this once. */
export type CreatedWebhook = WebhookChannel & { secret: string }

/** Notification rules (permission `notification:manage`); every failure is an `ApiRequestError`. */
export const rulesApi = {
  list: async () => (await getJson<{ rules: NotificationRule[] }>('/api/notifications/rules')).rules,
  create: (body: NotificationRuleInput) => sendJson<NotificationRule>('POST', '/api/notifications/rules', body),
  update: (id: number, body: NotificationRuleInput) => sendJson<NotificationRule>('PUT', `/api/notifications/rules/${id}`, body),
  remove: (id: number) => sendJson<void>('DELETE', `/api/notifications/rules/${id}`),
}
export type RulesApi = typeof rulesApi

/** Webhooks and the email check (permission `notification:manage`). */
export const webhooksApi = {
  list: async () => (await getJson<{ channels: WebhookChannel[] }>('/api/notifications/webhooks')).channels,
  create: (body: WebhookChannelInput) => sendJson<CreatedWebhook>('POST', '/api/notifications/webhooks', body),
  update: (id: number, body: WebhookChannelInput) => sendJson<WebhookChannel>('PUT', `/api/notifications/webhooks/${id}`, body),
  remove: (id: number) => sendJson<void>('DELETE', `/api/notifications/webhooks/${id}`),
  test: (id: number) => sendJson<SendTestResult>('POST', `/api/notifications/webhooks/${id}/test`),
  emailTest: (to: string) => sendJson<SendTestResult>('POST', '/api/notifications/email-test', { to }),
}
export type WebhooksApi = typeof webhooksApi

export interface DeliveryFilters {
  status: DeliveryStatus | ''
  /** The alarm's id as typed; '' for every alarm. */
  alarm: string
}

/** `/api/notifications/deliveries` with the filters set; an alarm id that is not a whole number above 0 is left out. */
export function deliveriesPath(filters: DeliveryFilters, limit = 100): string {
  const query = new URLSearchParams()
  const alarm = filters.alarm.trim()
  if (/^[1-9]\d*$/.test(alarm)) query.set('alarm', alarm)
  if (filters.status) query.set('status', filters.status)
  query.set('limit', String(limit))
  return `/api/notifications/deliveries?${query}`
}

/** The delivery log, newest first (permission `notification:manage`). */
export const fetchDeliveries = async (filters: DeliveryFilters, limit?: number) =>
  (await getJson<{ deliveries: DeliveryEntry[] }>(deliveriesPath(filters, limit))).deliveries

/** The duty roster (permission `roster:manage`: operators and admins). */
export const rosterApi = {
  list: async (from: string, to: string) => (await getJson<{ shifts: DutyShift[] }>(`/api/roster?${new URLSearchParams({ from, to })}`)).shifts,
  create: (body: DutyShiftInput) => sendJson<{ id: number }>('POST', '/api/roster', body),
  remove: (id: number) => sendJson<void>('DELETE', `/api/roster/${id}`),
}
export type RosterApi = typeof rosterApi
