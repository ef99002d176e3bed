import type { FastifyBaseLogger } from 'fastify'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, floodLevelOf, packMaxChangeCmPerMinute, type AlarmEventName, type AlarmType, type AlarmView, type CameraStatus, type FloodReading, type StationAlarmSettings } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { DomainError } from '../../../domain-errors.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createAlarmEngine, type AlarmEngine, type StoredPoint } from './alarm-engine.ts'
import { createAlarmsRepository, type AlarmsRepository } from './alarms.repository.ts'

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

/** The defaults with the pack's levels and limit, as the stations service gives them when no admin changed anything. */
const settingsOf = (stationId: string): StationAlarmSettings => {
  const station = stations.get(stationId)!
  return { ...DEFAULT_ALARM_SETTINGS, levels: station.levels, maxChangeCmPerMinute: packMaxChangeCmPerMinute(station) }
}

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

  /**
   * An engine over the test's store; its published events (its output) collect in `events`, its
   * verdicts on readings — [station, reading time, suspect] — in `verdicts`.
   */
  function engineOn(options: { now?: () => number; stored?: ReadonlyMap<string, StoredPoint[]>; settings?: Partial<StationAlarmSettings> } = {}) {
    const events: Published[] = []
    const verdicts: Array<[string, string, boolean]> = []
    const engine = createAlarmEngine({
      repo,
      stations,
      cameras,
      settingsOf: (stationId) => ({ ...settingsOf(stationId), ...options.settings }),
      readingsBetween: async (stationId, fromMs, toMs) => (options.stored?.get(stationId) ?? []).filter((p) => p.ts >= fromMs && p.ts <= toMs),
      judged: async (stationId, tsMs, suspect) => void verdicts.push([stationId, new Date(tsMs).toISOString(), suspect]),
      publish: (event, alarm) => events.push({ event, alarm }),
      log: silentLog,
      now: options.now ?? (() => clock),
    })
    engines.push(engine)
    return { engine, events, verdicts }
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
      // 159 cm, not 150: a fall of 30 cm in a minute is more than the river moves (25 cm a reading).
      await feed(engine, [reading(0, 180), reading(1, 159), reading(16, 159), reading(20, 175)])
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
      // Up in two readings: 45 cm in one is more than the river moves (it would wait for confirmation).
      await feed(engine, [reading(1, 200), reading(2, 225)])
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
      await feed(engine, [reading(0, 180), reading(1, 159), reading(16, 159)])
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

    async function startedWithFakeTimers(settings: Partial<StationAlarmSettings> = {}) {
      vi.useFakeTimers({ now: T0 })
      const made = engineOn({ now: () => Date.now(), settings })
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

    /** Started with no reading; `minutes` later an administrator sets the silence to `intervals` expected intervals. */
    async function silenceChangedAfter(minutes: number, intervals: number) {
      const settings: Partial<StationAlarmSettings> = {}
      const made = await startedWithFakeTimers(settings)
      await advance(made.engine, minutes * MINUTE)
      settings.silentAfterIntervals = intervals
      await made.engine.settingsChanged(RIVER)
      return made
    }

    it('falls silent at once when new settings make the station overdue already', async () => {
      const { engine, silent } = await silenceChangedAfter(12, 2)
      await advance(engine, 0)
      expect(summary(silent())).toEqual([['alarm:raised', null, 12, new Date(T0 + 12 * MINUTE).toISOString()]])
    })

    it('waits for the longer period when new settings lengthen it', async () => {
      const { engine, silent } = await silenceChangedAfter(10, 8)
      await advance(engine, 40 * MINUTE - 10 * MINUTE - 1)
      expect(silent()).toEqual([])
      await advance(engine, 1)
      expect(summary(silent())).toEqual([['alarm:raised', null, 40, new Date(T0 + 40 * MINUTE).toISOString()]])
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
      // Up in two readings, each within the 25 cm the river can move between two.
      await feed(b.engine, [reading(5, 250), reading(10, 275)])
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

  describe('suspect readings (plausibility before paging)', () => {
    /** The river moves at most 25 cm between two readings (5 cm a minute, over at least its 5-minute interval). */
    const verdict = (minute: number, suspect: boolean) => [RIVER, iso(minute), suspect]

    it('holds a lone spike as suspect and drops it when the next reading is back where the water was: no alarm at all', async () => {
      const { engine, events, verdicts } = await started()
      await feed(engine, [reading(0, 100), reading(5, 300), reading(10, 102)])
      expect(events).toEqual([])
      expect(verdicts).toEqual([verdict(5, true)])
    })

    it('takes a real jump when the next reading confirms it: raised at once, with the jump’s time and level', async () => {
      const { engine, events, verdicts } = await started()
      await feed(engine, [reading(0, 100), reading(5, 230)])
      expect(events).toEqual([])
      await feed(engine, [reading(10, 232)])
      expect(summary(ofType(events, 'flood_level'))).toEqual([['alarm:raised', 2, 230, iso(5)]])
      expect(verdicts).toEqual([verdict(5, true), verdict(5, false)])
    })

    it('neither escalates nor restarts the hold on a suspect reading: the alarm steps down on time', async () => {
      const { engine, events } = await started()
      // Below BĐ1's band (160 cm) from minute 5; taken, the spike at minute 18 would have escalated to
      // BĐ3 and started the 15-minute hold again.
      await feed(engine, [reading(0, 175), reading(5, 155), reading(10, 155), reading(15, 155), reading(18, 400), reading(20, 155)])
      expect(summary(ofType(events, 'flood_level'))).toEqual([
        ['alarm:raised', 1, 175, iso(0)],
        ['alarm:cleared', 1, 155, iso(20)],
      ])
    })

    it('neither steps down nor clears on a suspect reading, even with no hold at all', async () => {
      const { engine, events } = await started({ settings: { holdMinutes: 0 } })
      await feed(engine, [reading(0, 230), reading(5, 20), reading(10, 228)])
      expect(summary(ofType(events, 'flood_level'))).toEqual([['alarm:raised', 2, 230, iso(0)]])
    })

    it('keeps a suspect reading out of the rise window', async () => {
      const { engine, events } = await started()
      // Level for 20 minutes, then a spike of 100 cm: a slope through it would be far above 30 cm/h.
      await feed(engine, [...[0, 5, 10, 15, 20].map((minute) => reading(minute, 100)), reading(25, 200), reading(30, 100), reading(35, 100)])
      expect(ofType(events, 'rapid_rise')).toEqual([])
    })

    it('allows an hour’s worth of change after an hour without readings', async () => {
      const { engine, events, verdicts } = await started()
      await feed(engine, [reading(0, 100), reading(60, 390)])
      expect(verdicts).toEqual([])
      expect(summary(ofType(events, 'flood_level'))).toEqual([['alarm:raised', 3, 390, iso(60)]])
    })

    it('raises sensor_suspect for technicians at the third glitch within an hour, and clears it after an hour without one', async () => {
      const { engine, events } = await started()
      const spikes = new Set([10, 20, 30])
      await feed(engine, Array.from({ length: 19 }, (_, i) => reading(5 * i, spikes.has(5 * i) ? 400 : 100)))
      // Each spike is known a glitch at the reading after it (15, 25, 35); the last one, read at minute 30, is an hour old at 90.
      expect(summary(ofType(events, 'sensor_suspect'))).toEqual([
        ['alarm:raised', null, 3, iso(35)],
        ['alarm:cleared', null, 0, iso(90)],
      ])
      expect(ofType(events, 'sensor_suspect')[0]!.alarm).toMatchObject({ source: { kind: 'station', id: RIVER }, severity: 10 })
      expect(ofType(events, 'flood_level')).toEqual([])
    })

    it('counts no jump the next reading confirmed, and no glitch older than an hour', async () => {
      const { engine, events } = await started()
      // Two glitches, then the river does jump (a sluice opened upstream) and stays up.
      await feed(engine, [reading(0, 100), reading(5, 400), reading(10, 100), reading(15, 400), reading(20, 100), reading(25, 150), reading(30, 152)])
      // A third glitch, but more than an hour after the first.
      await feed(engine, [reading(66, 152), reading(70, 500), reading(75, 152)])
      expect(ofType(events, 'sensor_suspect')).toEqual([])
    })

    it('clears station_silent on a suspect reading: it proves the station alive, if not its sensor (fake timers)', async () => {
      vi.useFakeTimers({ now: T0 })
      const { engine, events } = engineOn({ now: () => Date.now() })
      await engine.start(new Map())
      await feed(engine, [reading(0, 120)])
      await vi.advanceTimersByTimeAsync(30 * MINUTE)
      await engine.idle()
      await feed(engine, [reading(30, 500)])
      expect(ofType(events, 'station_silent').filter((e) => e.alarm.source.id === RIVER).map((e) => e.event)).toEqual(['alarm:raised', 'alarm:cleared'])
      expect(ofType(events, 'flood_level')).toEqual([])
    })

    it('judges the same after a restart: a spike stored just before it is suspect again, and the next reading may confirm it', async () => {
      const stored = new Map([[RIVER, [{ ts: at(0), cm: 100 }, { ts: at(5), cm: 102 }]]])
      const { engine, events, verdicts } = engineOn({ stored })
      await engine.start(new Map([[RIVER, { ts: iso(10), waterLevelCm: 400 }]]))
      await engine.idle()
      expect(events).toEqual([])
      expect(verdicts).toEqual([verdict(10, true)])
      await feed(engine, [reading(15, 402)])
      expect(summary(ofType(events, 'flood_level'))).toEqual([['alarm:raised', 3, 400, iso(10)]])
    })

    it('reads the glitches and a suspect reading still waiting back from the store after a restart', async () => {
      const glitches = [{ ts: at(0), cm: 100 }, { ts: at(5), cm: 400, suspect: true }, { ts: at(10), cm: 100 }, { ts: at(15), cm: 420, suspect: true }, { ts: at(20), cm: 100 }]
      const waiting = { ts: at(25), cm: 450, suspect: true }
      const { engine, events } = engineOn({ stored: new Map([[RIVER, [...glitches, waiting]]]) })
      await engine.start(new Map())
      // Back at 100 cm: the reading waiting was the third glitch of the hour.
      await feed(engine, [reading(30, 101)])
      expect(summary(events)).toEqual([['alarm:raised', null, 3, iso(30)]])
    })
  })

  /**
   * Property tests over the whole engine and its store: the river reported every 5 minutes, each
   * reading within 24.9 cm of the one before (the limit is 25), anywhere from below BĐ1 to above BĐ3.
   */
  describe('suspect readings (fast-check)', () => {
    const RUNS = { seed: 20251030, numRuns: 150 } as const
    const series = fc
      .record({ start: fc.integer({ min: 100, max: 300 }), steps: fc.array(fc.integer({ min: -249, max: 249 }), { minLength: 1, maxLength: 24 }) })
      .map(({ start, steps }) => {
        let cm = start
        return [reading(0, cm), ...steps.map((mm, i) => reading(5 * (i + 1), (cm = Math.round((cm + mm / 10) * 10) / 10)))]
      })
    /** Beyond the 25 cm limit by 0.1 cm up to anything a gauge may report (-1000 to 5000 cm). */
    const beyond = fc.integer({ min: 1, max: 60_000 }).map((mm) => mm / 10)
    const clampCm = (cm: number) => Math.min(5000, Math.max(-1000, cm))

    /** Feeds each batch in turn to a new engine on a new store; what it published after each. */
    async function publishedAfter(batches: readonly (readonly FloodReading[])[]): Promise<Array<Array<[string, string, number | null, number | null, string]>>> {
      const store = await openDatabase({ dataDir: ':memory:' })
      const events: Published[] = []
      const engine = createAlarmEngine({
        repo: createAlarmsRepository(store.db),
        stations,
        cameras,
        settingsOf,
        readingsBetween: async () => [],
        judged: async () => {},
        publish: (event, alarm) => events.push({ event, alarm }),
        log: silentLog,
        now: () => T0,
      })
      try {
        await engine.start(new Map())
        const after = []
        for (const batch of batches) {
          await feed(engine, batch)
          after.push(events.map((e) => [e.event, e.alarm.type, e.alarm.level, e.alarm.value, e.alarm.updatedAt] as [string, string, number | null, number | null, string]))
        }
        return after
      } finally {
        await engine.stop()
        await store.close()
      }
    }

    it('never pages for a lone spike of any size, up or down: every alarm is as without it', async () => {
      await fc.assert(
        fc.asyncProperty(series, fc.nat(), beyond, fc.boolean(), async (generated, where, extra, up) => {
          // Between two readings of the series, so that the next one follows it.
          const i = where % generated.length
          const readings = i < generated.length - 1 ? generated : [...generated, reading(5 * generated.length, generated.at(-1)!.waterLevelCm)]
          const before = readings[i]!
          const cm = clampCm(before.waterLevelCm + (up ? 1 : -1) * (25 + extra))
          fc.pre(Math.abs(cm - before.waterLevelCm) > 25)
          const spike = reading(5 * i + 2.5, cm)
          const [without] = await publishedAfter([readings])
          const [withSpike] = await publishedAfter([[...readings.slice(0, i + 1), spike, ...readings.slice(i + 1)]])
          expect(withSpike).toEqual(without)
        }),
        RUNS,
      )
    })

    it('pages for the same jump when the next reading confirms it, on that reading', async () => {
      const below = series.map((readings) => readings.map((r) => ({ ...r, waterLevelCm: Math.min(r.waterLevelCm, 160) })))
      await fc.assert(
        fc.asyncProperty(below, beyond, fc.integer({ min: 0, max: 249 }), async (readings, extra, mm) => {
          // Below BĐ1 (170 cm) throughout, then up by more than the limit to BĐ1 or above, and the
          // next reading no lower: the water is really there.
          const last = readings.at(-1)!
          const minute = 5 * readings.length
          const cm = clampCm(Math.max(170, last.waterLevelCm + 25 + extra))
          const confirming = reading(minute + 5, clampCm(cm + mm / 10))
          const [beforeJump, afterJump, afterConfirming] = await publishedAfter([readings, [reading(minute, cm)], [confirming]])
          const flood = (events: Awaited<ReturnType<typeof publishedAfter>>[number]) => events.filter(([, type]) => type === 'flood_level')
          expect(flood(beforeJump!)).toEqual([])
          expect(flood(afterJump!)).toEqual([])
          // Raised on the confirming reading, and standing where the water is.
          expect(flood(afterConfirming!)[0]).toEqual(['alarm:raised', 'flood_level', expect.any(Number), expect.any(Number), expect.any(String)])
          expect(flood(afterConfirming!).at(-1)![2]).toBe(floodLevelOf(stations.get(RIVER)!.levels, confirming.waterLevelCm))
        }),
        RUNS,
      )
    })
  })
})
