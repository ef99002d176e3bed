/* global self, caches, fetch, Headers, Response, URL, setTimeout, clearTimeout */
/*
 * The public flood page's service worker (docs/public-page.md, "Without a connection"): keeps the page,
 * its files and the last figures on the phone, so a visit without any connection still shows the last
 * known levels — which the page then marks as not current ("Không có kết nối — số liệu lúc 14:05").
 * Registered by the page with the scope /muc-nuoc: it never serves the dashboard. Plain JavaScript, no
 * build step. Web Push is another worker (push-sw.js, scope /); this one only keeps copies.
 *
 * - The page (a navigation under /muc-nuoc): the network first; its copy when the network fails, or
 *   has not answered within NAVIGATION_WAIT_MS (a signal too weak to load it): the page then asks for
 *   fresh figures itself, and says they are old until it gets them.
 * - The figures (/api/public/flood): the network first; the copy when the network fails, marked with
 *   the `x-ioc-offline-copy` header, so the page never takes it for the server's current answer.
 * - The page's files (/assets/…, named by their content): the copy first; they never change.
 */
const CACHE = 'ioc-muc-nuoc-v1'
const PAGE = '/muc-nuoc'
const FIGURES = '/api/public/flood'
const NAVIGATION_WAIT_MS = 4000
const OFFLINE_COPY_HEADER = 'x-ioc-offline-copy'

/** The page as the server writes it, and every file it loads: all a visit without a connection needs. */
async function keepPage() {
  const cache = await caches.open(CACHE)
  const page = await fetch(PAGE, { cache: 'no-store' })
  if (!page.ok) throw new Error(`${PAGE} answered ${page.status}`)
  const html = await page.clone().text()
  const files = new Set(['/favicon.svg'])
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) files.add(match[1])
  await cache.addAll([...files])
  await cache.put(PAGE, page)
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepPage().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('ioc-muc-nuoc-') && name !== CACHE).map((name) => caches.delete(name))))
      // The page that registered this worker is served by it from now on, not only after a reload.
      .then(() => self.clients.claim()),
  )
})

/** The same response with the header that tells the page it is this phone's copy. */
async function markedCopy(response) {
  const headers = new Headers(response.headers)
  headers.set(OFFLINE_COPY_HEADER, '1')
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers })
}

async function page(request) {
  const cache = await caches.open(CACHE)
  const path = new URL(request.url).pathname
  const fromNetwork = fetch(request).then(async (response) => {
    // Each point's link keeps a copy of its own; /muc-nuoc serves any point's link without one.
    if (response.ok) await cache.put(path, response.clone())
    return response
  })
  // Answered by the copy after a slow start, the network may still fail later: nobody waits on it then.
  fromNetwork.catch(() => undefined)
  const copy = () => cache.match(path).then((kept) => kept ?? cache.match(PAGE))
  let timer
  const slow = new Promise((resolve) => (timer = setTimeout(resolve, NAVIGATION_WAIT_MS)))
  try {
    const first = await Promise.race([fromNetwork, slow.then(copy)])
    if (first) return first
    return await fromNetwork
  } catch {
    const kept = await copy()
    if (kept) return kept
    return new Response('<!doctype html><meta charset="utf-8"><title>Mực nước lũ</title><p>Không có kết nối. Hãy thử lại khi có mạng. / No connection: try again later.</p>', {
      status: 503,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    })
  } finally {
    clearTimeout(timer)
  }
}

async function figures(request) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(FIGURES, response.clone())
    return response
  } catch (error) {
    const kept = await cache.match(FIGURES)
    if (kept) return markedCopy(kept)
    throw error
  }
}

async function file(request) {
  const cache = await caches.open(CACHE)
  const kept = await cache.match(request)
  if (kept) return kept
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  // The page and a point's link (/muc-nuoc/{id}), not what else lives under /muc-nuoc (QR posters).
  if (request.mode === 'navigate' && /^\/muc-nuoc(\/[^/]+)?\/?$/.test(url.pathname)) event.respondWith(page(request))
  else if (url.pathname === FIGURES) event.respondWith(figures(request))
  else if (url.pathname.startsWith('/assets/')) event.respondWith(file(request))
})
