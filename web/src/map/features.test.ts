import { describe, expect, it } from 'vitest'
import { applyCameraStatuses, applyReadings } from '../store.ts'
import { cameraViews, reading, stationViews, tamKy } from '../test-support/fixtures.ts'
import { areaLabelFeatures, cameraFeatures, imageIdsIn, stationFeatures } from './features.ts'
import { parseImageId } from './image-id.ts'

const T = '2025-10-30T07:00:00.000Z'

describe('stationFeatures', () => {
  const stations = applyReadings(stationViews(), [reading('tam-ky-river', 235, T)])

  it('makes one point per station at its position', () => {
    const fc = stationFeatures(stations, 'vi')
    expect(fc.features).toHaveLength(tamKy.stations.length)
    expect(fc.features[0]?.geometry.coordinates).toEqual([108.4905, 15.5665])
  })

  it('names the badge image after the level and its text', () => {
    const river = stationFeatures(stations, 'vi').features.find((f) => f.properties.id === 'tam-ky-river')
    expect(river?.properties).toMatchObject({ level: 2, badge: 'label:level2:BĐ2 · 235 cm' })
  })

  it('marks the stations with an unacknowledged alarm, as a number clusters can fold', () => {
    const features = stationFeatures(stations, 'vi', new Set(['tam-ky-river'])).features
    expect(features.find((f) => f.properties.id === 'tam-ky-river')?.properties.alarmed).toBe(1)
    expect(features.filter((f) => f.properties.alarmed === 0)).toHaveLength(tamKy.stations.length - 1)
  })

  it('marks stations without data as level -1', () => {
    const quiet = stationFeatures(stations, 'vi').features.find((f) => f.properties.id === 'cau-xuan-quy')
    expect(quiet?.properties).toMatchObject({ level: -1, badge: 'label:level-1:–' })
  })

  it('labels names in the reader language', () => {
    const river = stationFeatures(stations, 'en').features.find((f) => f.properties.id === 'tam-ky-river')
    expect(river?.properties.nameLabel).toBe('label:name:Tam Kỳ hydrological station')
  })

  it('refers only to image ids the map knows how to draw', () => {
    for (const id of imageIdsIn(stationFeatures(stations, 'vi'), cameraFeatures(cameraViews()), areaLabelFeatures(tamKy.areas, 'vi'))) {
      expect(parseImageId(id), id).not.toBeNull()
    }
  })
})

describe('cameraFeatures', () => {
  it('uses the state mark, "unknown" before the first report', () => {
    const cameras = applyCameraStatuses(cameraViews(), [{ cameraId: 'cam-cau-tam-ky', ts: T, state: 'offline' }])
    const props = cameraFeatures(cameras).features.map((f) => f.properties)
    expect(props.find((p) => p.id === 'cam-cau-tam-ky')?.icon).toBe('camera:offline')
    expect(props.find((p) => p.id === 'cam-bach-dang')?.icon).toBe('camera:unknown')
  })
})

describe('areaLabelFeatures', () => {
  it('puts each area name at its centre', () => {
    const fc = areaLabelFeatures(tamKy.areas, 'vi')
    expect(fc.features).toHaveLength(13)
    expect(fc.features.find((f) => f.properties.code === '20344')).toMatchObject({
      geometry: { coordinates: [108.5133, 15.5626] },
      properties: { label: 'label:area:Phường Hòa Hương' },
    })
  })
})
