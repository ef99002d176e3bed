import { randomBytes, randomUUID } from 'node:crypto'
import { isIP } from 'node:net'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import {
  AccountContactSettings,
  ApiError,
  ContactSettings,
  DeliveryList,
  DeliveryQuery,
  DutyShiftInput,
  DutyShiftList,
  DutyShiftQuery,
  NotificationRuleInput,
  NotificationRule,
  NotificationRuleList,
  Permission,
  PushSubscriptionBody,
  CitizenPushBody,
  CitizenPushCreated,
  CitizenUnsubscribeBody,
  RowId,
  WebhookChannel,
  WebhookChannelInput,
  WebhookChannelList,
  type AuditAction,
  type DeliveryView,
  type NotificationEvent,
  type WebhookPayload,
} from '@ioc/shared'
import type { ChannelRow } from '../../../plugins/app/notifications/notifications.repository.ts'
import { checkAlarmLink } from '../../../plugins/app/notifications/alarm-link.ts'
import { subscriptionProblem } from '../../../plugins/app/notifications/push/push-sender.ts'
import { sendWebhook } from '../../../plugins/app/notifications/webhook-sender.ts'
import { HttpError } from '../../../http-error.ts'

const Id = Type.Object({ id: RowId })
const Username = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) })
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError }
const TestResult = Type.Object({ ok: Type.Boolean(), detail: Type.String() })
const iso = (ms: number) => new Date(ms).toISOString()
const manage = Permission.notificationManage

/** localhost, or an address of a private, loopback or link-local network (IPv4 or IPv6 literal). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number]
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)
  }
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:')
  return false
}

const toChannel = (row: ChannelRow) => ({ id: row.id, name: row.name, url: row.url, enabled: row.enabled === 1, updatedAt: iso(row.updated_at) })

/**
 * Notifications (docs/notifications.md): rules, webhooks and the delivery log (admins); the duty roster
 * (operators and admins); each user's own contact settings, and admins' for every account.
 */
