import { useEffect, useRef } from 'preact/hooks'
import { Permission, type CurrentUser } from '@ioc/shared'
import { LazyAdminPage } from './admin/lazy-admin-page.tsx'
import { AlarmLinkDialog } from './alarms/alarm-link-dialog.tsx'
import { AlarmPanel } from './alarms/alarm-panel.tsx'
import { hasPermission } from './auth/permissions.ts'
import type { Session } from './auth/session.ts'
import { CameraDetail } from './cameras/camera-detail.tsx'
import { CameraList } from './cameras/camera-list.tsx'
import { Header } from './header.tsx'
import { LazyIndicatorsPage } from './indicators/lazy-indicators-page.tsx'
import { LazyStormReportPage } from './reports/lazy-storm-report-page.tsx'
import { DEFAULT_TIME_ZONE } from './i18n/format.ts'
import { lang, t } from './i18n/lang.ts'
import { localized } from './i18n/translate.ts'
import { Legend } from './legend/legend.tsx'
import { focusAreaOf } from './map/focus-area.ts'
import { MapView } from './map/map-view.tsx'
import { StationDetail } from './station-detail/station-detail.tsx'
import { StationList } from './station-list/station-list.tsx'
import { LoadError } from './ui/load-error.tsx'
import { routeHref, type Route } from './route.ts'
import type { Selection, Store } from './store.ts'

function Detail({ store }: { store: Store }) {
  const selection = store.selection.value
  const slot = useRef<HTMLDivElement>(null)
  // Chosen further down the list (or on the map, on a phone): bring the panel into view.
  useEffect(() => slot.current?.scrollIntoView({ block: 'nearest' }), [selection?.kind, selection?.id])
  if (!selection) return null
  return (
    <div ref={slot}>
      <DetailPanel store={store} selection={selection} />
    </div>
  )
}

function DetailPanel({ store, selection }: { store: Store; selection: NonNullable<Selection> }) {
  const common = {
    areas: store.areas.value,
    timeZone: store.city.value?.timezone ?? DEFAULT_TIME_ZONE,
    now: store.now.value,
    onClose: () => {
      store.select(null)
      // The close button is gone: give focus back to the item the panel was about, not to <body>.
      document.querySelector<HTMLElement>(`[data-${selection.kind}-id="${CSS.escape(selection.id)}"] button`)?.focus()
    },
  }
  if (selection.kind === 'station') {
    const station = store.stations.value.find((s) => s.id === selection.id)
    if (!station) return null
    const openAlarms = store.alarms.value.filter((a) => a.source.kind === 'station' && a.source.id === station.id)
    return <StationDetail station={station} resyncs={store.resyncs.value} openAlarms={openAlarms} {...common} />
  }
  const camera = store.cameras.value.find((c) => c.id === selection.id)
  return camera ? <CameraDetail camera={camera} snapshot={store.snapshots.value.get(camera.id) ?? null} {...common} /> : null
}

interface AppProps {
  store: Store
  session: Session
  user: CurrentUser
  /** The screen to show, already narrowed to what this user may open. */
  route: Route
  onRetry: () => void
}

/** The logged-in dashboard: the live map, or an administration screen. */
export function App({ store, session, user, route, onRetry }: AppProps) {
  const boot = store.boot.value
  const city = store.city.value
  const areas = store.areas.value
  const showCameras = hasPermission(user, Permission.cameraRead)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && store.selection.peek()) store.select(null)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [store])

  // A notification's link opens on the map, with the alarm's dialog over it.
  const onMap = route.kind === 'map' || route.kind === 'alarm-link'
  const focusArea = areas ? focusAreaOf(user, areas) : null
  return (
    <>
      {onMap && (
        <a class="skip-link" href="#stations">
          {t('app.skipToList')}
        </a>
      )}
      <Header store={store} user={user} session={session} route={route} />
      {route.kind === 'admin' && (
        <LazyAdminPage
          screen={route.screen}
          user={user}
          areas={areas}
          stations={store.stations.value}
          cameras={store.cameras.value}
          timeZone={city?.timezone ?? DEFAULT_TIME_ZONE}
        />
      )}
      {route.kind === 'indicators' && city && areas && <LazyIndicatorsPage store={store} user={user} city={city} areas={areas} focusArea={focusArea} />}
      {route.kind === 'report' && city && areas && <LazyStormReportPage cityName={localized(city.name, lang.value)} timeZone={city.timezone} areas={areas} cameras={store.cameras.value} />}
      {(onMap || route.kind === 'indicators' || route.kind === 'report') && boot.status === 'loading' && !city && (
        <div class="state-message" role="status" data-testid="loading">
          <span class="spinner" aria-hidden="true" />
          {t('app.loading')}
        </div>
      )}
      {(onMap || route.kind === 'indicators' || route.kind === 'report') && boot.status === 'error' && <LoadError failure={boot.failure} onRetry={onRetry} />}
      {onMap && boot.status !== 'error' && city && areas && (
        <main class="layout">
          <MapView store={store} city={city} areas={areas} focusArea={focusArea} viewSwitch={hasPermission(user, Permission.indicatorRead)} />
          <div class="alarm-slot">
            <AlarmPanel store={store} canAck={hasPermission(user, Permission.alarmAck)} timeZone={city.timezone} />
          </div>
          {route.kind === 'alarm-link' && <AlarmLinkDialog key={routeHref(route)} route={route} store={store} canAck={hasPermission(user, Permission.alarmAck)} timeZone={city.timezone} />}
          <aside class="sidebar">
            <Detail store={store} />
            <StationList
              stations={store.stations.value}
              selection={store.selection.value}
              onSelect={(id) => store.select({ kind: 'station', id })}
            />
            {showCameras && (
              <CameraList
                cameras={store.cameras.value}
                selection={store.selection.value}
                onSelect={(id) => store.select({ kind: 'camera', id })}
                onPreview={(id) => store.previewCamera(id, 'focus')}
              />
            )}
            <Legend showCameras={showCameras && store.cameras.value.length > 0} focusArea={focusArea} />
          </aside>
        </main>
      )}
    </>
  )
}
