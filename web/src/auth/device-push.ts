import { ApiRequestError, getJson, sendJson } from '../api.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { BrowserPushError, pushSupported, subscribeBrowser } from '../push/browser-push.ts'

/** Whether this browser can be notified, and is: what the contact dialog shows and offers. */
export type DevicePushState = 'unsupported' | 'blocked' | 'off' | 'on'

/** Why turning notifications on failed, as a message key the dialog shows. */
export class DevicePushError extends Error {
  constructor(readonly key: MessageKey) {
    super(key)
    this.name = 'DevicePushError'
  }
}

export async function devicePushState(): Promise<DevicePushState> {
  if (!pushSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'blocked'
  const registration = await navigator.serviceWorker.getRegistration('/')
  return (await registration?.pushManager.getSubscription()) ? 'on' : 'off'
}

/**
 * Notifications on this browser or phone: the user's permission, the service worker, a subscription
 * with the IOC's VAPID key, handed to the server. Throws DevicePushError saying what stopped it.
 */
export async function enableDevicePush(): Promise<void> {
  if (!pushSupported()) throw new DevicePushError('push.unsupported')
  const { publicKey } = await getJson<{ publicKey: string | null }>('/api/push/key')
  if (!publicKey) throw new DevicePushError('push.serverOff')
  let subscription: PushSubscription
  try {
    subscription = await subscribeBrowser(publicKey)
  } catch (error) {
    if (error instanceof BrowserPushError) throw new DevicePushError(`push.${error.reason}`)
    throw error
  }
  await sendJson('POST', '/api/me/push-subscriptions', subscription.toJSON())
}

/** Stops notifications on this browser: the server forgets the subscription, the browser drops it. */
export async function disableDevicePush(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration('/')
  const subscription = await registration?.pushManager.getSubscription()
  if (!subscription) return
  try {
    await sendJson('DELETE', '/api/me/push-subscriptions', { endpoint: subscription.endpoint })
  } catch (error) {
    // Already forgotten by the server (404): dropping it here is all that is left to do.
    if (!(error instanceof ApiRequestError && error.failure.kind === 'http' && error.failure.status === 404)) throw error
  }
  await subscription.unsubscribe()
}
