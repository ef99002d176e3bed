import Type, { type Static } from 'typebox'
import { ALARM_TYPES } from '../alarms/alarm-rules.ts'
import { AlarmView } from '../alarms/alarm-api.ts'
import { ROLES } from '../auth/permissions.ts'

const Timestamp = Type.String({ format: 'date-time' })

/** What happened, as a webhook's `event` and `X-IOC-Event` say it (docs/notifications.md). */
export const NotificationEvent = {
  raised: 'alarm.raised',
  escalated: 'alarm.escalated',
  updated: 'alarm.updated',
  acknowledged: 'alarm.acknowledged',
  cleared: 'alarm.cleared',
  digest: 'digest',
} as const
export type NotificationEvent = (typeof NotificationEvent)[keyof typeof NotificationEvent]
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = Object.values(NotificationEvent)

/** How a notification leaves: the city's mail server, a webhook (Zalo OA, Telegram, an SMS gateway), Web Push. */
export const NotificationChannelKind = { email: 'email', webhook: 'webhook', push: 'push' } as const
export type NotificationChannelKind = (typeof NotificationChannelKind)[keyof typeof NotificationChannelKind]

export const Language = Type.Union([Type.Literal('vi'), Type.Literal('en')])
export type Language = Static<typeof Language>

/** Who a rule's step reaches. Resolved when the notification is planned, so "on duty" means on duty then. */
export const Recipient = Type.Union([
  Type.Object({ kind: Type.Literal('user'), username: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('role'), role: Type.Enum(ROLES) }, { additionalProperties: false }),
  /** The operators on duty now (their shift covers the alarm's area, or all areas); nobody on duty → every operator. */
  Type.Object({ kind: Type.Literal('on_duty') }, { additionalProperties: false }),
  /** The area staff of the alarm's own ward or commune. */
  Type.Object({ kind: Type.Literal('area_staff') }, { additionalProperties: false }),
  /** Accounts in a named group (e.g. `technicians`), set in each account's contact settings by an admin. */
  Type.Object({ kind: Type.Literal('group'), group: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_-]+$' }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('webhook'), channelId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
])
export type Recipient = Static<typeof Recipient>

/** One step of an escalation chain: if nobody has acknowledged the alarm `afterMinutes` after it was raised (or escalated), these are told. */
export const EscalationStep = Type.Object(
  {
    afterMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
    recipients: Type.Array(Recipient, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
)
export type EscalationStep = Static<typeof EscalationStep>

/** What an admin writes: which alarms (types, level, places) go to whom, and who next if nobody acknowledges. */
export const NotificationRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    enabled: Type.Boolean(),
    alarmTypes: Type.Array(Type.Enum(ALARM_TYPES), { minItems: 1, uniqueItems: true }),
    /** Flood alarms at or above this BĐ level only (1–3); null: every level. Other alarm types have no level and always match. */
    minLevel: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
    /** Only alarms in these wards/communes (GSO codes); null: everywhere. */
    areaIds: Type.Union([Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }), Type.Null()]),
    /** Only alarms of these stations or cameras; null: all. */
    sourceIds: Type.Union([Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }), Type.Null()]),
    recipients: Type.Array(Recipient, { minItems: 1, maxItems: 20 }),
    escalation: Type.Array(EscalationStep, { maxItems: 5 }),
  },
  { additionalProperties: false },
)
export type NotificationRuleInput = Static<typeof NotificationRuleInput>
export const NotificationRule = Type.Object({ id: Type.Integer(), ...NotificationRuleInput.properties, updatedAt: Timestamp })
export type NotificationRule = Static<typeof NotificationRule>
export const NotificationRuleList = Type.Object({ rules: Type.Array(NotificationRule) })

/** A shift on the duty roster: who, from, to, and optionally which areas (none: the whole city). */
export const DutyShiftInput = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    startsAt: Timestamp,
    endsAt: Timestamp,
    areaIds: Type.Union([Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }), Type.Null()]),
  },
  { additionalProperties: false },
)
export type DutyShiftInput = Static<typeof DutyShiftInput>
export const DutyShift = Type.Object({ id: Type.Integer(), ...DutyShiftInput.properties, fullName: Type.String(), createdBy: Type.String() })
export type DutyShift = Static<typeof DutyShift>
export const DutyShiftQuery = Type.Object({ from: Timestamp, to: Timestamp }, { additionalProperties: false })
export const DutyShiftList = Type.Object({ shifts: Type.Array(DutyShift) })

