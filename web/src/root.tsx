import { App } from './app.tsx'
import { ChoosePasswordPage } from './auth/choose-password-page.tsx'
import { LoginPage } from './auth/login-page.tsx'
import type { Session } from './auth/session.ts'
import { t } from './i18n/lang.ts'
import { route, visibleRoute } from './route.ts'
import type { Store } from './store.ts'
import { LoadError } from './ui/load-error.tsx'

/**
 * What the page shows for the session: the login form, the first-login password screen, or the
 * dashboard. The dashboard's data is loaded only once someone is logged in with their own password.
 */
export function Root({ store, session, onRetry }: { store: Store; session: Session; onRetry: () => void }) {
  const state = session.state.value
  switch (state.status) {
    case 'checking':
      return (
        <div class="state-message" role="status" data-testid="loading">
          <span class="spinner" aria-hidden="true" />
          {t('auth.checking')}
        </div>
      )
    case 'unavailable':
      return <LoadError failure={state.failure} onRetry={() => void session.check()} />
    case 'anonymous':
      return <LoginPage session={session} notice={state.notice} />
    case 'active':
      if (state.user.mustChangePassword) return <ChoosePasswordPage session={session} user={state.user} />
      return <App store={store} session={session} user={state.user} route={visibleRoute(route.value, state.user)} onRetry={onRetry} />
  }
}
