import { batch, signal } from '@preact/signals'
import {
  floodLevelOf,
  type AlarmView,
  type AreaCollection,
  type CameraSnapshotEvent,
  type CameraStatus,
  type CameraView,
  type CityDef,
  type FloodForecast,
  type FloodReading,
  type IndicatorValue,
  type ReadingVerdict,
  type SnapshotInfo,
  type StationView,
} from '@ioc/shared'
import { applyAlarmEvent, isNewTopLevel, mergeAlarmSnapshot, type AlarmEventKind } from './alarms/open-alarms.ts'
import type { ApiFailure, Bootstrap } from './api.ts'
import { isNewer, newestById, timeOf } from './connection/newest.ts'
import { mergeIndicatorValues, type IndicatorValues } from './indicators/indicator-values.ts'

/**
 * `reconnecting` is `connecting` after the link was up once: the indicator words it differently, and
 * the tests' `data-state` sees both as `connecting`.
 */
export type ConnectionState = 'connecting' | 'reconnecting' | 'connected' | 'disconnected'

export type Selection = { kind: 'station'; id: string } | { kind: 'camera'; id: string } | null

/**
 * The camera whose thumbnail the map shows in a popup: pointed at on the map, or focused in the camera
 * list (the keyboard's way to a marker). Each way clears only its own.
 */
export type CameraPreview = { id: string; via: 'pointer' | 'focus' } | null

export type BootState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }


/**
 * A snapshot fetched again (after a reconnect) against what the store holds: each item equal in
 * content to the one held under its id stays the object held, and when every item does, in the same
 * order, the array held is returned. Views and the map are then not woken for nothing: the map would
 * hand its worker the whole station collection again and draw its stations afresh. Equal in content
 * means the same JSON; items the server serialises the same way compare equal.
 */
export function keepUnchanged<T extends { id: string | number }>(current: readonly T[], fresh: readonly T[]): readonly T[] {
  const held = new Map(current.map((item) => [item.id, item]))
  const next = fresh.map((item) => {
    const mine = held.get(item.id)
    return mine !== undefined && JSON.stringify(mine) === JSON.stringify(item) ? mine : item
  })
  return next.length === current.length && next.every((item, i) => item === current[i]) ? current : next
}

/**
 * Stations after a burst of readings: each station takes its newest reading when that is not older
 * than what it shows (a late, out-of-order reading never moves the level back), and its flood level
 * is judged again against its own alarm levels. Readings for unknown stations are ignored.
 * Returns the same array when nothing changed, so subscribers are not woken for nothing.
 */
export function applyReadings(stations: readonly StationView[], readings: Iterable<FloodReading>): readonly StationView[] {
  const newest = newestById(readings, (r) => r.stationId)
  if (newest.size === 0) return stations
  let changed = false
  const next = stations.map((station) => {
    const reading = newest.get(station.id)
    if (!reading || !isNewer(reading, station.latest)) return station
    changed = true
    const latest: NonNullable<StationView['latest']> = { ts: reading.ts, waterLevelCm: reading.waterLevelCm }
    if (reading.rainfallMm !== undefined) latest.rainfallMm = reading.rainfallMm
    if (reading.batteryPct !== undefined) latest.batteryPct = reading.batteryPct
    return { ...station, latest, floodLevel: floodLevelOf(station.levels, reading.waterLevelCm) }
  })
  return changed ? next : stations
}

/**
 * Stations after the alarm engine's verdicts on readings (`reading:suspect`): a station whose latest
 * reading a verdict is about shows it suspect, or no longer. A verdict about a reading the station does
 * not show — an older one, or one still on its way in a `reading:batch` — changes nothing (the store
 * keeps it and applies it again when readings arrive). Returns the same array when nothing changed.
 */
