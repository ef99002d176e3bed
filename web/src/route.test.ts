import { describe, expect, it } from 'vitest'
import { ROLE_PERMISSIONS } from '@ioc/shared'
import { adminScreens, parseRoute, routeHref, visibleRoute } from './route.ts'

const as = (role: keyof typeof ROLE_PERMISSIONS) => ({ permissions: [...ROLE_PERMISSIONS[role]] })

describe('parseRoute', () => {
  it('reads the admin screens from the hash', () => {
    expect(parseRoute('#/admin/users')).toEqual({ kind: 'admin', screen: 'users' })
    expect(parseRoute('#/admin/audit/')).toEqual({ kind: 'admin', screen: 'audit' })
    expect(parseRoute('#/admin/stations')).toEqual({ kind: 'admin', screen: 'stations' })
  })

  it('takes anything else for the map', () => {
    for (const hash of ['', '#', '#/', '#stations', '#/admin', '#/admin/nope']) expect(parseRoute(hash)).toEqual({ kind: 'map' })
  })

  it('reads the indicator view', () => {
    expect(parseRoute('#/indicators')).toEqual({ kind: 'indicators' })
    expect(parseRoute(routeHref({ kind: 'indicators' }))).toEqual({ kind: 'indicators' })
  })

  it('round-trips with routeHref', () => {
    expect(parseRoute(routeHref({ kind: 'admin', screen: 'audit' }))).toEqual({ kind: 'admin', screen: 'audit' })
    expect(routeHref({ kind: 'map' })).toBe('#/')
  })
})

describe('visibleRoute', () => {
  it('opens admin screens to those holding their permission only', () => {
    expect(visibleRoute({ kind: 'admin', screen: 'users' }, as('admin'))).toEqual({ kind: 'admin', screen: 'users' })
    expect(visibleRoute({ kind: 'admin', screen: 'users' }, as('operator'))).toEqual({ kind: 'map' })
    expect(visibleRoute({ kind: 'admin', screen: 'audit' }, as('area_staff'))).toEqual({ kind: 'map' })
    expect(visibleRoute({ kind: 'admin', screen: 'stations' }, as('operator'))).toEqual({ kind: 'map' })
  })

  it('opens the indicator view to every logged-in role, the map to anyone else', () => {
    for (const role of ['staff', 'area_staff', 'operator', 'admin'] as const) expect(visibleRoute({ kind: 'indicators' }, as(role))).toEqual({ kind: 'indicators' })
    expect(visibleRoute({ kind: 'indicators' }, as('public'))).toEqual({ kind: 'map' })
  })

  it('lists the screens of the header menu by permission', () => {
    expect(adminScreens(as('admin'))).toEqual(['users', 'stations', 'audit'])
    expect(adminScreens(as('staff'))).toEqual([])
    expect(adminScreens({ permissions: ['audit:read'] })).toEqual(['audit'])
  })
})
