import { effect, type ReadonlySignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { Map as MapLibreMap, Popup, type GeoJSONSource, type LngLatBoundsLike, type MapGeoJSONFeature } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { AreaCollection, AreaFeature, CityDef } from '@ioc/shared'
import { lang, t } from '../i18n/lang.ts'
import { NO_DATA_FILL } from '../palette.ts'
import type { Store } from '../store.ts'
import { createHaloPulse, unacknowledgedSources } from './alarm-halo.ts'
import { areaValueText, choroplethAreas, choroplethLabels, type Choropleth, type MapMode } from './choropleth.ts'
import { CLUSTER_BADGE_IMAGES } from './clusters.ts'
import { areaLabelFeatures, cameraFeatures, imageIdsIn, stationFeature, stationFeatures, type PointCollection } from './features.ts'
import { attachCameraPopup } from './camera-popup.tsx'
import { polygonBounds } from './focus-area.ts'
import { parseImageId } from './image-id.ts'
import { drawMapImage } from './label-images.ts'
import { buildStyle, CAMERA_LAYERS, CHOROPLETH_LAYERS, CLUSTER_LAYERS, codeFilter, HALO_LAYERS, idFilter, idsFilter, LAYER, SOURCE, SPOTLIGHT_LAYERS, STATION_LAYERS } from './map-style.ts'
import { MapViewSwitch } from './map-view-switch.tsx'
import { pixelRatio, prepareMap } from './prepare.ts'
import { loadBasemap, noteDrawnBasemap, type BasemapLayers } from './basemap.ts'

/** Generated label images kept before unused ones are dropped (each new water level makes a new badge). */
const IMAGE_CACHE_LIMIT = 200
/** Extra hit area around a tap, in CSS pixels: fingers are wider than mouse pointers. */
const HIT_TOLERANCE_PX = 6
/** Layers a click or tap picks from, topmost first; a badge may be a station's or a cluster's. */
const HIT_LAYERS = [...new Set([...CLUSTER_LAYERS, ...STATION_LAYERS, ...CAMERA_LAYERS])]
/** Room around the city when fitting it, smaller on a phone where every pixel of map counts. */
const fitPadding = (container: HTMLElement): number => Math.round(Math.min(32, container.clientWidth / 20))

/** A little room around the city so a user can pan to its edge, but not lose it. */
function panLimits(bounds: CityDef['bounds']): LngLatBoundsLike {
  const [[west, south], [east, north]] = bounds
  const dx = (east - west) * 0.75
  const dy = (north - south) * 0.75
  return [
    [west - dx, south - dy],
    [east + dx, north + dy],
  ]
}

interface MapViewProps {
  store: Store
  city: CityDef
  areas: AreaCollection
  /** The area to open on and outline (an area staff user's own); null opens on the whole city. */
  focusArea: AreaFeature | null
  /**
   * Flood stations and cameras, or areas coloured by an indicator (`choropleth`).
   * @defaultValue 'flood'
   */
  mode?: MapMode
  /** Offers the switch between the two views (to those who may read indicators). */
  viewSwitch?: boolean
  /** The indicator view's fills and values; areas are grey until it has some. */
  choropleth?: ReadonlySignal<Choropleth | null>
  /** The area outlined as chosen in the indicator view. */
  selectedArea?: ReadonlySignal<string | null>
  /** An area was clicked or tapped in the indicator view. */
  onAreaSelect?: (code: string) => void
}

/** The point sources the map component keeps current. */
const POINT_SOURCES = {
  stations: SOURCE.stations,
  stationSpotlight: SOURCE.stationSpotlight,
  cameras: SOURCE.cameras,
  areaLabels: SOURCE.areaLabels,
  choroplethLabels: SOURCE.choroplethLabels,
} as const
type PointSource = keyof typeof POINT_SOURCES

/**
 * The one MapLibre wrapper: area shapes, stations and cameras from the store, kept live with
 * `setData`, and a click or tap selects a station or camera. Stations crowded on screen are drawn as
 * a cluster in the colour of its highest level; a click or tap on one zooms in until it comes apart,
 * and the selected station is always drawn on its own. Opens on `focusArea` when there is one
 * (the home button still shows the whole city). Stations and cameras with an unacknowledged alarm
 * pulse. In the indicator view the areas are filled by value and hovering or tapping one tells its
 * value. Sets `data-stations-drawn` on its container once the stations have rendered and the map
 * rests (labels faded in),
 * `data-alarmed-stations` to how many stations pulse, `data-focus-area` to the focused area's
 * code, `data-view` and, in the indicator view, `data-choropleth-values` to how many areas have a
 * value drawn, and `data-zoom` its zoom once it has moved, for tests to wait on. The basemap (none,
 * the city pack's archive or an online one: `basemap.ts`) is asked for first, once per page.
 */
export function MapView({ store, city, areas, focusArea, mode = 'flood', viewSwitch = false, choropleth, selectedArea, onAreaSelect }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const mapRef = useRef<MapLibreMap | null>(null)
  const focusCode = focusArea?.properties.code ?? null

  useEffect(() => {
    const container = containerRef.current
    if (!container) return
    prepareMap()
    let cancelled = false
    let remove: (() => void) | undefined
    void loadBasemap().then((basemap) => {
      if (!cancelled) remove = start(container, basemap)
    })
    return () => {
      cancelled = true
      remove?.()
    }
    // The map is built once per city (and user); everything that changes later flows in through signals.
  }, [store, city, areas, focusArea, mode, choropleth, selectedArea, onAreaSelect])

  const start = (container: HTMLDivElement, basemap: BasemapLayers | null) => {
    // User-timing marks along the first drawing (`pnpm bench --only web` prints where its time goes).
    performance.mark('ioc:map-start')
    // What each point source holds now (the idle handler reports the station count and keeps the
    // images these features use), and what the map was last given.
    const drawn: Record<PointSource, PointCollection<object> | null> = { stations: null, stationSpotlight: null, cameras: null, areaLabels: null, choroplethLabels: null }
    const given: Partial<Record<PointSource, PointCollection<object>>> = {}
    const give = (key: PointSource) => {
      const data = drawn[key]
      const source = mapRef.current?.getSource<GeoJSONSource>(POINT_SOURCES[key])
      if (!data || !source || given[key] === data) return
      given[key] = data
      void source.setData(data as Parameters<GeoJSONSource['setData']>[0])
    }
    // Before the map has its style, only noted: the style starts with it, or `load` gives it.
    const show = (key: PointSource, data: PointCollection<object>) => {
      drawn[key] = data
      give(key)
    }

    // Each effect re-runs when the signals it reads change. The store already batches socket bursts
    // per animation frame, so this is at most one setData per source per frame. Their first runs
    // happen now, so the map's style already holds the stations: no wait for `load`, then `setData`.
    const disposers: Array<() => void> = [
      effect(() => {
        const alarmed = new Set(unacknowledgedSources(store.alarms.value).stations)
        show('stations', stationFeatures(store.stations.value, lang.value, alarmed))
      }),
      effect(() => {
        const selection = store.selection.value
        const station = selection?.kind === 'station' ? store.stations.value.find((s) => s.id === selection.id) : undefined
        show('stationSpotlight', { type: 'FeatureCollection', features: station ? [stationFeature(station, lang.value)] : [] })
      }),
      effect(() => show('cameras', cameraFeatures(store.cameras.value))),
      effect(() => show('areaLabels', areaLabelFeatures(areas, lang.value))),
    ]
    const initial = { stations: drawn.stations ?? undefined, stationSpotlight: drawn.stationSpotlight ?? undefined, cameras: drawn.cameras ?? undefined, areaLabels: drawn.areaLabels ?? undefined }
    Object.assign(given, initial)

    const map = new MapLibreMap({
      container,
      style: buildStyle(areas, basemap, focusCode, mode, initial),
      // The indicator view compares areas: it always opens on the whole city.
      bounds: focusArea && mode === 'flood' ? polygonBounds(focusArea.geometry.coordinates) : city.bounds,
      fitBoundsOptions: { padding: fitPadding(container) },
      maxBounds: panLimits(city.bounds),
      attributionControl: basemap ? { compact: true } : false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    })
    performance.mark('ioc:map-constructed')
    map.once('load', () => performance.mark('ioc:map-load'))
    map.touchZoomRotate.disableRotation()
    mapRef.current = map
    if (basemap) noteDrawnBasemap(map, container, basemap)

    const ratio = pixelRatio()
    const generated = new Set<string>()
    map.setMissingStyleImageResolver((id) => {
      const spec = parseImageId(id)
      if (!spec || map.hasImage(id)) return
      map.addImage(id, drawMapImage(spec, ratio), { pixelRatio: ratio })
      // Kept for as long as the map lives: the hatching (one image), and cluster counts (a few numbers
      // per level, asked for by clusters, which no feature collection here lists).
      if (spec.kind === 'hatch' || (spec.kind === 'label' && spec.variant.startsWith('cluster'))) return
      generated.add(id)
    })

    let choroplethValues: number | null = null
    const halo = createHaloPulse(map, HALO_LAYERS)
    disposers.push(() => halo.dispose())
    if (mode === 'flood') disposers.push(attachCameraPopup(map, store))

    map.on('load', () => {
      for (const key of Object.keys(POINT_SOURCES) as PointSource[]) give(key)
      disposers.push(
        effect(() => {
          const selection = store.selection.value
          map.setFilter(LAYER.camerasSelected, idFilter(selection?.kind === 'camera' ? selection.id : null))
          const spotlight = mode === 'flood' && selection?.kind === 'station' ? 'visible' : 'none'
          for (const layer of SPOTLIGHT_LAYERS) map.setLayoutProperty(layer, 'visibility', spotlight)
          if (!selection) return
          const list = selection.kind === 'station' ? store.stations.peek() : store.cameras.peek()
          const item = list.find((x) => x.id === selection.id)
          // Chosen from the list while off screen: bring it into view; a map click is already in view.
          if (item && !map.getBounds().contains([item.lon, item.lat])) map.easeTo({ center: [item.lon, item.lat] })
        }),
        effect(() => {
          map.getCanvas().setAttribute('aria-label', mode === 'indicators' ? (choropleth?.value?.label ?? t('map.label')) : t('map.label'))
        }),
        effect(() => {
          const alarmed = unacknowledgedSources(store.alarms.value)
          map.setFilter(LAYER.camerasAlarm, idsFilter(alarmed.cameras))
          halo.setActive(alarmed.stations.length + alarmed.cameras.length > 0)
          container.dataset.alarmedStations = String(alarmed.stations.length)
        }),
      )
      if (mode === 'indicators') {
        disposers.push(
          effect(() => {
            const shown = choropleth?.value
            if (!shown) return
            void map.getSource<GeoJSONSource>(SOURCE.choropleth)?.setData(choroplethAreas(areas, shown, NO_DATA_FILL) as Parameters<GeoJSONSource['setData']>[0])
            show('choroplethLabels', choroplethLabels(areas, shown))
            choroplethValues = Object.values(shown.areas).filter((a) => a.hasValue).length
            delete container.dataset.choroplethValues
          }),
          effect(() => {
            map.setFilter(LAYER.choroplethSelected, codeFilter(selectedArea?.value ?? null))
          }),
        )
      }
    })

    // On `moveend`, not `idle`: a pulsing halo repaints the map, and it is never idle while one does.
    const noteZoom = () => {
      container.dataset.zoom = map.getZoom().toFixed(2)
    }
    map.on('load', noteZoom)
    map.on('moveend', noteZoom)

    // The first frame drawn with the stations in it: their circles are on screen, their labels start
    // to fade in (`data-stations-drawn`, on `idle`, comes once the fade has ended and the map rests).
    const noteShown = () => {
      if (!drawn.stations || !map.isSourceLoaded(SOURCE.stations)) return
      performance.mark('ioc:stations-shown')
      map.off('render', noteShown)
    }
    map.on('render', noteShown)

    map.on('idle', () => {
      if (choroplethValues !== null && map.isSourceLoaded(SOURCE.choropleth)) container.dataset.choroplethValues = String(choroplethValues)
      const stations = drawn.stations
      if (!stations || !map.isSourceLoaded(SOURCE.stations)) return
      container.dataset.stationsDrawn = String(stations.features.length)
      if (generated.size > IMAGE_CACHE_LIMIT) {
        const inUse = imageIdsIn(...Object.values(drawn).filter((c) => c !== null))
        for (const id of CLUSTER_BADGE_IMAGES) inUse.add(id)
        for (const id of generated) {
          if (inUse.has(id)) continue
          map.removeImage(id)
          generated.delete(id)
        }
      }
    })

    const hit = (point: { x: number; y: number }): MapGeoJSONFeature | undefined =>
      map.queryRenderedFeatures(
        [
          [point.x - HIT_TOLERANCE_PX, point.y - HIT_TOLERANCE_PX],
          [point.x + HIT_TOLERANCE_PX, point.y + HIT_TOLERANCE_PX],
        ],
        { layers: HIT_LAYERS },
      )[0]

    // A cluster opens where it comes apart: at the zoom MapLibre says, centred on it.
    const expand = (cluster: MapGeoJSONFeature, clusterId: number) => {
      const source = map.getSource<GeoJSONSource>(SOURCE.stations)
      if (!source || cluster.geometry.type !== 'Point') return
      const [lon, lat] = cluster.geometry.coordinates as [number, number]
      source.getClusterExpansionZoom(clusterId).then(
        (zoom) => map.easeTo({ center: [lon, lat], zoom }),
        // New data regrouped the stations meanwhile: that cluster is gone, and the click with it.
        () => undefined,
      )
    }

    // The indicator view: an area's value on hover (a mouse) or tap, and the tap chooses the area.
    const popup = new Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'area-popup' })
    disposers.push(() => popup.remove())
    const areaAt = (point: { x: number; y: number }): string | null => {
      const code = map.queryRenderedFeatures([point.x, point.y], { layers: CHOROPLETH_LAYERS })[0]?.properties['code']
      return typeof code === 'string' ? code : null
    }
    const tell = (code: string | null, lngLat: { lng: number; lat: number }) => {
      const shown = choropleth?.peek()
      const text = code && shown ? areaValueText(areas, shown, code, lang.peek()) : null
      if (text) popup.setLngLat(lngLat).setText(text).addTo(map)
      else popup.remove()
    }

    map.on('click', (event) => {
      if (mode === 'indicators') {
        const code = areaAt(event.point)
        tell(code, event.lngLat)
        if (code) onAreaSelect?.(code)
        return
      }
      const feature = hit(event.point)
      const clusterId = feature?.properties['cluster_id']
      if (feature && typeof clusterId === 'number') return expand(feature, clusterId)
      const id = feature?.properties['id']
      if (typeof id !== 'string') return
      const kind = (CAMERA_LAYERS as string[]).includes(feature?.layer.id ?? '') ? 'camera' : 'station'
      store.select({ kind, id })
    })
    map.on('mousemove', (event) => {
      if (mode === 'indicators') {
        const code = areaAt(event.point)
        map.getCanvas().style.cursor = code ? 'pointer' : ''
        tell(code, event.lngLat)
        return
      }
      const feature = hit(event.point)
      map.getCanvas().style.cursor = feature ? 'pointer' : ''
      const id = feature?.properties['id']
      const onCamera = typeof id === 'string' && (CAMERA_LAYERS as string[]).includes(feature?.layer.id ?? '')
      store.previewCamera(onCamera ? id : null, 'pointer')
    })
    map.on('mouseout', () => {
      popup.remove()
      store.previewCamera(null, 'pointer')
    })

    return () => {
      for (const dispose of disposers) dispose()
      mapRef.current = null
      map.remove()
    }
  }

  const zoom = (by: number) => mapRef.current?.easeTo({ zoom: mapRef.current.getZoom() + by })
  const fitCity = () => mapRef.current?.fitBounds(city.bounds, { padding: fitPadding(mapRef.current.getContainer()) })

  return (
    <div class="map-wrap">
      <div ref={containerRef} class="map" data-testid="map" data-view={mode} data-focus-area={focusCode ?? undefined} />
      {viewSwitch && <MapViewSwitch mode={mode} />}
      <div class="map-controls">
        <button type="button" onClick={() => zoom(1)} aria-label={t('map.zoomIn')} title={t('map.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoom(-1)} aria-label={t('map.zoomOut')} title={t('map.zoomOut')}>
          −
        </button>
        <button type="button" onClick={fitCity} aria-label={t('map.fitCity')} title={t('map.fitCity')}>
          ⌂
        </button>
      </div>
    </div>
  )
}
