import { describe, expect, it } from 'vitest'
import { tamKy } from '../test-support/fixtures.ts'
import { BASEMAP_SOURCE, basemapLayers } from './basemap.ts'
import { badgeImage, hasBadge } from './clusters.ts'
import { buildStyle, idFilter, idsFilter, LAYER, SOURCE, SPOTLIGHT_LAYERS } from './map-style.ts'

describe('buildStyle', () => {
  const style = buildStyle(tamKy.areas)

  it('needs nothing from the network: no style URL, glyphs or sprite', () => {
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//)
  })

  it('uses no text-field anywhere (it would fetch glyphs)', () => {
    for (const layer of style.layers) expect(JSON.stringify(layer), layer.id).not.toContain('text-')
  })

  it('draws labels and badges as images', () => {
    const badges = style.layers.find((l) => l.id === LAYER.stationBadges)
    expect(badges?.layout).toMatchObject({ 'icon-image': badgeImage })
  })

  it('draws stations above cameras and areas', () => {
    const order = style.layers.map((l) => l.id)
    expect(order.indexOf(LAYER.stations)).toBeGreaterThan(order.indexOf(LAYER.cameras))
    expect(order.indexOf(LAYER.cameras)).toBeGreaterThan(order.indexOf(LAYER.areasFill))
  })

  it('draws alarm halos under the station, cluster and camera marks; cameras match no point until told', () => {
    const order = style.layers.map((l) => l.id)
    expect(order.indexOf(LAYER.stationsAlarm)).toBeLessThan(order.indexOf(LAYER.stations))
    expect(order.indexOf(LAYER.clustersAlarm)).toBeLessThan(order.indexOf(LAYER.clusters))
    expect(order.indexOf(LAYER.camerasAlarm)).toBeLessThan(order.indexOf(LAYER.cameras))
    const halo = style.layers.find((l) => l.id === LAYER.camerasAlarm)
    expect(halo && 'filter' in halo ? halo.filter : undefined).toEqual(idsFilter([]))
  })

  /** The layers from the bottom up, as drawn, are exactly these (others may lie between). */
  const stacked = (...ids: string[]) => expect(style.layers.map((l) => l.id).filter((id) => ids.includes(id))).toEqual(ids)

  it('clusters the stations, and draws the selected one on its own above the clusters', () => {
    expect(style.sources[SOURCE.stations]).toMatchObject({ type: 'geojson', cluster: true })
    expect(style.sources[SOURCE.stationSpotlight]).not.toHaveProperty('cluster')
    stacked(LAYER.clusters, LAYER.stationsSelected, LAYER.stations, LAYER.stationSpotlight)
    // Until a station is chosen: then its source loads no tiles for the first drawing.
    for (const id of SPOTLIGHT_LAYERS) expect(style.layers.find((l) => l.id === id)?.layout, id).toMatchObject({ visibility: 'none' })
  })

  it('places badges first, then cluster counts, then names, where labels collide; none forced over another', () => {
    // MapLibre places the top layer's symbols first.
    stacked(LAYER.stationNames, LAYER.clusterCounts, LAYER.stationBadges)
    for (const layer of style.layers) {
      if (layer.type === 'symbol' && layer.source === SOURCE.stations) expect(layer.layout, layer.id).not.toHaveProperty('icon-allow-overlap')
    }
  })

  it('starts the point sources with the data it is given', () => {
    const stations = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [108.5, 15.5] as [number, number] }, properties: { id: 'x' } }] }
    expect(buildStyle(tamKy.areas, null, null, 'flood', { stations }).sources[SOURCE.stations]).toMatchObject({ data: stations })
    expect(style.sources[SOURCE.cameras]).toMatchObject({ data: { type: 'FeatureCollection', features: [] } })
  })

  it('draws a basemap under the areas, which become translucent over it, only when there is one', async () => {
    const basemap = await basemapLayers({ kind: 'raster', tiles: ['/tiles/{z}/{x}/{y}'], tileSize: 256, minzoom: 10, maxzoom: 16, attribution: '© OpenStreetMap contributors' }, 'http://ioc.local/', () => Promise.reject(new Error('no style')))
    const withTiles = buildStyle(tamKy.areas, basemap)
    const order = withTiles.layers.map((l) => l.id)
    expect(order.indexOf(BASEMAP_SOURCE)).toBe(1)
    expect(order.indexOf(BASEMAP_SOURCE)).toBeLessThan(order.indexOf(LAYER.areasFill))
    expect(withTiles.sources[BASEMAP_SOURCE]).toMatchObject({ type: 'raster', tiles: ['http://ioc.local/tiles/{z}/{x}/{y}'], attribution: '© OpenStreetMap contributors' })
    expect(withTiles.layers.find((l) => l.id === LAYER.areasFill)?.paint).toMatchObject({ 'fill-opacity': 0.35 })
    expect(style.sources[BASEMAP_SOURCE]).toBeUndefined()
    expect(style.layers.find((l) => l.id === LAYER.areasFill)?.paint).toMatchObject({ 'fill-opacity': 1 })
  })
})