const notificationsRoutes: FastifyPluginAsyncTypebox<{ allowLocalPushEndpoints?: boolean }> = async (fastify, opts) => {
  const { repo } = fastify.notifications
  const audit = (request: FastifyRequest, action: AuditAction, target: string, detail?: Record<string, unknown>) =>
    fastify.audit.record({ action, actor: request.auth?.user.username ?? null, ip: request.ip, target, ...(detail && { detail }) })

  /** Logged in with a password of their own: until then a user acts as the public, who has no contact settings. */
  const ownAccount = (request: FastifyRequest): string => {
    if (request.auth!.principal === null) throw new HttpError(403, 'choose a new password first (POST /api/auth/password)')
    return request.auth!.user.username
  }

  // ---- rules ----
  fastify.get('/notifications/rules', { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Every notification rule', response: { 200: NotificationRuleList, 401: ApiError, 403: ApiError } } }, async () => ({
    rules: await repo.rules.list(),
  }))
  fastify.post(
    '/notifications/rules',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Add a rule: which alarms go to whom, and who next if nobody acknowledges', body: NotificationRuleInput, response: { 201: NotificationRule, ...errors } } },
    async (request, reply) => {
      await checkRecipients(request.body)
      const rule = await repo.rules.create(request.body, Date.now())
      await audit(request, 'notification.rule_created', `notification_rule:${rule.id}`, { name: rule.name })
      return reply.code(201).send(rule)
    },
  )
  fastify.put(
    '/notifications/rules/:id',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Change a rule', params: Id, body: NotificationRuleInput, response: { 200: NotificationRule, ...errors } } },
    async (request) => {
      await checkRecipients(request.body)
      const rule = await repo.rules.update(request.params.id, request.body, Date.now())
      if (!rule) throw new HttpError(404, `no notification rule ${request.params.id}`)
      await audit(request, 'notification.rule_changed', `notification_rule:${rule.id}`, { name: rule.name })
      return rule
    },
  )
  fastify.delete('/notifications/rules/:id', { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Delete a rule', params: Id, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    if (!(await repo.rules.remove(request.params.id))) throw new HttpError(404, `no notification rule ${request.params.id}`)
    await audit(request, 'notification.rule_deleted', `notification_rule:${request.params.id}`)
    return reply.code(204).send(null)
  })

  /** A rule naming an account or webhook that does not exist is refused, not silently useless. */
  async function checkRecipients(rule: NotificationRuleInput): Promise<void> {
    const all = [...rule.recipients, ...rule.escalation.flatMap((s) => s.recipients)]
    for (const recipient of all) {
      if (recipient.kind === 'user' && !(await fastify.accounts.list()).some((u) => u.username === recipient.username)) throw new HttpError(400, `no account "${recipient.username}"`)
      if (recipient.kind === 'webhook' && !(await repo.channels.get(recipient.channelId))) throw new HttpError(400, `no webhook ${recipient.channelId}`)
    }
  }

  // ---- webhooks ----
  fastify.get('/notifications/webhooks', { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Every webhook (without its secret)', response: { 200: WebhookChannelList, 401: ApiError, 403: ApiError } } }, async () => ({
    channels: (await repo.channels.list()).map(toChannel),
  }))
  fastify.post(
    '/notifications/webhooks',
    {
      config: { access: manage },
      schema: {
        tags: ['notifications'],
        summary: 'Add a webhook. Without a secret, one is made and returned once: the receiver checks X-IOC-Signature with it.',
        body: WebhookChannelInput,
        response: { 201: Type.Object({ ...WebhookChannel.properties, secret: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const secret = request.body.secret ?? randomBytes(24).toString('base64url')
      const row = await repo.channels.create({ ...request.body, secret }, Date.now())
      await audit(request, 'notification.webhook_created', `webhook:${row.id}`, { name: row.name, url: row.url })
      return reply.code(201).send({ ...toChannel(row), secret })
    },
  )
  fastify.put(
    '/notifications/webhooks/:id',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Change a webhook (a secret given replaces the old one)', params: Id, body: WebhookChannelInput, response: { 200: WebhookChannel, ...errors } } },
    async (request) => {
      const row = await repo.channels.update(request.params.id, request.body, Date.now())
      if (!row) throw new HttpError(404, `no webhook ${request.params.id}`)
      await audit(request, 'notification.webhook_changed', `webhook:${row.id}`, { name: row.name, url: row.url, secretChanged: request.body.secret !== undefined })
      return toChannel(row)
    },
  )
  fastify.delete('/notifications/webhooks/:id', { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Delete a webhook', params: Id, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    if (!(await repo.channels.remove(request.params.id))) throw new HttpError(404, `no webhook ${request.params.id}`)
    await audit(request, 'notification.webhook_deleted', `webhook:${request.params.id}`)
    return reply.code(204).send(null)
  })
  fastify.post(
    '/notifications/webhooks/:id/test',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: 'Send a signed test message to a webhook now, and say what it answered', params: Id, response: { 200: TestResult, ...errors } } },
    async (request) => {
      const row = await repo.channels.get(request.params.id)
      if (!row) throw new HttpError(404, `no webhook ${request.params.id}`)
      const payload: WebhookPayload = { event: 'alarm.raised' satisfies NotificationEvent, alarm: null, url: `${fastify.notifications.publicUrl}/#/`, sentAt: new Date().toISOString() }
      return sendWebhook(row, `test-${randomUUID()}`, payload)
    },
  )

  // ---- email test ----
  fastify.post(
    '/notifications/email-test',
    {
      config: { access: manage },
      schema: {
        tags: ['notifications'],
        summary: 'Send a test email through IOC_SMTP_URL now, and say what the mail server answered',
        body: Type.Object({ to: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
        response: { 200: TestResult, ...errors },
      },
    },
    async (request) => {
      const { mail } = fastify.notifications
      if (!mail) return { ok: false, detail: 'email is not configured: set IOC_SMTP_URL and IOC_MAIL_FROM' }
      return mail.send(
        request.body.to,
        {
          subject: '[IOC] Thư thử nghiệm / Test message',
          text: `Đây là thư thử nghiệm của hệ thống IOC: thư cảnh báo sẽ đến địa chỉ này.\nThis is a test message from the IOC: alarm notifications will reach this address.\n\n${fastify.notifications.publicUrl}/`,
        },
        `test-${randomUUID()}`,
      )
    },
  )

  // ---- delivery log ----
  fastify.get(
    '/notifications/deliveries',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: 'The delivery log, newest first: each message, its status and every attempt', querystring: DeliveryQuery, response: { 200: DeliveryList, ...errors } } },
    async (request) => {
      const { rows, attempts } = await repo.deliveries.list(request.query)
      const channels = new Map((await repo.channels.list()).map((c) => [String(c.id), c.name]))
      return {
        deliveries: rows.map((row) => ({
          id: row.id,
          alarmId: Number(row.alarm_id),
          event: row.event as DeliveryView['event'],
          channel: (row.channel === 'step' ? 'escalation' : row.channel) as DeliveryView['channel'],
          target: row.channel === 'webhook' ? (channels.get(row.target) ?? `webhook ${row.target}`) : row.channel === 'step' ? `escalation step ${row.step}` : row.target,
          step: row.step,
          status: row.status as DeliveryView['status'],
          dueAt: iso(Number(row.due_at)),
          attempts: row.attempts,
          lastError: row.last_error,
          sentAt: row.sent_at === null ? null : iso(Number(row.sent_at)),
          createdAt: iso(Number(row.created_at)),
          attemptLog: attempts.filter((a) => a.delivery_id === row.id).map((a) => ({ at: iso(Number(a.at)), ok: a.ok === 1, detail: a.detail, durationMs: a.duration_ms })),
        })),
      }
    },
  )

  // ---- duty roster ----
  fastify.get(
    '/roster',
    { config: { access: Permission.rosterManage }, schema: { tags: ['notifications'], summary: 'Shifts overlapping a time window (a week view asks for its week)', querystring: DutyShiftQuery, response: { 200: DutyShiftList, ...errors } } },
    async (request) => {
      const rows = await repo.shifts.between(Date.parse(request.query.from), Date.parse(request.query.to))
      return {
        shifts: rows.map((r) => ({
          id: Number(r.id),
          username: r.username,
          fullName: r.full_name ?? r.username,
          startsAt: iso(Number(r.starts_at)),
          endsAt: iso(Number(r.ends_at)),
          areaIds: r.area_ids === null ? null : (JSON.parse(r.area_ids) as string[]),
          createdBy: r.created_by,
        })),
      }
    },
  )
  fastify.post(
    '/roster',
    { config: { access: Permission.rosterManage }, schema: { tags: ['notifications'], summary: 'Add a shift', body: DutyShiftInput, response: { 201: Type.Object({ id: Type.Integer() }), ...errors } } },
    async (request, reply) => {
      const { username, startsAt, endsAt } = request.body
      const from = Date.parse(startsAt)
      const to = Date.parse(endsAt)
      if (!(to > from)) throw new HttpError(400, 'a shift must end after it starts')
      if (to - from > 7 * 86_400_000) throw new HttpError(400, 'a shift is at most 7 days long')
      const user = (await fastify.accounts.list()).find((u) => u.username === username)
      if (!user) throw new HttpError(400, `no account "${username}"`)
      if (user.disabled) throw new HttpError(400, `the account "${username}" is disabled`)
      const by = request.auth!.user.username
      const { id } = await repo.shifts.create(request.body, by, Date.now())
      await audit(request, 'roster.shift_added', `duty_shift:${id}`, { username, startsAt, endsAt })
      return reply.code(201).send({ id: Number(id) })
    },
  )
  fastify.delete('/roster/:id', { config: { access: Permission.rosterManage }, schema: { tags: ['notifications'], summary: 'Remove a shift', params: Id, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    if (!(await repo.shifts.remove(request.params.id))) throw new HttpError(404, `no shift ${request.params.id}`)
    await audit(request, 'roster.shift_removed', `duty_shift:${request.params.id}`)
    return reply.code(204).send(null)
  })

  // ---- links in messages ----
  fastify.get(
    '/notifications/links/:id',
    {
      config: { access: 'session' },
      schema: {
        tags: ['notifications'],
        summary: "Whether a notification's link to an alarm is the IOC's own and still fresh (the dashboard asks before it opens the acknowledge dialog)",
        params: Id,
        querystring: Type.Object({ exp: Type.Integer({ minimum: 0 }), sig: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ link: Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('invalid')]) }), 400: ApiError, 401: ApiError, 403: ApiError },
      },
    },
    async (request) => {
      ownAccount(request)
      return { link: checkAlarmLink(fastify.notifications.linkKey, request.params.id, request.query.exp, request.query.sig, Date.now()) }
    },
  )

  // ---- Web Push ----
  /** A subscription the server may send to: a push service's https endpoint, not a host of this network. */
  const checkSubscription = (subscription: PushSubscriptionBody) => {
    const problem = subscriptionProblem(subscription)
    if (problem) throw new HttpError(400, problem)
    if (!opts.allowLocalPushEndpoints && isLocalHost(new URL(subscription.endpoint).hostname)) throw new HttpError(400, 'a push endpoint must be a push service on the internet, not a host of this network')
  }
  fastify.get('/push/key', { config: { access: 'public' }, schema: { tags: ['notifications'], summary: 'The VAPID public key browsers subscribe with (applicationServerKey); null when Web Push is off', response: { 200: Type.Object({ publicKey: Type.Union([Type.String(), Type.Null()]) }) } } }, async () => ({
    publicKey: fastify.notifications.push?.publicKey ?? null,
  }))
  fastify.post(
    '/me/push-subscriptions',
    { config: { access: 'session' }, schema: { tags: ['notifications'], summary: 'Notify me on this browser or phone (its PushSubscription)', body: PushSubscriptionBody, response: { 201: Type.Object({ id: Type.Integer() }), 400: ApiError, 401: ApiError, 403: ApiError } } },
    async (request, reply) => {
      const username = ownAccount(request)
      checkSubscription(request.body)
      const { language } = await repo.contacts.get(username)
      const { id } = await repo.push.save({ endpoint: request.body.endpoint, ...request.body.keys, username, stationId: null, language, token: randomBytes(18).toString('base64url') }, Date.now())
      await audit(request, 'contact.changed', `user:${username}`, { push: 'subscribed' })
      return reply.code(201).send({ id: Number(id) })
    },
  )
  fastify.delete(
    '/me/push-subscriptions',
    { config: { access: 'session' }, schema: { tags: ['notifications'], summary: 'Stop notifying me on this browser or phone', body: Type.Object({ endpoint: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: { 204: Type.Null(), 401: ApiError, 403: ApiError, 404: ApiError } } },
    async (request, reply) => {
      const username = ownAccount(request)
      if (!(await repo.push.removeByEndpoint(request.body.endpoint, username))) throw new HttpError(404, 'this browser is not subscribed')
      await audit(request, 'contact.changed', `user:${username}`, { push: 'unsubscribed' })
      return reply.code(204).send(null)
    },
  )
  fastify.post(
    '/public/push-subscriptions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: "A citizen follows a flood point by Web Push, without an account: told when it crosses BĐ1/2/3 up or down, at most once per 15 minutes",
        body: CitizenPushBody,
        response: { 201: CitizenPushCreated, 400: ApiError },
      },
    },
    async (request, reply) => {
      const { subscription, stationId, language } = request.body
      if (!fastify.city.stationsById.has(stationId)) throw new HttpError(400, `no flood point "${stationId}"`)
      checkSubscription(subscription)
      const token = randomBytes(18).toString('base64url')
      const { id } = await repo.push.save({ endpoint: subscription.endpoint, ...subscription.keys, username: null, stationId, language, token }, Date.now())
      return reply.code(201).send({ id: Number(id), unsubscribe: `${id}.${token}` })
    },
  )
  fastify.post(
    '/public/push-subscriptions/unsubscribe',
    { config: { access: 'public' }, schema: { tags: ['public'], summary: "A citizen stops following a flood point (the key every message's unsubscribe link carries)", body: CitizenUnsubscribeBody, response: { 204: Type.Null(), 400: ApiError, 404: ApiError } } },
    async (request, reply) => {
      const [id, token] = request.body.unsubscribe.split('.') as [string, string]
      if (!(await repo.push.removeCitizen(Number(id), token))) throw new HttpError(404, 'no such subscription: it has already ended')
      return reply.code(204).send(null)
    },
  )

  // ---- contact settings ----
  fastify.get('/me/contact', { config: { access: 'session' }, schema: { tags: ['notifications'], summary: 'My email for notifications, and their language', response: { 200: ContactSettings, 401: ApiError, 403: ApiError } } }, async (request) => {
    const { email, language } = await repo.contacts.get(ownAccount(request))
    return { email, language }
  })
  fastify.put(
    '/me/contact',
    { config: { access: 'session' }, schema: { tags: ['notifications'], summary: 'Set my email for notifications (null: none) and their language', body: ContactSettings, response: { 200: ContactSettings, 400: ApiError, 401: ApiError, 403: ApiError } } },
    async (request) => {
      const username = ownAccount(request)
      const current = await repo.contacts.get(username)
      await repo.contacts.set(username, { ...request.body, groups: current.groups }, Date.now())
      await audit(request, 'contact.changed', `user:${username}`, { email: request.body.email, language: request.body.language })
      return request.body
    },
  )
  fastify.get(
    '/users/:username/contact',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: "An account's contact settings and groups", params: Username, response: { 200: AccountContactSettings, ...errors } } },
    async (request) => repo.contacts.get(request.params.username),
  )
  fastify.put(
    '/users/:username/contact',
    { config: { access: manage }, schema: { tags: ['notifications'], summary: "Set an account's contact settings and groups (e.g. technicians, shift-leaders)", params: Username, body: AccountContactSettings, response: { 200: AccountContactSettings, ...errors } } },
    async (request) => {
      if (!(await fastify.accounts.list()).some((u) => u.username === request.params.username)) throw new HttpError(404, `no account "${request.params.username}"`)
      await repo.contacts.set(request.params.username, request.body, Date.now())
      await audit(request, 'contact.changed', `user:${request.params.username}`, { ...request.body })
      return request.body
    },
  )
}

export default notificationsRoutes
