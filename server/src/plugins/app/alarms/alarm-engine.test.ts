import type { FastifyBaseLogger } from 'fastify'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, type AlarmEventName, type AlarmType, type AlarmView, type CameraStatus, type FloodReading, type StationAlarmSettings } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { DomainError } from '../../../domain-errors.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createAlarmEngine, type AlarmEngine } from './alarm-engine.ts'
import { createAlarmsRepository, type AlarmsRepository } from './alarms.repository.ts'
import type { RisePoint } from './alarm-conditions.ts'

const MINUTE = 60_000
const T0 = Date.parse('2025-10-30T00:00:00Z')
const at = (minutes: number) => T0 + minutes * MINUTE
const iso = (minutes: number) => new Date(at(minutes)).toISOString()

const pack = loadCityPack('tam-ky')
const stations = new Map(pack.stations.map((s) => [s.id, s]))
const cameras = new Map(pack.cameras.map((c) => [c.id, c]))
/** Tam Kỳ river at Tam Kỳ: BĐ1/2/3 = 170/220/270 cm, a reading every 5 min, so silent after 25 min. */
const RIVER = 'tam-ky-river'
const CAMERA = 'cam-cau-tam-ky'

/** The defaults with the pack's levels, as the stations service gives them when no admin changed anything. */
const settingsOf = (stationId: string): StationAlarmSettings => ({ ...DEFAULT_ALARM_SETTINGS, levels: stations.get(stationId)!.levels })

const noop = () => undefined
const silentLog = { level: 'silent', fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop, child: () => silentLog } as unknown as FastifyBaseLogger

const reading = (minute: number, waterLevelCm: number, extra: Partial<FloodReading> = {}): FloodReading => ({ stationId: RIVER, ts: iso(minute), waterLevelCm, ...extra })
const camera = (minute: number, state: CameraStatus['state'], extra: Partial<CameraStatus> = {}): CameraStatus => ({ cameraId: CAMERA, ts: iso(minute), state, ...extra })

interface Published {
  event: AlarmEventName
  alarm: AlarmView
}

