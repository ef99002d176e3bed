import type { CurrentUser } from '@ioc/shared'
import type { Session } from './auth/session.ts'
import { UserMenu } from './auth/user-menu.tsx'
import { approximationNote } from './city.ts'
import { ConnectionIndicator } from './connection/connection-indicator.tsx'
import { lang, t } from './i18n/lang.ts'
import { LanguageSwitch } from './i18n/language-switch.tsx'
import { localized } from './i18n/translate.ts'
import type { Route } from './route.ts'
import type { Store } from './store.ts'

interface HeaderProps {
  store: Store
  user: CurrentUser
  session: Session
  route: Route
}

/** City name, the approximation caveat, live-link state, language and who is logged in. */
export function Header({ store, user, session, route }: HeaderProps) {
  const city = store.city.value
  const note = approximationNote(store.areas.value, store.stations.value, store.cameras.value)
  return (
    <header class="app-header">
      <div class="brand">
        <h1>
          {city ? localized(city.name, lang.value) : t('app.short')}
          <span class="brand-sub">{t('app.title')}</span>
        </h1>
        {note && (
          <p class="approx-note" data-testid="approx-note">
            {t(note)}
          </p>
        )}
      </div>
      <div class="header-tools">
        <ConnectionIndicator state={store.connection.value} />
        <LanguageSwitch />
        <UserMenu user={user} areas={store.areas.value} route={route} session={session} />
      </div>
    </header>
  )
}
