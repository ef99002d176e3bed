/**
 * This browser's Web Push subscription with the IOC's VAPID key: the service worker that shows the
 * messages (web/public/push-sw.js), the user's permission, the push service. Shared by the dashboard
 * (a user's own notifications) and the citizens' page (following a flood point); each says in its own
 * words what stopped it (BrowserPushError.reason).
 */
export type BrowserPushProblem = 'unsupported' | 'blocked' | 'noService'

export class BrowserPushError extends Error {
  constructor(readonly reason: BrowserPushProblem) {
    super(reason)
    this.name = 'BrowserPushError'
  }
}

export const pushSupported = () =>
  typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window && 'Notification' in window

/** A VAPID key (URL-safe base64, no padding) as the bytes PushManager.subscribe wants. */
export function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64Url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64Url.length % 4)) % 4))
  const bytes = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Resolves once `registration` has an active worker (at once if it has one). */
function activeWorker(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve()
  const worker = registration.installing ?? registration.waiting
  if (!worker) return Promise.resolve()
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve()
      else if (worker.state === 'redundant') reject(new BrowserPushError('noService'))
    })
  })
}

/** Asks the user, registers the service worker, and subscribes with `publicKey`. */
export async function subscribeBrowser(publicKey: string): Promise<PushSubscription> {
  if (!pushSupported()) throw new BrowserPushError('unsupported')
  if ((await Notification.requestPermission()) !== 'granted') throw new BrowserPushError('blocked')
  const registration = await navigator.serviceWorker.register('/push-sw.js')
  // This registration's own worker: `navigator.serviceWorker.ready` would be the public page's offline
  // worker (muc-nuoc-sw.js, scope /muc-nuoc) there, and a subscription needs the push worker active.
  await activeWorker(registration)
  try {
    return await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) })
  } catch {
    // No push service reachable (offline, a browser without one, a network that blocks it).
    throw new BrowserPushError('noService')
  }
}
