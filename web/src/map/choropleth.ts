import type { AreaCollection, AreaFeature } from '@ioc/shared'
import type { Lang } from '../i18n/translate.ts'
import type { PointCollection, PointFeature } from './features.ts'
import { labelImageId } from './image-id.ts'

/**
 * What the indicator view paints, decided outside the map: per area code its fill and the text
 * written on it (the value, or "chưa có số liệu"). The map knows nothing about indicators.
 */
export interface Choropleth {
  areas: Readonly<Record<string, { fill: string; text: string; hasValue: boolean }>>
  /** What the map is of, for its accessible name: "Bản đồ tỷ lệ ký số, tháng 9/2025, theo phường, xã". */
  label: string
}

/** The map's two views: flood stations and cameras, or area indicators. */
export type MapMode = 'flood' | 'indicators'

export interface ChoroplethAreaProps {
  code: string
  fill: string
  hasValue: boolean
}

export interface ChoroplethLabelProps {
  code: string
  label: string
}

export interface AreaPolygonCollection {
  type: 'FeatureCollection'
  features: Array<Omit<AreaFeature, 'properties'> & { properties: ChoroplethAreaProps }>
}

/** The areas' shapes carrying their fill; an area the choropleth does not name has no value. */
export function choroplethAreas(areas: AreaCollection, choropleth: Choropleth, noDataFill: string): AreaPolygonCollection {
  return {
    type: 'FeatureCollection',
    features: areas.features.map((feature) => {
      const shown = choropleth.areas[feature.properties.code]
      return {
        type: 'Feature',
        geometry: feature.geometry,
        properties: { code: feature.properties.code, fill: shown?.fill ?? noDataFill, hasValue: shown?.hasValue ?? false },
      }
    }),
  }
}

/** One label per area at its centre: the value in a pill, or "no data" in grey italics. */
export function choroplethLabels(areas: AreaCollection, choropleth: Choropleth): PointCollection<ChoroplethLabelProps> {
  const features: PointFeature<ChoroplethLabelProps>[] = []
  for (const { properties: p } of areas.features) {
    const shown = choropleth.areas[p.code]
    if (!shown) continue
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.centreLon, p.centreLat] },
      properties: { code: p.code, label: labelImageId(shown.hasValue ? 'value' : 'novalue', shown.text) },
    })
  }
  return { type: 'FeatureCollection', features }
}

/** "Xã Tam Thăng: 72,5%" for the hover and click popup. */
export function areaValueText(areas: AreaCollection, choropleth: Choropleth, code: string, lang: Lang): string | null {
  const area = areas.features.find((f) => f.properties.code === code)
  const shown = choropleth.areas[code]
  if (!area || !shown) return null
  return `${lang === 'vi' ? area.properties.nameVi : area.properties.nameEn}: ${shown.text}`
}
