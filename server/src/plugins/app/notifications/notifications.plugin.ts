import type { Agent } from 'node:https'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import { loadNotificationRules } from '@ioc/shared/city-packs/node'
import type { Kysely } from 'kysely'
import { DEFAULT_NOTIFICATION_RULES, trendOf, type AlarmView, type Language } from '@ioc/shared'
import { toAlarmView } from '../alarms/alarms.repository.ts'
import type { Database } from '../storage/database.ts'
import { createJobStateRepository } from '../storage/job-state.repository.ts'
import { serverSecret } from '../storage/server-secrets.ts'
import { alarmLink } from './alarm-link.ts'
import { createMailSender, type MailSender } from './mail-sender.ts'
import type { AlarmContext } from './messages.ts'
import { createNotifier, type Notifier } from './notifier.ts'
import { createNotificationsRepository, type NotificationsRepository } from './notifications.repository.ts'
import { createPushSender, vapidSubject, type PushSender } from './push/push-sender.ts'
import { resolveVapidKeys } from './push/vapid-keys.ts'
import { createWebPushKeysRepository } from './push/web-push-keys.repository.ts'

export interface NotificationsOptions {
  /** IOC_CITY: the pack whose notification-rules.json seeds the rules of a new store. */
  cityId: string
  publicUrl: string
  mail: { smtpUrl: string; from: string } | undefined
  /** IOC_VAPID_PUBLIC_KEY / IOC_VAPID_PRIVATE_KEY; unset: a pair generated once and kept in the store. */
  vapid: { publicKey?: string | undefined; privateKey?: string | undefined }
  /** The HTTPS agent Web Push goes through (tests: one trusting their local push service's certificate). */
  pushAgent?: Agent
  /** How often the worker looks for due deliveries. @defaultValue 1000 */
  pollMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: {
      repo: NotificationsRepository
      /** null without IOC_SMTP_URL. */
      mail: MailSender | null
      /** The key alarm links are signed with (kept in the store: every instance signs alike). */
      linkKey: string
      /** IOC_PUBLIC_URL: the base of every link a message carries. */
      publicUrl: string
      /** Web Push; null when it could not be set up (the reason is in the log). */
      push: PushSender | null
      /** One round of the worker now, when this instance runs it (tests, "send a test message"). */
      runOnce(): Promise<void>
    }
  }
}

const SEEDED = 'notification_rules_seeded'

/**
 * Web Push: the VAPID key pair from the environment or the store (made once), and a subject push
 * services can contact (an https IOC_PUBLIC_URL, or IOC_MAIL_FROM's address). A pair given wrongly in
 * the environment stops the start (a deployer's mistake to fix); without a usable subject, push is off
 * and the log says what to set.
 */
async function setUpPush(db: Kysely<Database>, opts: NotificationsOptions, log: FastifyBaseLogger): Promise<PushSender | null> {
  const { keys, source } = await resolveVapidKeys({ IOC_VAPID_PUBLIC_KEY: opts.vapid.publicKey, IOC_VAPID_PRIVATE_KEY: opts.vapid.privateKey }, createWebPushKeysRepository(db))
  let subject: string
  try {
    subject = vapidSubject({ publicUrl: opts.publicUrl, mailFrom: opts.mail?.from })
  } catch (error) {
    log.warn({ reason: (error as Error).message }, 'Web Push is off')
    return null
  }
  log.info({ keys: source }, 'Web Push ready')
  return createPushSender({ keys, subject, ...(opts.pushAgent && { agent: opts.pushAgent }) })
}
const TREND_WINDOW_MS = 3_600_000


/**
 * Notifications: alarms that reach people off-screen (docs/notifications.md). Each alarm transition is
 * written with an outbox entry (alarms.repository.ts); the worker here — on the instance that runs the
 * alarm engine, so one in a cluster — plans it into deliveries by the admins' rules and the duty
 * roster, and sends them by email and webhook, retrying for up to a day.
 */
export default fp(
  async (fastify, opts: NotificationsOptions) => {
    const db = fastify.database.db
    const repo = createNotificationsRepository(db)
    const log = fastify.log.child({ component: 'notifications' })
    const key = await serverSecret(db, 'alarm_link_key')
    const mail = opts.mail ? createMailSender(opts.mail.smtpUrl, opts.mail.from) : null
    if (!mail) log.info('IOC_SMTP_URL is not set: notifications go out by Web Push and webhook only')
    const push = await setUpPush(db, opts, log)

    // The city pack's rules (or the generic ones), once: an admin who deletes them all does not get them back on restart.
    const jobState = createJobStateRepository(db)
    if ((await jobState.get(SEEDED)) === null) {
      const rules = loadNotificationRules(opts.cityId) ?? DEFAULT_NOTIFICATION_RULES
      if ((await repo.rules.count()) === 0) for (const rule of rules) await repo.rules.create(rule, Date.now())
      await jobState.set(SEEDED, Date.now())
    }

    const context = async (alarm: AlarmView, language: Language): Promise<AlarmContext> => {
      const station = alarm.source.kind === 'station' ? fastify.city.stationsById.get(alarm.source.id) : undefined
      const camera = alarm.source.kind === 'camera' ? fastify.city.camerasById.get(alarm.source.id) : undefined
      let trendCmPerHour: number | null = null
      if (station && (alarm.type === 'flood_level' || alarm.type === 'rapid_rise')) {
        const now = Date.now()
        const points = await fastify.readings.points(station.id, now - TREND_WINDOW_MS, now, 0)
        trendCmPerHour = trendOf(points.map((p) => ({ ms: Date.parse(p.ts), cm: p.waterLevelCm })), { windowMs: TREND_WINDOW_MS })?.cmPerHour ?? null
      }
      return {
        sourceName: station?.name[language] ?? camera?.name[language] ?? alarm.source.id,
        place: station?.place[language] ?? camera?.road ?? alarm.areaId,
        trendCmPerHour,
        url: alarmLink(opts.publicUrl, key, alarm.id, Date.now()),
      }
    }

    const notifier: Notifier = createNotifier({
      repo,
      alarmById: async (id) => {
        const row = await fastify.alarms.repo.byId(id)
        return row && toAlarmView(row)
      },
      context,
      mail,
      push,
      publicUrl: opts.publicUrl,
      timeZone: fastify.city.city.timezone,
      now: () => Date.now(),
      log,
    })

    // One round at a time; an alarm change asks for another at once, a timer every pollMs. A round
    // asked for while one runs is the next one (what changed meanwhile may have been missed by this
    // one): its promise resolves when that next round is done.
    let running: Promise<void> | null = null
    let queued: Promise<void> | null = null
    const round = (): Promise<void> => {
      if (!fastify.alarms.running()) return Promise.resolve()
      if (running) {
        queued ??= running.then(() => {
          queued = null
          return round()
        })
        return queued
      }
      running = notifier
        .runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'notification round failed; retrying at the next'))
        .finally(() => {
          running = null
        })
      return running
    }
    fastify.events.on('alarm.changed', () => void round())
    const timer = setInterval(() => void round(), opts.pollMs ?? 1_000)
    timer.unref()

    fastify.decorate('notifications', {
      repo,
      mail,
      linkKey: key,
      publicUrl: opts.publicUrl,
      push,
      runOnce: round,
    })
    fastify.addHook('onClose', async () => {
      clearInterval(timer)
      await running
      await queued
      mail?.close()
    })
  },
  { name: 'notifications', dependencies: ['storage', 'alarms', 'city', 'readings', 'events'] },
)
