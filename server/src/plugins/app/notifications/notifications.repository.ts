import type { Kysely, Selectable } from 'kysely'
import type {
  AccountContactSettings,
  AlarmTransitionKind,
  DeliveryStatus,
  DutyShiftInput,
  Language,
  NotificationRule,
  NotificationRuleInput,
  Role,
  WebhookChannelInput,
} from '@ioc/shared'
import type { Database } from '../storage/database.ts'
import type { OutboxTransition, Plan, PlannedDelivery } from './notification-planner.ts'
import type { Directory, Person } from './recipients.ts'

export type DeliveryRow = Selectable<Database['notification_deliveries']>
export type ChannelRow = Selectable<Database['notification_channels']>

const json = (value: unknown) => JSON.stringify(value)
const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

function toRule(row: Selectable<Database['notification_rules']>): NotificationRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    alarmTypes: parse(row.alarm_types)!,
    minLevel: row.min_level,
    areaIds: parse(row.area_ids),
    sourceIds: parse(row.source_ids),
    recipients: parse(row.recipients)!,
    escalation: parse(row.escalation)!,
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

const ruleColumns = (rule: NotificationRuleInput, now: number) => ({
  name: rule.name,
  enabled: rule.enabled ? 1 : 0,
  alarm_types: json(rule.alarmTypes),
  min_level: rule.minLevel,
  area_ids: rule.areaIds === null ? null : json(rule.areaIds),
  source_ids: rule.sourceIds === null ? null : json(rule.sourceIds),
  recipients: json(rule.recipients),
  escalation: json(rule.escalation),
  updated_at: now,
})

const deliveryRow = (d: PlannedDelivery, now: number) => ({
  id: d.id,
  alarm_id: d.alarmId,
  transition_id: d.transitionId,
  rule_id: d.ruleId,
  step: d.step,
  event: d.event,
  channel: d.channel,
  target: d.target,
  language: d.language,
  status: 'pending',
  due_at: d.dueAt,
  attempts: 0,
  last_error: null,
  sent_at: null,
  created_at: now,
})

