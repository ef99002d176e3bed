import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALARM_TYPES, AUDIENCES, cameraSnapshotTopic, cameraStatusTopic, EVENT_PERMISSION, floodReadingTopic, type AlarmType, type AlarmView, type Audience, type ServerToClientEvents } from '@ioc/shared'
import { addUser, anonymousClient, login, loginAs, OTHER_AREA, TEST_ADMIN, TEST_AREA, type TestSession } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * Who may use what (docs/accounts.md), as a test: every route and every socket event against every
 * audience, with the exact status or delivery. A route or event the server has and this table lacks
 * (or the other way round) fails the first tests — adding one means deciding here who may use it.
 */
type Expect = Record<Audience, number>
const ALL = (status: number): Expect => ({ public: status, staff: status, area_staff: status, operator: status, admin: status })
const LOGGED_IN = (status: number): Expect => ({ public: 401, staff: status, area_staff: status, operator: status, admin: status })
const ADMIN_ONLY = (status: number): Expect => ({ public: 401, staff: 403, area_staff: 403, operator: 403, admin: status })

interface RouteCase {
  /** The request to make; a function when each call needs something new (a username, an alarm). */
  path: string | (() => string | Promise<string>)
  body?: () => unknown
  expect: Expect
  /** Log in afresh for this request: it ends or rotates the session it is made with. */
  fresh?: boolean
  /** Made through `inject` as if from this client address; otherwise over HTTP from loopback. */
  remoteAddress?: string
}

