import type { FastifyBaseLogger } from 'fastify'
import { NotificationEvent, type AlarmView, type Language, type WebhookPayload } from '@ioc/shared'
import type { MailSender } from './mail-sender.ts'
import { citizenPushText, renderAlarmMessage, renderDigest, type AlarmContext, type RenderedMessage } from './messages.ts'
import { expandStep, planCitizens, planTransition } from './notification-planner.ts'
import type { PushResult, PushSender } from './push/push-sender.ts'
import type { DeliveryRow, NotificationsRepository } from './notifications.repository.ts'
import { sendWebhook, type SendResult } from './webhook-sender.ts'

/** Messages to one recipient within this long of the last are held and sent together as one digest. */
export const DIGEST_WINDOW_MS = 60_000
/** A delivery still failing this long after it was planned is given up (and shown so in the log). */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000
/** A citizen following a flood point is told at most once in this long; what comes meanwhile, the latest, after it. */
export const CITIZEN_PUSH_INTERVAL_MS = 15 * 60_000
/** Transitions planned, and deliveries sent, per round. */
const BATCH = 100

/** Wait before retrying after the n-th failed attempt (n from 1): 30 s doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** (attempts - 1))
}

export interface NotifierDeps {
  repo: NotificationsRepository
  alarmById(id: number): Promise<AlarmView | undefined>
  /** Names, place, trend and link of an alarm, in a language. */
  context(alarm: AlarmView, language: Language): Promise<AlarmContext>
  /** null without IOC_SMTP_URL: email deliveries fail with that reason, visibly. */
  mail: MailSender | null
  /** Web Push (VAPID); null when it could not be set up: push deliveries fail with the reason. */
  push: PushSender | null
  /** IOC_PUBLIC_URL: the citizens' page of a flood point is `<publicUrl>/muc-nuoc/<station>`. */
  publicUrl: string
  timeZone: string
  now(): number
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
}

const PAGING: ReadonlySet<string> = new Set([NotificationEvent.raised, NotificationEvent.escalated])

/**
 * The notification worker: plans each alarm transition from the outbox into deliveries (one
 * transaction each), expands escalation steps that came due, and sends what is due — retrying a failed
 * send with growing waits for up to a day. At-least-once: a send that succeeded but was not recorded
 * (the process died between) is sent again after a restart, with the same delivery id. Run by one
 * instance at a time: the one running the alarm engine.
 */
