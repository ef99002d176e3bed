import { describe, expect, it } from 'vitest'
import { effect } from '@preact/signals'
import type { CameraStatus } from '@ioc/shared'
import { applyCameraStatuses, applyReadings, applyVerdicts, createStore, keepUnchanged, mergeSnapshots, mergeStationSnapshot } from './store.ts'
import { cameraViews, reading, stationViews, tamKy } from './test-support/fixtures.ts'

const T0 = '2025-10-30T07:00:00.000Z'
const T1 = '2025-10-30T07:05:00.000Z'
const T2 = '2025-10-30T07:10:00.000Z'

const byId = <T extends { id: string }>(items: readonly T[], id: string): T => {
  const found = items.find((x) => x.id === id)
  if (!found) throw new Error(`no ${id}`)
  return found
}

describe('applyReadings', () => {
  it('sets the latest reading and judges the level against the station own alarm levels', () => {
    const next = applyReadings(stationViews(), [reading('tam-ky-river', 235, T1)])
    expect(byId(next, 'tam-ky-river')).toMatchObject({ latest: { ts: T1, waterLevelCm: 235 }, floodLevel: 2 })
  })

  it('counts a reading exactly at a level as at that level', () => {
    const next = applyReadings(stationViews(), [reading('tam-ky-river', 270, T1)])
    expect(byId(next, 'tam-ky-river').floodLevel).toBe(3)
  })

  it('keeps only the newest reading of a burst', () => {
    const next = applyReadings(stationViews(), [reading('tam-ky-river', 250, T2), reading('tam-ky-river', 100, T1)])
    expect(byId(next, 'tam-ky-river').latest?.waterLevelCm).toBe(250)
  })

  it('does not let a late, older reading move the level back', () => {
    const first = applyReadings(stationViews(), [reading('tam-ky-river', 250, T2)])
    const next = applyReadings(first, [reading('tam-ky-river', 100, T1)])
    expect(byId(next, 'tam-ky-river')).toMatchObject({ latest: { waterLevelCm: 250 }, floodLevel: 2 })
  })

  it('returns the same array when nothing applies, so subscribers are not woken', () => {
    const stations = stationViews()
    expect(applyReadings(stations, [reading('no-such-station', 500, T1)])).toBe(stations)
  })

  it('carries rainfall and battery from the reading', () => {
    const next = applyReadings(stationViews(), [reading('cau-xuan-quy', 80, T1, { rainfallMm: 4.2, batteryPct: 91, seq: 7 })])
    expect(byId(next, 'cau-xuan-quy').latest).toEqual({ ts: T1, waterLevelCm: 80, rainfallMm: 4.2, batteryPct: 91 })
  })

  it('leaves other stations untouched (same objects)', () => {
    const stations = stationViews()
    const next = applyReadings(stations, [reading('tam-ky-river', 235, T1)])
    expect(byId(next, 'cau-xuan-quy')).toBe(byId(stations, 'cau-xuan-quy'))
  })
})

describe('applyVerdicts', () => {
  const shown = applyReadings(stationViews(), [reading('cau-xuan-quy', 380, T1)])

  it('marks the latest reading suspect when the verdict is about it, and unmarks it when it is confirmed', () => {
    const suspect = applyVerdicts(shown, [{ stationId: 'cau-xuan-quy', ts: T1, suspect: true }])
    expect(byId(suspect, 'cau-xuan-quy').latest).toEqual({ ts: T1, waterLevelCm: 380, suspect: true })
    const confirmed = applyVerdicts(suspect, [{ stationId: 'cau-xuan-quy', ts: T1, suspect: false }])
    expect(byId(confirmed, 'cau-xuan-quy').latest).toEqual({ ts: T1, waterLevelCm: 380 })
  })

  it('changes nothing for a verdict about another reading than the one shown', () => {
    expect(applyVerdicts(shown, [{ stationId: 'cau-xuan-quy', ts: T0, suspect: true }])).toBe(shown)
    expect(applyVerdicts(shown, [{ stationId: 'cau-xuan-quy', ts: T2, suspect: true }])).toBe(shown)
  })
})

