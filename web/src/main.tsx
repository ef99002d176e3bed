import { effect } from '@preact/signals'
import { render } from 'preact'
import { ApiRequestError, fetchBootstrap } from './api.ts'
import { App } from './app.tsx'
import { connectLiveUpdates } from './connection/live-updates.ts'
import { lang, syncDocumentLang, t } from './i18n/lang.ts'
import { localized } from './i18n/translate.ts'
import { paletteVariables } from './palette.ts'
import { store } from './store.ts'
import './styles.css'

/** Relative times ("3 phút trước") are re-worded this often. */
const CLOCK_TICK_MS = 15_000

async function bootstrap(): Promise<void> {
  store.loading()
  try {
    store.loaded(await fetchBootstrap())
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error
    store.failed(error.failure)
  }
}

for (const [name, value] of Object.entries(paletteVariables())) document.documentElement.style.setProperty(name, value)
syncDocumentLang()
effect(() => {
  const city = store.city.value
  document.title = city ? `${t('app.short')} ${localized(city.name, lang.value)}` : t('app.title')
})
setInterval(() => (store.now.value = Date.now()), CLOCK_TICK_MS)

const root = document.getElementById('app')
if (!root) throw new Error('#app is missing from index.html')
render(<App store={store} onRetry={() => void bootstrap()} />, root)

connectLiveUpdates(store)
void bootstrap()