export function applyVerdicts(stations: readonly StationView[], verdicts: Iterable<ReadingVerdict>): readonly StationView[] {
  const byStation = newestById(verdicts, (v) => v.stationId)
  let changed = false
  const next = stations.map((station) => {
    const verdict = byStation.get(station.id)
    const latest = station.latest
    if (!verdict || !latest || timeOf(latest.ts) !== timeOf(verdict.ts) || (latest.suspect === true) === verdict.suspect) return station
    changed = true
    const { suspect: _was, ...rest } = latest
    return { ...station, latest: verdict.suspect ? { ...rest, suspect: true } : rest }
  })
  return changed ? next : stations
}

/** Cameras after a burst of status reports; same rules as `applyReadings`. */
export function applyCameraStatuses(cameras: readonly CameraView[], statuses: Iterable<CameraStatus>): readonly CameraView[] {
  const newest = newestById(statuses, (s) => s.cameraId)
  if (newest.size === 0) return cameras
  let changed = false
  const next = cameras.map((camera) => {
    const status = newest.get(camera.id)
    if (!status || !isNewer(status, camera.latest)) return camera
    changed = true
    const { cameraId: _cameraId, ...latest } = status
    return { ...camera, latest }
  })
  return changed ? next : cameras
}

/**
 * A fresh `/api/stations` snapshot (after a reconnect) merged with what the socket delivered while it
 * was in flight: the snapshot's definitions win, but a station keeps a reading newer than the snapshot's.
 */
export function mergeStationSnapshot(current: readonly StationView[], fresh: readonly StationView[]): StationView[] {
  const byId = new Map(current.map((s) => [s.id, s]))
  return fresh.map((station) => {
    const mine = byId.get(station.id)?.latest ?? null
    if (mine === null || (station.latest !== null && isNewer(station.latest, mine))) return station
    return { ...station, latest: mine, floodLevel: floodLevelOf(station.levels, mine.waterLevelCm) }
  })
}

/** Same as `mergeStationSnapshot`, for cameras. */
export function mergeCameraSnapshot(current: readonly CameraView[], fresh: readonly CameraView[]): CameraView[] {
  const byId = new Map(current.map((c) => [c.id, c]))
  return fresh.map((camera) => {
    const mine = byId.get(camera.id)?.latest ?? null
    if (mine === null || (camera.latest !== null && isNewer(camera.latest, mine))) return camera
    return { ...camera, latest: mine }
  })
}

/** Each camera's newest snapshot: `/api/cameras` gives it as `latestSnapshot`, `camera:snapshot` as it is stored. */
export type LatestSnapshots = ReadonlyMap<string, SnapshotInfo>

/**
 * Newest snapshots after some arrive, from the socket or a fetch: a camera keeps the newer of what it
 * had and what came. Returns the same map when nothing changed.
 */
export function mergeSnapshots(current: LatestSnapshots, arrived: Iterable<CameraSnapshotEvent>): LatestSnapshots {
  let next: Map<string, SnapshotInfo> | null = null
  for (const { cameraId, ts, width, height } of arrived) {
    const seen = (next ?? current).get(cameraId)
    if (seen && timeOf(ts) <= timeOf(seen.ts)) continue
    next ??= new Map(current)
    next.set(cameraId, { ts, width, height })
  }
  return next ?? current
}

/** The snapshots a `/api/cameras` answer lists. */
function snapshotsOf(cameras: readonly CameraView[]): CameraSnapshotEvent[] {
  return cameras.flatMap((camera) => (camera.latestSnapshot ? [{ cameraId: camera.id, ...camera.latestSnapshot }] : []))
}

