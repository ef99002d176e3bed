import { randomUUID } from 'node:crypto'
import { NotificationEvent, type AlarmTransitionKind, type AlarmView, type NotificationRule } from '@ioc/shared'
import { destinationsOf, type Directory } from './recipients.ts'

/** An alarm transition taken from the outbox. */
export interface OutboxTransition {
  id: number
  alarmId: number
  kind: AlarmTransitionKind
  /** The level the transition left the alarm at (flood alarms). */
  level: number | null
  at: number
}

/** A row of notification_deliveries to write. `channel: 'step'` is an escalation step, expanded when due. */
export interface PlannedDelivery {
  id: string
  alarmId: number
  transitionId: number
  ruleId: number | null
  step: number
  event: NotificationEvent
  channel: 'email' | 'webhook' | 'push' | 'step'
  /** An email address, a webhook channel id, a push subscription id, or for a step the rule id and step index (`<rule>:<step>`). */
  target: string
  language: 'vi' | 'en'
  dueAt: number
}

export interface Plan {
  deliveries: PlannedDelivery[]
  /** Whether the alarm's pending escalation steps and unsent chain messages are to be cancelled first. */
  cancelEscalation: boolean
}

/** Whether a rule covers an alarm at a level: its type, its level (flood alarms), its place. */
export function ruleMatches(rule: NotificationRule, alarm: AlarmView, level: number | null): boolean {
  if (!rule.enabled || !rule.alarmTypes.includes(alarm.type)) return false
  if (rule.minLevel !== null && alarm.type === 'flood_level' && (level ?? 0) < rule.minLevel) return false
  if (rule.areaIds !== null && !rule.areaIds.includes(alarm.areaId)) return false
  if (rule.sourceIds !== null && !rule.sourceIds.includes(alarm.source.id)) return false
  return true
}

/**
 * What one alarm transition sends, to whom and when — a pure function of the transition, the alarm,
 * the rules and who is who at `now`:
 * - raised: the matching rules' recipients now (`alarm.raised`), and each escalation step scheduled
 *   (`step` rows, expanded when due if nobody has acknowledged by then);
 * - escalated (a higher level): everyone the rules for the new level name, again (`alarm.escalated`),
 *   and the chain restarts from its first step;
 * - deescalated: the same recipients told the new, lower level (`alarm.updated`); the chain runs on;
 * - acknowledged: the chain stops; webhooks are told (`alarm.acknowledged`), people are not paged;
 * - cleared: the chain stops; the recipients are told it is over (`alarm.cleared`).
 * One message per destination per transition, however many rules name it.
 */
export function planTransition(transition: OutboxTransition, alarm: AlarmView, rules: readonly NotificationRule[], directory: Directory, now: number): Plan {
  const matching = rules.filter((rule) => ruleMatches(rule, alarm, transition.level ?? alarm.raisedLevel))
  const deliveries: PlannedDelivery[] = []
  const seen = new Set<string>()
  const send = (event: NotificationEvent, rule: NotificationRule, webhooksOnly = false) => {
    for (const destination of destinationsOf(rule.recipients, directory, alarm.areaId, now)) {
      if (webhooksOnly && destination.channel !== 'webhook') continue
      const key = `${destination.channel}:${destination.target}`
      if (seen.has(key)) continue
      seen.add(key)
      deliveries.push({ id: randomUUID(), alarmId: alarm.id, transitionId: transition.id, ruleId: rule.id, step: 0, event, ...destination, dueAt: now })
    }
  }
  const scheduleChain = (rule: NotificationRule) => {
    rule.escalation.forEach((step, index) => {
      deliveries.push({
        id: randomUUID(),
        alarmId: alarm.id,
        transitionId: transition.id,
        ruleId: rule.id,
        step: index + 1,
        event: NotificationEvent.escalated,
        channel: 'step',
        target: `${rule.id}:${index}`,
        language: 'vi',
        dueAt: transition.at + step.afterMinutes * 60_000,
      })
    })
  }
  switch (transition.kind) {
    case 'raised':
      for (const rule of matching) send(NotificationEvent.raised, rule)
      for (const rule of matching) scheduleChain(rule)
      return { deliveries, cancelEscalation: false }
    case 'escalated':
    case 'reactivated':
      for (const rule of matching) send(NotificationEvent.escalated, rule)
      for (const rule of matching) scheduleChain(rule)
      return { deliveries, cancelEscalation: true }
    case 'deescalated':
      for (const rule of matching) send(NotificationEvent.updated, rule)
      return { deliveries, cancelEscalation: false }
    case 'acknowledged':
      for (const rule of matching) send(NotificationEvent.acknowledged, rule, true)
      return { deliveries, cancelEscalation: true }
    case 'cleared':
      for (const rule of matching) send(NotificationEvent.cleared, rule)
      return { deliveries, cancelEscalation: true }
  }
}

/** What a citizen's Web Push subscription to a flood point is told: the point's level, up or down. */
const CITIZEN_EVENT: Partial<Record<AlarmTransitionKind, NotificationEvent>> = {
  raised: NotificationEvent.raised,
  escalated: NotificationEvent.escalated,
  deescalated: NotificationEvent.updated,
  cleared: NotificationEvent.cleared,
}

/**
 * The citizens following a flood point (subscribed on the public page, no account): told when its
 * level crosses BĐ1, BĐ2 or BĐ3, up or down. Acknowledgements and other alarm types are not theirs.
 * How often each is told (at most once per 15 minutes) is the sender's to enforce.
 */
export function planCitizens(transition: OutboxTransition, alarm: AlarmView, subscriptions: readonly { id: number; language: 'vi' | 'en' }[], now: number): PlannedDelivery[] {
  const event = CITIZEN_EVENT[transition.kind]
  if (alarm.type !== 'flood_level' || !event) return []
  return subscriptions.map((s) => ({
    id: randomUUID(),
    alarmId: alarm.id,
    transitionId: transition.id,
    ruleId: null,
    step: 0,
    event,
    channel: 'push' as const,
    target: String(s.id),
    language: s.language,
    dueAt: now,
  }))
}

/**
 * An escalation step that came due: its recipients, resolved now (who is on duty now), told the alarm
 * is still unacknowledged. Nothing when the alarm is no longer active — acknowledged or cleared.
 */
export function expandStep(step: { id: string; alarmId: number; transitionId: number; ruleId: number; index: number }, alarm: AlarmView, rule: NotificationRule | undefined, directory: Directory, now: number): PlannedDelivery[] {
  const chainStep = rule?.escalation[step.index]
  if (alarm.state !== 'active' || !rule || !chainStep) return []
  return destinationsOf(chainStep.recipients, directory, alarm.areaId, now).map((destination) => ({
    id: randomUUID(),
    alarmId: alarm.id,
    transitionId: step.transitionId,
    ruleId: rule.id,
    step: step.index + 1,
    event: NotificationEvent.escalated,
    ...destination,
    dueAt: now,
  }))
}