describe('focus area', () => {
  it('outlines only the given area, above the other boundaries and below the labels', () => {
    const focused = buildStyle(tamKy.areas, null, '20362')
    const order = focused.layers.map((l) => l.id)
    const line = focused.layers.find((l) => l.id === LAYER.areaFocus)
    expect(line && 'filter' in line ? line.filter : undefined).toEqual(['==', ['get', 'code'], '20362'])
    expect(order.indexOf(LAYER.areaFocusCasing)).toBeGreaterThan(order.indexOf(LAYER.areasOutline))
    expect(order.indexOf(LAYER.areaFocus)).toBeGreaterThan(order.indexOf(LAYER.areaFocusCasing))
    expect(order.indexOf(LAYER.areaFocus)).toBeLessThan(order.indexOf(LAYER.areaLabels))
  })

  it('is not drawn for users without an area', () => {
    expect(buildStyle(tamKy.areas).layers.map((l) => l.id)).not.toContain(LAYER.areaFocus)
  })
})

describe('idFilter', () => {
  it('matches nothing when no id is selected', () => {
    expect(idFilter(null)).toEqual(['==', ['get', 'id'], ''])
  })
})

describe('station badges', () => {
  it('are not drawn for stations without a reading', () => {
    const badges = buildStyle(tamKy.areas).layers.find((l) => l.id === LAYER.stationBadges)
    expect(badges && 'filter' in badges ? badges.filter : undefined).toEqual(hasBadge)
  })
})

describe('indicator view', () => {
  const style = buildStyle(tamKy.areas, null, null, 'indicators')
  const layer = (id: string) => style.layers.find((l) => l.id === id)

  it('fills the areas by value, hatching those without one, under the boundaries and labels', () => {
    const order = style.layers.map((l) => l.id)
    expect(order.indexOf(LAYER.choroplethFill)).toBeLessThan(order.indexOf(LAYER.choroplethHatch))
    expect(order.indexOf(LAYER.choroplethHatch)).toBeLessThan(order.indexOf(LAYER.areasOutline))
    expect(order.indexOf(LAYER.choroplethLabels)).toBeGreaterThan(order.indexOf(LAYER.areaLabels))
    const hatch = layer(LAYER.choroplethHatch)
    expect(hatch && 'filter' in hatch ? hatch.filter : undefined).toEqual(['==', ['get', 'hasValue'], false])
  })

  it('hides stations and cameras, and keeps them in the flood view', () => {
    expect(layer(LAYER.stations)?.layout).toMatchObject({ visibility: 'none' })
    expect(layer(LAYER.cameras)?.layout).toMatchObject({ visibility: 'none' })
    expect(buildStyle(tamKy.areas).layers.find((l) => l.id === LAYER.stations)?.layout).not.toHaveProperty('visibility')
  })

  it('is not in the flood view at all', () => {
    expect(buildStyle(tamKy.areas).layers.map((l) => l.id)).not.toContain(LAYER.choroplethFill)
  })
})
