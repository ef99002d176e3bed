import { signal } from '@preact/signals'
import { Permission, type CurrentUser } from '@ioc/shared'
import { hasPermission } from './auth/permissions.ts'

/** The dashboard's screens, addressed by the URL's hash so a reload or a shared link lands on the same one. */
export type Route = { kind: 'map' } | { kind: 'indicators' } | { kind: 'admin'; screen: AdminScreen }
export type AdminScreen = 'users' | 'stations' | 'audit'

const ADMIN_PERMISSION: Record<AdminScreen, Permission> = {
  users: Permission.userManage,
  stations: Permission.cityManage,
  audit: Permission.auditRead,
}

/** `#/admin/users` → the users screen, `#/indicators` the indicator map; anything unknown is the map. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '')
  if (path === '/indicators') return { kind: 'indicators' }
  const match = /^\/admin\/(users|stations|audit)$/.exec(path)
  return match ? { kind: 'admin', screen: match[1] as AdminScreen } : { kind: 'map' }
}

export function routeHref(route: Route): string {
  if (route.kind === 'map') return '#/'
  return route.kind === 'indicators' ? '#/indicators' : `#/admin/${route.screen}`
}

export function mayOpen(user: Pick<CurrentUser, 'permissions'> | null, screen: AdminScreen): boolean {
  return hasPermission(user, ADMIN_PERMISSION[screen])
}

/** The admin screens this user may open, in menu order. */
export function adminScreens(user: Pick<CurrentUser, 'permissions'> | null): AdminScreen[] {
  return (Object.keys(ADMIN_PERMISSION) as AdminScreen[]).filter((screen) => mayOpen(user, screen))
}

/** What to show for `route`: a screen the user may not open is not shown at all, the map is. */
export function visibleRoute(route: Route, user: Pick<CurrentUser, 'permissions'> | null): Route {
  if (route.kind === 'indicators') return hasPermission(user, Permission.indicatorRead) ? route : { kind: 'map' }
  return route.kind === 'admin' && !mayOpen(user, route.screen) ? { kind: 'map' } : route
}

export const route = signal<Route>(parseRoute(globalThis.location?.hash ?? ''))

/** Keeps `route` in step with the address bar (links, back and forward). */
export function followHash(): () => void {
  const sync = () => (route.value = parseRoute(location.hash))
  addEventListener('hashchange', sync)
  return () => removeEventListener('hashchange', sync)
}
