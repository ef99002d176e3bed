import { signal } from '@preact/signals'
import { Permission, type CurrentUser } from '@ioc/shared'
import { hasPermission } from './auth/permissions.ts'

/**
 * A link from a notification (email, webhook): the dashboard on one alarm's acknowledge dialog. `exp`
 * and `sig` are what the link carried, null when missing or malformed; the server says whether they
 * are the IOC's own and fresh. The link grants nothing by itself.
 */
export interface AlarmLinkRoute {
  kind: 'alarm-link'
  alarmId: number
  exp: number | null
  sig: string | null
}

/** The dashboard's screens, addressed by the URL's hash so a reload or a shared link lands on the same one. */
export type Route = { kind: 'map' } | { kind: 'indicators' } | { kind: 'report' } | { kind: 'admin'; screen: AdminScreen } | AlarmLinkRoute
export type AdminScreen = 'users' | 'stations' | 'audit' | 'rules' | 'roster' | 'webhooks' | 'deliveries'

const ADMIN_PERMISSION: Record<AdminScreen, Permission> = {
  users: Permission.userManage,
  stations: Permission.cityManage,
  audit: Permission.auditRead,
  rules: Permission.notificationManage,
  roster: Permission.rosterManage,
  webhooks: Permission.notificationManage,
  deliveries: Permission.notificationManage,
}
const ADMIN_SCREENS = Object.keys(ADMIN_PERMISSION) as AdminScreen[]

const isAdminScreen = (name: string): name is AdminScreen => (ADMIN_SCREENS as string[]).includes(name)

/** `#/alarms/41/ack?exp=…&sig=…`: the alarm's id, and the link's expiry and signature as given. */
function parseAlarmLink(path: string, query: string): AlarmLinkRoute | null {
  const match = /^\/alarms\/([1-9]\d{0,15})\/ack$/.exec(path)
  if (!match) return null
  const params = new URLSearchParams(query)
  const exp = params.get('exp') ?? ''
  const sig = params.get('sig') ?? ''
  return {
    kind: 'alarm-link',
    alarmId: Number(match[1]),
    exp: /^\d{1,16}$/.test(exp) ? Number(exp) : null,
    sig: sig.length > 0 && sig.length <= 100 ? sig : null,
  }
}

/** `#/admin/users` → the users screen, `#/indicators` the indicator map, `#/alarms/41/ack?…` a notification's link; anything unknown is the map. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '')
  const queryAt = raw.indexOf('?')
  const path = (queryAt < 0 ? raw : raw.slice(0, queryAt)).replace(/\/+$/, '')
  const query = queryAt < 0 ? '' : raw.slice(queryAt + 1)
  if (path === '/indicators') return { kind: 'indicators' }
  if (path === '/reports/storm') return { kind: 'report' }
  const link = parseAlarmLink(path, query)
  if (link) return link
  const screen = /^\/admin\/([a-z-]+)$/.exec(path)?.[1]
  return screen && isAdminScreen(screen) ? { kind: 'admin', screen } : { kind: 'map' }
}

export function routeHref(route: Route): string {
  switch (route.kind) {
    case 'map':
      return '#/'
    case 'indicators':
      return '#/indicators'
    case 'report':
      return '#/reports/storm'
    case 'admin':
      return `#/admin/${route.screen}`
    case 'alarm-link': {
      const query = new URLSearchParams()
      if (route.exp !== null) query.set('exp', String(route.exp))
      if (route.sig !== null) query.set('sig', route.sig)
      const text = query.toString()
      return `#/alarms/${route.alarmId}/ack${text ? `?${text}` : ''}`
    }
  }
}

export function mayOpen(user: Pick<CurrentUser, 'permissions'> | null, screen: AdminScreen): boolean {
  return hasPermission(user, ADMIN_PERMISSION[screen])
}

/** The admin screens this user may open, in menu order. */
export function adminScreens(user: Pick<CurrentUser, 'permissions'> | null): AdminScreen[] {
  return ADMIN_SCREENS.filter((screen) => mayOpen(user, screen))
}

/** What to show for `route`: a screen the user may not open is not shown at all, the map is. */
export function visibleRoute(route: Route, user: Pick<CurrentUser, 'permissions'> | null): Route {
  if (route.kind === 'indicators') return hasPermission(user, Permission.indicatorRead) ? route : { kind: 'map' }
  // The report names who acknowledged alarms and lists device silences: the server's health:read rule.
  if (route.kind === 'report') return hasPermission(user, Permission.healthRead) ? route : { kind: 'map' }
  // A link to an alarm opens for anyone logged in: the server says what they may see of it and do with it.
  if (route.kind === 'alarm-link') return user ? route : { kind: 'map' }
  return route.kind === 'admin' && !mayOpen(user, route.screen) ? { kind: 'map' } : route
}

export const route = signal<Route>(parseRoute(globalThis.location?.hash ?? ''))

/** Keeps `route` in step with the address bar (links, back and forward). */
export function followHash(): () => void {
  const sync = () => (route.value = parseRoute(location.hash))
  addEventListener('hashchange', sync)
  return () => removeEventListener('hashchange', sync)
}

/**
 * Leaves a notification's link for the map without a new history entry, so a reload or "back" does
 * not open its dialog again. Only that link: if another was opened meanwhile, it stays.
 */
export function leaveAlarmLink(link: AlarmLinkRoute): void {
  const current = route.peek()
  if (current.kind !== 'alarm-link' || routeHref(current) !== routeHref(link)) return
  history.replaceState(history.state, '', `${location.pathname}${location.search}${routeHref({ kind: 'map' })}`)
  route.value = { kind: 'map' }
}
