import { ApiRequestError, getJson, sendJson } from '../api.ts'
import type { MessageKey } from '../i18n/messages.ts'

/** Whether this browser can be notified, and is: what the contact dialog shows and offers. */
export type DevicePushState = 'unsupported' | 'blocked' | 'off' | 'on'

/** Why turning notifications on failed, as a message key the dialog shows. */
export class DevicePushError extends Error {
  constructor(readonly key: MessageKey) {
    super(key)
    this.name = 'DevicePushError'
  }
}

/** The service worker that shows the IOC's messages (web/public/push-sw.js). */
const WORKER = '/push-sw.js'

/** A VAPID key (URL-safe base64, no padding) as the bytes PushManager.subscribe wants. */
export function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64Url.length % 4)) % 4)
  const binary = atob(base64)
  const bytes = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const supported = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window && 'Notification' in window

export async function devicePushState(): Promise<DevicePushState> {
  if (!supported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'blocked'
  const registration = await navigator.serviceWorker.getRegistration('/')
  return (await registration?.pushManager.getSubscription()) ? 'on' : 'off'
}

/**
 * Notifications on this browser or phone: the user's permission, the service worker, a subscription
 * with the IOC's VAPID key, handed to the server. Throws DevicePushError saying what stopped it.
 */
export async function enableDevicePush(): Promise<void> {
  if (!supported()) throw new DevicePushError('push.unsupported')
  const { publicKey } = await getJson<{ publicKey: string | null }>('/api/push/key')
  if (!publicKey) throw new DevicePushError('push.serverOff')
  if ((await Notification.requestPermission()) !== 'granted') throw new DevicePushError('push.blocked')
  const registration = await navigator.serviceWorker.register(WORKER)
  await navigator.serviceWorker.ready
  let subscription: PushSubscription
  try {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) })
  } catch {
    // No push service reachable (offline, a browser without one, a network that blocks it).
    throw new DevicePushError('push.noService')
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
