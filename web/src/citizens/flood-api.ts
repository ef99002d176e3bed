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

/** The public flood snapshot (cached by the server for a few seconds; no cookie needed or sent). */
export async function fetchPublicFlood(signal?: AbortSignal): Promise<PublicFloodResponse> {
  const response = await fetch(PUBLIC_FLOOD_URL, { credentials: 'omit', headers: { accept: 'application/json' }, signal })
  if (response.status === 429) throw new RateLimitedError(retryAfterMs(response.headers.get('retry-after'), Date.now()))
  if (!response.ok) throw new Error(`${PUBLIC_FLOOD_URL} answered ${response.status}`)
  return (await response.json()) as PublicFloodResponse
}
