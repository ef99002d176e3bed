/* global self */
/*
 * The IOC's service worker for Web Push (docs/notifications.md): shows each message the server sends —
 * an alarm for staff, a flood point's level for a citizen following it — and opens its page when
 * tapped. A citizen's message carries an "unsubscribe" action that opens the point's page with the
 * key that ends the subscription. Plain JavaScript, no build step: the browser loads it as it is.
 */
self.addEventListener('push', (event) => {
  let message
  try {
    message = event.data ? event.data.json() : {}
  } catch {
    message = { title: 'IOC Tam Kỳ', body: event.data ? event.data.text() : '' }
  }
  const actions = message.unsubscribeUrl ? [{ action: 'unsubscribe', title: 'Hủy nhận thông báo' }] : []
  event.waitUntil(
    self.registration.showNotification(message.title || 'IOC Tam Kỳ', {
      body: message.body || '',
      tag: message.tag,
      // A newer level of the same alarm or point replaces the older one, and still rings.
      renotify: Boolean(message.tag),
      icon: '/favicon.svg',
      data: { url: message.url || '/', unsubscribeUrl: message.unsubscribeUrl },
      actions,
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const { url, unsubscribeUrl } = event.notification.data || {}
  const target = event.action === 'unsubscribe' && unsubscribeUrl ? unsubscribeUrl : url || '/'
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === target)
      return open ? open.focus() : self.clients.openWindow(target)
    }),
  )
})