const unique = () => `u${Math.random().toString(36).slice(2, 10)}`
/** A snapshot's time, and the smallest JPEG the ingest takes: a 640×360 frame header between start and end markers. */
const SNAPSHOT_TS = Date.parse('2026-01-01T00:00:00Z')
const SNAPSHOT_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 1, 104, 2, 128, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0xff, 0xd9])
let targetUserId = 0
/** A month not yet written: each PUT starts a value of its own (expectedVersion 0). */
let month = 0
function nextPeriod(): string {
  const i = month++
  return `${2001 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}
/** A new open camera alarm (camera alarms are for logged-in staff only) to read or acknowledge. */
async function newCameraAlarm(): Promise<number> {
  const { alarm } = await server.app.alarms.repo.raise('camera_offline', { kind: 'camera', id: unique(), areaId: OTHER_AREA }, null, null, Date.now())
  return alarm.id
}
const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date().toISOString()}`

const ROUTES: Record<string, RouteCase> = {
  'GET /': { path: '/', expect: ALL(200) },
  'GET /index.html': { path: '/index.html', expect: ALL(200) },
  'GET /assets/app.js': { path: '/assets/app.js', expect: ALL(200) },
  'GET /docs': { path: '/docs', expect: ALL(200) },
  'GET /docs/json': { path: '/docs/json', expect: ALL(200) },
  'GET /docs/yaml': { path: '/docs/yaml', expect: ALL(200) },
  'GET /docs/static/index.html': { path: '/docs/static/index.html', expect: ALL(200) },
  'GET /docs/static/swagger-initializer.js': { path: '/docs/static/swagger-initializer.js', expect: ALL(200) },
  'GET /docs/static/*': { path: '/docs/static/swagger-ui.css', expect: ALL(200) },
  'GET /healthz': { path: '/healthz', expect: ALL(200) },
  'GET /public.html': { path: '/public.html', expect: ALL(200) },
  'GET /muc-nuoc': { path: '/muc-nuoc', expect: ALL(200) },
  'GET /muc-nuoc/:stationId': { path: '/muc-nuoc/cau-xuan-quy', expect: ALL(200) },
  'GET /muc-nuoc/og.png': { path: '/muc-nuoc/og.png', expect: ALL(200) },
  'GET /muc-nuoc/:stationId/og.png': { path: '/muc-nuoc/cau-xuan-quy/og.png', expect: ALL(200) },
  'GET /muc-nuoc/:stationId/qr.svg': { path: '/muc-nuoc/cau-xuan-quy/qr.svg', expect: ALL(200) },
  'GET /muc-nuoc/:stationId/ma-qr': { path: '/muc-nuoc/cau-xuan-quy/ma-qr', expect: ALL(200) },
  'GET /muc-nuoc/ma-qr.css': { path: '/muc-nuoc/ma-qr.css', expect: ALL(200) },
  'GET /muc-nuoc/manifest.webmanifest': { path: '/muc-nuoc/manifest.webmanifest', expect: ALL(200) },
  'GET /muc-nuoc/icon-192.png': { path: '/muc-nuoc/icon-192.png', expect: ALL(200) },
  'GET /muc-nuoc/icon-512.png': { path: '/muc-nuoc/icon-512.png', expect: ALL(200) },
  'GET /muc-nuoc/icon-maskable-512.png': { path: '/muc-nuoc/icon-maskable-512.png', expect: ALL(200) },
  'GET /muc-nuoc/apple-touch-icon.png': { path: '/muc-nuoc/apple-touch-icon.png', expect: ALL(200) },
  'GET /api/public/flood': { path: '/api/public/flood', expect: ALL(200) },
  'GET /api/public/basemap': { path: '/api/public/basemap', expect: ALL(200) },
  // The Tam Kỳ pack has no basemap archive: no tile, and no style, for anyone (tests/integration/basemap.test.ts serves one).
  'GET /tiles/:z/:x/:y': { path: '/tiles/14/13112/7591', expect: ALL(404) },
  'GET /tiles/style.json': { path: '/tiles/style.json', expect: ALL(404) },
  'GET /readyz': { path: '/readyz', expect: ALL(200) },
  // From the server itself, anyone; from another host, only with IOC_METRICS_TOKEN (none set here).
  'GET /metrics': { path: '/metrics', expect: ALL(200) },
  'GET /metrics (another address)': { path: '/metrics', remoteAddress: '203.0.113.7', expect: ALL(401) },
  'GET /api/auth/csrf': { path: '/api/auth/csrf', expect: ALL(200) },
  'POST /api/auth/login': { path: '/api/auth/login', expect: ALL(200), fresh: true },
  'POST /api/auth/logout': { path: '/api/auth/logout', expect: LOGGED_IN(204), fresh: true },
  'GET /api/me': { path: '/api/me', expect: LOGGED_IN(200) },
  'POST /api/auth/password': { path: '/api/auth/password', expect: LOGGED_IN(200), fresh: true },
  'GET /api/city': { path: '/api/city', expect: ALL(200) },
  'GET /api/areas': { path: '/api/areas', expect: ALL(200) },
  'GET /api/stations': { path: '/api/stations', expect: ALL(200) },
  'GET /api/stations/:id': { path: '/api/stations/tam-ky-river', expect: ALL(200) },
  'GET /api/stations/:id/readings': { path: `/api/stations/tam-ky-river/readings?${range}`, expect: ALL(200) },
  'GET /api/stations/:id/readings.csv': { path: `/api/stations/tam-ky-river/readings.csv?${range}`, expect: ALL(200) },
  'PATCH /api/stations/:id': { path: '/api/stations/tam-ky-river', body: () => ({ hysteresisCm: 12 }), expect: ADMIN_ONLY(200) },
  'GET /api/cameras': { path: '/api/cameras', expect: LOGGED_IN(200) },
  // Names who acknowledged each alarm and quotes their notes: staff roles only.
  'GET /api/reports/storm': { path: `/api/reports/storm?${range}`, expect: LOGGED_IN(200) },
  'GET /api/reports/storm.csv': { path: `/api/reports/storm.csv?${range}`, expect: LOGGED_IN(200) },
  'GET /api/cameras/:id/history': { path: `/api/cameras/cam-cau-tam-ky/history?${range}`, expect: LOGGED_IN(200) },
  'GET /api/cameras/:id/snapshots': { path: `/api/cameras/cam-cau-tam-ky/snapshots?${range}`, expect: LOGGED_IN(200) },
  'GET /api/cameras/:id/snapshots/latest.jpg': { path: '/api/cameras/cam-bach-dang/snapshots/latest.jpg', expect: LOGGED_IN(200) },
  'GET /api/cameras/:id/snapshots/:tsMs(^\\d+).jpg': { path: `/api/cameras/cam-bach-dang/snapshots/${SNAPSHOT_TS}.jpg`, expect: LOGGED_IN(200) },
  // A camera's own device credential (HTTP Basic), never a session: every audience without one is refused.
  'PUT /api/cameras/:id/snapshot': { path: '/api/cameras/cam-cau-tam-ky/snapshot', expect: ALL(401) },
  // Only cameras the city pack marks public (cam-cau-tam-ky); cam-bach-dang has a picture and is not.
  'GET /api/public/cameras': { path: '/api/public/cameras', expect: ALL(200) },
  'GET /api/public/cameras/:id/latest.jpg': { path: '/api/public/cameras/cam-cau-tam-ky/latest.jpg', expect: ALL(200) },
  'GET /api/public/cameras/:id/latest.jpg (a camera not public)': { path: '/api/public/cameras/cam-bach-dang/latest.jpg', expect: ALL(404) },
  'GET /api/users': { path: '/api/users', expect: ADMIN_ONLY(200) },
  'POST /api/users': { path: '/api/users', body: () => ({ username: unique(), fullName: 'Trần Thị Thu', role: 'staff' }), expect: ADMIN_ONLY(201) },
  'PATCH /api/users/:id': { path: () => `/api/users/${targetUserId}`, body: () => ({ fullName: `Lê Văn ${unique()}` }), expect: ADMIN_ONLY(200) },
  'POST /api/users/:id/password-reset': { path: () => `/api/users/${targetUserId}/password-reset`, expect: ADMIN_ONLY(200) },
  'POST /api/users/import': { path: '/api/users/import', body: () => ({ csv: `username,full_name,role,area\n${unique()},Phạm Thị Hoa,area_staff,Hòa Hương\n`, dryRun: true }), expect: ADMIN_ONLY(200) },
  'GET /api/audit': { path: '/api/audit', expect: ADMIN_ONLY(200) },
  'GET /api/indicators/definitions': { path: '/api/indicators/definitions', expect: LOGGED_IN(200) },
  'GET /api/indicators': { path: '/api/indicators?key=population&period=2026-01', expect: LOGGED_IN(200) },
  'GET /api/indicators/city': { path: '/api/indicators/city?key=population', expect: LOGGED_IN(200) },
  'GET /api/indicators/:area/:key/:period/history': { path: `/api/indicators/${TEST_AREA}/population/2026-01/history`, expect: LOGGED_IN(200) },
  // Area staff write their own area (TEST_AREA) and no other.
  'PUT /api/indicators/:area/:key/:period': {
    path: () => `/api/indicators/${TEST_AREA}/population/${nextPeriod()}`,
    body: () => ({ value: 9000, expectedVersion: 0 }),
    expect: { public: 401, staff: 403, area_staff: 200, operator: 403, admin: 200 },
  },
  'PUT /api/indicators/:area/:key/:period (another area)': {
    path: () => `/api/indicators/${OTHER_AREA}/population/${nextPeriod()}`,
    body: () => ({ value: 9000, expectedVersion: 0 }),
    expect: { public: 401, staff: 403, area_staff: 403, operator: 403, admin: 200 },
  },
  'GET /api/dead-letters': { path: '/api/dead-letters?limit=5', expect: ADMIN_ONLY(200) },
  'GET /api/alarms': { path: '/api/alarms?state=active', expect: ALL(200) },
  'GET /api/alarms/:id': { path: async () => `/api/alarms/${await newCameraAlarm()}`, expect: LOGGED_IN(200) },
  'POST /api/alarms/:id/ack': {
    path: async () => `/api/alarms/${await newCameraAlarm()}/ack`,
    body: () => ({ note: 'Đã kiểm tra' }),
    expect: { public: 401, staff: 403, area_staff: 403, operator: 200, admin: 200 },
  },
  'GET /api/notifications/rules': { path: '/api/notifications/rules', expect: ADMIN_ONLY(200) },
  'POST /api/notifications/rules': { path: '/api/notifications/rules', body: () => RULE, expect: ADMIN_ONLY(201) },
  'PUT /api/notifications/rules/:id': { path: async () => `/api/notifications/rules/${await newRule()}`, body: () => RULE, expect: ADMIN_ONLY(200) },
  'DELETE /api/notifications/rules/:id': { path: async () => `/api/notifications/rules/${await newRule()}`, expect: ADMIN_ONLY(204) },
  'GET /api/notifications/webhooks': { path: '/api/notifications/webhooks', expect: ADMIN_ONLY(200) },
  'POST /api/notifications/webhooks': { path: '/api/notifications/webhooks', body: () => WEBHOOK, expect: ADMIN_ONLY(201) },
  'PUT /api/notifications/webhooks/:id': { path: async () => `/api/notifications/webhooks/${await newWebhook()}`, body: () => WEBHOOK, expect: ADMIN_ONLY(200) },
  'DELETE /api/notifications/webhooks/:id': { path: async () => `/api/notifications/webhooks/${await newWebhook()}`, expect: ADMIN_ONLY(204) },
  'POST /api/notifications/webhooks/:id/test': { path: async () => `/api/notifications/webhooks/${await newWebhook()}/test`, expect: ADMIN_ONLY(200) },
  'POST /api/notifications/email-test': { path: '/api/notifications/email-test', body: () => ({ to: 'trucban@tamky.gov.vn' }), expect: ADMIN_ONLY(200) },
  'GET /api/notifications/deliveries': { path: '/api/notifications/deliveries?limit=5', expect: ADMIN_ONLY(200) },
  'GET /api/roster': { path: `/api/roster?${range}`, expect: { public: 401, staff: 403, area_staff: 403, operator: 200, admin: 200 } },
  'POST /api/roster': {
    path: '/api/roster',
    body: () => ({ username: TEST_ADMIN.username, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 9 * 3_600_000).toISOString(), areaIds: null }),
    expect: { public: 401, staff: 403, area_staff: 403, operator: 201, admin: 201 },
  },
  'DELETE /api/roster/:id': { path: async () => `/api/roster/${await newShift()}`, expect: { public: 401, staff: 403, area_staff: 403, operator: 204, admin: 204 } },
  'GET /api/notifications/links/:id': { path: '/api/notifications/links/1?exp=1&sig=x', expect: LOGGED_IN(200) },
  'GET /api/push/key': { path: '/api/push/key', expect: ALL(200) },
  'POST /api/me/push-subscriptions': { path: '/api/me/push-subscriptions', body: () => ({ endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }), expect: LOGGED_IN(400) },
  'DELETE /api/me/push-subscriptions': { path: '/api/me/push-subscriptions', body: () => ({ endpoint: 'https://fcm.googleapis.com/fcm/send/none' }), expect: LOGGED_IN(404) },
  'POST /api/public/push-subscriptions': { path: '/api/public/push-subscriptions', body: () => ({ subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }, stationId: 'khong-co', language: 'vi' }), expect: ALL(400) },
  'POST /api/public/push-subscriptions/unsubscribe': { path: '/api/public/push-subscriptions/unsubscribe', body: () => ({ unsubscribe: '999999.none' }), expect: ALL(404) },
  'GET /api/me/contact': { path: '/api/me/contact', expect: LOGGED_IN(200) },
  'PUT /api/me/contact': { path: '/api/me/contact', body: () => ({ email: 'canbo@tamky.gov.vn', language: 'vi' }), expect: LOGGED_IN(200) },
  'GET /api/users/:username/contact': { path: () => `/api/users/${TEST_ADMIN.username}/contact`, expect: ADMIN_ONLY(200) },
  'PUT /api/users/:username/contact': { path: () => `/api/users/${TEST_ADMIN.username}/contact`, body: () => ({ email: null, language: 'vi', groups: ['technicians'] }), expect: ADMIN_ONLY(200) },
}

