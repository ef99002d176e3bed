import { describe, expect, it, onTestFinished } from 'vitest'
import { DEFAULT_NOTIFICATION_RULES, type Role } from '@ioc/shared'
import { startSmtpServer } from '../../../../../tests/helpers/smtp-server.ts'
import { startWebhookReceiver } from '../../../../../tests/helpers/webhook-receiver.ts'
import webPush from 'web-push'
import { startPushEndpoint } from '../../../../../tests/helpers/push-endpoint.ts'
import { createAlarmsRepository, toAlarmView, type AlarmSource, type AlarmsRepository } from '../alarms/alarms.repository.ts'
import { createUsersRepository } from '../auth/users.repository.ts'
import { ENGINES, freshLocation } from '../storage/test-databases.ts'
import { alarmLink } from './alarm-link.ts'
import { createMailSender } from './mail-sender.ts'
import { createNotifier, type NotifierDeps } from './notifier.ts'
import { createNotificationsRepository, type NotificationsRepository } from './notifications.repository.ts'
import { createPushSender } from './push/push-sender.ts'

const T0 = Date.parse('2026-10-30T02:00:00Z')
const MIN = 60_000
const SECRET = 'a-secret-of-the-zalo-gateway'
const cauXuanQuy: AlarmSource = { kind: 'station', id: 'cau-xuan-quy', areaId: '20362' }
const quiet = { info() {}, warn() {}, error() {} }

function notifierDeps(repo: NotificationsRepository, alarms: AlarmsRepository, clock: { now: number }): NotifierDeps {
  return {
    repo,
    alarmById: async (id) => {
      const row = await alarms.byId(id)
      return row && toAlarmView(row)
    },
    context: async (alarm, language) => ({
      sourceName: alarm.source.id !== 'cau-xuan-quy' ? alarm.source.id : language === 'vi' ? 'Cầu Xuân Quý' : 'Xuan Quy bridge',
      place: 'Tam Thăng',
      trendCmPerHour: 14,
      url: alarmLink('https://ioc.tamky.gov.vn', 'key', alarm.id, clock.now),
    }),
    mail: null,
    push: null,
    publicUrl: 'https://ioc.tamky.gov.vn',
    timeZone: 'Asia/Ho_Chi_Minh',
    now: () => clock.now,
    log: quiet,
  }
}

/**
 * The notifier end to end on each engine: alarms written by the alarms repository (with their outbox
 * entries), rules and roster in the store, mail through nodemailer to a real SMTP server, webhooks to
 * a real HTTP receiver that checks the signature. Time is a number the test moves: no waiting.
 */
