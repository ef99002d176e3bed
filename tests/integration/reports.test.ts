import { afterEach, describe, expect, it } from 'vitest'
import { floodReadingTopic, type AlarmView, type StormReport } from '@ioc/shared'
import { loginAs, type TestSession } from '../helpers/auth.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * The storm report (docs/reports.md) over what really happened: readings published over MQTT, alarms
 * raised by the alarm engine and acknowledged over HTTP, on both store engines.
 */

const MINUTE = 60_000
const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const ENGINES = [
  ['SQLite', async () => ({})],
  [
    'PostgreSQL',
    async () => {
      const db = await freshPostgresSchema()
      cleanup.push(() => db.drop())
      return { dbUrl: db.url }
    },
  ],
] as const

/** Publishes the Tam Kỳ river's levels five minutes apart (its usual interval), in reading time from `startMs`. */
async function river(s: TestServer, levels: readonly number[], startMs: number, firstIndex = 0): Promise<void> {
  const device = await connectDevice(s.mqttUrl)
  for (const [i, cm] of levels.entries()) await device.publish(floodReadingTopic('tam-ky-river'), { ts: new Date(startMs + (firstIndex + i) * 5 * MINUTE).toISOString(), waterLevelCm: cm })
  await device.close()
}

const report = async (session: TestSession, from: number, to: number) => {
  const response = await session.fetch(`/api/reports/storm?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`)
  expect(response.status).toBe(200)
  return (await response.json()) as StormReport
}