const RULE = { name: 'BĐ3 → trực ban', enabled: true, alarmTypes: ['flood_level'], minLevel: 3, areaIds: null, sourceIds: null, recipients: [{ kind: 'on_duty' }], escalation: [] }
const WEBHOOK = { name: 'Zalo OA', url: 'http://127.0.0.1:9/hooks', secret: 'a-secret-of-16-characters', enabled: true }
async function newRule(): Promise<number> {
  return (await server.app.notifications.repo.rules.create({ ...RULE, alarmTypes: ['flood_level'], recipients: [{ kind: 'on_duty' }] }, Date.now())).id
}
async function newWebhook(): Promise<number> {
  return (await server.app.notifications.repo.channels.create(WEBHOOK, Date.now())).id
}
async function newShift(): Promise<number> {
  const start = Date.now() + 3_600_000
  return Number((await server.app.notifications.repo.shifts.create({ username: TEST_ADMIN.username, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString(), areaIds: null }, 'test', Date.now())).id)
}

const STAFF: readonly Audience[] = ['staff', 'area_staff', 'operator', 'admin']
/** Who receives each server event; alarm events: see ALARMS. */
const EVENTS: Record<keyof ServerToClientEvents, readonly Audience[] | 'by alarm type'> = {
  'reading:new': AUDIENCES,
  'reading:batch': AUDIENCES,
  'reading:suspect': AUDIENCES,
  'forecast:changed': AUDIENCES,
  'camera:status': STAFF,
  // Of a camera not marked public (one that is also goes to the public room: camera-snapshots.test.ts).
  'camera:snapshot': STAFF,
  'alarm:raised': 'by alarm type',
  'alarm:updated': 'by alarm type',
  'alarm:cleared': 'by alarm type',
  'indicator:updated': STAFF,
}
/** Who receives the alarm events of each alarm type: flood alarms are everyone's, device health is staff's. */
const ALARMS: Record<AlarmType, readonly Audience[]> = {
  flood_level: AUDIENCES,
  rapid_rise: AUDIENCES,
  station_silent: STAFF,
  low_battery: STAFF,
  sensor_suspect: STAFF,
  camera_offline: STAFF,
  camera_degraded: STAFF,
  camera_tampered: STAFF,
}

