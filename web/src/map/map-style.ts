import type { AreaCollection } from '@ioc/shared'
import type { MapOptions } from 'maplibre-gl'
import { LEVEL_SWATCH } from '../palette.ts'
import { HALO_STATIC } from './alarm-halo.ts'
import type { MapMode } from './choropleth.ts'
import { HATCH_IMAGE_ID } from './image-id.ts'

export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>
type LayerFilter = NonNullable<Extract<StyleSpecification['layers'][number], { type: 'circle' }>['filter']>

export const SOURCE = {
  tiles: 'basemap',
  areas: 'areas',
  areaLabels: 'area-labels',
  stations: 'stations',
  cameras: 'cameras',
  choropleth: 'choropleth',
  choroplethLabels: 'choropleth-labels',
} as const

export const LAYER = {
  background: 'background',
  tiles: 'basemap',
  areasFill: 'areas-fill',
  choroplethFill: 'choropleth-fill',
  choroplethHatch: 'choropleth-hatch',
  areasOutline: 'areas-outline',
  choroplethSelected: 'choropleth-selected',
  areaFocusCasing: 'area-focus-casing',
  areaFocus: 'area-focus',
  areaLabels: 'area-labels',
  choroplethLabels: 'choropleth-labels',
  camerasAlarm: 'cameras-alarm-halo',
  stationsAlarm: 'stations-alarm-halo',
  camerasSelected: 'cameras-selected',
  cameras: 'cameras',
  stationsSelected: 'stations-selected',
  stations: 'stations-circle',
  stationBadges: 'stations-badge',
  stationNames: 'stations-name',
} as const

/** The halos around stations and cameras with an unacknowledged alarm (`alarm-halo.ts` makes them pulse). */
export const HALO_LAYERS = [LAYER.stationsAlarm, LAYER.camerasAlarm]

/** Layers a click or tap selects from. */
export const STATION_LAYERS = [LAYER.stations, LAYER.stationBadges]
export const CAMERA_LAYERS = [LAYER.cameras]
/** Layers a click or hover on the indicator view picks an area from. */
export const CHOROPLETH_LAYERS = [LAYER.choroplethFill]

/** Station names appear from this zoom; below it the badges alone would collide with them. */
export const STATION_NAME_MINZOOM = 13

export interface BasemapOptions {
  /**
   * An XYZ raster tile template (`https://…/{z}/{x}/{y}.png`), e.g. the city's own tile server.
   * @defaultValue undefined: no basemap; the map needs no network beyond the IOC server.
   */
  tileUrl?: string | undefined
  /** Attribution the tile provider requires. */
  tileAttribution?: string | undefined
}

const emptyCollection = { type: 'FeatureCollection' as const, features: [] }

/**
 * The dashboard's map style: entirely local (no style URL, glyphs or sprite to fetch). The only
 * optional network resource is a raster basemap. Point sources start empty; the map component fills
 * them with `setData`. Every label is an `icon-image` drawn on demand, never `text-field`. `focusArea`
 * (an area code) is outlined more strongly: the ward or commune of an area staff user. In the
 * `indicators` mode the areas are filled by value (areas without one hatched), each value is written
 * under the area's name, and the stations and cameras are hidden.
 */
