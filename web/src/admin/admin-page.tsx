import type { AreaCollection, CurrentUser } from '@ioc/shared'
import { useEffect } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { adminScreens, routeHref, type AdminScreen } from '../route.ts'
import { AuditScreen } from './audit/audit-screen.tsx'
import { StationsScreen } from './stations/stations-screen.tsx'
import { UsersScreen } from './users/users-screen.tsx'

const SCREEN_LABEL: Record<AdminScreen, MessageKey> = { users: 'nav.users', stations: 'nav.stations', audit: 'nav.audit' }

export interface AdminPageProps {
  screen: AdminScreen
  user: CurrentUser
  areas: AreaCollection | null
  timeZone: string
}

/** The administration screens, with tabs between those this user may open and a way back to the map. */
export function AdminPage({ screen, user, areas, timeZone }: AdminPageProps) {
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
                {t(SCREEN_LABEL[item])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {screen === 'users' ? (
        <UsersScreen areas={areas} timeZone={timeZone} />
      ) : screen === 'stations' ? (
        <StationsScreen areas={areas} />
      ) : (
        <AuditScreen timeZone={timeZone} />
      )}
    </main>
  )
}