describe('applyCameraStatuses', () => {
  const status = (state: CameraStatus['state'], ts: string): CameraStatus => ({ cameraId: 'cam-cau-tam-ky', ts, state, fps: 12 })

  it('stores the status without repeating the camera id', () => {
    const next = applyCameraStatuses(cameraViews(), [status('degraded', T1)])
    expect(byId(next, 'cam-cau-tam-ky').latest).toEqual({ ts: T1, state: 'degraded', fps: 12 })
  })

  it('ignores an older report', () => {
    const first = applyCameraStatuses(cameraViews(), [status('offline', T2)])
    expect(byId(applyCameraStatuses(first, [status('online', T1)]), 'cam-cau-tam-ky').latest?.state).toBe('offline')
  })
})

describe('mergeStationSnapshot', () => {
  it('keeps a socket reading newer than the snapshot', () => {
    const live = applyReadings(stationViews(), [reading('tam-ky-river', 240, T2)])
    const snapshot = applyReadings(stationViews(), [reading('tam-ky-river', 150, T1)])
    expect(byId(mergeStationSnapshot(live, snapshot), 'tam-ky-river')).toMatchObject({ latest: { waterLevelCm: 240 }, floodLevel: 2 })
  })

  it('takes the snapshot when it is newer, with its definitions', () => {
    const live = applyReadings(stationViews(), [reading('tam-ky-river', 240, T0)])
    const snapshot = applyReadings(stationViews(), [reading('tam-ky-river', 150, T1)])
    expect(byId(mergeStationSnapshot(live, snapshot), 'tam-ky-river')).toBe(byId(snapshot, 'tam-ky-river'))
  })
})

describe('keepUnchanged', () => {
  it('gives back the array held when a fetched snapshot says the same in new objects', () => {
    const held = applyReadings(stationViews(), [reading('tam-ky-river', 240, T1)])
    const fetched = applyReadings(stationViews(), [reading('tam-ky-river', 240, T1)])
    expect(fetched).not.toBe(held)
    expect(keepUnchanged(held, fetched)).toBe(held)
  })

  it('takes what changed, keeps the objects of what did not', () => {
    const held = stationViews()
    const fetched = applyReadings(stationViews(), [reading('tam-ky-river', 240, T1)])
    const kept = keepUnchanged(held, fetched)
    expect(kept).not.toBe(held)
    expect(byId(kept, 'tam-ky-river')).toBe(byId(fetched, 'tam-ky-river'))
    expect(byId(kept, 'hoa-huong-1')).toBe(byId(held, 'hoa-huong-1'))
  })

  it('takes a snapshot with an item more, one fewer, or in another order', () => {
    const held = stationViews()
    expect(keepUnchanged(held, stationViews().slice(1))).toEqual(held.slice(1))
    expect(keepUnchanged(held.slice(1), stationViews())).toHaveLength(held.length)
    const reversed = keepUnchanged(held, stationViews().reverse())
    expect(reversed.map((s) => s.id)).toEqual(held.map((s) => s.id).reverse())
    expect(reversed[0]).toBe(held.at(-1))
  })
})

