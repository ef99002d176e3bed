import { t } from '../i18n/lang.ts'
import { routeHref } from '../route.ts'
import type { MapMode } from './choropleth.ts'

/** "Lũ | Chỉ số" over the map: two links, so the view is in the address and a reload keeps it. */
export function MapViewSwitch({ mode }: { mode: MapMode }) {
  return (
    <nav class="map-view-switch segmented" aria-label={t('indicators.view')} data-testid="map-view-switch">
      <a href={routeHref({ kind: 'map' })} aria-current={mode === 'flood' ? 'page' : undefined}>
        {t('indicators.view.flood')}
      </a>
      <a href={routeHref({ kind: 'indicators' })} aria-current={mode === 'indicators' ? 'page' : undefined} data-testid="view-indicators">
        {t('indicators.view.indicators')}
      </a>
    </nav>
  )
}