describe('alarm engine', () => {
  let database: DatabaseHandle
  let repo: AlarmsRepository
  let engines: AlarmEngine[]
  /** The engine's clock where fake timers are not in use: acknowledgement times and the silence timers' base. */
  let clock: number

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    repo = createAlarmsRepository(database.db)
    engines = []
    clock = T0
  })
  afterEach(async () => {
    for (const engine of engines) await engine.stop()
    await database.close()
    vi.useRealTimers()
  })

  /** An engine over the test's store; its published events (its output) collect in `events`. */
  function engineOn(options: { now?: () => number; stored?: ReadonlyMap<string, RisePoint[]> } = {}) {
    const events: Published[] = []
    const engine = createAlarmEngine({
      repo,
      stations,
      cameras,
      settingsOf,
      readingsBetween: async (stationId, fromMs, toMs) => (options.stored?.get(stationId) ?? []).filter((p) => p.ts >= fromMs && p.ts <= toMs),
      publish: (event, alarm) => events.push({ event, alarm }),
      log: silentLog,
      now: options.now ?? (() => clock),
    })
    engines.push(engine)
    return { engine, events }
  }

  async function started(options: Parameters<typeof engineOn>[0] = {}) {
    const made = engineOn(options)
    await made.engine.start(new Map())
    return made
  }

  /** Hands every reading to the engine at once, as the ingest does, then waits until all are evaluated. */
  async function feed(engine: AlarmEngine, readings: readonly FloodReading[]): Promise<void> {
    for (const r of readings) void engine.onReading(r)
    await engine.idle()
  }

  const ofType = (events: readonly Published[], type: AlarmType) => events.filter((e) => e.alarm.type === type)
  const summary = (events: readonly Published[]) => events.map((e) => [e.event, e.alarm.level, e.alarm.value, e.alarm.updatedAt])

  describe('flood levels', () => {
    /** 100 → 280 → 100 cm at 2 cm a minute, a reading every minute. */
    const storm = () =>
      Array.from({ length: 181 }, (_, minute) => reading(minute, minute <= 90 ? 100 + 2 * minute : 280 - 2 * (minute - 90)))

    it('raises BĐ1, escalates to BĐ2 and BĐ3, then steps down after each hold and clears, as one alarm', async () => {
      const { engine, events } = await started()
      await feed(engine, storm())
      const flood = ofType(events, 'flood_level')
      expect(summary(flood)).toEqual([
        ['alarm:raised', 1, 170, iso(35)],
        ['alarm:updated', 2, 220, iso(60)],
        ['alarm:updated', 3, 270, iso(85)],
        // Below 260 cm from minute 101 (258 cm); 15 min later 228 cm stands in BĐ2's band.
        ['alarm:updated', 2, 228, iso(116)],
        // Below 210 cm from minute 126; 15 min later 178 cm.
        ['alarm:updated', 1, 178, iso(141)],
        // Below 160 cm from minute 151; 15 min later.
        ['alarm:cleared', 1, 128, iso(166)],
      ])
      expect(new Set(flood.map((e) => e.alarm.id)).size).toBe(1)
    })

    it('stores each change of the storm’s alarm as a transition, in order', async () => {
      const { engine, events } = await started()
      await feed(engine, storm())
      const id = ofType(events, 'flood_level')[0]!.alarm.id
      expect((await repo.transitions(id)).map((t) => [t.kind, t.level, t.at, t.actor])).toEqual([
        ['raised', 1, iso(35), null],
        ['escalated', 2, iso(60), null],
        ['escalated', 3, iso(85), null],
        ['deescalated', 2, iso(116), null],
        ['deescalated', 1, iso(141), null],
        ['cleared', 1, iso(166), null],
      ])
      expect(await repo.byId(id)).toMatchObject({ state: 'cleared', cleared_at: at(166) })
    })

    it('raises a new alarm when the condition returns after the last one cleared', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 180), reading(1, 150), reading(16, 150), reading(20, 175)])
      const flood = ofType(events, 'flood_level')
      expect(flood.map((e) => e.event)).toEqual(['alarm:raised', 'alarm:cleared', 'alarm:raised'])
      expect(flood[2]!.alarm.id).not.toBe(flood[0]!.alarm.id)
      expect((await repo.open()).filter((row) => row.type === 'flood_level').map((row) => row.id)).toEqual([flood[2]!.alarm.id])
    })

    it('ignores readings older than the newest one seen', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(10, 230)])
      const before = events.length
      await feed(engine, [reading(5, 280), reading(9, 100), reading(10, 100)])
      expect(events.length).toBe(before)
      expect(await repo.open()).toEqual([expect.objectContaining({ type: 'flood_level', level: 2, value: 230 })])
    })
  })

  describe('acknowledgement', () => {
    it('publishes the acknowledgement with who, when and why', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 180)])
      const id = events[0]!.alarm.id
      clock = at(2)
      await engine.acknowledge(id, 'ops1', 'đã báo UBND phường')
      expect(events.at(-1)).toEqual({
        event: 'alarm:updated',
        alarm: expect.objectContaining({ id, state: 'acknowledged', acknowledged: { by: 'ops1', at: iso(2), note: 'đã báo UBND phường' } }),
      })
    })

    it('makes an acknowledged alarm active and unacknowledged again when it escalates', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 180)])
      const id = events[0]!.alarm.id
      await engine.acknowledge(id, 'ops1', '')
      await feed(engine, [reading(1, 225)])
      expect(events.at(-1)).toEqual({ event: 'alarm:updated', alarm: expect.objectContaining({ id, level: 2, state: 'active', acknowledged: null }) })
      expect((await repo.transitions(id)).map((t) => t.kind)).toEqual(['raised', 'acknowledged', 'escalated'])
    })

    it('keeps an acknowledged alarm acknowledged when it de-escalates', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 225)])
      const id = events[0]!.alarm.id
      await engine.acknowledge(id, 'ops1', 'theo dõi')
      await feed(engine, [reading(1, 200), reading(16, 200)])
      expect(events.at(-1)).toEqual({
        event: 'alarm:updated',
        alarm: expect.objectContaining({ id, level: 1, state: 'acknowledged', acknowledged: expect.objectContaining({ by: 'ops1', note: 'theo dõi' }) }),
      })
    })

    it('refuses a second acknowledgement with 409, naming who acknowledged', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 180)])
      const id = events[0]!.alarm.id
      await engine.acknowledge(id, 'ops1', '')
      const second = engine.acknowledge(id, 'ops2', '')
      await expect(second).rejects.toBeInstanceOf(DomainError)
      await expect(second).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/already acknowledged by ops1/) })
    })

    it('refuses to acknowledge a cleared alarm with 409', async () => {
      const { engine, events } = await started()
      await feed(engine, [reading(0, 180), reading(1, 150), reading(16, 150)])
      const id = events[0]!.alarm.id
      await expect(engine.acknowledge(id, 'ops1', '')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/already cleared/) })
    })

    it('answers 404 for an unknown alarm', async () => {
      const { engine } = await started()
      await expect(engine.acknowledge(999, 'ops1', '')).rejects.toMatchObject({ kind: 'not_found' })
    })
  })

  describe('rapid rise', () => {
    /** A reading every 5 min: 0.8 cm a minute (48 cm/h) for an hour, then level at 148 cm for another hour. */
    const riseThenLevel = () => Array.from({ length: 25 }, (_, i) => reading(5 * i, 100 + 0.8 * Math.min(5 * i, 60)))

    it('is raised once the rise over a quarter of the window reaches 30 cm/h', async () => {
      const { engine, events } = await started()
      await feed(engine, riseThenLevel())
      expect(summary(ofType(events, 'rapid_rise'))[0]).toEqual(['alarm:raised', null, 48, iso(15)])
    })

    it('clears once the window has slid past the rise and the rate is below half the limit', async () => {
      const { engine, events } = await started()
      await feed(engine, riseThenLevel())
      // Level from minute 60: the slope over the last hour falls as level readings fill the window —
      // 18.5 cm/h at minute 95 (still above half the limit), 13.2 at minute 100.
      expect(summary(ofType(events, 'rapid_rise'))).toEqual([
        ['alarm:raised', null, 48, iso(15)],
        ['alarm:cleared', null, 13.2, iso(100)],
      ])
    })

    it('raises nothing for a steady rise below the limit', async () => {
      const { engine, events } = await started()
      await feed(engine, Array.from({ length: 25 }, (_, i) => reading(5 * i, 100 + 0.4 * 5 * i)))
      expect(ofType(events, 'rapid_rise')).toEqual([])
    })

    it('counts stored readings from before a restart in its window', async () => {
      const stored = new Map([[RIVER, [0, 5, 10].map((minute) => ({ ts: at(minute), cm: 100 + minute }))]])
      const { engine, events } = await started({ stored })
      await feed(engine, [reading(15, 115)])
      expect(summary(ofType(events, 'rapid_rise'))).toEqual([['alarm:raised', null, 60, iso(15)]])
    })
  })

  describe('low battery', () => {
    it('is raised below 20 % and stays until the battery reaches 25 %', async () => {
      const { engine, events } = await started()
      await feed(
        engine,
        [30, 20, 19, 22, 24.9, 25].map((batteryPct, minute) => reading(minute, 100, { batteryPct })),
      )
      expect(summary(ofType(events, 'low_battery'))).toEqual([
        ['alarm:raised', null, 19, iso(2)],
        ['alarm:cleared', null, 25, iso(5)],
      ])
    })
  })

  describe('cameras', () => {
    it('raises camera_offline at the first offline report', async () => {
      const { engine, events } = await started()
      await engine.onCameraStatus(camera(0, 'offline'))
      await engine.idle()
      expect(events).toEqual([{ event: 'alarm:raised', alarm: expect.objectContaining({ type: 'camera_offline', source: { kind: 'camera', id: CAMERA }, state: 'active' }) }])
    })

    it('keeps camera_offline while the camera has been back online for less than 5 min, and clears it at 5 min', async () => {
      const { engine, events } = await started()
      for (const status of [camera(0, 'offline'), camera(1, 'online', { fps: 25 }), camera(3, 'online', { fps: 25 }), camera(5.99, 'online', { fps: 25 })]) {
        void engine.onCameraStatus(status)
      }
      await engine.idle()
      expect(events.map((e) => e.event)).toEqual(['alarm:raised'])
      await engine.onCameraStatus(camera(6, 'online', { fps: 25 }))
      await engine.idle()
      expect(summary(events)).toEqual([
        ['alarm:raised', null, null, iso(0)],
        ['alarm:cleared', null, 25, iso(6)],
      ])
    })

    it('keeps one camera_offline alarm while the camera flaps', async () => {
      const { engine, events } = await started()
      for (let minute = 0; minute < 30; minute++) void engine.onCameraStatus(camera(minute, minute % 3 === 0 ? 'offline' : 'online'))
      await engine.idle()
      expect(events.map((e) => [e.event, e.alarm.type])).toEqual([['alarm:raised', 'camera_offline']])
    })

    it('raises tampering as an alarm of its own', async () => {
      const { engine, events } = await started()
      void engine.onCameraStatus(camera(0, 'offline'))
      void engine.onCameraStatus(camera(1, 'online', { tamper: true }))
      await engine.idle()
      expect(events.map((e) => [e.event, e.alarm.type])).toEqual([
        ['alarm:raised', 'camera_offline'],
        ['alarm:raised', 'camera_tampered'],
      ])
      expect(events[1]!.alarm.id).not.toBe(events[0]!.alarm.id)
      expect((await repo.open()).map((row) => row.type).sort()).toEqual(['camera_offline', 'camera_tampered'])
    })
  })

  describe('silent stations (fake timers)', () => {
    const SILENT_AFTER = DEFAULT_ALARM_SETTINGS.silentAfterIntervals * stations.get(RIVER)!.expectedIntervalS * 1000

    async function startedWithFakeTimers() {
      vi.useFakeTimers({ now: T0 })
      const made = engineOn({ now: () => Date.now() })
      await made.engine.start(new Map())
      return { ...made, silent: () => ofType(made.events, 'station_silent').filter((e) => e.alarm.source.id === RIVER) }
    }
    async function advance(engine: AlarmEngine, ms: number) {
      await vi.advanceTimersByTimeAsync(ms)
      await engine.idle()
    }

    it('raises nothing before k × the expected interval has passed without a reading', async () => {
      const { engine, silent } = await startedWithFakeTimers()
      await advance(engine, SILENT_AFTER - 1)
      expect(silent()).toEqual([])
    })

    it('raises station_silent once k × the expected interval has passed, its value in minutes', async () => {
      const { engine, silent } = await startedWithFakeTimers()
      await advance(engine, SILENT_AFTER)
      expect(summary(silent())).toEqual([['alarm:raised', null, 25, new Date(T0 + SILENT_AFTER).toISOString()]])
    })

    it('clears station_silent at the next reading', async () => {
      const { engine, silent } = await startedWithFakeTimers()
      await advance(engine, SILENT_AFTER + 5 * MINUTE)
      await feed(engine, [reading(30, 120)])
      expect(silent().map((e) => e.event)).toEqual(['alarm:raised', 'alarm:cleared'])
    })

    it('re-arms the timer at each reading and raises a new alarm when the station falls silent again', async () => {
      const { engine, silent } = await startedWithFakeTimers()
      await advance(engine, SILENT_AFTER + 5 * MINUTE)
      await feed(engine, [reading(30, 120)])
      await advance(engine, SILENT_AFTER - 1)
      expect(silent()).toHaveLength(2)
      await advance(engine, 1)
      const [first, , again] = silent()
      expect(again).toMatchObject({ event: 'alarm:raised', alarm: { value: 25, state: 'active' } })
      expect(again!.alarm.id).not.toBe(first!.alarm.id)
    })

    it('does not go silent while readings keep coming within the interval', async () => {
      const { engine, silent } = await startedWithFakeTimers()
      for (let minute = 5; minute <= 120; minute += 5) {
        await advance(engine, 5 * MINUTE)
        await feed(engine, [reading(minute, 120)])
      }
      expect(silent()).toEqual([])
    })
  })

  describe('restart', () => {
    it('raises nothing again for an alarm already stored, and keeps that alarm open', async () => {
      const a = await started()
      await feed(a.engine, [reading(0, 230)])
      const raised = a.events[0]!.alarm
      await a.engine.stop()

      const b = engineOn()
      await b.engine.start(new Map([[RIVER, { ts: iso(0), waterLevelCm: 230 }]]))
      await b.engine.idle()
      expect(b.events).toEqual([])
      expect((await repo.open()).map((row) => [row.id, row.type, row.level])).toEqual([[raised.id, 'flood_level', 2]])
    })

    it('escalates the alarm stored before the restart rather than raising another', async () => {
      const a = await started()
      await feed(a.engine, [reading(0, 230)])
      const raised = a.events[0]!.alarm
      await a.engine.stop()

      const b = engineOn()
      await b.engine.start(new Map([[RIVER, { ts: iso(0), waterLevelCm: 230 }]]))
      await feed(b.engine, [reading(5, 275)])
      expect(b.events).toEqual([{ event: 'alarm:updated', alarm: expect.objectContaining({ id: raised.id, type: 'flood_level', level: 3 }) }])
    })

    it('raises once at start an alarm whose condition was read but never stored (a crash)', async () => {
      const { engine, events } = engineOn()
      await engine.start(new Map([[RIVER, { ts: iso(0), waterLevelCm: 230 }]]))
      await engine.idle()
      expect(summary(events)).toEqual([['alarm:raised', 2, 230, iso(0)]])
      expect(await repo.open()).toHaveLength(1)
    })
  })
})
