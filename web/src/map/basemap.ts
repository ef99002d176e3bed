import type { BasemapView } from '@ioc/shared'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { StyleSpecification } from './map-style.ts'

type Sources = StyleSpecification['sources']
type Layers = StyleSpecification['layers']

/**
 * What a map puts under its own layers: the basemap's sources and layers (ids prefixed, so they never
 * meet the map's own), the glyphs and sprite its style names if any, and the credit it requires.
 * Names on a vector basemap need no glyph server: without a `glyphs` URL MapLibre draws text with the
 * browser's own fonts, so street and place names show offline, Vietnamese diacritics included.
 */
export interface BasemapLayers {
  sources: Sources
  layers: Layers
  glyphs?: string
  sprite?: StyleSpecification['sprite']
  attribution: string
}

/** The prefix of every basemap source and layer id. */
export const BASEMAP_PREFIX = 'basemap-'
/** The source of a basemap drawn from XYZ tiles (raster, or vector with the IOC's own style). */
export const BASEMAP_SOURCE = `${BASEMAP_PREFIX}tiles`

/** A URL the server gave (a path on the IOC, or absolute) made absolute: MapLibre's worker fetches it from a blob: URL. */
const absolute = (url: string, base: string): string => (url.startsWith('mapbox://') ? url : new URL(url.replaceAll('{', '%7B').replaceAll('}', '%7D'), base).href.replaceAll('%7B', '{').replaceAll('%7D', '}'))

/**
 * A quiet style for the OpenMapTiles schema (what tilemaker and Planetiler make from OpenStreetMap):
 * land, water and rivers, roads by class, buildings up close, and street and place names — muted, so
 * the areas, stations and their levels stay what the eye finds first.
 */