/** Rules, the roster, contact points, webhooks, and the outbox and deliveries of notifications. */
export function createNotificationsRepository(db: Kysely<Database>) {
  return {
    rules: {
      list: async () => (await db.selectFrom('notification_rules').selectAll().orderBy('id').execute()).map(toRule),
      count: async () => Number((await db.selectFrom('notification_rules').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      create: async (rule: NotificationRuleInput, now: number) => toRule(await db.insertInto('notification_rules').values(ruleColumns(rule, now)).returningAll().executeTakeFirstOrThrow()),
      update: async (id: number, rule: NotificationRuleInput, now: number) => {
        const row = await db.updateTable('notification_rules').set(ruleColumns(rule, now)).where('id', '=', id).returningAll().executeTakeFirst()
        return row && toRule(row)
      },
      remove: async (id: number) => Number((await db.deleteFrom('notification_rules').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0,
    },

    shifts: {
      /** Shifts overlapping [fromMs, toMs), with each person's full name. */
      between: (fromMs: number, toMs: number) =>
        db
          .selectFrom('duty_shifts')
          .leftJoin('users', 'users.username', 'duty_shifts.username')
          .select(['duty_shifts.id', 'duty_shifts.username', 'duty_shifts.starts_at', 'duty_shifts.ends_at', 'duty_shifts.area_ids', 'duty_shifts.created_by', 'users.full_name'])
          .where('duty_shifts.starts_at', '<', toMs)
          .where('duty_shifts.ends_at', '>', fromMs)
          .orderBy('duty_shifts.starts_at')
          .execute(),
      create: async (shift: DutyShiftInput, by: string, now: number) =>
        db
          .insertInto('duty_shifts')
          .values({ username: shift.username, starts_at: Date.parse(shift.startsAt), ends_at: Date.parse(shift.endsAt), area_ids: shift.areaIds === null ? null : json(shift.areaIds), created_by: by, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow(),
      remove: async (id: number) => Number((await db.deleteFrom('duty_shifts').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0,
    },

    contacts: {
      get: async (username: string): Promise<AccountContactSettings> => {
        const row = await db.selectFrom('user_contacts').selectAll().where('username', '=', username).executeTakeFirst()
        return row ? { email: row.email, language: row.language as Language, groups: parse<string[]>(row.groups)! } : { email: null, language: 'vi', groups: [] }
      },
      set: async (username: string, contact: AccountContactSettings, now: number) => {
        const values = { email: contact.email, language: contact.language, groups: json(contact.groups), updated_at: now }
        await db
          .insertInto('user_contacts')
          .values({ username, ...values })
          .onConflict((oc) => oc.column('username').doUpdateSet(values))
          .execute()
      },
    },

    channels: {
      list: () => db.selectFrom('notification_channels').selectAll().where('kind', '=', 'webhook').orderBy('id').execute(),
      get: (id: number) => db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst(),
      create: (channel: WebhookChannelInput & { secret: string }, now: number) =>
        db
          .insertInto('notification_channels')
          .values({ kind: 'webhook', name: channel.name, url: channel.url, secret: channel.secret, enabled: channel.enabled ? 1 : 0, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow(),
      update: (id: number, channel: WebhookChannelInput, now: number) =>
        db
          .updateTable('notification_channels')
          .set({ name: channel.name, url: channel.url, enabled: channel.enabled ? 1 : 0, updated_at: now, ...(channel.secret !== undefined && { secret: channel.secret }) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      remove: async (id: number) => Number((await db.deleteFrom('notification_channels').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0,
    },

    /** Who is who at `now`: enabled accounts with their contact points, shifts covering now, enabled webhooks. */
    async directory(now: number): Promise<Directory> {
      const [people, shifts, webhooks, pushes] = await Promise.all([
        db
          .selectFrom('users')
          .leftJoin('user_contacts', 'user_contacts.username', 'users.username')
          .select(['users.username', 'users.role', 'users.area_id', 'user_contacts.email', 'user_contacts.language', 'user_contacts.groups'])
          .where('users.disabled', '=', 0)
          .execute(),
        db.selectFrom('duty_shifts').selectAll().where('starts_at', '<=', now).where('ends_at', '>', now).execute(),
        db.selectFrom('notification_channels').select('id').where('enabled', '=', 1).execute(),
        db.selectFrom('push_subscriptions').select(['id', 'username']).where('username', 'is not', null).execute(),
      ])
      const pushOf = new Map<string, number[]>()
      for (const p of pushes) pushOf.set(p.username!, [...(pushOf.get(p.username!) ?? []), Number(p.id)])
      return {
        people: people.map(
          (p): Person => ({
            username: p.username,
            role: p.role as Role,
            areaId: p.area_id,
            email: p.email ?? null,
            language: (p.language as Language | null) ?? 'vi',
            groups: parse<string[]>(p.groups ?? null) ?? [],
            pushSubscriptions: pushOf.get(p.username) ?? [],
          }),
        ),
        shifts: shifts.map((s) => ({ username: s.username, startsAt: s.starts_at, endsAt: s.ends_at, areaIds: parse<string[]>(s.area_ids) })),
        webhooks: new Set(webhooks.map((w) => w.id)),
      }
    },

    push: {
      /**
       * Keeps a browser's subscription (by its endpoint, which the push service makes unique): a user's,
       * or a citizen's for one flood point. The same browser subscribing again takes the row over.
       */
      save: (sub: { endpoint: string; p256dh: string; auth: string; username: string | null; stationId: string | null; language: Language; token: string }, now: number) =>
        db
          .insertInto('push_subscriptions')
          .values({ endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth, username: sub.username, station_id: sub.stationId, language: sub.language, token: sub.token, created_at: now, last_sent_at: null })
          .onConflict((oc) => oc.column('endpoint').doUpdateSet({ p256dh: sub.p256dh, auth: sub.auth, username: sub.username, station_id: sub.stationId, language: sub.language, token: sub.token }))
          .returning('id')
          .executeTakeFirstOrThrow(),
      get: (id: number) => db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst(),
      removeByEndpoint: async (endpoint: string, username: string) =>
        Number((await db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).where('username', '=', username).executeTakeFirst()).numDeletedRows) > 0,
      /** A citizen's unsubscribe: only with the token their messages carry. */
      removeCitizen: async (id: number, token: string) =>
        Number((await db.deleteFrom('push_subscriptions').where('id', '=', id).where('token', '=', token).where('station_id', 'is not', null).executeTakeFirst()).numDeletedRows) > 0,
      /** The push service says the subscription is gone (404/410): forget it. */
      remove: (id: number) => db.deleteFrom('push_subscriptions').where('id', '=', id).execute(),
      citizensOf: async (stationId: string) =>
        (await db.selectFrom('push_subscriptions').select(['id', 'language']).where('station_id', '=', stationId).execute()).map((r) => ({ id: Number(r.id), language: r.language as Language })),
      markSent: (id: number, at: number) => db.updateTable('push_subscriptions').set({ last_sent_at: at }).where('id', '=', id).execute(),
      countForUser: async (username: string) => Number((await db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll().as('n')).where('username', '=', username).executeTakeFirstOrThrow()).n),
    },

    outbox: {
      /** The oldest transitions not yet planned. */
      take: async (limit: number): Promise<OutboxTransition[]> => {
        const rows = await db
          .selectFrom('notification_outbox')
          .innerJoin('alarm_transitions', 'alarm_transitions.id', 'notification_outbox.transition_id')
          .select(['alarm_transitions.id', 'alarm_transitions.alarm_id', 'alarm_transitions.kind', 'alarm_transitions.level', 'alarm_transitions.at'])
          .orderBy('alarm_transitions.id')
          .limit(limit)
          .execute()
        return rows.map((r) => ({ id: Number(r.id), alarmId: Number(r.alarm_id), kind: r.kind as AlarmTransitionKind, level: r.level, at: Number(r.at) }))
      },
      /**
       * A transition's deliveries written and its outbox entry deleted, in one transaction: a crash
       * before plans it again, after has it planned once.
       */
      commit: (transitionId: number, alarmId: number, plan: Plan, now: number) =>
        db.transaction().execute(async (tx) => {
          if (plan.cancelEscalation) {
            await tx
              .updateTable('notification_deliveries')
              .set({ status: 'cancelled', last_error: 'the alarm was acknowledged, cleared or escalated again' })
              .where('alarm_id', '=', alarmId)
              .where('status', '=', 'pending')
              .where('step', '>', 0)
              .execute()
          }
          if (plan.deliveries.length > 0) await tx.insertInto('notification_deliveries').values(plan.deliveries.map((d) => deliveryRow(d, now))).execute()
          await tx.deleteFrom('notification_outbox').where('transition_id', '=', transitionId).execute()
        }),
    },

    deliveries: {
      /** Pending deliveries due at `now`, oldest first. */
      due: (now: number, limit: number) => db.selectFrom('notification_deliveries').selectAll().where('status', '=', 'pending').where('due_at', '<=', now).orderBy('due_at').orderBy('created_at').limit(limit).execute(),
      /** The next due time of a pending delivery, if any: when the worker should look again. */
      nextDue: async () => (await db.selectFrom('notification_deliveries').select((eb) => eb.fn.min('due_at').as('at')).where('status', '=', 'pending').executeTakeFirst())?.at ?? null,
      /** When `target` on `channel` was last sent a message about another alarm than these. */
      lastSentTo: async (channel: string, target: string, exceptAlarms: readonly number[]) =>
        (
          await db
            .selectFrom('notification_deliveries')
            .select((eb) => eb.fn.max('sent_at').as('at'))
            .where('channel', '=', channel)
            .where('target', '=', target)
            .where('status', '=', 'sent')
            .$if(exceptAlarms.length > 0, (q) => q.where('alarm_id', 'not in', exceptAlarms))
            .executeTakeFirst()
        )?.at ?? null,
      /** An escalation step expanded: its messages written, the step itself done. */
      expand: (stepId: string, deliveries: readonly PlannedDelivery[], now: number) =>
        db.transaction().execute(async (tx) => {
          if (deliveries.length > 0) await tx.insertInto('notification_deliveries').values(deliveries.map((d) => deliveryRow(d, now))).execute()
          await tx
            .updateTable('notification_deliveries')
            .set({ status: deliveries.length > 0 ? 'sent' : 'cancelled', sent_at: now, last_error: deliveries.length > 0 ? null : 'acknowledged or cleared before this step, or nobody to tell' })
            .where('id', '=', stepId)
            .execute()
        }),
      /** One attempt's outcome: logged, and the delivery sent, retried at `retryAt`, or given up (retryAt null). */
      attempt: (ids: readonly string[], outcome: { ok: boolean; detail: string; durationMs: number; retryAt: number | null }, now: number) =>
        db.transaction().execute(async (tx) => {
          await tx
            .insertInto('notification_attempts')
            .values(ids.map((id) => ({ delivery_id: id, at: now, ok: outcome.ok ? 1 : 0, detail: outcome.detail.slice(0, 500), duration_ms: Math.round(outcome.durationMs) })))
            .execute()
          const status: DeliveryStatus = outcome.ok ? 'sent' : outcome.retryAt === null ? 'failed' : 'pending'
          await tx
            .updateTable('notification_deliveries')
            .set((eb) => ({
              status,
              attempts: eb('attempts', '+', 1),
              last_error: outcome.ok ? null : outcome.detail.slice(0, 500),
              sent_at: outcome.ok ? now : null,
              ...(outcome.retryAt !== null && { due_at: outcome.retryAt }),
            }))
            .where('id', 'in', ids)
            .execute()
        }),
      postpone: (id: string, dueAt: number) => db.updateTable('notification_deliveries').set({ due_at: dueAt }).where('id', '=', id).where('status', '=', 'pending').execute(),
      cancel: (id: string, reason: string) => db.updateTable('notification_deliveries').set({ status: 'cancelled', last_error: reason }).where('id', '=', id).execute(),
      /** The delivery log, newest first, with each delivery's attempts. */
      async list(query: { alarm?: number; status?: DeliveryStatus; limit?: number }) {
        const rows = await db
          .selectFrom('notification_deliveries')
          .selectAll()
          .$if(query.alarm !== undefined, (q) => q.where('alarm_id', '=', query.alarm!))
          .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(query.limit ?? 100)
          .execute()
        const attempts = rows.length === 0 ? [] : await db.selectFrom('notification_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('id').execute()
        return { rows, attempts }
      },
    },
  }
}
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>
