import type { AreaCollection } from '@ioc/shared'
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec'
import type { MapOptions } from 'maplibre-gl'
import { LEVEL_SWATCH } from '../palette.ts'
import { HALO_STATIC, type HaloLayer } from './alarm-halo.ts'
import type { BasemapLayers } from './basemap.ts'
import type { MapMode } from './choropleth.ts'
import {
  badgeImage,
  badgeOffset,
  badgePriority,
  CLUSTER_MAX_ZOOM,
  CLUSTER_RADIUS_MAX,
  CLUSTER_RADIUS_PX,
  clusterCountImage,
  clusterFill,
  clusterRadius,
  hasBadge,
  isCluster,
  isStation,
  STATION_CLUSTER_PROPERTIES,
  STATION_RADIUS_MAX,
  stationFill,
} from './clusters.ts'
import type { PointCollection } from './features.ts'
import { HATCH_IMAGE_ID } from './image-id.ts'

export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>
type LayerFilter = NonNullable<Extract<StyleSpecification['layers'][number], { type: 'circle' }>['filter']>
type GeoJSONData = Extract<StyleSpecification['sources'][string], { type: 'geojson' }>['data']

export const SOURCE = {
  areas: 'areas',
  areaLabels: 'area-labels',
  /** Every station, clustered where they crowd. */
  stations: 'stations',
  /** The selected station alone, unclustered: drawn on its own even when its neighbours make a cluster. */
  stationSpotlight: 'station-spotlight',
  cameras: 'cameras',
  choropleth: 'choropleth',
  choroplethLabels: 'choropleth-labels',
} as const

export const LAYER = {
  background: 'background',
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
  clustersAlarm: 'station-clusters-alarm-halo',
  stationsAlarm: 'stations-alarm-halo',
  camerasSelected: 'cameras-selected',
  cameras: 'cameras',
  clusters: 'station-clusters',
  stationsSelected: 'stations-selected',
  stations: 'stations-circle',
  stationSpotlight: 'stations-spotlight',
  stationNames: 'stations-name',
  clusterCounts: 'station-cluster-counts',
  /** Stations' badges, and the level badge of clusters at an alarm level. */
  stationBadges: 'stations-badge',
} as const

/**
 * The halos around stations, clusters and cameras with an unacknowledged alarm (`alarm-halo.ts` makes them
 * pulse); a cluster's is wider, as its circle is.
 */
export const HALO_LAYERS: readonly HaloLayer[] = [
  { id: LAYER.stationsAlarm, extraRadius: 0 },
  { id: LAYER.clustersAlarm, extraRadius: CLUSTER_RADIUS_MAX - STATION_RADIUS_MAX },
  { id: LAYER.camerasAlarm, extraRadius: 0 },
]

/**
 * The selected station's ring and dot. Hidden until a station is chosen: a source no visible layer
 * uses loads no tiles, so the map's first drawing does not wait for this one's.
 */
export const SPOTLIGHT_LAYERS = [LAYER.stationsSelected, LAYER.stationSpotlight]

/** Layers a click or tap selects a station from (a badge's feature may be a cluster: see `CLUSTER_LAYERS`). */
export const STATION_LAYERS = [LAYER.stations, LAYER.stationSpotlight, LAYER.stationBadges]
/** Layers whose features may be clusters: a click or tap on one zooms in until it comes apart. */
export const CLUSTER_LAYERS = [LAYER.clusters, LAYER.clusterCounts, LAYER.stationBadges]
export const CAMERA_LAYERS = [LAYER.cameras]
/** Layers a click or hover on the indicator view picks an area from. */
export const CHOROPLETH_LAYERS = [LAYER.choroplethFill]

/** Station names appear from this zoom; below it the badges alone would collide with them. */
export const STATION_NAME_MINZOOM = 13

const emptyCollection: PointCollection<object> = { type: 'FeatureCollection', features: [] }

/** What the point sources start with; each is empty unless given (the map component fills them with `setData`). */
export interface PointData {
  stations?: PointCollection<object>
  stationSpotlight?: PointCollection<object>
  cameras?: PointCollection<object>
  areaLabels?: PointCollection<object>
}

/**
 * The dashboard's map style: entirely local (no style URL, glyphs or sprite to fetch) but for the
 * optional `basemap` (`basemap.ts`: the city pack's archive served by the IOC, or an online one),
 * drawn under everything else, with the areas made translucent over it so its streets show through.
 * Point sources start with `data` (empty where it has
 * none); the map component keeps them current with `setData`. Stations are clustered where they
 * crowd, each cluster in the colour of the highest level among its stations. Every label is an
 * `icon-image` drawn on demand, never `text-field`. `focusArea` (an area code) is outlined more
 * strongly: the ward or commune of an area staff user. In the
 * `indicators` mode the areas are filled by value (areas without one hatched), each value is written
 * under the area's name, and the stations and cameras are hidden.
 */
