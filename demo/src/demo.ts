import closeWithGrace from 'close-with-grace'
import { generatePassword } from '@ioc/server/passwords'
import { clientIdFor, type FloodReading, type Role } from '@ioc/shared'
import { backfillReadings, startSimulation } from '@ioc/simulators'
import { buildApp } from '@ioc/server/app'
import { ConfigError, loadConfig } from '@ioc/server/config'
import { loggerOptions } from '@ioc/server/logger'
import { startMailCatcher } from './mail-catcher.ts'

/**
 * `pnpm demo`: the whole system on one box — server, embedded broker, SQLite, the city pack, and
 * simulators driving every station and camera through a looping storm. Works beside a broker that
 * already holds port 1883: the embedded one then takes a free port and the simulators follow it.
 */
async function main(): Promise<void> {
  const loaded = loadConfig({ IOC_LOG_LEVEL: 'warn', ...process.env })
  if (loaded.mqtt.url !== undefined) throw new ConfigError(['IOC_MQTT_URL: the demo runs its own embedded broker; unset it (use `pnpm start` with an external broker)'])
  // Without a mail server of yours (IOC_SMTP_URL), notification emails go to the demo's own catcher
  // and are printed here: the demo accounts have addresses, and the storm pages them.
  const catcher = loaded.mail ? null : await startMailCatcher((mail) => console.log(`  ✉ ${mail.to.join(', ')}: ${mail.subject}\n    ${mail.text.match(/https?:\/\/\S+#\/alarms\/\S+/)?.[0] ?? ''}`))
  const config = catcher ? { ...loaded, mail: { smtpUrl: catcher.url, from: 'IOC Tam Kỳ (demo) <ioc@demo.invalid>' } } : loaded
  const app = await buildApp({ config, brokerFallbackToFreePort: true }, { logger: loggerOptions(config) })
  await app.listen({ port: config.port, host: config.host })

  const pack = app.city
  // A fresh demo gets a month of history (calm, with one storm ten days back) so charts have a past.
  if ((await app.readings.count()) === 0) {
    console.log('  Đang tạo 30 ngày dữ liệu mẫu… / Backfilling 30 days of demo history…')
    let batch: { reading: FloodReading; tsMs: number }[] = []
    for (const row of backfillReadings(pack, { endMs: Date.now() - 60_000 })) {
      batch.push(row)
      if (batch.length === 5_000) {
        await app.readings.insertMany(batch)
        batch = []
      }
    }
    await app.readings.insertMany(batch)
    await app.readingsMaintenance.rollUp()
  }
  // Device credentials (docs/devices-and-mqtt.md, "Devices and MQTT credentials"): the simulators publish as a gateway whose
  // password is re-issued at every start, so one printed by an earlier demo stops working.
  const gateway = await app.deviceCredentials.issueGateway('demo-simulators')
  const simulatorUrl = `mqtt://${gateway.username}:${gateway.password}@127.0.0.1:${app.embeddedBrokerPort}`

  const accounts = await demoAccounts(app)
  // The demo storm passes in six minutes what a real one takes a day or two to do: alarm hold times
  // and the rise window shrink with it, so BĐ levels step down and clear within the loop.
  for (const station of pack.stations) {
    await app.stationSettings.update(station.id, { holdMinutes: 1, riseWindowMinutes: 10 }, { username: 'demo', ip: null })
  }

  // A client id of the gateway's own (`demo-simulators.storm`): the embedded broker refuses any other.
  // A gauge picture from every camera each 20 s: a few per storm, enough to watch the water rise in them.
  const simulation = await startSimulation({
    url: simulatorUrl,
    scenario: 'storm',
    loop: true,
    pack,
    clientId: clientIdFor(gateway.username, 'storm'),
    snapshotEverySeconds: 20,
  }).catch(
    async (error: unknown) => {
      await app.close()
      throw error
    },
  )
  closeWithGrace({ delay: 10_000 }, async () => {
    await simulation.stop()
    await app.close()
    await catcher?.close()
  })

  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host
  const moved = app.embeddedBrokerPort !== config.mqtt.embeddedPort ? ` (port ${config.mqtt.embeddedPort} was taken)` : ''
  console.log(
    [
      '',
      `  Tam Kỳ IOC — demo`,
      `  Bảng điều khiển / Dashboard:  http://${host}:${config.port}`,
      `  API (OpenAPI):                http://${host}:${config.port}/docs`,
      `  MQTT broker (embedded):       ${app.mqttUrl}${moved}`,
      `  Dữ liệu / Data:               ${config.dataDir}`,
      `  Mô phỏng / Simulators:        storm, looping — ${pack.stations.length} flood stations, ${pack.cameras.length} cameras (a gauge picture each 20 s)`,
      `  Cảnh báo / Alarms:            hold 1 min, rise window 10 min (the storm is time-compressed; pnpm start keeps what admins set)`,
      `  Your own simulator:           pnpm sim storm --url ${simulatorUrl}`,
      `  Your own devices:             pnpm devices issue <station or camera id> (docs/devices-and-mqtt.md)`,
      `  Thư cảnh báo / Alarm emails:  ${catcher ? 'printed below (the demo catches them; set IOC_SMTP_URL to send them for real)' : 'sent through IOC_SMTP_URL'} — docs/notifications.md`,
      `  Dừng / Stop:                  Ctrl+C`,
      '',
      `  Tài khoản demo / Demo accounts (mật khẩu mới mỗi lần chạy / new passwords at every start):`,
      ...accounts.map((a) => `    ${a.role.padEnd(11)} ${a.username.padEnd(15)} ${a.password}   ${a.note}`),
      '',
    ].join('\n'),
  )
}

const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; fullName: string; role: Role; areaId?: string; note: string }> = [
  { username: 'demo-operator', fullName: 'Trực ban IOC (demo)', role: 'operator', note: 'trực vận hành / IOC operator' },
  { username: 'demo-staff', fullName: 'Cán bộ thành phố (demo)', role: 'staff', note: 'cán bộ, công chức / city staff' },
  { username: 'demo-tamthang', fullName: 'Cán bộ xã Tam Thăng (demo)', role: 'area_staff', areaId: '20362', note: 'cán bộ xã Tam Thăng / commune staff' },
  { username: 'demo-admin', fullName: 'Quản trị (demo)', role: 'admin', note: 'quản trị viên / administrator' },
]

/**
 * One account per role, with a password made at this start: the demo's are the only accounts whose
 * password the program chooses, and an earlier run's printed passwords stop working.
 */
async function demoAccounts(app: Awaited<ReturnType<typeof buildApp>>) {
  const actor = { username: 'demo', ip: null }
  return Promise.all(
    DEMO_ACCOUNTS.map(async (account) => {
      const password = generatePassword()
      const existing = await app.accounts.byUsername(account.username)
      if (existing) await app.accounts.setPassword(existing.id, password, { mustChangePassword: false }, actor)
      else await app.accounts.create({ username: account.username, fullName: account.fullName, role: account.role, areaId: account.areaId ?? null, password }, actor, { keepPassword: true })
      // An address to page (docs/notifications.md): the operator is paged by the default rules, the commune's staff for its floods.
      const contact = await app.notifications.repo.contacts.get(account.username)
      if (contact.email === null) await app.notifications.repo.contacts.set(account.username, { ...contact, email: `${account.username}@demo.invalid` }, Date.now())
      return { ...account, password }
    }),
  )
}

main().catch((error: unknown) => {
  console.error(`Tam Kỳ IOC demo cannot start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
