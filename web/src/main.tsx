import { effect, untracked } from '@preact/signals'
import { render } from 'preact'
import { Permission, type CurrentUser } from '@ioc/shared'
import { ApiRequestError, fetchBootstrap } from './api.ts'
import { hasPermission } from './auth/permissions.ts'
import { session } from './auth/session.ts'
import { connectLiveUpdates } from './connection/live-updates.ts'
import { lang, syncDocumentLang, t } from './i18n/lang.ts'
import { localized } from './i18n/translate.ts'
import { prepareMap } from './map/prepare.ts'
import { paletteVariables } from './palette.ts'
import { Root } from './root.tsx'
import { followHash } from './route.ts'
import { store } from './store.ts'
import './styles.css'

/** Relative times ("3 phút trước") are re-worded this often. */
const CLOCK_TICK_MS = 15_000

/** The dashboard of whoever is logged in: its data and its live link, dropped together at logout. */
let dashboard: { userId: number; abort: AbortController; closeLive: () => void } | null = null

async function bootstrap(user: CurrentUser, abort: AbortController): Promise<void> {
  store.loading()
  try {
    const data = await fetchBootstrap({ signal: abort.signal, cameras: hasPermission(user, Permission.cameraRead) })
    if (!abort.signal.aborted) store.loaded(data)
  } catch (error) {
    if (abort.signal.aborted) return
    if (!(error instanceof ApiRequestError)) throw error
    store.failed(error.failure)
  }
}

function open(user: CurrentUser): void {
  const abort = new AbortController()
  const closeLive = connectLiveUpdates(store, {
    cameras: hasPermission(user, Permission.cameraRead),
    serverClosed: async () => {
      await session.recheck()
      return session.state.peek().status === 'active'
    },
  })
  dashboard = { userId: user.id, abort, closeLive }
  void bootstrap(user, abort)
  // While the data loads, the map's worker, GPU link and label drawing get ready: its stations show sooner.
  prepareMap()
}

function close(): void {
  if (!dashboard) return
  dashboard.abort.abort()
  dashboard.closeLive()
  dashboard = null
  store.reset()
}

for (const [name, value] of Object.entries(paletteVariables())) document.documentElement.style.setProperty(name, value)
syncDocumentLang()
followHash()
effect(() => {
  const city = store.city.value
  document.title = city ? `${t('app.short')} ${localized(city.name, lang.value)}` : t('app.title')
})
// Login, logout, first password chosen, or the server ending the session: open or drop the dashboard.
effect(() => {
  const state = session.state.value
  const user = state.status === 'active' && !state.user.mustChangePassword ? state.user : null
  untracked(() => {
    if (user?.id === dashboard?.userId) return
    close()
    if (user) open(user)
  })
})
setInterval(() => (store.now.value = Date.now()), CLOCK_TICK_MS)

const root = document.getElementById('app')
if (!root) throw new Error('#app is missing from index.html')
const retry = () => {
  const state = session.state.peek()
  if (state.status !== 'active' || !dashboard) return
  void bootstrap(state.user, dashboard.abort)
}
render(<Root store={store} session={session} onRetry={retry} />, root)

void session.check()
