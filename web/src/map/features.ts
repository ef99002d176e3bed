import type { AreaCollection, CameraView, StationView } from '@ioc/shared'
import { badgeText, stationLevel, type StationLevel } from '../levels.ts'
import { localized, type Lang } from '../i18n/translate.ts'
import { cameraImageId, labelImageId, type CameraMark } from './image-id.ts'

/** The GeoJSON the map's point sources hold (structurally GeoJSON; kept local to type the properties). */
export interface PointFeature<P> {
  type: 'Feature'
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: P
}
export interface PointCollection<P> {
  type: 'FeatureCollection'
  features: PointFeature<P>[]
}

export interface StationProps {
  id: string
  level: StationLevel
  /** Image id of the level badge ("BĐ2 · 235 cm"). */
  badge: string
  /** Image id of the station's name label. */
  nameLabel: string
  /** 1 while the station has an unacknowledged alarm, else 0 (a number: clusters take the highest). */
  alarmed: 0 | 1
}

export interface CameraProps {
  id: string
  state: CameraMark
  /** Image id of the camera mark for its state. */
  icon: string
}

export interface AreaLabelProps {
  code: string
  label: string
}

const point = <P>(lon: number, lat: number, properties: P): PointFeature<P> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
})

export function stationFeature(station: StationView, lang: Lang, alarmed: ReadonlySet<string> = new Set()): PointFeature<StationProps> {
  const level = stationLevel(station)
  return point(station.lon, station.lat, {
    id: station.id,
    level,
    badge: labelImageId(`level${level}`, badgeText(station, lang)),
    nameLabel: labelImageId('name', localized(station.name, lang)),
    alarmed: alarmed.has(station.id) ? 1 : 0,
  })
}

/** Every station as a point; `alarmed` are the ids of those with an unacknowledged alarm. */
export function stationFeatures(stations: readonly StationView[], lang: Lang, alarmed: ReadonlySet<string> = new Set()): PointCollection<StationProps> {
  return { type: 'FeatureCollection', features: stations.map((station) => stationFeature(station, lang, alarmed)) }
}

export function cameraFeatures(cameras: readonly CameraView[]): PointCollection<CameraProps> {
  return {
    type: 'FeatureCollection',
    features: cameras.map((camera) => {
      const state = camera.latest?.state ?? 'unknown'
      return point(camera.lon, camera.lat, { id: camera.id, state, icon: cameraImageId(state) })
    }),
  }
}

/** One label point per area, at the area's (approximate) centre. */
export function areaLabelFeatures(areas: AreaCollection, lang: Lang): PointCollection<AreaLabelProps> {
  return {
    type: 'FeatureCollection',
    features: areas.features.map(({ properties: p }) =>
      point(p.centreLon, p.centreLat, { code: p.code, label: labelImageId('area', lang === 'vi' ? p.nameVi : p.nameEn) }),
    ),
  }
}

/** Every image id a set of features refers to (to tell which generated images are still in use). */
export function imageIdsIn(...collections: PointCollection<object>[]): Set<string> {
  const ids = new Set<string>()
  for (const collection of collections) {
    for (const feature of collection.features) {
      for (const value of Object.values(feature.properties)) {
        if (typeof value === 'string' && (value.startsWith('label:') || value.startsWith('camera:'))) ids.add(value)
      }
    }
  }
  return ids
}
