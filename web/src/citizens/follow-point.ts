import { signal } from '@preact/signals'
import type { PublicMessageKey } from './messages.ts'
import { BrowserPushError, pushSupported, subscribeBrowser } from '../push/browser-push.ts'

/**
 * Following a flood point by Web Push, without an account (docs/notifications.md): the browser's
 * permission, the IOC's service worker, a subscription with its VAPID key, handed to the server with
 * the point. What the server answers — the key that ends it — is kept in this browser, so the page
 * can say which point it follows and offer to stop. One point per browser: following another
 * replaces it (the push service gives a browser one subscription per site).
 */
const STORE_KEY = 'ioc-follow'

export interface Following {
  stationId: string
  /** `<id>.<token>`: what the unsubscribe link carries. */
  unsubscribe: string
}

function readFollowing(): Following | null {
  try {
    const raw = localStorage.getItem(STORE_KEY)
    return raw ? (JSON.parse(raw) as Following) : null
  } catch {
    return null
  }
}

/** The point this browser follows, if any. */
export const following = signal<Following | null>(typeof localStorage === 'undefined' ? null : readFollowing())

/** Why following failed, as a message key of the public page. */
export class FollowError extends Error {
  constructor(readonly key: PublicMessageKey) {
    super(key)
    this.name = 'FollowError'
  }
}

export const canFollow = pushSupported

/** A POST of the public API with the anonymous CSRF token the server hands out. */
async function post(path: string, body: unknown): Promise<Response> {
  const csrf = await fetch('/api/auth/csrf', { credentials: 'same-origin' })
  if (!csrf.ok) throw new FollowError('follow.failed')
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) })
}

export async function followPoint(stationId: string, language: 'vi' | 'en'): Promise<void> {
  if (!canFollow()) throw new FollowError('follow.unsupported')
  const key = (await (await fetch('/api/push/key')).json()) as { publicKey: string | null }
  if (!key.publicKey) throw new FollowError('follow.serverOff')
  let subscription: PushSubscription
  try {
    subscription = await subscribeBrowser(key.publicKey)
  } catch (error) {
    if (error instanceof BrowserPushError) throw new FollowError(`follow.${error.reason}`)
    throw error
  }
  const response = await post('/api/public/push-subscriptions', { subscription: subscription.toJSON(), stationId, language })
  if (!response.ok) throw new FollowError('follow.failed')
  const { unsubscribe } = (await response.json()) as { unsubscribe: string }
  following.value = { stationId, unsubscribe }
  localStorage.setItem(STORE_KEY, JSON.stringify(following.value))
}

/** Ends a subscription by the key a message's link (or this browser) holds; true when it existed. */
export async function unfollow(unsubscribe: string): Promise<boolean> {
  const response = await post('/api/public/push-subscriptions/unsubscribe', { unsubscribe })
  if (response.status !== 204 && response.status !== 404) throw new FollowError('follow.failed')
  if (following.value?.unsubscribe === unsubscribe) {
    following.value = null
    localStorage.removeItem(STORE_KEY)
  }
  return response.status === 204
}

/** The unsubscribe key of a message's link (`?huy-theo-doi=<id>.<token>`), if the page was opened with one. */
export function unsubscribeFromQuery(search: string): string | null {
  const key = new URLSearchParams(search).get('huy-theo-doi')
  return key && /^\d+\.[A-Za-z0-9_-]+$/.test(key) ? key : null
}
