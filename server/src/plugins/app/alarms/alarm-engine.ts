import type { FastifyBaseLogger } from 'fastify'
import {
  judgeReading,
  NO_READING,
  plausibleChangeCm,
  type AlarmEventName,
  type AlarmType,
  type AlarmView,
  type CameraDef,
  type CameraStatus,
  type FloodReading,
  type LevelPoint,
  type PlausibilityState,
  type StationAlarmSettings,
  type StationDef,
} from '@ioc/shared'
import { Conflict, NotFound } from '../../../domain-errors.ts'
import { toAlarmView, type AlarmRow, type AlarmSource, type AlarmsRepository } from './alarms.repository.ts'
import {
  addRisePoint,
  cameraConditionsOf,
  emptyRiseWindow,
  nextCameraCondition,
  nextFloodState,
  nextLowBattery,
  nextRising,
  nextSuspectRun,
  NO_FLOOD,
  NO_SUSPECT_RUN,
  riseRateOf,
  SUSPECT_RUN,
  thinRiseWindow,
  type CameraCondition,
  type CameraConditionState,
  type FloodState,
  type RisePoint,
  type RiseWindow,
  type SuspectRunState,
} from './alarm-conditions.ts'

/** A stored reading as the engine reloads it after a start: marked when it is held as suspect. */
export type StoredPoint = RisePoint & { suspect?: boolean }

export interface AlarmEngineDeps {
  repo: AlarmsRepository
  stations: ReadonlyMap<string, StationDef>
  cameras: ReadonlyMap<string, CameraDef>
  settingsOf(stationId: string): StationAlarmSettings
  /**
   * Stored readings of a station in [fromMs, toMs], oldest first, the suspect ones marked: after a
   * start, the rise window, the last reading taken and the run of suspect ones.
   */
  readingsBetween(stationId: string, fromMs: number, toMs: number): Promise<StoredPoint[]>
  /** Stores the verdict on a reading — held as suspect, or confirmed by the next after all — and tells the dashboards. */
  judged(stationId: string, tsMs: number, suspect: boolean): Promise<void>
  publish(event: AlarmEventName, alarm: AlarmView): void
  log: FastifyBaseLogger
  now?: () => number
}

interface StationState {
  flood: FloodState
  rising: boolean
  lowBattery: boolean
  /** Readings of the rise window, oldest first; null until loaded from the store. */
  window: RiseWindow | null
  /** The last reading the alarm logic took, and a suspect one waiting for the next (plausibility.ts). */
  plausibility: PlausibilityState
  suspectRun: SuspectRunState
  /** The newest reading's time, suspect or not: an older reading is too late. */
  lastTs: number
  /** Set while the silence timer runs; it fires at silentDueAt. */
  silentTimer: NodeJS.Timeout | undefined
  silentDueAt: number
  /** When the server last received a reading (or started), for the silent alarm's value. */
  heardAt: number
}

/**
 * Turns readings and camera reports into alarms. Each station and camera is processed in order, one
 * observation at a time; the conditions are pure (alarm-conditions.ts) and the engine applies what they decide:
 * raise, change level, clear — each stored with its transition before it is published. A reading is
 * judged plausible before any of that (`judgeReading`, shared/src/alarms/plausibility.ts): one that
 * jumps further than the water can move pages no one until the next reading confirms it. Alarm state
 * is rebuilt from the store at start, so a restart raises nothing twice.
 */