/** A webhook a city already runs a gateway behind (Zalo OA, Telegram, SMS). The secret signs every body. */
export const WebhookChannelInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 }),
    /** HMAC-SHA256 key of `X-IOC-Signature`; at least 16 characters. Omitted on an update: kept. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type WebhookChannelInput = Static<typeof WebhookChannelInput>
/** A webhook as admins see it: never its secret. */
export const WebhookChannel = Type.Object({ id: Type.Integer(), name: Type.String(), url: Type.String(), enabled: Type.Boolean(), updatedAt: Timestamp })
export type WebhookChannel = Static<typeof WebhookChannel>
export const WebhookChannelList = Type.Object({ channels: Type.Array(WebhookChannel) })

/** A user's own contact points and language: where notifications reach them, in which language. */
export const ContactSettings = Type.Object(
  {
    email: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
    language: Language,
  },
  { additionalProperties: false },
)
export type ContactSettings = Static<typeof ContactSettings>
/** An account's contact settings as an admin sets them: also its groups. */
export const AccountContactSettings = Type.Object(
  { ...ContactSettings.properties, groups: Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_-]+$' }), { maxItems: 10, uniqueItems: true }) },
  { additionalProperties: false },
)
export type AccountContactSettings = Static<typeof AccountContactSettings>

export const DeliveryStatus = { pending: 'pending', sent: 'sent', failed: 'failed', cancelled: 'cancelled' } as const
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus]

/** One message to one recipient on one channel, as the delivery log shows it. */
export const DeliveryView = Type.Object({
  /** The `X-IOC-Delivery` id: the same on every retry, so a receiver can drop repeats. */
  id: Type.String(),
  alarmId: Type.Integer(),
  event: Type.Enum(NOTIFICATION_EVENTS),
  /** `escalation`: a step of an escalation chain, due when nobody has acknowledged by then; it becomes the messages of that step. */
  channel: Type.Enum([...Object.values(NotificationChannelKind), 'escalation']),
  /** An email address, a webhook's name, a push subscription's owner, or the escalation step. */
  target: Type.String(),
  /** 0: the first message; 1, 2…: escalation steps. */
  step: Type.Integer(),
  status: Type.Enum(Object.values(DeliveryStatus)),
  dueAt: Timestamp,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
})
export type DeliveryView = Static<typeof DeliveryView>
export const DeliveryQuery = Type.Object(
  {
    alarm: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(Type.Enum(Object.values(DeliveryStatus))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
)
export const DeliveryAttempt = Type.Object({ at: Timestamp, ok: Type.Boolean(), detail: Type.String(), durationMs: Type.Integer() })
export const DeliveryList = Type.Object({ deliveries: Type.Array(Type.Object({ ...DeliveryView.properties, attemptLog: Type.Array(DeliveryAttempt) })) })

/** What a webhook receives (the body `X-IOC-Signature` signs). For a digest, `alarm` is null and `alarms` lists them. */
export const WebhookPayload = Type.Object({
  event: Type.Enum(NOTIFICATION_EVENTS),
  alarm: Type.Union([AlarmView, Type.Null()]),
  alarms: Type.Optional(Type.Array(AlarmView)),
  /** Opens the dashboard on the alarm (after login). */
  url: Type.String(),
  sentAt: Timestamp,
})
export type WebhookPayload = Static<typeof WebhookPayload>

/** A browser's PushSubscription (its `toJSON()`), as the dashboard and the citizens' page send it. */
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ pattern: '^https://[^\\s]+$', maxLength: 2000 }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object({ p256dh: Type.String({ minLength: 80, maxLength: 100 }), auth: Type.String({ minLength: 16, maxLength: 32 }) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>

/** A citizen following one flood point by Web Push: no account, nothing personal kept but the subscription. */
export const CitizenPushBody = Type.Object(
  { subscription: PushSubscriptionBody, stationId: Type.String({ minLength: 1, maxLength: 64 }), language: Language },
  { additionalProperties: false },
)
export type CitizenPushBody = Static<typeof CitizenPushBody>
/** `unsubscribe`: what every message's unsubscribe link carries, and what ends the subscription. */
export const CitizenPushCreated = Type.Object({ id: Type.Integer(), unsubscribe: Type.String() })
export const CitizenUnsubscribeBody = Type.Object({ unsubscribe: Type.String({ pattern: '^\\d+\\.[A-Za-z0-9_-]+$', maxLength: 100 }) }, { additionalProperties: false })
