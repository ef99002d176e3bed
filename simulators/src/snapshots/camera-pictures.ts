import type { CameraDef, CityPack, StationDef } from '@ioc/shared'
import { gaugePictureJpeg } from './gauge-picture.ts'

/** What a camera's picture shows: the gauge of the flood station nearest to it. */
export interface CameraGauge {
  camera: CameraDef
  station: StationDef
  /** The board's top mark: BĐ3 with room above it, rounded up to 50 cm. */
  topCm: number
}

/** Distance for ranking only: a city is small enough for a flat projection. */
function squaredDistance(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = a.lat - b.lat
  const dLon = (a.lon - b.lon) * Math.cos((a.lat * Math.PI) / 180)
  return dLat * dLat + dLon * dLon
}

/** Each camera of `pack` with the station nearest to it (whose level its gauge shows), in pack order. */
export function cameraGauges(pack: CityPack): CameraGauge[] {
  return pack.cameras.map((camera) => {
    let station = pack.stations[0]!
    for (const candidate of pack.stations) if (squaredDistance(camera, candidate) < squaredDistance(camera, station)) station = candidate
    return { camera, station, topCm: Math.ceil((station.levels.bd3 * 1.3) / 50) * 50 }
  })
}

/** The JPEG `gauge`'s camera sends at `atMs` with the water at `levelCm`. */
export function cameraPicture(gauge: CameraGauge, levelCm: number, atMs: number, timeZone: string): Buffer {
  const { bd1, bd2, bd3 } = gauge.station.levels
  return gaugePictureJpeg({ cameraId: gauge.camera.id, levelCm, topCm: gauge.topCm, alarmCm: [bd1, bd2, bd3], atMs, timeZone })
}