export function buildStyle(areas: AreaCollection, basemap: BasemapOptions = {}, focusArea: string | null = null, mode: MapMode = 'flood'): StyleSpecification {
  const hasTiles = Boolean(basemap.tileUrl)
  const indicators = mode === 'indicators'
  const sources: StyleSpecification['sources'] = {
    [SOURCE.areas]: { type: 'geojson', data: areas },
    [SOURCE.areaLabels]: { type: 'geojson', data: emptyCollection },
    [SOURCE.stations]: { type: 'geojson', data: emptyCollection },
    [SOURCE.cameras]: { type: 'geojson', data: emptyCollection },
  }
  if (indicators) {
    sources[SOURCE.choropleth] = { type: 'geojson', data: emptyCollection }
    sources[SOURCE.choroplethLabels] = { type: 'geojson', data: emptyCollection }
  }
  if (hasTiles) {
    sources[SOURCE.tiles] = {
      type: 'raster',
      tiles: [basemap.tileUrl as string],
      tileSize: 256,
      maxzoom: 19,
      ...(basemap.tileAttribution ? { attribution: basemap.tileAttribution } : {}),
    }
  }

  const layers: StyleSpecification['layers'] = [
    { id: LAYER.background, type: 'background', paint: { 'background-color': '#e9eef0' } },
    ...(hasTiles ? [{ id: LAYER.tiles, type: 'raster' as const, source: SOURCE.tiles }] : []),
    {
      id: LAYER.areasFill,
      type: 'fill',
      source: SOURCE.areas,
      paint: {
        'fill-color': ['match', ['get', 'kind'], 'commune', '#e4ecd8', '#f6f1e7'],
        'fill-opacity': hasTiles ? 0.35 : 1,
      },
    },
    ...(indicators ? choroplethFillLayers(hasTiles) : []),
    {
      // Dashed: the shapes are approximate (Voronoi cells), not surveyed boundaries.
      id: LAYER.areasOutline,
      type: 'line',
      source: SOURCE.areas,
      paint: { 'line-color': indicators ? '#374151' : '#7c8591', 'line-width': 1.2, 'line-dasharray': [3, 2] },
    },
    ...(focusArea === null ? [] : focusLayers(focusArea)),
    ...(indicators ? [choroplethSelectedLayer()] : []),
    {
      id: LAYER.areaLabels,
      type: 'symbol',
      source: SOURCE.areaLabels,
      layout: indicators ? { 'icon-image': ['get', 'label'], 'icon-anchor': 'bottom', 'icon-offset': [0, -3], 'icon-padding': 0 } : { 'icon-image': ['get', 'label'], 'icon-padding': 4 },
    },
    ...(indicators ? [choroplethLabelLayer()] : []),
    // Drawn under the marks: a halo never hides a station or its level colour.
    haloLayer(LAYER.camerasAlarm, SOURCE.cameras),
    haloLayer(LAYER.stationsAlarm, SOURCE.stations),
    {
      id: LAYER.camerasSelected,
      type: 'circle',
      source: SOURCE.cameras,
      filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 15, 'circle-opacity': 0, 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 },
    },
    {
      id: LAYER.cameras,
      type: 'symbol',
      source: SOURCE.cameras,
      layout: { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    },
    {
      id: LAYER.stationsSelected,
      type: 'circle',
      source: SOURCE.stations,
      filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 17, 'circle-opacity': 0, 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 },
    },
    {
      id: LAYER.stations,
      type: 'circle',
      source: SOURCE.stations,
      layout: { 'circle-sort-key': ['get', 'level'] },
      paint: {
        'circle-color': [
          'match',
          ['get', 'level'],
          -1, LEVEL_SWATCH[-1].fill,
          0, LEVEL_SWATCH[0].fill,
          1, LEVEL_SWATCH[1].fill,
          2, LEVEL_SWATCH[2].fill,
          3, LEVEL_SWATCH[3].fill,
          '#000000',
        ],
        // Higher levels are drawn larger too: one more cue that does not depend on colour.
        'circle-radius': ['match', ['get', 'level'], 1, 9, 2, 10, 3, 11, 8],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: LAYER.stationBadges,
      type: 'symbol',
      source: SOURCE.stations,
      // No badge before the first reading: the grey dot already says "no data", a "–" would only clutter.
      filter: ['>=', ['get', 'level'], 0],
      layout: {
        'icon-image': ['get', 'badge'],
        'icon-anchor': 'bottom',
        'icon-offset': [0, -13],
        // A badge is never hidden behind another: overlapping ones stack, the higher level on top.
        'icon-allow-overlap': true,
        'symbol-sort-key': ['get', 'level'],
      },
    },
    {
      id: LAYER.stationNames,
      type: 'symbol',
      source: SOURCE.stations,
      minzoom: STATION_NAME_MINZOOM,
      layout: { 'icon-image': ['get', 'nameLabel'], 'icon-anchor': 'top', 'icon-offset': [0, 13] },
    },
  ]

  if (indicators) {
    const hidden = new Set<string>([...STATION_LAYERS, LAYER.stationNames, LAYER.stationsSelected, LAYER.stationsAlarm, ...CAMERA_LAYERS, LAYER.camerasSelected, LAYER.camerasAlarm])
    for (const layer of layers) if (hidden.has(layer.id)) layer.layout = { ...layer.layout, visibility: 'none' } as typeof layer.layout
  }
  return { version: 8, name: 'IOC dashboard (offline)', sources, layers }
}