export function createNotifier(deps: NotifierDeps) {
  const { repo, log } = deps

  async function plan(): Promise<number> {
    const transitions = await repo.outbox.take(BATCH)
    if (transitions.length === 0) return 0
    // Read each round: an admin may have changed them on any instance.
    const rules = await repo.rules.list()
    const now = deps.now()
    const directory = await repo.directory(now)
    for (const transition of transitions) {
      const alarm = await deps.alarmById(transition.alarmId)
      const planned = alarm ? planTransition(transition, alarm, rules, directory, now) : { deliveries: [], cancelEscalation: true }
      if (alarm?.type === 'flood_level' && alarm.source.kind === 'station') {
        planned.deliveries.push(...planCitizens(transition, alarm, await repo.push.citizensOf(alarm.source.id), now))
      }
      await repo.outbox.commit(transition.id, transition.alarmId, planned, now)
    }
    return transitions.length
  }

  async function attempt(rows: readonly DeliveryRow[], send: () => Promise<SendResult & { final?: boolean }>): Promise<void> {
    const started = performance.now()
    const result = await send()
    const now = deps.now()
    const first = rows[0]!
    const retryAt = result.ok || result.final || now - first.created_at >= GIVE_UP_AFTER_MS ? null : now + retryDelayMs(first.attempts + 1)
    await repo.deliveries.attempt(
      rows.map((r) => r.id),
      { ok: result.ok, detail: result.detail, durationMs: performance.now() - started, retryAt },
      now,
    )
    if (!result.ok) log.warn({ deliveries: rows.map((r) => r.id), channel: first.channel, detail: result.detail, retryAt: retryAt && new Date(retryAt).toISOString() }, retryAt ? 'notification not delivered: will retry' : 'notification not delivered: given up')
  }

  async function alarmsOf(rows: readonly DeliveryRow[]) {
    const out: { row: DeliveryRow; alarm: AlarmView }[] = []
    for (const row of rows) {
      const alarm = await deps.alarmById(row.alarm_id)
      if (alarm) out.push({ row, alarm })
      else await repo.deliveries.cancel(row.id, 'the alarm no longer exists')
    }
    return out
  }

  /** One recipient's due messages: a digest when several pages are due together, each alone otherwise. */
  async function sendTo(channel: string, target: string, rows: DeliveryRow[]): Promise<void> {
    const now = deps.now()
    if (channel === 'push') {
      const subscription = await repo.push.get(Number(target))
      if (!subscription) {
        for (const row of rows) await repo.deliveries.cancel(row.id, 'the push subscription was removed')
        return
      }
      if (subscription.station_id !== null) return sendToCitizen(subscription, rows)
    }
    const paging = rows.filter((r) => PAGING.has(r.event))
    const others = rows.filter((r) => !PAGING.has(r.event))
    if (paging.length > 0) {
      // Paged within the last minute about other alarms: hold these, and send them as one when the
      // minute is up. A page about the same alarm (BĐ2, then BĐ3 a minute later) is never held.
      const last = await repo.deliveries.lastSentTo(channel, target, [...new Set(paging.map((r) => Number(r.alarm_id)))])
      if (last !== null && now - last < DIGEST_WINDOW_MS && paging.every((r) => r.attempts === 0)) {
        for (const row of paging) await repo.deliveries.postpone(row.id, last + DIGEST_WINDOW_MS)
      } else {
        const items = await alarmsOf(paging)
        if (items.length === 1) await sendOne(channel, target, items[0]!.row, items[0]!.alarm)
        else if (items.length > 1) await sendDigest(channel, target, items)
      }
    }
    for (const { row, alarm } of await alarmsOf(others)) await sendOne(channel, target, row, alarm)
  }

  type Subscription = NonNullable<Awaited<ReturnType<typeof repo.push.get>>>

  /** One message by Web Push; a subscription its push service says is gone is forgotten. */
  async function push(rows: readonly DeliveryRow[], subscription: Subscription, payload: object, topic: string): Promise<void> {
    const sender = deps.push
    if (!sender) return attempt(rows, async () => ({ ok: false, detail: 'Web Push is not set up (see the log at start: VAPID keys and subject)' }))
    let outcome: PushResult | undefined
    await attempt(rows, async () => {
      outcome = await sender.send({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, { urgency: 'high', topic })
      if (outcome.ok) return { ok: true, detail: `HTTP ${outcome.status}` }
      if (outcome.gone) return { ok: false, final: true, detail: `HTTP ${outcome.status}: the subscription is gone (the browser unsubscribed, or it expired)` }
      return { ok: false, final: !outcome.retry, detail: outcome.error }
    })
    if (outcome?.ok) await repo.push.markSent(Number(subscription.id), deps.now())
    if (outcome && !outcome.ok && outcome.gone) await repo.push.remove(Number(subscription.id))
  }

  const pushPayload = (message: RenderedMessage, url: string, tag: string) => ({ title: message.subject.replace(/^\[IOC\] /, ''), body: message.text.split('\n').slice(1, 5).join('\n'), url, tag })

  /**
   * A citizen following a flood point: at most one message per CITIZEN_PUSH_INTERVAL_MS, saying where
   * the water stands now — what came meanwhile is superseded by the latest, never queued up.
   */
  async function sendToCitizen(subscription: Subscription, rows: DeliveryRow[]): Promise<void> {
    const now = deps.now()
    const last = subscription.last_sent_at === null ? null : Number(subscription.last_sent_at)
    if (last !== null && now - last < CITIZEN_PUSH_INTERVAL_MS && rows.every((r) => r.attempts === 0)) {
      for (const row of rows) await repo.deliveries.postpone(row.id, last + CITIZEN_PUSH_INTERVAL_MS)
      return
    }
    const ordered = [...rows].sort((a, b) => Number(a.transition_id) - Number(b.transition_id))
    const latest = ordered.at(-1)!
    for (const row of ordered.slice(0, -1)) await repo.deliveries.cancel(row.id, 'superseded by a newer level of the same point')
    const alarm = await deps.alarmById(Number(latest.alarm_id))
    if (!alarm) {
      await repo.deliveries.cancel(latest.id, 'the alarm no longer exists')
      return
    }
    const language = latest.language as Language
    const { sourceName } = await deps.context(alarm, language)
    const pointUrl = `${deps.publicUrl}/muc-nuoc/${encodeURIComponent(subscription.station_id!)}`
    const text = citizenPushText(alarm, sourceName, language)
    const unsubscribeUrl = `${pointUrl}?huy-theo-doi=${subscription.id}.${subscription.token}`
    return push([latest], subscription, { ...text, url: pointUrl, tag: `point-${subscription.station_id}`, unsubscribeUrl }, `p${String(subscription.station_id).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 30)}`)
  }

  async function webhookOf(row: DeliveryRow) {
    const channel = await repo.channels.get(Number(row.target))
    if (channel && channel.enabled === 1) return channel
    await repo.deliveries.cancel(row.id, channel ? 'the webhook is disabled' : 'the webhook was deleted')
    return null
  }

  async function sendOne(channel: string, target: string, row: DeliveryRow, alarm: AlarmView): Promise<void> {
    const language = row.language as Language
    const context = await deps.context(alarm, language)
    const event = row.event as Exclude<NotificationEvent, 'digest'>
    if (channel === 'email') {
      const mail = deps.mail
      if (!mail) return attempt([row], async () => ({ ok: false, detail: 'email is not configured: set IOC_SMTP_URL and IOC_MAIL_FROM' }))
      return attempt([row], () => mail.send(target, renderAlarmMessage(event, alarm, context, language, deps.timeZone, row.step), row.id))
    }
    if (channel === 'webhook') {
      const webhook = await webhookOf(row)
      if (!webhook) return
      const payload: WebhookPayload = { event, alarm, url: context.url, sentAt: new Date(deps.now()).toISOString() }
      return attempt([row], () => sendWebhook(webhook, row.id, payload))
    }
    if (channel === 'push') {
      const subscription = await repo.push.get(Number(target))
      if (!subscription) {
        await repo.deliveries.cancel(row.id, 'the push subscription was removed')
        return
      }
      return push([row], subscription, pushPayload(renderAlarmMessage(event, alarm, context, language, deps.timeZone, row.step), context.url, `alarm-${alarm.id}`), `a${alarm.id}`)
    }
    await repo.deliveries.cancel(row.id, `no such channel: ${channel}`)
  }

  async function sendDigest(channel: string, target: string, items: { row: DeliveryRow; alarm: AlarmView }[]): Promise<void> {
    const rows = items.map((i) => i.row)
    const language = rows[0]!.language as Language
    const withContext = await Promise.all(items.map(async ({ alarm }) => ({ alarm, context: await deps.context(alarm, language) })))
    if (channel === 'email') {
      const mail = deps.mail
      if (!mail) return attempt(rows, async () => ({ ok: false, detail: 'email is not configured: set IOC_SMTP_URL and IOC_MAIL_FROM' }))
      // The first delivery's id names the digest: retried, it is the same message.
      return attempt(rows, () => mail.send(target, renderDigest(withContext, language, deps.timeZone), rows[0]!.id))
    }
    if (channel === 'push') {
      const subscription = await repo.push.get(Number(target))
      if (!subscription) {
        for (const row of rows) await repo.deliveries.cancel(row.id, 'the push subscription was removed')
        return
      }
      return push(rows, subscription, pushPayload(renderDigest(withContext, language, deps.timeZone), `${deps.publicUrl}/#/`, 'digest'), 'digest')
    }
    const webhook = await webhookOf(rows[0]!)
    if (!webhook) {
      for (const row of rows.slice(1)) await repo.deliveries.cancel(row.id, 'the webhook is disabled or was deleted')
      return
    }
    const payload: WebhookPayload = {
      event: NotificationEvent.digest,
      alarm: null,
      alarms: withContext.map((i) => i.alarm),
      url: withContext[0]!.context.url.replace(/#.*$/, '#/'),
      sentAt: new Date(deps.now()).toISOString(),
    }
    return attempt(rows, () => sendWebhook(webhook, rows[0]!.id, payload))
  }

  async function expandSteps(steps: readonly DeliveryRow[]): Promise<void> {
    if (steps.length === 0) return
    const rules = await repo.rules.list()
    const now = deps.now()
    const directory = await repo.directory(now)
    for (const step of steps) {
      const [ruleId, index] = step.target.split(':').map(Number)
      const alarm = await deps.alarmById(step.alarm_id)
      const rule = rules.find((r) => r.id === ruleId)
      const messages = alarm ? expandStep({ id: step.id, alarmId: step.alarm_id, transitionId: step.transition_id, ruleId: ruleId!, index: index! }, alarm, rule, directory, now) : []
      await repo.deliveries.expand(step.id, messages, now)
      if (messages.length > 0) log.info({ alarmId: step.alarm_id, step: index! + 1, recipients: messages.length }, 'alarm not acknowledged in time: escalated to the next step')
    }
  }

  async function send(): Promise<number> {
    const due = await repo.deliveries.due(deps.now(), BATCH)
    await expandSteps(due.filter((r) => r.channel === 'step'))
    const byRecipient = new Map<string, DeliveryRow[]>()
    for (const row of due) {
      if (row.channel === 'step') continue
      const key = `${row.channel}\u0000${row.target}`
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), row])
    }
    for (const [key, rows] of byRecipient) {
      const [channel, target] = key.split('\u0000') as [string, string]
      await sendTo(channel, target, rows)
    }
    return due.length
  }

  return {
    /** Plans what the outbox holds and sends what is due; resolves when this round is done. */
    async runOnce(): Promise<void> {
      while ((await plan()) === BATCH);
      // Steps expanded in this round are due at once: send them in the same round.
      while ((await send()) > 0 && (await repo.deliveries.due(deps.now(), 1)).length > 0);
    },
  }
}
export type Notifier = ReturnType<typeof createNotifier>
