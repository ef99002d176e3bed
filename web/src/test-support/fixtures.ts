import { DEFAULT_ALARM_SETTINGS, type AlarmView, type CameraView, type FloodReading, type StationView } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'

/** The real Tam Kỳ pack, as the server would first serve it: no readings yet. */
export const tamKy = loadCityPack('tam-ky')

export function stationViews(): StationView[] {
  return tamKy.stations.map((def) => ({ ...def, latest: null, floodLevel: 0, forecast: null, alarmSettings: { levels: def.levels, ...DEFAULT_ALARM_SETTINGS } }))
}

export function cameraViews(): CameraView[] {
  return tamKy.cameras.map((def) => ({ ...def, latest: null, latestSnapshot: null }))
}

export function reading(stationId: string, waterLevelCm: number, ts: string, extra: Partial<FloodReading> = {}): FloodReading {
  return { stationId, waterLevelCm, ts, ...extra }
}

/** An open, unacknowledged alarm on the Tam Kỳ river station; `overrides` change any field. */
export function alarmView(overrides: Partial<AlarmView> = {}): AlarmView {
  return {
    id: 1,
    type: 'flood_level',
    source: { kind: 'station', id: 'tam-ky-river' },
    areaId: '20350',
    level: 2,
    raisedLevel: 2,
    severity: 30,
    state: 'active',
    value: 235,
    raisedAt: '2025-10-30T07:00:00.000Z',
    updatedAt: '2025-10-30T07:00:00.000Z',
    clearedAt: null,
    acknowledged: null,
    ...overrides,
  }
}
