import type { PublicFloodResponse } from '@ioc/shared'

export const PUBLIC_FLOOD_URL = '/api/public/flood'

/** The endpoint said "too many requests": ask again no sooner than `retryAfterMs`. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited: retry after ${retryAfterMs} ms`)
    this.name = 'RateLimitedError'
  }
}

/** `Retry-After` in seconds (the server's form) or as an HTTP date; a minute when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header) {
    const seconds = Number(header)
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
    const at = Date.parse(header)
    if (Number.isFinite(at)) return Math.max(0, at - nowMs)
  }
  return 60_000
}

/**
 * Set by the page's service worker (web/public/muc-nuoc-sw.js) on an answer it gave from its cache
 * because the network did not answer: the last data this phone had, not the server's current data.
 */
export const OFFLINE_COPY_HEADER = 'x-ioc-offline-copy'

/** The snapshot, and whether it is the service worker's copy (the server was not reached). */
export interface PublicFloodFetch {
  data: PublicFloodResponse
  offlineCopy: boolean
}

/** The public flood snapshot (cached by the server for a few seconds; no cookie needed or sent). */
export async function fetchPublicFlood(signal?: AbortSignal): Promise<PublicFloodFetch> {
  // `no-cache`: asked of the server each time (it answers from its own few-second cache), so a copy in
  // the browser's cache is never taken for an answer when the server cannot be reached.
  const response = await fetch(PUBLIC_FLOOD_URL, { credentials: 'omit', cache: 'no-cache', headers: { accept: 'application/json' }, signal })
  if (response.status === 429) throw new RateLimitedError(retryAfterMs(response.headers.get('retry-after'), Date.now()))
  if (!response.ok) throw new Error(`${PUBLIC_FLOOD_URL} answered ${response.status}`)
  return { data: (await response.json()) as PublicFloodResponse, offlineCopy: response.headers.has(OFFLINE_COPY_HEADER) }
}

/** The snapshot the server wrote into the page (`#flood-snapshot`), if any: the script starts from it. */
export function snapshotInPage(doc: Document): PublicFloodResponse | null {
  const text = doc.getElementById('flood-snapshot')?.textContent
  if (!text) return null
  try {
    const data = JSON.parse(text) as PublicFloodResponse | null
    return data && Array.isArray(data.points) ? data : null
  } catch {
    return null
  }
}
