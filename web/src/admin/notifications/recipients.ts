import { DEFAULT_NOTIFICATION_RULES, type Recipient } from '@ioc/shared'
import { ROLE_LABEL } from '../../auth/roles.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { translate, type Lang } from '../../i18n/translate.ts'

export type RecipientKind = Recipient['kind']
export const RECIPIENT_KINDS: readonly RecipientKind[] = ['on_duty', 'area_staff', 'group', 'role', 'user', 'webhook']

/** The groups the default rules name (docs/notifications.md): offered by name and explained in words. */
export const KNOWN_GROUPS = ['technicians', 'shift-leaders', 'office-heads'] as const
export type KnownGroup = (typeof KNOWN_GROUPS)[number]

export const GROUP_LABEL: Readonly<Record<KnownGroup, { name: MessageKey; hint: MessageKey }>> = {
  technicians: { name: 'group.technicians', hint: 'group.technicians.hint' },
  'shift-leaders': { name: 'group.shift-leaders', hint: 'group.shift-leaders.hint' },
  'office-heads': { name: 'group.office-heads', hint: 'group.office-heads.hint' },
}

const isKnownGroup = (group: string): group is KnownGroup => (KNOWN_GROUPS as readonly string[]).includes(group)

/** Every group the default rules name (a test keeps KNOWN_GROUPS in step with them). */
export function defaultRuleGroups(): string[] {
  const groups = DEFAULT_NOTIFICATION_RULES.flatMap((rule) => [...rule.recipients, ...rule.escalation.flatMap((s) => s.recipients)])
    .filter((r) => r.kind === 'group')
    .map((r) => r.group)
  return [...new Set(groups)]
}

/** A group in words: "Trưởng ca (shift-leaders)" for a known one, its name for others. */
export function groupText(group: string, lang: Lang): string {
  return isKnownGroup(group) ? `${translate(lang, GROUP_LABEL[group].name)} (${group})` : group
}

export const KIND_LABEL: Readonly<Record<RecipientKind, MessageKey>> = {
  user: 'recipient.kind.user',
  role: 'recipient.kind.role',
  on_duty: 'recipient.kind.on_duty',
  area_staff: 'recipient.kind.area_staff',
  group: 'recipient.kind.group',
  webhook: 'recipient.kind.webhook',
}

export interface RecipientNames {
  /** An account's full name, when the screen knows it. */
  user?: (username: string) => string | undefined
  /** A webhook's name; undefined for one that no longer exists. */
  webhook: (id: number) => string | undefined
}

/** Who a recipient is, in words: "Trực ban đang trong ca", "Nhóm Trưởng ca (shift-leaders)", "Webhook Zalo OA". */
export function recipientText(recipient: Recipient, lang: Lang, names: RecipientNames): string {
  switch (recipient.kind) {
    case 'user': {
      const fullName = names.user?.(recipient.username)
      return translate(lang, 'recipient.user', { name: fullName ? `${fullName} (${recipient.username})` : recipient.username })
    }
    case 'role':
      return translate(lang, 'recipient.role', { role: translate(lang, ROLE_LABEL[recipient.role]) })
    case 'on_duty':
      return translate(lang, 'recipient.on_duty')
    case 'area_staff':
      return translate(lang, 'recipient.area_staff')
    case 'group':
      return translate(lang, 'recipient.group', { group: groupText(recipient.group, lang) })
    case 'webhook': {
      const name = names.webhook(recipient.channelId)
      return name === undefined ? translate(lang, 'recipient.webhookMissing', { id: recipient.channelId }) : translate(lang, 'recipient.webhook', { name })
    }
  }
}

/** One string per recipient, the same for the same one: to tell them apart in a list, and to add each once. */
export function recipientId(recipient: Recipient): string {
  switch (recipient.kind) {
    case 'user':
      return `user:${recipient.username}`
    case 'role':
      return `role:${recipient.role}`
    case 'group':
      return `group:${recipient.group}`
    case 'webhook':
      return `webhook:${recipient.channelId}`
    default:
      return recipient.kind
  }
}

/** The list with `recipient` added at the end, unless it is already there. */
export function addRecipient(list: readonly Recipient[], recipient: Recipient): Recipient[] {
  const id = recipientId(recipient)
  return list.some((r) => recipientId(r) === id) ? [...list] : [...list, recipient]
}
