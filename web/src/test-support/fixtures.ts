import type { CameraView, FloodReading, StationView } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'

/** The real Tam Kỳ pack, as the server would first serve it: no readings yet. */
export const tamKy = loadCityPack('tam-ky')

export function stationViews(): StationView[] {
  return tamKy.stations.map((def) => ({ ...def, latest: null, floodLevel: 0 }))
}

export function cameraViews(): CameraView[] {
  return tamKy.cameras.map((def) => ({ ...def, latest: null }))
}

export function reading(stationId: string, waterLevelCm: number, ts: string, extra: Partial<FloodReading> = {}): FloodReading {
  return { stationId, waterLevelCm, ts, ...extra }
}
