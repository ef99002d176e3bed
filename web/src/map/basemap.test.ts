import { describe, expect, it } from 'vitest'
import type { StyleSpecification } from './map-style.ts'
import { BASEMAP_PREFIX, BASEMAP_SOURCE, basemapLayers } from './basemap.ts'

const BASE = 'http://ioc.local:8080/muc-nuoc'
const noStyle = () => Promise.reject(new Error('no style should be fetched'))

describe('basemapLayers', () => {
  it('draws nothing when the IOC has no basemap', async () => {
    expect(await basemapLayers({ kind: 'none' }, BASE, noStyle)).toBeNull()
  })

  it("draws a vector archive without a style of its own with the IOC's OpenMapTiles style, names included", async () => {
    const basemap = await basemapLayers({ kind: 'vector', tiles: ['/tiles/{z}/{x}/{y}'], minzoom: 8, maxzoom: 14, attribution: '© OpenStreetMap contributors' }, BASE, noStyle)
    expect(basemap?.sources[BASEMAP_SOURCE]).toEqual({ type: 'vector', tiles: ['http://ioc.local:8080/tiles/{z}/{x}/{y}'], minzoom: 8, maxzoom: 14, attribution: '© OpenStreetMap contributors' })
    const sourceLayers = basemap?.layers.map((l) => ('source-layer' in l ? l['source-layer'] : null))
    expect(sourceLayers).toEqual(expect.arrayContaining(['water', 'waterway', 'transportation', 'transportation_name', 'place']))
    // No glyph server: MapLibre draws the names with the browser's fonts.
    expect(basemap?.glyphs).toBeUndefined()
    expect(basemap?.layers.every((l) => l.id.startsWith(BASEMAP_PREFIX))).toBe(true)
  })

  it("takes a pack's or an online style whole, its ids prefixed and its URLs made absolute", async () => {
    const style: StyleSpecification = {
      version: 8,
      glyphs: 'fonts/{fontstack}/{range}.pbf',
      sources: { openmaptiles: { type: 'vector', tiles: ['/tiles/{z}/{x}/{y}'] } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#fff' } },
        { id: 'roads', type: 'line', source: 'openmaptiles', 'source-layer': 'transportation' },
      ],
    }
    const asked: string[] = []
    const basemap = await basemapLayers({ kind: 'vector', tiles: ['/tiles/{z}/{x}/{y}'], styleUrl: '/tiles/style.json', minzoom: 0, maxzoom: 14, attribution: '© OSM' }, BASE, (url) => {
      asked.push(url)
      return Promise.resolve(style)
    })
    expect(asked).toEqual(['http://ioc.local:8080/tiles/style.json'])
    expect(basemap?.sources).toEqual({ 'basemap-openmaptiles': { type: 'vector', tiles: ['http://ioc.local:8080/tiles/{z}/{x}/{y}'] } })
    expect(basemap?.layers.map((l) => [l.id, 'source' in l ? l.source : null])).toEqual([
      ['basemap-background', null],
      ['basemap-roads', 'basemap-openmaptiles'],
    ])
    expect(basemap?.glyphs).toBe('http://ioc.local:8080/tiles/fonts/{fontstack}/{range}.pbf')
  })
})