export function openMapTilesLayers(source: string): Layers {
  const id = (name: string) => `${BASEMAP_PREFIX}${name}`
  // A casing is `extra` px wider than its road at every zoom.
  const roadWidth = (major: number, extra = 0): ['interpolate', ['exponential', number], ['zoom'], ...number[]] => ['interpolate', ['exponential', 1.5], ['zoom'], 10, major * 0.4 + extra, 14, major * 1.6 + extra, 18, major * 6 + extra]
  const roads: Array<[string, string[], string, number, number]> = [
    // name, classes, colour, width at z14 ÷ 1.6, minzoom
    ['road-minor', ['minor', 'service', 'track', 'path'], '#ffffff', 1.6, 13],
    ['road-secondary', ['secondary', 'tertiary'], '#fdfbf4', 2.4, 10],
    ['road-primary', ['primary', 'trunk', 'motorway'], '#f8d98a', 3.2, 8],
  ]
  const name: ['coalesce', ['get', string], ['get', string]] = ['coalesce', ['get', 'name:vi'], ['get', 'name']]
  return [
    { id: id('land'), type: 'background', paint: { 'background-color': '#f2efe9' } },
    { id: id('landcover'), type: 'fill', source, 'source-layer': 'landcover', paint: { 'fill-color': '#dfe9d2', 'fill-opacity': 0.7 } },
    { id: id('landuse'), type: 'fill', source, 'source-layer': 'landuse', paint: { 'fill-color': '#ebe6dc', 'fill-opacity': 0.6 } },
    { id: id('water'), type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': '#a9cbe6' } },
    {
      id: id('waterway'),
      type: 'line',
      source,
      'source-layer': 'waterway',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#a9cbe6', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 8] },
    },
    { id: id('building'), type: 'fill', source, 'source-layer': 'building', minzoom: 14, paint: { 'fill-color': '#e0d9cf', 'fill-outline-color': '#cfc6b9' } },
    ...roads.map(
      ([road, classes, , major, minzoom]): Layers[number] => ({
        id: id(`${road}-casing`),
        type: 'line',
        source,
        'source-layer': 'transportation',
        minzoom,
        filter: ['in', ['get', 'class'], ['literal', classes]],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#b9ae9d', 'line-width': roadWidth(major, 1.5) },
      }),
    ),
    ...roads.map(
      ([road, classes, colour, major, minzoom]): Layers[number] => ({
        id: id(road),
        type: 'line',
        source,
        'source-layer': 'transportation',
        minzoom,
        filter: ['in', ['get', 'class'], ['literal', classes]],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': colour, 'line-width': roadWidth(major) },
      }),
    ),
    {
      id: id('waterway-name'),
      type: 'symbol',
      source,
      'source-layer': 'waterway',
      minzoom: 12,
      layout: { 'text-field': name, 'symbol-placement': 'line', 'text-size': 12, 'text-letter-spacing': 0.1 },
      paint: { 'text-color': '#3d6f99', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
    {
      id: id('street-name'),
      type: 'symbol',
      source,
      'source-layer': 'transportation_name',
      minzoom: 14,
      layout: { 'text-field': name, 'symbol-placement': 'line', 'text-size': 11 },
      paint: { 'text-color': '#6b6459', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
    {
      id: id('place-name'),
      type: 'symbol',
      source,
      'source-layer': 'place',
      minzoom: 11,
      layout: { 'text-field': name, 'text-size': ['match', ['get', 'class'], ['city', 'town'], 14, 11], 'text-max-width': 8 },
      paint: { 'text-color': '#5d5a55', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    },
  ]
}

/** A whole MapLibre style's sources and layers, ids prefixed and every URL made absolute against `base`. */
export function layersOfStyle(style: StyleSpecification, base: string, attribution: string): BasemapLayers {
  const sources: Sources = {}
  for (const [sourceId, source] of Object.entries(style.sources)) {
    const copy = { ...source } as Sources[string] & { tiles?: string[]; url?: string; data?: unknown }
    if (copy.tiles) copy.tiles = copy.tiles.map((tile) => absolute(tile, base))
    if (copy.url) copy.url = absolute(copy.url, base)
    if (typeof copy.data === 'string') copy.data = absolute(copy.data, base)
    sources[`${BASEMAP_PREFIX}${sourceId}`] = copy
  }
  const layers = style.layers.map((layer) => ({ ...layer, id: `${BASEMAP_PREFIX}${layer.id}`, ...('source' in layer && typeof layer.source === 'string' ? { source: `${BASEMAP_PREFIX}${layer.source}` } : {}) }) as Layers[number])
  return {
    sources,
    layers,
    ...(style.glyphs && { glyphs: absolute(style.glyphs, base) }),
    ...(typeof style.sprite === 'string' ? { sprite: absolute(style.sprite, base) } : style.sprite ? { sprite: style.sprite } : {}),
    attribution,
  }
}

/**
 * The basemap's sources and layers for what the server said to draw; null for none. `fetchStyle`
 * reads a style the view names (the pack's, or an online one).
 */
export async function basemapLayers(view: BasemapView, base: string, fetchStyle: (url: string) => Promise<StyleSpecification>): Promise<BasemapLayers | null> {
  switch (view.kind) {
    case 'none':
      return null
    case 'raster':
      return {
        sources: { [BASEMAP_SOURCE]: { type: 'raster', tiles: view.tiles.map((t) => absolute(t, base)), tileSize: view.tileSize, minzoom: view.minzoom, maxzoom: view.maxzoom, attribution: view.attribution } },
        layers: [{ id: BASEMAP_SOURCE, type: 'raster', source: BASEMAP_SOURCE }],
        attribution: view.attribution,
      }
    case 'vector':
      if (view.styleUrl) {
        const url = absolute(view.styleUrl, base)
        return layersOfStyle(await fetchStyle(url), url, view.attribution)
      }
      return {
        sources: { [BASEMAP_SOURCE]: { type: 'vector', tiles: view.tiles.map((t) => absolute(t, base)), minzoom: view.minzoom, maxzoom: view.maxzoom, attribution: view.attribution } },
        layers: openMapTilesLayers(BASEMAP_SOURCE),
        attribution: view.attribution,
      }
    case 'style': {
      const url = absolute(view.styleUrl, base)
      return layersOfStyle(await fetchStyle(url), url, view.attribution)
    }
  }
}

/**
 * Once the map is idle, sets `data-basemap-layers` on its container to the basemap layers that drew
 * features in view (vector basemaps; a raster one draws no features), for tests and for an operator
 * checking a new archive in the browser's inspector.
 */
export function noteDrawnBasemap(map: MapLibreMap, container: HTMLElement, basemap: BasemapLayers): void {
  const ids = basemap.layers.filter((layer) => layer.type !== 'background' && layer.type !== 'raster').map((layer) => layer.id)
  if (ids.length === 0) return
  map.on('idle', () => {
    const drawn = new Set(map.queryRenderedFeatures({ layers: ids }).map((feature) => feature.layer.id))
    container.dataset.basemapLayers = [...drawn].sort().join(' ')
  })
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`${url}: ${response.status}`)
  return (await response.json()) as T
}

let loading: Promise<BasemapLayers | null> | null = null

/**
 * The basemap of this IOC, asked once per page and shared by every map on it. A basemap that cannot
 * be loaded is no reason to lose the map: it is drawn without one, and the failure logged.
 */
export function loadBasemap(): Promise<BasemapLayers | null> {
  loading ??= getJson<BasemapView>('/api/public/basemap')
    .then((view) => basemapLayers(view, location.href, (url) => getJson<StyleSpecification>(url)))
    .catch((error: unknown) => {
      console.warn('basemap unavailable, drawing the map without it', error)
      return null
    })
  return loading
}