export function createAlarmEngine(deps: AlarmEngineDeps) {
  const now = deps.now ?? Date.now
  const open = new Map<string, AlarmRow>()
  const key = (type: AlarmType, sourceId: string) => `${type}\u0000${sourceId}`
  const stations = new Map<string, StationState>()
  const cameras = new Map<string, Map<CameraCondition, CameraConditionState>>()
  const queues = new Map<string, Promise<void>>()
  let stopped = false

  /** Runs `work` after everything queued for the same source; failures are logged, never thrown at the ingest. */
  function enqueue(sourceId: string, work: () => Promise<void>): Promise<void> {
    const next = (queues.get(sourceId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => deps.log.error({ err: error, sourceId }, 'alarm evaluation failed'))
    queues.set(sourceId, next)
    void next.finally(() => {
      if (queues.get(sourceId) === next) queues.delete(sourceId)
    })
    return next
  }

  /** Brings the stored alarm of (type, source) to what the rule wants: on at `level`, or off. */
  async function apply(type: AlarmType, source: AlarmSource, want: { on: boolean; level?: number | null; value: number | null }, at: number): Promise<void> {
    const current = open.get(key(type, source.id))
    if (want.on && !current) {
      const { alarm, created } = await deps.repo.raise(type, source, want.level ?? null, want.value, at)
      open.set(key(type, source.id), alarm)
      if (created) {
        deps.log.info({ alarmId: alarm.id, type, sourceId: source.id, level: alarm.level, value: want.value }, 'alarm raised')
        deps.publish('alarm:raised', toAlarmView(alarm))
      }
      if (!created && want.level != null && alarm.level !== want.level) await apply(type, source, want, at)
      return
    }
    if (want.on && current && want.level != null && current.level !== want.level) {
      const changed = await deps.repo.changeLevel(current.id, want.level, want.value, at)
      open.set(key(type, source.id), changed)
      deps.log.info({ alarmId: changed.id, type, sourceId: source.id, from: current.level, to: changed.level }, 'alarm level changed')
      deps.publish('alarm:updated', toAlarmView(changed))
      return
    }
    if (!want.on && current) {
      const cleared = await deps.repo.clear(current.id, want.value, at)
      open.delete(key(type, source.id))
      deps.log.info({ alarmId: cleared.id, type, sourceId: source.id }, 'alarm cleared')
      deps.publish('alarm:cleared', toAlarmView(cleared))
    }
  }

  const stationSource = (station: StationDef): AlarmSource => ({ kind: 'station', id: station.id, areaId: station.areaCode })
  const cameraSource = (camera: CameraDef): AlarmSource => ({ kind: 'camera', id: camera.id, areaId: camera.areaCode })

  function stationState(stationId: string): StationState {
    let state = stations.get(stationId)
    if (!state) {
      state = {
        flood: NO_FLOOD,
        rising: false,
        lowBattery: false,
        window: null,
        plausibility: NO_READING,
        suspectRun: NO_SUSPECT_RUN,
        lastTs: -Infinity,
        silentTimer: undefined,
        silentDueAt: Infinity,
        heardAt: now(),
      }
      stations.set(stationId, state)
    }
    return state
  }

  /**
   * (Re)arms the silence timer: k × the expected interval after the last reading heard. A timer that is
   * due no later already looks again when it fires (silenceDue) and waits for the rest: one timer per
   * silence period, not one cleared and set again for every reading (at full speed a timer per reading
   * was ~1.5 % of the server's time).
   */
  function armSilence(station: StationDef, state: StationState, heardAt: number): void {
    if (stopped) return clearTimeout(state.silentTimer)
    state.heardAt = heardAt
    const dueAt = heardAt + silenceAfterMs(station)
    if (state.silentTimer !== undefined && state.silentDueAt <= dueAt) return
    clearTimeout(state.silentTimer)
    scheduleSilence(station, state, dueAt)
  }

  function silenceAfterMs(station: StationDef): number {
    return deps.settingsOf(station.id).silentAfterIntervals * station.expectedIntervalS * 1000
  }

  function scheduleSilence(station: StationDef, state: StationState, dueAt: number): void {
    state.silentDueAt = dueAt
    state.silentTimer = setTimeout(() => silenceDue(station, state), Math.max(0, dueAt - now()))
    state.silentTimer.unref()
  }

  /** The silence timer fired: the station is silent unless it was heard since the timer was set. */
  function silenceDue(station: StationDef, state: StationState): void {
    state.silentTimer = undefined
    if (stopped) return
    const dueAt = state.heardAt + silenceAfterMs(station)
    if (now() < dueAt) return scheduleSilence(station, state, dueAt)
    void enqueue(station.id, async () => {
      const silentMinutes = Math.round((now() - state.heardAt) / 6_000) / 10
      await apply('station_silent', stationSource(station), { on: true, value: silentMinutes }, now())
    })
  }

  /**
   * What a station's state needs from before its first reading since this engine started, read from
   * the store: the rise window, and — so that a restarted engine, or a new leader, judges the next
   * reading as the last one would have — the last reading taken, a suspect one waiting after it, and
   * the suspect readings of the run's window.
   */
  async function loadHistory(stationId: string, state: StationState, ts: number, windowMs: number): Promise<RiseWindow> {
    const stored = await deps.readingsBetween(stationId, ts - Math.max(windowMs, SUSPECT_RUN.windowMs), ts - 1)
    const taken = stored.filter((p) => !p.suspect).map((p) => ({ ts: p.ts, cm: p.cm }))
    const suspect = stored.filter((p) => p.suspect === true)
    const accepted = taken.at(-1) ?? null
    // The newest suspect reading waits for this one if nothing was taken after it; the others were glitches.
    const newest = suspect.at(-1)
    const waiting = newest && (accepted === null || newest.ts > accepted.ts) ? newest : undefined
    state.plausibility = { accepted, pending: waiting ? { ts: waiting.ts, cm: waiting.cm } : null }
    const glitches = suspect.filter((p) => p !== waiting && p.ts > ts - SUSPECT_RUN.windowMs).map((p) => p.ts)
    state.suspectRun = { on: state.suspectRun.on, times: glitches }
    return thinRiseWindow(taken, windowMs)
  }

  /**
   * A reading, judged first (plausibility.ts): a suspect one goes to no flood or rise alarm — it
   * neither raises, escalates, steps down nor clears, nor enters the rise window — until the next
   * reading confirms it, which takes both at once. A reading that shows the suspect one before it a
   * glitch adds that one to the run of them (`sensor_suspect`). Suspect or not, a reading's battery
   * value is judged: the battery is another sensor.
   */
  async function evaluateReading(station: StationDef, state: StationState, reading: { ts: number; cm: number; batteryPct: number | undefined }): Promise<void> {
    const settings = deps.settingsOf(station.id)
    const source = stationSource(station)
    const windowMs = settings.riseWindowMinutes * 60_000
    state.window ??= await loadHistory(station.id, state, reading.ts, windowMs)
    const judged = judgeReading(state.plausibility, { ts: reading.ts, cm: reading.cm }, (from: LevelPoint, to: LevelPoint) =>
      plausibleChangeCm(settings.maxChangeCmPerMinute, station.expectedIntervalS, from.ts, to.ts),
    )
    state.plausibility = judged.state
    for (const point of judged.take) await evaluateLevel(station, state, point, settings)

    state.suspectRun = nextSuspectRun(state.suspectRun, reading.ts, judged.dropped?.ts ?? null)
    await apply('sensor_suspect', source, { on: state.suspectRun.on, value: state.suspectRun.times.length }, reading.ts)

    state.lowBattery = nextLowBattery(state.lowBattery, reading.batteryPct, settings)
    await apply('low_battery', source, { on: state.lowBattery, value: reading.batteryPct ?? null }, reading.ts)

    // After the alarms: storing a verdict never holds up a page.
    if (judged.confirmed) await deps.judged(station.id, judged.confirmed.ts, false)
    if (judged.suspect) await deps.judged(station.id, reading.ts, true)
  }

  /** A reading the alarm logic takes: the flood level, then the rise. */
  async function evaluateLevel(station: StationDef, state: StationState, point: LevelPoint, settings: StationAlarmSettings): Promise<void> {
    const source = stationSource(station)
    state.flood = nextFloodState(state.flood, point.ts, point.cm, settings)
    await apply('flood_level', source, { on: state.flood.level > 0, level: state.flood.level || null, value: point.cm }, point.ts)

    const windowMs = settings.riseWindowMinutes * 60_000
    const window = (state.window ??= emptyRiseWindow())
    addRisePoint(window, point, windowMs)
    const rate = riseRateOf(window.ts, window.cm, windowMs)
    state.rising = nextRising(state.rising, rate, settings)
    await apply('rapid_rise', source, { on: state.rising, value: rate === null ? null : Math.round(rate * 10) / 10 }, point.ts)
  }

  return {
    /**
     * Rebuilds state from the open alarms in the store, then evaluates each station's latest reading
     * (an alarm a crash kept from being stored is raised now; one already stored is not raised again)
     * and arms the silence timers.
     */
    async start(latest: ReadonlyMap<string, { ts: string; waterLevelCm: number; batteryPct?: number }>): Promise<void> {
      for (const row of await deps.repo.open()) {
        open.set(key(row.type as AlarmType, row.source_id), row)
        if (row.source_kind === 'station') {
          const state = stationState(row.source_id)
          if (row.type === 'flood_level') state.flood = { level: row.level ?? 1, belowSince: null }
          if (row.type === 'rapid_rise') state.rising = true
          if (row.type === 'low_battery') state.lowBattery = true
          // The run itself is read back from the store with the station's first reading (loadHistory).
          if (row.type === 'sensor_suspect') state.suspectRun = { on: true, times: [] }
        } else if (row.type !== 'station_silent') {
          const conditions = cameras.get(row.source_id) ?? new Map<CameraCondition, CameraConditionState>()
          conditions.set(row.type as CameraCondition, { on: true, goneSince: null })
          cameras.set(row.source_id, conditions)
        }
      }
      for (const station of deps.stations.values()) {
        const state = stationState(station.id)
        const last = latest.get(station.id)
        if (last) {
          const ts = Date.parse(last.ts)
          await enqueue(station.id, async () => {
            state.lastTs = ts
            // Judged again like any reading: a spike stored just before a restart is suspect again, not taken.
            await evaluateReading(station, state, { ts, cm: last.waterLevelCm, batteryPct: last.batteryPct })
          })
          armSilence(station, state, Math.min(ts, now()))
        } else {
          armSilence(station, state, now())
        }
      }
    },

    /**
     * A stored reading. Readings older than the newest one seen are too late to change an alarm. Any
     * reading, even a suspect one, proves the station alive: the silence timer restarts first.
     */
    onReading(reading: FloodReading): Promise<void> {
      const station = deps.stations.get(reading.stationId)
      if (!station || stopped) return Promise.resolve()
      const state = stationState(station.id)
      armSilence(station, state, now())
      return enqueue(station.id, async () => {
        await apply('station_silent', stationSource(station), { on: false, value: 0 }, now())
        const ts = Date.parse(reading.ts)
        if (ts <= state.lastTs) return
        state.lastTs = ts
        await evaluateReading(station, state, { ts, cm: reading.waterLevelCm, batteryPct: reading.batteryPct })
      })
    },

    onCameraStatus(status: CameraStatus): Promise<void> {
      const camera = deps.cameras.get(status.cameraId)
      if (!camera || stopped) return Promise.resolve()
      return enqueue(camera.id, async () => {
        const ts = Date.parse(status.ts)
        const conditions = cameras.get(camera.id) ?? new Map<CameraCondition, CameraConditionState>()
        cameras.set(camera.id, conditions)
        for (const [condition, shown] of Object.entries(cameraConditionsOf(status)) as [CameraCondition, boolean][]) {
          const next = nextCameraCondition(conditions.get(condition) ?? { on: false, goneSince: null }, shown, ts)
          conditions.set(condition, next)
          await apply(condition, cameraSource(camera), { on: next.on, value: status.fps ?? null }, ts)
        }
      })
    },

    /** New alarm settings for a station: the last reading taken is judged again by them. */
    settingsChanged(stationId: string): Promise<void> {
      const station = deps.stations.get(stationId)
      const state = stations.get(stationId)
      if (!station || !state) return Promise.resolve()
      armSilence(station, state, state.heardAt)
      return enqueue(stationId, async () => {
        const taken = state.plausibility.accepted
        if (taken === null) return
        const settings = deps.settingsOf(stationId)
        state.flood = nextFloodState(state.flood, taken.ts, taken.cm, settings)
        await apply('flood_level', stationSource(station), { on: state.flood.level > 0, level: state.flood.level || null, value: taken.cm }, now())
      })
    },

    /** Acknowledges an active alarm; 404 unknown, 409 when it is cleared or already acknowledged. */
    async acknowledge(id: number, by: string, note: string): Promise<AlarmView> {
      const row = await acknowledgeAlarm(deps, id, by, note, now())
      const k = key(row.type as AlarmType, row.source_id)
      if (open.has(k)) open.set(k, row)
      return toAlarmView(row)
    },

    /** The alarms open now, as the engine holds them (metrics). */
    openAlarms(): Iterable<AlarmRow> {
      return open.values()
    },

    /** Resolves once everything queued so far has been evaluated (tests, shutdown). */
    async idle(): Promise<void> {
      while (queues.size > 0) await Promise.all(queues.values())
    },

    async stop(): Promise<void> {
      stopped = true
      for (const state of stations.values()) clearTimeout(state.silentTimer)
      while (queues.size > 0) await Promise.all(queues.values())
    },
  }
}
export type AlarmEngine = ReturnType<typeof createAlarmEngine>

/**
 * Acknowledges an active alarm and publishes the change; 404 unknown, 409 when it is cleared or
 * already acknowledged. One conditional UPDATE decides, so of two operators — on any instances — one wins.
 */
export async function acknowledgeAlarm(deps: Pick<AlarmEngineDeps, 'repo' | 'publish'>, id: number, by: string, note: string, at: number): Promise<AlarmRow> {
  const row = await deps.repo.acknowledge(id, by, note, at)
  if (!row) {
    const existing = await deps.repo.byId(id)
    if (!existing) throw new NotFound(`no alarm ${id}`)
    if (existing.state === 'cleared') throw new Conflict('this alarm is already cleared')
    throw new Conflict(`this alarm is already acknowledged by ${existing.acknowledged_by ?? 'someone'}`)
  }
  deps.publish('alarm:updated', toAlarmView(row))
  return row
}
