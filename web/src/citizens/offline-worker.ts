/** The page's service worker: keeps the page and the last figures for a visit without a connection. */
export const OFFLINE_WORKER_URL = '/muc-nuoc-sw.js'
/** Only the public page: the dashboard is never served from this worker's copies. */
export const OFFLINE_WORKER_SCOPE = '/muc-nuoc'

/**
 * Registers web/public/muc-nuoc-sw.js once the page has loaded (its install fetches the page and its
 * files again, which must not compete with the first visit on a weak signal). Where service workers
 * are unavailable (an old browser, a page not on HTTPS or localhost) the page simply works online only.
 */
export function registerOfflineWorker(): void {
  if (!('serviceWorker' in navigator)) return
  const register = () =>
    navigator.serviceWorker.register(OFFLINE_WORKER_URL, { scope: OFFLINE_WORKER_SCOPE }).catch((error: unknown) => console.warn('offline copy not available', error))
  if (document.readyState === 'complete') void register()
  else addEventListener('load', () => void register(), { once: true })
}