describe.each(ENGINES)('notifier on $name', (engine) => {
  async function setup() {
    const database = await freshLocation(engine).open()
    const smtp = await startSmtpServer()
    const hook = await startWebhookReceiver(SECRET)
    onTestFinished(() => smtp.close())
    onTestFinished(() => hook.close())
    const db = database.db
    const users = createUsersRepository(db)
    const repo = createNotificationsRepository(db)
    const alarms = createAlarmsRepository(db)
    const people: [string, Role, string | null, string[]][] = [
      ['trucban', 'operator', null, []],
      ['truongca', 'operator', null, ['shift-leaders']],
      ['chanhvp', 'staff', null, ['office-heads']],
      ['canbo.tamthang', 'area_staff', '20362', []],
    ]
    for (const [username, role, areaId, groups] of people) {
      await users.insert({ username, fullName: username, role, areaId, passwordHash: null, mustChangePassword: false }, T0)
      await repo.contacts.set(username, { email: `${username}@tamky.gov.vn`, language: 'vi', groups }, T0)
    }
    const channel = await repo.channels.create({ name: 'Zalo OA', url: hook.url, secret: SECRET, enabled: true }, T0)
    for (const rule of DEFAULT_NOTIFICATION_RULES) {
      await repo.rules.create(rule.minLevel === 2 ? { ...rule, recipients: [...rule.recipients, { kind: 'webhook', channelId: channel.id }] } : rule, T0)
    }
    // trucban is on duty for the whole city; truongca is not (only as shift leader).
    await repo.shifts.create({ username: 'trucban', startsAt: new Date(T0 - 60 * MIN).toISOString(), endsAt: new Date(T0 + 8 * 60 * MIN).toISOString(), areaIds: null }, 'admin', T0)
    const clock = { now: T0 }
    const mail = createMailSender(smtp.url, 'IOC Tam Kỳ <ioc@tamky.gov.vn>')
    onTestFinished(() => mail.close())
    const notifier = createNotifier({ ...notifierDeps(repo, alarms, clock), mail })
    return { db, repo, alarms, smtp, hook, notifier, clock }
  }

  it('pages the operator on duty by email and the gateway by signed webhook when BĐ2 is raised', async () => {
    const { alarms, smtp, hook, notifier } = await setup()
    const { alarm } = await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    await notifier.runOnce()

    const mails = [await smtp.message(1), await smtp.message(2)].sort((a, b) => a.to[0]!.localeCompare(b.to[0]!))
    expect(mails.map((m) => m.to)).toEqual([['canbo.tamthang@tamky.gov.vn'], ['trucban@tamky.gov.vn']])
    const page = mails[1]!
    expect(page.subject).toBe('[IOC] Cảnh báo: Báo động II (BĐ2) — Cầu Xuân Quý')
    expect(page.text).toContain('Mực nước: 231 cm')
    expect(page.text).toContain('Xu hướng: đang lên 14 cm/giờ')
    expect(page.text).toContain('Bắt đầu: 09:00 30/10/2026')
    expect(page.text).toMatch(new RegExp(`Mở và xác nhận cảnh báo: https://ioc\\.tamky\\.gov\\.vn/#/alarms/${alarm.id}/ack\\?exp=\\d+&sig=`))

    const received = await hook.hook(1)
    expect(received.signatureValid).toBe(true)
    expect(received.headers['x-ioc-event']).toBe('alarm.raised')
    expect(received.headers['x-ioc-delivery']).toMatch(/^[0-9a-f-]{36}$/)
    expect(received.json).toMatchObject({ event: 'alarm.raised', alarm: { id: alarm.id, level: 2, source: { id: 'cau-xuan-quy' } }, url: expect.stringContaining(`/#/alarms/${alarm.id}/ack`) })
    expect(smtp.received).toHaveLength(2)
  })

  it('escalates to the shift leader after 10 minutes without acknowledgement, and an acknowledgement stops the chain', async () => {
    const { alarms, smtp, notifier, clock, repo } = await setup()
    const { alarm } = await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    await notifier.runOnce()
    await smtp.message(2)

    clock.now = T0 + 9 * MIN
    await notifier.runOnce()
    expect(smtp.received).toHaveLength(2)

    clock.now = T0 + 10 * MIN
    await notifier.runOnce()
    const step = await smtp.message(3)
    expect(step.to).toEqual(['truongca@tamky.gov.vn'])
    expect(step.subject).toBe('[IOC] Chưa ai xác nhận: Báo động II (BĐ2) — Cầu Xuân Quý')

    await alarms.acknowledge(alarm.id, 'truongca', 'đã cử người đến', T0 + 12 * MIN)
    clock.now = T0 + 12 * MIN
    await notifier.runOnce()
    clock.now = T0 + 25 * MIN
    await notifier.runOnce()
    // The head of office's step (20 min) never goes out: it was cancelled by the acknowledgement.
    expect(smtp.received.map((m) => m.to[0])).not.toContain('chanhvp@tamky.gov.vn')
    const { rows } = await repo.deliveries.list({ alarm: alarm.id })
    expect(rows.filter((r) => r.channel === 'step').map((r) => [r.step, r.status]).sort()).toEqual([
      [1, 'sent'],
      [2, 'cancelled'],
    ])
  })

  it('sends several alarms opened within a minute as one digest', async () => {
    const { alarms, smtp, notifier, clock } = await setup()
    await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    await notifier.runOnce()
    await smtp.message(2)
    const others: AlarmSource[] = [
      { kind: 'station', id: 'hoa-huong-1', areaId: '20344' },
      { kind: 'station', id: 'hoa-huong-2', areaId: '20344' },
    ]
    clock.now = T0 + 20_000
    for (const source of others) await alarms.raise('flood_level', source, 2, 240, clock.now)
    await notifier.runOnce()
    // Paged 20 s ago: held until the minute is up, then one message for both.
    expect(smtp.received.filter((m) => m.to[0] === 'trucban@tamky.gov.vn')).toHaveLength(1)
    clock.now = T0 + 60_000
    await notifier.runOnce()
    const digest = await smtp.message(3)
    expect(digest.to).toEqual(['trucban@tamky.gov.vn'])
    expect(digest.subject).toBe('[IOC] 2 điểm vượt BĐ2: hoa-huong-1, hoa-huong-2')
    expect(smtp.received.filter((m) => m.to[0] === 'trucban@tamky.gov.vn')).toHaveLength(2)
  })

  it('pages an escalation of the same alarm at once, however soon after the first page', async () => {
    const { alarms, smtp, notifier, clock } = await setup()
    const { alarm } = await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    await notifier.runOnce()
    await smtp.message(2)
    clock.now = T0 + 20_000
    await alarms.changeLevel(alarm.id, 3, 275, clock.now)
    await notifier.runOnce()
    const escalated = smtp.received.slice(2).filter((m) => m.to[0] === 'trucban@tamky.gov.vn')
    expect(escalated.map((m) => m.subject)).toEqual(['[IOC] Cảnh báo tăng mức: Báo động III (BĐ3) — Cầu Xuân Quý'])
  })

  it('retries a refused email and a failing webhook with the same delivery id, and logs each attempt', async () => {
    const { alarms, smtp, hook, notifier, clock, repo } = await setup()
    smtp.refuseNext(2)
    hook.answerNext(500)
    const { alarm } = await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    await notifier.runOnce()
    expect(smtp.received).toHaveLength(0)
    const first = await hook.hook(1)
    expect(first.answered).toBe(500)

    clock.now = T0 + 30_000
    await notifier.runOnce()
    await smtp.message(2)
    const second = await hook.hook(2)
    expect(second.answered).toBe(204)
    expect(second.headers['x-ioc-delivery']).toBe(first.headers['x-ioc-delivery'])

    const { rows, attempts } = await repo.deliveries.list({ alarm: alarm.id })
    const webhook = rows.find((r) => r.channel === 'webhook')!
    expect(webhook).toMatchObject({ status: 'sent', attempts: 2 })
    expect(attempts.filter((a) => a.delivery_id === webhook.id).map((a) => [a.ok, a.detail])).toEqual([
      [0, 'HTTP 500'],
      [1, 'HTTP 204'],
    ])
  })

  it("tells a citizen following a point at most once per 15 minutes, and then where the water stands now", async () => {
    const { alarms, repo, clock, db } = await setup()
    const pushService = await startPushEndpoint()
    onTestFinished(() => pushService.close())
    const sender = createPushSender({ keys: webPush.generateVAPIDKeys(), subject: 'mailto:ioc@tamky.gov.vn', agent: pushService.agent() })
    const citizen = pushService.subscription('citizen')
    await repo.push.save({ endpoint: citizen.endpoint, ...citizen.keys, username: null, stationId: 'cau-xuan-quy', language: 'vi', token: 't' }, T0)
    const withPush = createNotifier({ ...notifierDeps(repo, alarms, clock), push: sender, mail: null })
    const { alarm } = await alarms.raise('flood_level', cauXuanQuy, 1, 176, T0)
    await withPush.runOnce()
    expect((await pushService.nextMessage()).payload).toMatchObject({ title: 'Cầu Xuân Quý: Báo động I (BĐ1)' })

    clock.now = T0 + 5 * MIN
    await alarms.changeLevel(alarm.id, 2, 226, clock.now)
    await withPush.runOnce()
    clock.now = T0 + 10 * MIN
    await alarms.changeLevel(alarm.id, 3, 272, clock.now)
    await withPush.runOnce()
    expect(pushService.messages).toHaveLength(1)

    clock.now = T0 + 15 * MIN
    await withPush.runOnce()
    expect((await pushService.nextMessage()).payload).toMatchObject({ title: 'Cầu Xuân Quý: Báo động III (BĐ3)', body: 'Mực nước đang ở Báo động III (BĐ3) (272 cm). Mở để xem chi tiết và hướng dẫn.' })
    expect(pushService.messages).toHaveLength(2)
    const statuses = await db.selectFrom('notification_deliveries').select(['status', 'last_error']).where('channel', '=', 'push').orderBy('created_at').execute()
    expect(statuses.map((r) => r.status)).toEqual(['sent', 'cancelled', 'sent'])
  })

  it('plans a transition once: what a crash left in the outbox is planned after restart, nothing twice', async () => {
    const { alarms, repo, notifier, db } = await setup()
    await alarms.raise('flood_level', cauXuanQuy, 2, 231, T0)
    expect(await repo.outbox.take(10)).toHaveLength(1)
    await notifier.runOnce()
    expect(await repo.outbox.take(10)).toHaveLength(0)
    const count = async () => Number((await db.selectFrom('notification_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const planned = await count()
    await notifier.runOnce()
    expect(await count()).toBe(planned)
  })
})