/** Each area in its class colour; areas without a value hatched on top of their grey. */
function choroplethFillLayers(hasTiles: boolean): StyleSpecification['layers'] {
  return [
    {
      id: LAYER.choroplethFill,
      type: 'fill',
      source: SOURCE.choropleth,
      paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': hasTiles ? 0.75 : 1 },
    },
    {
      id: LAYER.choroplethHatch,
      type: 'fill',
      source: SOURCE.choropleth,
      filter: ['==', ['get', 'hasValue'], false],
      paint: { 'fill-pattern': HATCH_IMAGE_ID, 'fill-opacity': hasTiles ? 0.75 : 1 },
    },
  ]
}

/**
 * The value under each area's name. Above the names, so where the small central wards crowd it is
 * the names that give way (the value is what this view is for); the table and the tap give the rest.
 */
function choroplethLabelLayer(): StyleSpecification['layers'][number] {
  return {
    id: LAYER.choroplethLabels,
    type: 'symbol',
    source: SOURCE.choroplethLabels,
    layout: { 'icon-image': ['get', 'label'], 'icon-anchor': 'top', 'icon-offset': [0, 3], 'icon-padding': 0 },
  }
}

/** The area chosen in the table or on the map: a thick dark outline over a white casing. */
function choroplethSelectedLayer(): StyleSpecification['layers'][number] {
  return {
    id: LAYER.choroplethSelected,
    type: 'line',
    source: SOURCE.choropleth,
    filter: codeFilter(null),
    layout: { 'line-join': 'round' },
    paint: { 'line-color': '#111827', 'line-width': 4 },
  }
}

/** Layer-filter expression that keeps only the area with this code (none when null). */
export function codeFilter(code: string | null): LayerFilter {
  return ['==', ['get', 'code'], code ?? '']
}

/**
 * A ring in the BĐ3 colour around each alarmed point (none until `idsFilter` lists some). Its radius and
 * opacity are animated by `createHaloPulse`; these are the still values.
 */
function haloLayer(id: string, source: string): StyleSpecification['layers'][number] {
  return {
    id,
    type: 'circle',
    source,
    filter: idsFilter([]),
    paint: {
      'circle-radius': HALO_STATIC.radius,
      'circle-color': LEVEL_SWATCH[3].fill,
      'circle-opacity': HALO_STATIC.opacity / 2,
      'circle-stroke-color': LEVEL_SWATCH[3].fill,
      'circle-stroke-width': 3,
      'circle-stroke-opacity': HALO_STATIC.opacity,
    },
  }
}

/**
 * A wide white casing under a thick blue line: the user's own area stands out on the plain background
 * and on a basemap alike, and stays dashed like every boundary, which is approximate.
 */
function focusLayers(code: string): StyleSpecification['layers'] {
  const filter: LayerFilter = ['==', ['get', 'code'], code]
  return [
    {
      id: LAYER.areaFocusCasing,
      type: 'line',
      source: SOURCE.areas,
      filter,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.9 },
    },
    {
      id: LAYER.areaFocus,
      type: 'line',
      source: SOURCE.areas,
      filter,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#1f62a8', 'line-width': 3.5, 'line-dasharray': [2, 1] },
    },
  ]
}

/** Layer-filter expression that keeps the features with these ids. */
export function idsFilter(ids: readonly string[]): LayerFilter {
  return ['in', ['get', 'id'], ['literal', [...ids]]]
}

/** Layer-filter expression that keeps only the feature with this id (none when null). */
export function idFilter(id: string | null): LayerFilter {
  return ['==', ['get', 'id'], id ?? '']
}
