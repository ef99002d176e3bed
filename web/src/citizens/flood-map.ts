import { LngLatBounds, Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { LivePoint } from './flood-state.ts'
import { formatCm } from '../i18n/format.ts'
import type { Lang } from '../i18n/locale.ts'
import { levelClass } from './point-card.tsx'
import { noteDrawnBasemap, type BasemapLayers } from '../map/basemap.ts'

/**
 * The flood points on a map, loaded only when the reader asks for it (this module and MapLibre are a
 * separate chunk). Each point is an HTML marker that says its level and value in text, over the IOC's
 * basemap (`../map/basemap.ts`: the city pack's archive, served by the IOC, or an online one). Without
 * one the markers stand on a plain background, placed relative to each other. The list stays the
 * full, accessible view.
 */
export interface FloodMap {
  update(points: readonly LivePoint[], lang: Lang): void
  remove(): void
}

function style(basemap: BasemapLayers | null): StyleSpecification {
  return {
    version: 8,
    ...(basemap?.glyphs && { glyphs: basemap.glyphs }),
    ...(basemap?.sprite && { sprite: basemap.sprite }),
    sources: basemap?.sources ?? {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } }, ...(basemap?.layers ?? [])],
  }
}

// MapLibre's worker ships as its own file, as in the dashboard's map.
setWorkerUrl(workerUrl)

export function mountFloodMap(container: HTMLElement, points: readonly LivePoint[], lang: Lang, basemap: BasemapLayers | null): FloodMap {
  const bounds = new LngLatBounds()
  for (const p of points) bounds.extend([p.lon, p.lat])
  const map = new MapLibreMap({
    container,
    style: style(basemap),
    bounds: points.length > 0 ? bounds : undefined,
    fitBoundsOptions: { padding: 48, maxZoom: 14 },
    attributionControl: { compact: true },
    cooperativeGestures: true,
  })
  map.addControl(new NavigationControl({ showCompass: false }))
  if (basemap) noteDrawnBasemap(map, container, basemap)
  const markers = new Map<string, { marker: Marker; element: HTMLAnchorElement }>()

  const update = (next: readonly LivePoint[], nextLang: Lang) => {
    for (const point of next) {
      let entry = markers.get(point.id)
      if (!entry) {
        const element = document.createElement('a')
        element.href = `#diem-${point.id}`
        entry = { element, marker: new Marker({ element }).setLngLat([point.lon, point.lat]).addTo(map) }
        markers.set(point.id, entry)
      }
      entry.element.className = `map-marker level-badge ${levelClass(point)}`
      const value = point.latest ? formatCm(point.latest.waterLevelCm, nextLang) : '–'
      const level = point.latest && point.floodLevel > 0 ? `BĐ${point.floodLevel} · ` : ''
      entry.element.textContent = `${point.name[nextLang]}: ${level}${value}`
    }
  }
  update(points, lang)
  return { update, remove: () => map.remove() }
}
