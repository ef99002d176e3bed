import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CityIndicatorSeries, IndicatorConflict, IndicatorHistory, IndicatorValue, IndicatorValueList } from '@ioc/shared'
import { loginAs, loginAsAdmin, OTHER_AREA, TEST_AREA, type TestSession } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

let server: TestServer
let areaStaff: TestSession & { account: { username: string } }
let staff: TestSession
beforeAll(async () => {
  server = await startServer()
  areaStaff = await loginAs(server, 'area_staff', { areaId: TEST_AREA })
  staff = await loginAs(server, 'staff')
})
afterAll(() => server.close())

const put = (session: TestSession, area: string, key: string, period: string, body: object) => session.fetch(`/api/indicators/${area}/${key}/${period}`, { method: 'PUT', body })
const json = async <T>(response: Response) => (await response.json()) as T

describe('indicator values', () => {
  it("starts from the pack's demo data, marked as demo, 12 months for every area", async () => {
    const { values } = await json<IndicatorValueList>(await staff.fetch('/api/indicators?key=digital-signing'))
    expect(new Set(values.map((v) => v.areaId)).size).toBe(13)
    expect(new Set(values.map((v) => v.period)).size).toBe(12)
    expect(values.every((v) => v.demo && v.updatedBy === 'demo' && v.version === 1)).toBe(true)
  })

  it('lets area staff correct their own area, keeping the previous value in the history with who, when and the note', async () => {
    const [before] = (await json<IndicatorValueList>(await staff.fetch(`/api/indicators?area=${TEST_AREA}&key=digital-signing&period=2026-10`))).values
    const response = await put(areaStaff, TEST_AREA, 'digital-signing', '2026-10', { value: 81.5, note: 'Số liệu Q-Office tháng 10', expectedVersion: before!.version })
    expect(response.status).toBe(200)
    expect(await json<IndicatorValue>(response)).toMatchObject({ value: 81.5, version: before!.version + 1, updatedBy: areaStaff.account.username, demo: false })
    const { history } = await json<IndicatorHistory>(await staff.fetch(`/api/indicators/${TEST_AREA}/digital-signing/2026-10/history`))
    expect(history.map((h) => [h.value, h.previous, h.by, h.note])).toEqual([
      [81.5, before!.value, areaStaff.account.username, 'Số liệu Q-Office tháng 10'],
      [before!.value, null, 'demo', null],
    ])
  })

  it("refuses area staff another area's values (403) and staff any write (403)", async () => {
    expect((await put(areaStaff, OTHER_AREA, 'digital-signing', '2026-10', { value: 50, expectedVersion: 1 })).status).toBe(403)
    expect((await put(staff, TEST_AREA, 'digital-signing', '2026-10', { value: 50, expectedVersion: 1 })).status).toBe(403)
  })

  it('refuses a value outside the definition with its reason and range', async () => {
    const above = await put(areaStaff, TEST_AREA, 'vneid-activation', '2026-10', { value: 104, expectedVersion: 1 })
    expect(above.status).toBe(400)
    expect(await json(above)).toMatchObject({ reason: 'above_max', min: 0, max: 100 })
    expect(await json(await put(areaStaff, TEST_AREA, 'households', '2026-10', { value: 2500.5, expectedVersion: 1 }))).toMatchObject({ reason: 'not_integer' })
    expect(await json(await put(areaStaff, TEST_AREA, 'households', '2026-Q3', { value: 2500, expectedVersion: 1 }))).toMatchObject({ reason: 'bad_period' })
    expect(await json(await put(areaStaff, TEST_AREA, 'households', '2099-01', { value: 2500, expectedVersion: 0 }))).toMatchObject({ reason: 'future_period' })
    expect((await put(areaStaff, TEST_AREA, 'no-such-indicator', '2026-10', { value: 1, expectedVersion: 0 })).status).toBe(404)
  })

  it('refuses a period before 2000 with a clear reason, and takes one from 2000-01 and 2000-Q1', async () => {
    for (const period of ['0001-01', '1999-12']) {
      const early = await put(areaStaff, TEST_AREA, 'households', period, { value: 2500, expectedVersion: 0 })
      expect(early.status).toBe(400)
      expect(await json(early)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        reason: 'early_period',
        message: 'the period is before 2000-01, the first one values are entered for (a year before 2000 is most likely a typing slip)',
        min: expect.any(Number),
        max: expect.any(Number),
      })
    }
    const quarterly = await put(areaStaff, TEST_AREA, 'online-school-enrolment', '1999-Q4', { value: 50, expectedVersion: 0 })
    expect(await json(quarterly)).toMatchObject({ reason: 'early_period', message: expect.stringContaining('before 2000-Q1') })
    const { values } = await json<IndicatorValueList>(await staff.fetch(`/api/indicators?area=${TEST_AREA}&key=households&from=0001-01&to=1999-12`))
    expect(values).toEqual([])

    expect((await put(areaStaff, TEST_AREA, 'households', '2000-01', { value: 2500, expectedVersion: 0 })).status).toBe(200)
    expect((await put(areaStaff, TEST_AREA, 'online-school-enrolment', '2000-Q1', { value: 50, expectedVersion: 0 })).status).toBe(200)
  })

  it('answers two concurrent edits of the same version with one success and one conflict carrying the winner — no lost update', async () => {
    const admin = await loginAsAdmin(server)
    const [current] = (await json<IndicatorValueList>(await staff.fetch(`/api/indicators?area=${TEST_AREA}&key=online-public-services&period=2026-09`))).values
    const [a, b] = await Promise.all([
      put(areaStaff, TEST_AREA, 'online-public-services', '2026-09', { value: 30.1, expectedVersion: current!.version }),
      put(admin, TEST_AREA, 'online-public-services', '2026-09', { value: 31.2, expectedVersion: current!.version }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const conflict = await json<IndicatorConflict>(a.status === 409 ? a : b)
    const winner = await json<IndicatorValue>(a.status === 200 ? a : b)
    expect(conflict.current).toEqual(winner)
    const { history } = await json<IndicatorHistory>(await staff.fetch(`/api/indicators/${TEST_AREA}/online-public-services/2026-09/history`))
    expect(history).toHaveLength(2)
  })

  it('pushes indicator:updated to logged-in sockets and not to the public', async () => {
    const watcher = await connectSocket(server.baseUrl, {}, { cookie: staff.cookie })
    const citizen = await connectSocket(server.baseUrl)
    let citizenGot = false
    citizen.on('indicator:updated', () => (citizenGot = true))
    const updated = nextEvent(watcher, 'indicator:updated', (v) => v.key === 'population' && v.period === '2026-10')
    const [current] = (await json<IndicatorValueList>(await staff.fetch(`/api/indicators?area=${TEST_AREA}&key=population&period=2026-10`))).values
    await put(areaStaff, TEST_AREA, 'population', '2026-10', { value: current!.value + 12, expectedVersion: current!.version })
    expect(await updated).toMatchObject({ areaId: TEST_AREA, value: current!.value + 12 })
    watcher.close()
    citizen.close()
    expect(citizenGot).toBe(false)
  })
})

describe('city figures', () => {
  it('sums counts over the areas and weights rates by population', async () => {
    const households = await json<CityIndicatorSeries>(await staff.fetch('/api/indicators/city?key=households&from=2026-01&to=2026-01'))
    const { values } = await json<IndicatorValueList>(await staff.fetch('/api/indicators?key=households&period=2026-01'))
    expect(households.points).toEqual([{ period: '2026-01', value: values.reduce((sum, v) => sum + v.value, 0), areasReporting: 13 }])

    const rate = await json<CityIndicatorSeries>(await staff.fetch('/api/indicators/city?key=vneid-activation&from=2026-02&to=2026-02'))
    const rates = (await json<IndicatorValueList>(await staff.fetch('/api/indicators?key=vneid-activation&period=2026-02'))).values
    const people = new Map((await json<IndicatorValueList>(await staff.fetch('/api/indicators?key=population&period=2026-02'))).values.map((v) => [v.areaId, v.value]))
    const weighted = rates.reduce((sum, v) => sum + v.value * people.get(v.areaId)!, 0) / rates.reduce((sum, v) => sum + people.get(v.areaId)!, 0)
    expect(rate.points[0]!.value).toBeCloseTo(weighted, 9)
  })
})