let server: TestServer
let webDir: string
const sessions = new Map<Audience, TestSession | null>()

/** A session for the audience (null: anonymous), fresh when the request would end or rotate it. */
async function sessionFor(audience: Audience, fresh: boolean): Promise<{ session: TestSession | null; account?: { username: string; password: string } }> {
  if (audience === 'public') return { session: null }
  if (!fresh) return { session: sessions.get(audience)! }
  const account = await addUser(server, { role: audience })
  return { session: await login(server.baseUrl, account.username, account.password), account }
}

async function request(audience: Audience, key: string, route: RouteCase): Promise<number> {
  const [method] = key.split(' ')
  const path = typeof route.path === 'function' ? await route.path() : route.path
  const { session, account } = await sessionFor(audience, route.fresh ?? false)
  if (route.remoteAddress) {
    return (await server.app.inject({ method: method as 'GET', url: path, remoteAddress: route.remoteAddress, headers: session ? { cookie: session.cookie } : {} })).statusCode
  }
  let body = route.body?.()
  if (key === 'POST /api/auth/login') {
    // Logged-in audiences log in again over their session (a re-login); the public, without one.
    if (session) return (await session.fetch(path, { method: 'POST', body: { username: account!.username, password: account!.password } })).status
    const who = await addUser(server, { role: 'staff' })
    return (await (await anonymousClient(server.baseUrl)).login(who.username, who.password)).status
  }
  if (key === 'POST /api/auth/password') body = { currentPassword: account?.password ?? 'x', newPassword: `nouveau-${unique()}-mật-khẩu` }
  if (session) return (await session.fetch(path, { method: method!, body })).status
  // Anonymous, yet with a valid CSRF token: what is tested is the authorization, not the CSRF check.
  const client = await anonymousClient(server.baseUrl)
  const headers: Record<string, string> = { cookie: `_csrf=${client.jar._csrf}`, 'x-csrf-token': client.csrfToken }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return (await fetch(`${server.baseUrl}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) })).status
}

beforeAll(async () => {
  // A tiny dashboard build, so the static routes are known here whatever web/dist holds.
  webDir = mkdtempSync(join(tmpdir(), 'ioc-web-'))
  mkdirSync(join(webDir, 'assets'))
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>IOC</title><script type="module" src="/assets/app.js"></script>')
  writeFileSync(join(webDir, 'assets', 'app.js'), 'export {}')
  writeFileSync(join(webDir, 'public.html'), '<!doctype html><title>%OG_TITLE%</title><meta property="og:url" content="%OG_URL%"><meta name="description" content="%OG_DESCRIPTION%">')
  server = await startServer({ webDir })
  // A snapshot of the public camera and of a street camera, for the picture routes.
  for (const cameraId of ['cam-cau-tam-ky', 'cam-bach-dang']) await server.app.snapshots.repository.insert({ cameraId, tsMs: SNAPSHOT_TS, width: 640, height: 360, jpeg: SNAPSHOT_JPEG }, SNAPSHOT_TS)
  sessions.set('public', null)
  sessions.set('admin', await login(server.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password))
  for (const role of ['staff', 'area_staff', 'operator'] as const) sessions.set(role, await loginAs(server, role))
  targetUserId = (await addUser(server, { role: 'area_staff', areaId: OTHER_AREA })).id
})
afterAll(async () => {
  await server.close()
  rmSync(webDir, { recursive: true, force: true })
})

describe('authorization matrix: routes', () => {
  it('has an entry for every route the server serves, and no entry for a route it does not', () => {
    const served = server.app.accessTable.map((r) => `${r.method} ${r.url}`).sort()
    // A route may have several entries (e.g. own area and another): ` (…)` after the route names the case.
    expect(served).toEqual([...new Set(Object.keys(ROUTES).map((key) => key.replace(/ \(.*\)$/, '')))].sort())
  })

  it.each(Object.entries(ROUTES))('%s answers each audience as the matrix says', async (key, route) => {
    const answered: Partial<Expect> = {}
    for (const audience of AUDIENCES) answered[audience] = await request(audience, key, route)
    expect(answered).toEqual(route.expect)
  })

  it('lets an admin who must still choose a password use exactly the routes the public may', async () => {
    const account = await addUser(server, { role: 'admin', mustChangePassword: true })
    const newcomer = await login(server.baseUrl, account.username, account.password)
    const answered: Record<string, boolean> = {}
    const publicMay: Record<string, boolean> = {}
    for (const [key, route] of Object.entries(ROUTES)) {
      // Their own session (me, logout, password) is theirs; an address case is about the address.
      if (route.fresh || route.remoteAddress || key === 'GET /api/me') continue
      const path = typeof route.path === 'function' ? await route.path() : route.path
      answered[key] = (await newcomer.fetch(path, { method: key.split(' ')[0]!, body: route.body?.() })).ok
      publicMay[key] = route.expect.public < 400
    }
    expect(answered).toEqual(publicMay)
  })
})

describe('authorization matrix: socket events', () => {
  it('has an entry for every server event and every alarm type', () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(EVENT_PERMISSION).sort())
    expect(Object.keys(ALARMS).sort()).toEqual([...ALARM_TYPES].sort())
  })

  it('delivers each event to exactly the audiences the matrix names', async () => {
    const sockets: Array<{ audience: Audience; batch: boolean; socket: IocClientSocket; got: Set<keyof ServerToClientEvents>; alarms: Set<AlarmType> }> = []
    for (const audience of AUDIENCES) {
      for (const batch of [false, true]) {
        const cookie = sessions.get(audience)?.cookie
        const socket = await connectSocket(server.baseUrl, { batch }, cookie ? { cookie } : {})
        const got = new Set<keyof ServerToClientEvents>()
        const alarms = new Set<AlarmType>()
        for (const event of Object.keys(EVENTS) as (keyof ServerToClientEvents)[]) socket.on(event, () => got.add(event))
        socket.on('alarm:raised', (alarm: AlarmView) => alarms.add(alarm.type))
        sockets.push({ audience, batch, socket, got, alarms })
      }
    }
    // A camera report (degraded, tampered) and a reading (BĐ1, battery 5 %) raise four alarms of three
    // audiences; a spike on another station (40 cm, then 400) is held as suspect (`reading:suspect`).
    // Once the engine is idle, a last reading is published: each socket receives events in the order
    // they were sent, so when it has that reading it has every alarm and verdict it was going to get.
    const device = await connectDevice(server.mqttUrl)
    await device.publish(cameraStatusTopic('cam-cau-tam-ky'), { ts: new Date().toISOString(), state: 'degraded', fps: 4, tamper: true })
    await device.publish(cameraSnapshotTopic('cam-bach-dang'), SNAPSHOT_JPEG)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts: new Date(Date.now() - 1000).toISOString(), waterLevelCm: 180, batteryPct: 5 })
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: new Date(Date.now() - 3000).toISOString(), waterLevelCm: 40 })
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts: new Date(Date.now() - 2000).toISOString(), waterLevelCm: 400 })
    // A slow, steady rise toward BĐ1 (180 cm) on a third station over the last hour — 6 cm/h, far below
    // the rapid-rise limit — gives it a forecast (`forecast:changed`).
    for (let minutes = 60; minutes >= 0; minutes -= 5) {
      await device.publish(floodReadingTopic('ban-thach-an-phu'), { ts: new Date(Date.now() - minutes * 60_000 - 5_000).toISOString(), waterLevelCm: 176 - minutes / 10 })
    }
    await server.app.alarms.idle()
    await server.app.forecasts.idle()
    const ts = new Date().toISOString()
    const readingsSeen = sockets.map(({ socket, batch }) =>
      batch ? new Promise<void>((resolve) => socket.on('reading:batch', (rs) => rs.some((r) => r.ts === ts) && resolve())) : nextEvent(socket, 'reading:new', (r) => r.ts === ts),
    )
    // An indicator change goes out before the last reading too (a PUT answers after it is pushed).
    expect((await sessions.get('admin')!.fetch(`/api/indicators/${TEST_AREA}/households/2019-01`, { method: 'PUT', body: { value: 2500, expectedVersion: 0 } })).status).toBe(200)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 181, batteryPct: 5 })
    await device.close()
    await Promise.all(readingsSeen)

    const raised: AlarmType[] = ['flood_level', 'low_battery', 'camera_degraded', 'camera_tampered']
    for (const { audience, batch, socket, got, alarms } of sockets) {
      const expected = (Object.keys(EVENTS) as (keyof ServerToClientEvents)[]).filter((event) => {
        const who = EVENTS[event]
        if (who === 'by alarm type') return event === 'alarm:raised' && raised.some((type) => ALARMS[type].includes(audience))
        return who.includes(audience) && (event === 'reading:new' ? !batch : event === 'reading:batch' ? batch : true)
      })
      expect({ audience, batch, events: [...got].sort(), alarms: [...alarms].sort() }).toEqual({
        audience,
        batch,
        events: expected.sort(),
        alarms: raised.filter((type) => ALARMS[type].includes(audience)).sort(),
      })
      socket.close()
    }
  })
})

/** Whether each audience gets who acknowledged an alarm and their note: staff and up; the public neither. */
const NAMES_AND_NOTES: Record<Audience, boolean> = { public: false, staff: true, area_staff: true, operator: true, admin: true }

describe('authorization matrix: names and notes on alarms', () => {
  it('carries who acknowledged an alarm, and their note, to exactly the audiences the matrix names — over HTTP and the socket', async () => {
    // A flood alarm, which every audience sees; a note such as operators write, with a phone number in it.
    const note = `Đã gọi trưởng thôn, 0905 ${unique()}`
    const { alarm } = await server.app.alarms.repo.raise('flood_level', { kind: 'station', id: unique(), areaId: TEST_AREA }, 2, 230, Date.now())
    const operator = sessions.get('operator')!
    const by = operator.user.username

    const sockets: Array<{ audience: Audience; socket: IocClientSocket; updates: unknown[] }> = []
    for (const audience of AUDIENCES) {
      for (const batch of [false, true]) {
        const cookie = sessions.get(audience)?.cookie
        const socket = await connectSocket(server.baseUrl, { batch }, cookie ? { cookie } : {})
        const updates: unknown[] = []
        socket.on('alarm:updated', (update) => update.id === alarm.id && updates.push(update))
        sockets.push({ audience, socket, updates })
      }
    }
    expect((await operator.fetch(`/api/alarms/${alarm.id}/ack`, { method: 'POST', body: { note } })).status).toBe(200)
    // A reading sent after the acknowledgement: once a socket has it, it has every copy of the update it was sent.
    const ts = new Date().toISOString()
    const readingsSeen = sockets.map(({ socket }) =>
      Promise.race([nextEvent(socket, 'reading:new', (r) => r.ts === ts), new Promise<void>((resolve) => socket.on('reading:batch', (rs) => rs.some((r) => r.ts === ts) && resolve()))]),
    )
    const device = await connectDevice(server.mqttUrl)
    await device.publish(floodReadingTopic('cau-xuan-quy'), { ts, waterLevelCm: 40 })
    await device.close()
    await Promise.all(readingsSeen)

    /** Who and why, as the audience should get them; when, for everyone. */
    const acknowledged = (audience: Audience) => (NAMES_AND_NOTES[audience] ? { by, at: expect.any(String), note } : { at: expect.any(String) })
    const names = (payload: unknown) => {
      const text = JSON.stringify(payload)
      return text.includes(by) || text.includes(note)
    }
    for (const { audience, socket, updates } of sockets) {
      // Once each: nobody in two rooms gets it twice, nobody gets both views.
      expect({ audience, updates }).toEqual({ audience, updates: [expect.objectContaining({ state: 'acknowledged', acknowledged: acknowledged(audience) })] })
      expect({ audience, names: names(updates) }).toEqual({ audience, names: NAMES_AND_NOTES[audience] })
      socket.close()
    }

    for (const audience of AUDIENCES) {
      const get = async (path: string) => {
        const session = sessions.get(audience)
        const response = session ? await session.fetch(path) : await fetch(`${server.baseUrl}${path}`)
        expect(response.status).toBe(200)
        return response.json() as Promise<{ alarms?: Array<{ id: number }>; alarm?: unknown; transitions?: Array<Record<string, unknown>> }>
      }
      const listed = (await get('/api/alarms?state=acknowledged')).alarms!.filter((a) => a.id === alarm.id)
      expect({ audience, listed }).toEqual({ audience, listed: [expect.objectContaining({ acknowledged: acknowledged(audience) })] })
      const detail = await get(`/api/alarms/${alarm.id}`)
      expect({ audience, alarm: detail.alarm }).toEqual({ audience, alarm: expect.objectContaining({ acknowledged: acknowledged(audience) }) })
      const ack = detail.transitions!.find((t) => t.kind === 'acknowledged')
      expect({ audience, ack }).toEqual({ audience, ack: NAMES_AND_NOTES[audience] ? expect.objectContaining({ actor: by, note }) : { at: expect.any(String), kind: 'acknowledged', level: 2, value: 230 } })
      expect({ audience, names: names(listed) || names(detail) }).toEqual({ audience, names: NAMES_AND_NOTES[audience] })
    }
  })
})
