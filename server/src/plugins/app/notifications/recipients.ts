import type { Language, Recipient, Role } from '@ioc/shared'

/** An account as notifications see it: who, where, and how to reach them. */
export interface Person {
  username: string
  role: Role
  /** The ward or commune of an area_staff account. */
  areaId: string | null
  email: string | null
  language: Language
  groups: readonly string[]
  /** Ids of their Web Push subscriptions (each browser or phone where they allowed notifications). */
  pushSubscriptions: readonly number[]
}

export interface Shift {
  username: string
  startsAt: number
  endsAt: number
  /** null: the whole city. */
  areaIds: readonly string[] | null
}

/** Where one message goes: a person on a channel, or a webhook. */
export interface Destination {
  channel: 'email' | 'webhook' | 'push'
  /** An email address, a webhook channel id, a push subscription id. */
  target: string
  language: Language
}

export interface Directory {
  /** Enabled accounts only. */
  people: readonly Person[]
  shifts: readonly Shift[]
  /** Enabled webhook channels' ids. */
  webhooks: ReadonlySet<number>
}

/**
 * The operators on duty at `now` for an alarm in `areaId`: those whose shift covers now and that area
 * (or the whole city). A gap in the roster falls back to every operator — and with no operator
 * account at all, to the admins — never to nobody.
 */
export function onDuty(directory: Directory, areaId: string, now: number): Person[] {
  const byName = new Map(directory.people.map((p) => [p.username, p]))
  const covering = directory.shifts.filter((s) => s.startsAt <= now && now < s.endsAt && (s.areaIds === null || s.areaIds.includes(areaId)))
  const onShift = [...new Set(covering.map((s) => s.username))].map((name) => byName.get(name)).filter((p): p is Person => p !== undefined)
  if (onShift.length > 0) return onShift
  const operators = directory.people.filter((p) => p.role === 'operator')
  return operators.length > 0 ? operators : directory.people.filter((p) => p.role === 'admin')
}

/** The people a recipient stands for, for an alarm in `areaId` at `now`. */
export function peopleOf(recipient: Recipient, directory: Directory, areaId: string, now: number): Person[] {
  switch (recipient.kind) {
    case 'user':
      return directory.people.filter((p) => p.username === recipient.username)
    case 'role':
      return directory.people.filter((p) => p.role === recipient.role)
    case 'on_duty':
      return onDuty(directory, areaId, now)
    case 'area_staff':
      return directory.people.filter((p) => p.role === 'area_staff' && p.areaId === areaId)
    case 'group':
      return directory.people.filter((p) => p.groups.includes(recipient.group))
    case 'webhook':
      return []
  }
}

/**
 * Every destination of a list of recipients, each once: a person named by two recipients (a role and
 * the roster) gets one message on each of their contact points — their email address, if they gave
 * one, and each browser or phone where they allowed notifications.
 */
export function destinationsOf(recipients: readonly Recipient[], directory: Directory, areaId: string, now: number): Destination[] {
  const seen = new Set<string>()
  const out: Destination[] = []
  const add = (destination: Destination) => {
    const key = `${destination.channel}:${destination.target}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(destination)
  }
  for (const recipient of recipients) {
    if (recipient.kind === 'webhook') {
      if (directory.webhooks.has(recipient.channelId)) add({ channel: 'webhook', target: String(recipient.channelId), language: 'vi' })
      continue
    }
    for (const person of peopleOf(recipient, directory, areaId, now)) {
      if (person.email) add({ channel: 'email', target: person.email.toLowerCase(), language: person.language })
      for (const id of person.pushSubscriptions) add({ channel: 'push', target: String(id), language: person.language })
    }
  }
  return out
}