describe.each(ENGINES)('storm report on %s', (_engine, storeOptions) => {
  it('lists each station’s peak, time at each level, readings missing, and the alarms with who acknowledged them and the wait', async () => {
    const s = await startServer(await storeOptions())
    cleanup.push(() => s.close())
    const operator = await loginAs(s, 'operator')
    const staff = await loginAs(s, 'staff')
    const watcher: IocClientSocket = await connectSocket(s.baseUrl, {}, { cookie: staff.cookie })
    cleanup.push(() => watcher.close())
    const start = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE

    // Rising 25 cm a reading — as fast as the river can, so no reading is suspect — past BĐ1 (170 cm) at 10 min.
    const raised = nextEvent(watcher, 'alarm:raised', (a: AlarmView) => a.type === 'flood_level')
    await river(s, [120, 145, 170, 195], start)
    const alarm = await raised
    expect(alarm.raisedAt).toBe(new Date(start + 10 * MINUTE).toISOString())

    const ack = await operator.fetch(`/api/alarms/${alarm.id}/ack`, { method: 'POST', body: { note: 'Đã báo UBND phường An Mỹ' } })
    expect(ack.status).toBe(200)
    const acknowledged = (await ack.json()) as AlarmView

    // Then BĐ2 (220 cm) at 20 min: the alarm escalates (and asks for a new acknowledgement, not given here).
    const escalated = nextEvent(watcher, 'alarm:updated', (a: AlarmView) => a.id === alarm.id && a.level === 2)
    await river(s, [220, 225], start, 4)
    await escalated

    const body = await report(staff, start, start + 30 * MINUTE)
    expect(body.timeZone).toBe('Asia/Ho_Chi_Minh')
    expect(body.rawReadingsFrom).toBeNull()

    const riverRow = body.stations.find((st) => st.id === 'tam-ky-river')!
    expect(riverRow.peak).toEqual({ cm: 225, at: new Date(start + 25 * MINUTE).toISOString(), level: 2, approximate: false })
    // 0–10 below, 10–20 at BĐ1, 20–30 at BĐ2 (the last reading holds until the window ends, inside the 25-minute silence threshold).
    expect(riverRow.timeAtLevelS).toEqual({ below: 600, bd1: 600, bd2: 600, bd3: 0, noData: 0 })
    expect(riverRow.readings).toEqual({ expected: 6, received: 6, missing: 0, longestGapS: 300, longestGapFrom: new Date(start).toISOString() })

    const silent = body.stations.find((st) => st.id === 'cau-xuan-quy')!
    expect(silent.peak).toBeNull()
    expect(silent.timeAtLevelS.noData).toBe(1800)
    expect(silent.readings).toMatchObject({ expected: 6, received: 0, missing: 6, longestGapS: 1800 })

    const flood = body.alarms.find((a) => a.id === alarm.id)!
    expect(flood).toMatchObject({ type: 'flood_level', source: { kind: 'station', id: 'tam-ky-river' }, maxLevel: 2, raisedAt: alarm.raisedAt, clearedAt: null })
    const waitS = Math.round((Date.parse(acknowledged.acknowledged!.at) - Date.parse(alarm.raisedAt)) / 1000)
    expect(flood.acknowledgements).toEqual([{ by: operator.account.username, at: acknowledged.acknowledged!.at, note: 'Đã báo UBND phường An Mỹ', waitS }])
    expect(body.summary).toMatchObject({ stationsReached: { bd1: 1, bd2: 1, bd3: 0 }, acknowledged: 1, medianAckWaitS: waitS })
    expect(body.areas.find((a) => a.stationIds.includes('tam-ky-river'))).toMatchObject({ maxLevel: 2 })
    // An area whose stations sent nothing is not "below BĐ1": its level is unknown.
    expect(body.areas.find((a) => a.stationIds.includes('cau-xuan-quy'))).toMatchObject({ maxLevel: null })

    // The same as CSV, for Excel: BOM, the stations table, then the alarm with who acknowledged it and the wait in minutes.
    const csv = await staff.fetch(`/api/reports/storm.csv?from=${new Date(start).toISOString()}&to=${new Date(start + 30 * MINUTE).toISOString()}`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="bao-cao-sau-bao_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.csv"$/)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n')
    expect(lines[0]).toMatch(/^Báo cáo sau bão — /)
    expect(lines).toContain('Mã trạm,Tên trạm,Mã phường/xã,BĐ1 (cm),BĐ2 (cm),BĐ3 (cm),Đỉnh (cm),Thời điểm đỉnh,Cấp ở đỉnh,Dưới BĐ1 (phút),Ở BĐ1 (phút),Ở BĐ2 (phút),Ở BĐ3 (phút),Không có số liệu (phút),Bản tin dự kiến,Bản tin nhận được,Bản tin thiếu,Khoảng trống dài nhất (phút),Khoảng trống bắt đầu')
    expect(lines.find((l) => l.startsWith('tam-ky-river,'))).toMatch(/,225,\d{4}-\d\d-\d\d \d\d:\d\d:00,BĐ2,10,10,10,0,0,6,6,0,5,/)
    const alarmLine = lines.find((l) => l.startsWith(`${alarm.id},`))!
    expect(alarmLine).toContain(`,${operator.account.username},`)
    expect(alarmLine).toContain(',Đã báo UBND phường An Mỹ,')
    expect(alarmLine).toContain(`,${Math.round(waitS / 6) / 10},`)
  })

  it('reads hourly rollups where raw readings are past retention, and says so', async () => {
    const s = await startServer({ ...(await storeOptions()), env: { IOC_RETENTION_DAYS: '1' } })
    cleanup.push(() => s.close())
    const staff = await loginAs(s, 'staff')
    // Three days ago, two hours of the river at one reading every 5 minutes, peaking at 231 cm.
    const from = Math.floor((Date.now() - 3 * 24 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE
    const levels = Array.from({ length: 24 }, (_, i) => (i === 17 ? 231 : 150 + i))
    await s.app.readings.insertMany(levels.map((cm, i) => ({ reading: { stationId: 'tam-ky-river', ts: new Date(from + i * 5 * MINUTE).toISOString(), waterLevelCm: cm }, tsMs: from + i * 5 * MINUTE })))
    await s.app.readingsMaintenance.rollUp()
    await s.app.readingsMaintenance.prune(Date.now() - 24 * 60 * MINUTE)
    expect(await s.app.readings.count('tam-ky-river', from, from + 120 * MINUTE)).toBe(0)

    const body = await report(staff, from, from + 120 * MINUTE)
    expect(body.rawReadingsFrom).toBe(new Date(from + 120 * MINUTE).toISOString())
    const river = body.stations.find((st) => st.id === 'tam-ky-river')!
    // The hour holding the peak, not its minute; and no time at any level, which an hour's figures cannot give.
    expect(river.peak).toEqual({ cm: 231, at: new Date(from + 60 * MINUTE).toISOString(), level: 2, approximate: true })
    expect(river.readings).toMatchObject({ expected: 24, received: 24, missing: 0 })
    expect(river.timeAtLevelS).toEqual({ below: 0, bd1: 0, bd2: 0, bd3: 0, noData: 7200 })
  })

  it('refuses a window it cannot cover with a clear 400, and the public with 401', async () => {
    const s = await startServer(await storeOptions())
    cleanup.push(() => s.close())
    const staff = await loginAs(s, 'area_staff')
    const ask = async (query: string) => {
      const response = await staff.fetch(`/api/reports/storm?${query}`)
      return { status: response.status, message: ((await response.json()) as { message: string }).message }
    }
    expect(await ask('from=2024-10-30T00:00:00Z&to=2024-10-30T00:00:00Z')).toEqual({ status: 400, message: '`from` must be before `to`' })
    expect(await ask('from=2024-10-01T00:00:00Z&to=2024-11-02T00:00:00Z')).toEqual({ status: 400, message: 'a storm report covers at most 31 days: ask for a shorter window' })
    expect((await ask('from=2024-10-30T00:00:00Z')).status).toBe(400)
    expect((await ask('from=yesterday&to=2024-10-30T00:00:00Z')).status).toBe(400)
    expect((await staff.fetch('/api/reports/storm.csv?from=2024-10-31T00:00:00Z&to=2024-10-30T00:00:00Z')).status).toBe(400)
    expect((await fetch(`${s.baseUrl}/api/reports/storm?from=2024-10-30T00:00:00Z&to=2024-10-31T00:00:00Z`)).status).toBe(401)
    expect((await ask('from=2024-10-30T00:00:00Z&to=2024-10-31T00:00:00Z')).status).toBe(200)
  })
})
