import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, type AuditPage, type StationView } from '@ioc/shared'
import { loginAs, loginAsAdmin, type TestSession } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/** Issue #6: admins set each station's BĐ1–BĐ3, hysteresis and hold time over HTTP; everyone sees the effect. */
describe('station alarm settings over HTTP', () => {
  let server: TestServer
  let admin: TestSession
  const station = async (id: string) => (await (await fetch(`${server.baseUrl}/api/stations/${id}`)).json()) as StationView
  const patch = (session: TestSession, id: string, body: unknown) => session.fetch(`/api/stations/${id}`, { method: 'PATCH', body })

  beforeAll(async () => {
    server = await startServer()
    admin = await loginAsAdmin(server)
    const tsMs = Date.now() - 60_000
    await server.app.readings.insert({ stationId: 'cau-xuan-quy', ts: new Date(tsMs).toISOString(), waterLevelCm: 215 }, tsMs)
  })
  afterAll(() => server.close())

  it("shows each station's effective settings: the pack's levels and the defaults at first", async () => {
    const view = await station('tam-ky-river')
    expect(view.levels).toEqual({ bd1: 170, bd2: 220, bd3: 270 })
    expect(view.alarmSettings).toEqual({ levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS })
  })

  it('lets an admin change the levels, and judges the latest reading by the new ones', async () => {
    expect(await station('cau-xuan-quy')).toMatchObject({ levels: { bd1: 150, bd2: 200, bd3: 250 }, floodLevel: 2 })

    const response = await patch(admin, 'cau-xuan-quy', { levels: { bd1: 180, bd2: 230, bd3: 280 }, hysteresisCm: 8, holdMinutes: 20 })
    expect(response.status).toBe(200)
    const answered = (await response.json()) as StationView
    expect(answered).toMatchObject({ id: 'cau-xuan-quy', levels: { bd1: 180, bd2: 230, bd3: 280 }, floodLevel: 1, latest: { waterLevelCm: 215 } })
    expect(answered.alarmSettings).toEqual({ ...DEFAULT_ALARM_SETTINGS, levels: { bd1: 180, bd2: 230, bd3: 280 }, hysteresisCm: 8, holdMinutes: 20 })

    // What the public map reads, station by station and in the list.
    expect(await station('cau-xuan-quy')).toEqual(answered)
    const list = (await (await fetch(`${server.baseUrl}/api/stations`)).json()) as StationView[]
    expect(list.find((s) => s.id === 'cau-xuan-quy')).toEqual(answered)
    expect(server.app.stationSettings.get('cau-xuan-quy')).toEqual(answered.alarmSettings)

    const audit = (await (await admin.fetch('/api/audit?action=station.updated')).json()) as AuditPage
    expect(audit.entries[0]).toMatchObject({
      actor: 'admin',
      target: 'station:cau-xuan-quy',
      detail: { from: { levels: { bd1: 150, bd2: 200, bd3: 250 } }, to: { levels: { bd1: 180, bd2: 230, bd3: 280 } } },
    })
  })

  it('refuses bad settings with a message saying why', async () => {
    const disorder = await patch(admin, 'tam-ky-river', { levels: { bd1: 220, bd2: 220, bd3: 270 } })
    expect(disorder.status).toBe(400)
    expect(((await disorder.json()) as { message: string }).message).toMatch(/BĐ1 < BĐ2 < BĐ3/)
    for (const body of [{}, { hysteresisCm: -5 }, { holdMinutes: 'long' }, { levels: { bd1: 170, bd2: 220 } }, { colour: 'red' }]) {
      expect((await patch(admin, 'tam-ky-river', body)).status, JSON.stringify(body)).toBe(400)
    }
    expect((await patch(admin, 'no-such-station', { hysteresisCm: 12 })).status).toBe(404)
    expect((await station('tam-ky-river')).alarmSettings).toEqual({ levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS })
  })

  it('is for admins only: staff and operators are refused, and nothing changes', async () => {
    for (const role of ['staff', 'operator'] as const) {
      const session = await loginAs(server, role)
      expect((await patch(session, 'tam-ky-river', { hysteresisCm: 50 })).status).toBe(403)
    }
    const anonymous = await fetch(`${server.baseUrl}/api/stations/tam-ky-river`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"hysteresisCm":50}' })
    expect(anonymous.status).toBe(401)
    expect((await station('tam-ky-river')).alarmSettings.hysteresisCm).toBe(DEFAULT_ALARM_SETTINGS.hysteresisCm)
  })
})
