import type { AreaCollection, CameraView, CurrentUser, StationView } from '@ioc/shared'
import { useEffect } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import { adminScreens, routeHref, type AdminScreen } from '../route.ts'
import { AuditScreen } from './audit/audit-screen.tsx'
import { DeliveriesScreen } from './notifications/deliveries-screen.tsx'
import { RulesScreen } from './notifications/rules-screen.tsx'
import { WebhooksScreen } from './notifications/webhooks-screen.tsx'
import { RosterScreen } from './roster/roster-screen.tsx'
import { ADMIN_SCREEN_LABEL } from './screen-labels.ts'
import { StationsScreen } from './stations/stations-screen.tsx'
import { UsersScreen } from './users/users-screen.tsx'

export interface AdminPageProps {
  screen: AdminScreen
  user: CurrentUser
  areas: AreaCollection | null
  /** The city's stations and cameras as the dashboard has them (rules may name some). */
  stations: readonly StationView[]
  cameras: readonly CameraView[]
  timeZone: string
}

function Screen({ screen, user, areas, stations, cameras, timeZone }: AdminPageProps) {
  switch (screen) {
    case 'users':
      return <UsersScreen areas={areas} timeZone={timeZone} user={user} />
    case 'stations':
      return <StationsScreen areas={areas} />
    case 'audit':
      return <AuditScreen timeZone={timeZone} />
    case 'rules':
      return <RulesScreen user={user} areas={areas} stations={stations} cameras={cameras} />
    case 'roster':
      return <RosterScreen user={user} areas={areas} timeZone={timeZone} />
    case 'webhooks':
      return <WebhooksScreen timeZone={timeZone} />
    case 'deliveries':
      return <DeliveriesScreen timeZone={timeZone} />
  }
}

/** The administration screens, with tabs between those this user may open and a way back to the map. */
export function AdminPage(props: AdminPageProps) {
  const { screen, user } = props
  // A new screen: move focus to its title, as a page load would.
  useEffect(() => document.getElementById('admin-title')?.focus(), [screen])
  return (
    <main class="admin" data-testid="admin">
      <nav class="admin-nav" aria-label={t('nav.admin')}>
        <a href={routeHref({ kind: 'map' })} class="back-link">
          <span aria-hidden="true">← </span>
          {t('nav.backToMap')}
        </a>
        <ul>
          {adminScreens(user).map((item) => (
            <li key={item}>
              <a href={routeHref({ kind: 'admin', screen: item })} aria-current={item === screen ? 'page' : undefined}>
                {t(ADMIN_SCREEN_LABEL[item])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Screen {...props} />
    </main>
  )
}
