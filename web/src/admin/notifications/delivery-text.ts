import type { DeliveryStatus, DeliveryView, NotificationEvent } from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'

/** What a message said happened, in words. */
export const EVENT_LABEL: Readonly<Record<NotificationEvent, MessageKey>> = {
  'alarm.raised': 'delivery.event.raised',
  'alarm.escalated': 'delivery.event.escalated',
  'alarm.updated': 'delivery.event.updated',
  'alarm.acknowledged': 'delivery.event.acknowledged',
  'alarm.cleared': 'delivery.event.cleared',
  digest: 'delivery.event.digest',
}

export const CHANNEL_LABEL: Readonly<Record<DeliveryView['channel'], MessageKey>> = {
  email: 'delivery.channel.email',
  webhook: 'delivery.channel.webhook',
  push: 'delivery.channel.push',
  escalation: 'delivery.channel.escalation',
}

export const STATUS_LABEL: Readonly<Record<DeliveryStatus, MessageKey>> = {
  pending: 'delivery.status.pending',
  sent: 'delivery.status.sent',
  failed: 'delivery.status.failed',
  cancelled: 'delivery.status.cancelled',
}

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed', 'cancelled']