/** The dashboard's one store: filled by the HTTP bootstrap, kept live by the socket. */
export function createStore() {
  // Live events that arrive before the first snapshot are held (newest per device) and applied on
  // top of it, so a reading sent while the page loads is not lost.
  const early = { readings: new Map<string, FloodReading>(), statuses: new Map<string, CameraStatus>() }
  const hold = <T extends { ts: string }>(into: Map<string, T>, items: Iterable<T>, idOf: (item: T) => string) => {
    for (const [id, item] of newestById(items, idOf)) {
      const seen = into.get(id)
      if (!seen || isNewer(item, seen)) into.set(id, item)
    }
  }
  const ready = () => store.boot.peek().status === 'ready'
  // The newest verdict on each station's readings: a reading's own batch may reach the store after it.
  const verdicts = new Map<string, ReadingVerdict>()
  const judged = (stations: readonly StationView[]) => applyVerdicts(stations, verdicts.values())
  // Alarm events are applied as they come, even before the first snapshot; each is numbered, so a
  // snapshot fetched meanwhile knows which alarms it must not overwrite with an older state.
  let alarmEvents = 0
  const alarmTouchedAt = new Map<number, number>()
  let bootAlarmMark = 0
  const touchedSince = (mark: number) => new Set([...alarmTouchedAt].filter(([, n]) => n > mark).map(([id]) => id))

  const store = {
    boot: signal<BootState>({ status: 'loading' }),
    city: signal<CityDef | null>(null),
    areas: signal<AreaCollection | null>(null),
    stations: signal<readonly StationView[]>([]),
    cameras: signal<readonly CameraView[]>([]),
    /** Each camera's newest snapshot (time and size; the picture is fetched by its time). */
    snapshots: signal<LatestSnapshots>(new Map()),
    /** Alarms not yet cleared (acknowledged or not), of the types this user may see; unordered. */
    alarms: signal<readonly AlarmView[]>([]),
    /** Area indicator values fetched so far, kept live by `indicator:updated` (only for those who may read them). */
    indicatorValues: signal<IndicatorValues>(new Map()),
    /** Counts flood alarms newly at BĐ3 while the page is open (never those of a snapshot): the sound cue follows it. */
    topLevelCues: signal(0),
    selection: signal<Selection>(null),
    cameraPreview: signal<CameraPreview>(null),
    connection: signal<ConnectionState>('connecting'),
    /** Wall clock for "3 minutes ago", ticked by the app so relative times age on screen. */
    now: signal(Date.now()),
    /** How often the snapshot was fetched again because live events may have been missed: views that keep their own history (the chart) fetch it again too. */
    resyncs: signal(0),

    /** Back to empty, for the next person to log in on this page: nothing of the last session stays. */
    reset(): void {
      batch(() => {
        store.boot.value = { status: 'loading' }
        store.city.value = null
        store.areas.value = null
        store.stations.value = []
        store.cameras.value = []
        store.snapshots.value = new Map()
        store.alarms.value = []
        store.indicatorValues.value = new Map()
        store.selection.value = null
        store.cameraPreview.value = null
        store.connection.value = 'connecting'
        store.resyncs.value = 0
      })
      early.readings.clear()
      early.statuses.clear()
      verdicts.clear()
      alarmTouchedAt.clear()
    },
    loading(): void {
      bootAlarmMark = alarmEvents
      store.boot.value = { status: 'loading' }
    },
    failed(failure: ApiFailure): void {
      store.boot.value = { status: 'error', failure }
    },
    loaded(data: Bootstrap): void {
      batch(() => {
        store.city.value = data.city
        store.areas.value = data.areas
        store.stations.value = judged(applyReadings(mergeStationSnapshot(store.stations.peek(), data.stations), early.readings.values()))
        store.cameras.value = applyCameraStatuses(mergeCameraSnapshot(store.cameras.peek(), data.cameras), early.statuses.values())
        store.snapshots.value = mergeSnapshots(store.snapshots.peek(), snapshotsOf(data.cameras))
        store.alarms.value = mergeAlarmSnapshot(store.alarms.peek(), data.alarms, touchedSince(bootAlarmMark))
        store.boot.value = { status: 'ready' }
      })
      early.readings.clear()
      early.statuses.clear()
    },
    /** Marks the start of a snapshot fetch: give the mark back to `refreshed` with the answer. */
    alarmMark(): number {
      return alarmEvents
    },
    refreshed(stations: readonly StationView[], cameras: readonly CameraView[], alarms: readonly AlarmView[], alarmMark: number): void {
      batch(() => {
        // What the snapshot does not change keeps its objects (keepUnchanged): a dashboard whose link came
        // up just after its first fetch, or came back with nothing missed, redraws nothing.
        store.stations.value = keepUnchanged(store.stations.peek(), judged(mergeStationSnapshot(store.stations.peek(), stations)))
        store.cameras.value = keepUnchanged(store.cameras.peek(), mergeCameraSnapshot(store.cameras.peek(), cameras))
        store.snapshots.value = mergeSnapshots(store.snapshots.peek(), snapshotsOf(cameras))
        store.alarms.value = keepUnchanged(store.alarms.peek(), mergeAlarmSnapshot(store.alarms.peek(), alarms, touchedSince(alarmMark)))
        store.resyncs.value++
      })
    },
    /** A station's forecast changed (`forecast:changed`): the server's, computed from the stored readings. */
    receiveForecast(stationId: string, forecast: FloodForecast | null): void {
      if (!ready()) return
      store.stations.value = store.stations.peek().map((s) => (s.id === stationId ? { ...s, forecast } : s))
    },
    receiveReadings(readings: Iterable<FloodReading>): void {
      if (!ready()) return hold(early.readings, readings, (r) => r.stationId)
      store.stations.value = judged(applyReadings(store.stations.peek(), readings))
    },
    /** A `reading:suspect` verdict: shown on the station once it shows that reading. */
    receiveVerdict(verdict: ReadingVerdict): void {
      const seen = verdicts.get(verdict.stationId)
      if (seen && !isNewer(verdict, seen)) return
      verdicts.set(verdict.stationId, verdict)
      if (ready()) store.stations.value = applyVerdicts(store.stations.peek(), [verdict])
    },
    receiveCameraStatuses(statuses: Iterable<CameraStatus>): void {
      if (!ready()) return hold(early.statuses, statuses, (s) => s.cameraId)
      store.cameras.value = applyCameraStatuses(store.cameras.peek(), statuses)
    },
    /** A `camera:snapshot`: the panel and the map's popup show the new picture. Kept even before the first fetch. */
    receiveSnapshot(snapshot: CameraSnapshotEvent): void {
      store.snapshots.value = mergeSnapshots(store.snapshots.peek(), [snapshot])
    },
    /** An `alarm:*` event, or the answer to an acknowledgement (an `updated` the socket will repeat). */
    receiveAlarm(kind: AlarmEventKind, alarm: AlarmView): void {
      alarmTouchedAt.set(alarm.id, ++alarmEvents)
      const current = store.alarms.peek()
      const next = applyAlarmEvent(current, kind, alarm)
      if (next === current) return
      batch(() => {
        if (isNewTopLevel(kind, alarm, current.find((a) => a.id === alarm.id))) store.topLevelCues.value++
        store.alarms.value = next
      })
    },
    /** Indicator values from a fetch, a save's answer or the socket: the newer version of each wins. */
    receiveIndicators(values: Iterable<IndicatorValue>): void {
      store.indicatorValues.value = mergeIndicatorValues(store.indicatorValues.peek(), values)
    },
    select(next: Selection): void {
      store.selection.value = next
    },
    /** Shows `id`'s thumbnail on the map, or (null) hides the one shown the same way. */
    previewCamera(id: string | null, via: 'pointer' | 'focus'): void {
      const shown = store.cameraPreview.peek()
      if (id !== null) {
        if (shown?.id !== id || shown.via !== via) store.cameraPreview.value = { id, via }
      } else if (shown?.via === via) store.cameraPreview.value = null
    },
  }
  return store
}

export type Store = ReturnType<typeof createStore>

export const store = createStore()