export function buildStyle(
  areas: AreaCollection,
  basemap: BasemapLayers | null = null,
  focusArea: string | null = null,
  mode: MapMode = 'flood',
  data: PointData = {},
): StyleSpecification {
  const hasTiles = basemap !== null
  const indicators = mode === 'indicators'
  const geojson = (collection: PointCollection<object> | undefined) => (collection ?? emptyCollection) as GeoJSONData
  // MapLibre asks its worker for the sources' data and tiles in this order: the stations first, so
  // that they are what a new map has ready first.
  const sources: StyleSpecification['sources'] = {
    [SOURCE.stations]: {
      type: 'geojson',
      data: geojson(data.stations),
      cluster: true,
      clusterRadius: CLUSTER_RADIUS_PX,
      clusterMaxZoom: CLUSTER_MAX_ZOOM,
      clusterProperties: STATION_CLUSTER_PROPERTIES,
    },
    [SOURCE.areas]: { type: 'geojson', data: areas },
    [SOURCE.areaLabels]: { type: 'geojson', data: geojson(data.areaLabels) },
    [SOURCE.stationSpotlight]: { type: 'geojson', data: geojson(data.stationSpotlight) },
    [SOURCE.cameras]: { type: 'geojson', data: geojson(data.cameras) },
  }
  if (indicators) {
    sources[SOURCE.choropleth] = { type: 'geojson', data: emptyCollection }
    sources[SOURCE.choroplethLabels] = { type: 'geojson', data: emptyCollection }
  }
  if (basemap) Object.assign(sources, basemap.sources)

  const layers: StyleSpecification['layers'] = [
    { id: LAYER.background, type: 'background', paint: { 'background-color': '#e9eef0' } },
    ...(basemap?.layers ?? []),
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
      // Darker and wider over a basemap, so a boundary is not taken for a street.
      paint: { 'line-color': indicators || hasTiles ? '#374151' : '#7c8591', 'line-width': hasTiles ? 1.8 : 1.2, 'line-dasharray': [3, 2] },
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
    haloLayer(LAYER.camerasAlarm, SOURCE.cameras, idsFilter([])),
    haloLayer(LAYER.clustersAlarm, SOURCE.stations, ['all', isCluster, ALARMED], CLUSTER_RADIUS_MAX - STATION_RADIUS_MAX),
    haloLayer(LAYER.stationsAlarm, SOURCE.stations, ['all', isStation, ALARMED]),
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
      // A cluster: in the colour of its highest level, larger as it holds more stations.
      id: LAYER.clusters,
      type: 'circle',
      source: SOURCE.stations,
      filter: isCluster,
      layout: { 'circle-sort-key': ['get', 'maxLevel'] },
      paint: { 'circle-color': clusterFill, 'circle-radius': clusterRadius, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    {
      id: LAYER.stationsSelected,
      type: 'circle',
      source: SOURCE.stationSpotlight,
      // Shown once a station is chosen (see SPOTLIGHT_LAYERS).
      layout: { visibility: 'none' },
      paint: { 'circle-radius': 17, 'circle-opacity': 0, 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 },
    },
    stationCircleLayer(LAYER.stations, SOURCE.stations, isStation),
    // The selected station over any cluster it is part of (and over itself when it is on its own).
    { ...stationCircleLayer(LAYER.stationSpotlight, SOURCE.stationSpotlight), layout: { visibility: 'none' } },
    {
      // Under the badges: where they collide, the badge (the level) is placed first.
      id: LAYER.stationNames,
      type: 'symbol',
      source: SOURCE.stations,
      filter: isStation,
      minzoom: STATION_NAME_MINZOOM,
      layout: { 'icon-image': ['get', 'nameLabel'], 'icon-anchor': 'top', 'icon-offset': [0, 13] },
    },
    {
      id: LAYER.clusterCounts,
      type: 'symbol',
      source: SOURCE.stations,
      filter: isCluster,
      layout: { 'icon-image': clusterCountImage },
    },
    {
      id: LAYER.stationBadges,
      type: 'symbol',
      source: SOURCE.stations,
      // No badge before the first reading: the grey dot already says "no data", a "–" would only clutter.
      filter: hasBadge,
      layout: {
        'icon-image': badgeImage,
        'icon-anchor': 'bottom',
        'icon-offset': badgeOffset,
        // Only where it fits; of badges that collide, the highest level is placed.
        'symbol-sort-key': badgePriority,
      },
    },
  ]

  if (indicators) {
    const hidden = new Set<string>([
      ...STATION_LAYERS,
      ...CLUSTER_LAYERS,
      LAYER.stationNames,
      LAYER.stationsSelected,
      LAYER.stationsAlarm,
      LAYER.clustersAlarm,
      ...CAMERA_LAYERS,
      LAYER.camerasSelected,
      LAYER.camerasAlarm,
    ])
    for (const layer of layers) if (hidden.has(layer.id)) layer.layout = { ...layer.layout, visibility: 'none' } as typeof layer.layout
  }
  return {
    version: 8,
    name: basemap ? 'IOC dashboard' : 'IOC dashboard (offline)',
    ...(basemap?.glyphs && { glyphs: basemap.glyphs }),
    ...(basemap?.sprite && { sprite: basemap.sprite }),
    sources,
    layers,
  }
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

/** A station's dot: in its level's colour, larger at higher levels (one more cue that does not depend on colour). */
function stationCircleLayer(id: string, source: string, filter?: LayerFilter): StyleSpecification['layers'][number] {
  return {
    id,
    type: 'circle',
    source,
    ...(filter ? { filter } : {}),
    layout: { 'circle-sort-key': ['get', 'level'] },
    paint: {
      'circle-color': stationFill,
      'circle-radius': ['match', ['get', 'level'], 1, 9, 2, 10, 3, STATION_RADIUS_MAX, 8],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  }
}

/** Stations (and clusters) with an unacknowledged alarm (`StationProps.alarmed`). */
const ALARMED: ExpressionSpecification = ['==', ['get', 'alarmed'], 1]

/**
 * A ring in the BĐ3 colour around each alarmed point that `filter` keeps, `extraRadius` wider than a
 * station's. Its radius and opacity are animated by `createHaloPulse`; these are the still values.
 */
function haloLayer(id: string, source: string, filter: LayerFilter, extraRadius = 0): StyleSpecification['layers'][number] {
  return {
    id,
    type: 'circle',
    source,
    filter,
    paint: {
      'circle-radius': HALO_STATIC.radius + extraRadius,
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