describe('createStore', () => {
  const bootstrap = () => ({ city: tamKy.city, areas: tamKy.areas, stations: stationViews(), cameras: cameraViews(), alarms: [] })

  it('applies live readings once loaded', () => {
    const store = createStore()
    store.loaded(bootstrap())
    store.receiveReadings([reading('hoa-huong-1', 30, T1)])
    expect(byId(store.stations.value, 'hoa-huong-1').floodLevel).toBe(2)
  })

  it('shows a verdict that arrives before the reading it is about, once that reading arrives', () => {
    const store = createStore()
    store.loaded(bootstrap())
    store.receiveVerdict({ stationId: 'cau-xuan-quy', ts: T1, suspect: true })
    expect(byId(store.stations.value, 'cau-xuan-quy').latest?.suspect).toBeUndefined()
    store.receiveReadings([reading('cau-xuan-quy', 380, T1)])
    expect(byId(store.stations.value, 'cau-xuan-quy').latest).toMatchObject({ waterLevelCm: 380, suspect: true })
    // The next reading, taken, is shown without the mark; the confirmation of the earlier one changes nothing.
    store.receiveReadings([reading('cau-xuan-quy', 382, T2)])
    store.receiveVerdict({ stationId: 'cau-xuan-quy', ts: T1, suspect: false })
    expect(byId(store.stations.value, 'cau-xuan-quy').latest).toEqual({ ts: T2, waterLevelCm: 382 })
  })

  it('holds readings that arrive before the snapshot and applies them on load', () => {
    const store = createStore()
    store.receiveReadings([reading('hoa-huong-1', 45, T1)])
    store.loaded(bootstrap())
    expect(byId(store.stations.value, 'hoa-huong-1')).toMatchObject({ latest: { waterLevelCm: 45 }, floodLevel: 3 })
  })

  it('counts each refresh after missed events, so views with their own history fetch it again', () => {
    const store = createStore()
    store.loaded(bootstrap())
    expect(store.resyncs.value).toBe(0)
    store.refreshed(stationViews(), cameraViews(), [], store.alarmMark())
    expect(store.resyncs.value).toBe(1)
  })

  it('wakes nobody when a refresh brings what the store already shows', () => {
    const store = createStore()
    store.loaded(bootstrap())
    store.receiveReadings([reading('hoa-huong-1', 30, T1)])
    const { stations, cameras, alarms } = { stations: store.stations.value, cameras: store.cameras.value, alarms: store.alarms.value }
    let woken = 0
    const stop = effect(() => {
      void store.stations.value
      void store.cameras.value
      void store.alarms.value
      woken++
    })
    store.refreshed(applyReadings(stationViews(), [reading('hoa-huong-1', 30, T1)]), cameraViews(), [], store.alarmMark())
    stop()
    expect(woken).toBe(1)
    expect(store.stations.value).toBe(stations)
    expect(store.cameras.value).toBe(cameras)
    expect(store.alarms.value).toBe(alarms)
    // A refresh that brings something new is taken.
    store.refreshed(applyReadings(stationViews(), [reading('hoa-huong-1', 31, T2)]), cameraViews(), [], store.alarmMark())
    expect(byId(store.stations.value, 'hoa-huong-1').latest?.waterLevelCm).toBe(31)
  })

  it('reports an API failure as the boot state', () => {
    const store = createStore()
    store.failed({ kind: 'network', path: '/api/city' })
    expect(store.boot.value).toEqual({ status: 'error', failure: { kind: 'network', path: '/api/city' } })
  })

  it('keeps indicator values live, a late older version never taking one back, and forgets them at logout', () => {
    const store = createStore()
    const value = { areaId: '20362', key: 'digital-signing', period: '2025-09', value: 55, version: 2, updatedAt: T1, updatedBy: 'a', note: null, demo: false }
    store.receiveIndicators([value])
    store.receiveIndicators([{ ...value, version: 1, value: 40 }])
    expect(store.indicatorValues.value.get('20362|digital-signing|2025-09')?.value).toBe(55)
    store.reset()
    expect(store.indicatorValues.value.size).toBe(0)
  })
})

describe('camera snapshots', () => {
  const shot = (cameraId: string, ts: string) => ({ cameraId, ts, width: 640, height: 360 })

  it('keeps the newest snapshot per camera, whatever order they come in', () => {
    const one = mergeSnapshots(new Map(), [shot('cam-cau-tam-ky', T1), shot('cam-bach-dang', T0)])
    expect(one.get('cam-cau-tam-ky')?.ts).toBe(T1)
    const late = mergeSnapshots(one, [shot('cam-cau-tam-ky', T0)])
    expect(late).toBe(one)
    expect(mergeSnapshots(one, [shot('cam-cau-tam-ky', T2)]).get('cam-cau-tam-ky')).toEqual({ ts: T2, width: 640, height: 360 })
  })

  it('takes the latest snapshot from /api/cameras and from camera:snapshot, the newer winning', () => {
    const store = createStore()
    store.receiveSnapshot(shot('cam-cau-tam-ky', T2))
    const cameras = cameraViews().map((camera) => (camera.id === 'cam-cau-tam-ky' || camera.id === 'cam-bach-dang' ? { ...camera, latestSnapshot: { ts: T1, width: 640, height: 360 } } : camera))
    store.loaded({ city: tamKy.city, areas: tamKy.areas, stations: stationViews(), cameras, alarms: [] })
    expect(store.snapshots.value.get('cam-cau-tam-ky')?.ts).toBe(T2)
    expect(store.snapshots.value.get('cam-bach-dang')?.ts).toBe(T1)
    expect(store.snapshots.value.has('cam-dien-bien-phu')).toBe(false)
  })

  it('shows a camera preview until the way that opened it closes it', () => {
    const store = createStore()
    store.previewCamera('cam-cau-tam-ky', 'focus')
    store.previewCamera(null, 'pointer')
    expect(store.cameraPreview.value).toEqual({ id: 'cam-cau-tam-ky', via: 'focus' })
    store.previewCamera('cam-bach-dang', 'pointer')
    store.previewCamera(null, 'pointer')
    expect(store.cameraPreview.value).toBeNull()
  })
})
