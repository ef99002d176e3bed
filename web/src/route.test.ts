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

  it('reads the notification screens from the hash', () => {
    for (const screen of ['rules', 'roster', 'webhooks', 'deliveries'] as const) {
      expect(parseRoute(`#/admin/${screen}`)).toEqual({ kind: 'admin', screen })
      expect(parseRoute(routeHref({ kind: 'admin', screen }))).toEqual({ kind: 'admin', screen })
    }
  })

  it('takes anything else for the map', () => {
    for (const hash of ['', '#', '#/', '#stations', '#/admin', '#/admin/nope', '#/admin/users-x', '#/alarms/41', '#/alarms/0/ack', '#/alarms/abc/ack', '#/alarms/-4/ack']) {
      expect(parseRoute(hash)).toEqual({ kind: 'map' })
    }
  })

  it('reads the storm report', () => {
    expect(parseRoute('#/reports/storm')).toEqual({ kind: 'report' })
    expect(parseRoute(routeHref({ kind: 'report' }))).toEqual({ kind: 'report' })
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

describe('parseRoute: links in notifications', () => {
  it('reads the alarm, the expiry and the signature of #/alarms/{id}/ack', () => {
    expect(parseRoute('#/alarms/41/ack?exp=1793325600000&sig=Ab-9_x')).toEqual({ kind: 'alarm-link', alarmId: 41, exp: 1793325600000, sig: 'Ab-9_x' })
  })

  it('keeps the alarm of a link whose expiry or signature is missing or malformed, for the server to call invalid', () => {
    expect(parseRoute('#/alarms/41/ack')).toEqual({ kind: 'alarm-link', alarmId: 41, exp: null, sig: null })
    expect(parseRoute('#/alarms/41/ack?exp=soon&sig=')).toEqual({ kind: 'alarm-link', alarmId: 41, exp: null, sig: null })
    expect(parseRoute(`#/alarms/41/ack?exp=-5&sig=${'x'.repeat(101)}`)).toEqual({ kind: 'alarm-link', alarmId: 41, exp: null, sig: null })
    expect(parseRoute('#/alarms/41/ack/?sig=abc')).toEqual({ kind: 'alarm-link', alarmId: 41, exp: null, sig: 'abc' })
  })

  it('reads the link exactly as the server writes it (alarmLink: base64url signature)', () => {
    const hash = '#/alarms/7/ack?exp=1700000000000&sig=q1W2e3R4t5Y6u7I8o9P0-_aSdFgHjKlZxCvBnM12345'
    expect(parseRoute(hash)).toEqual({ kind: 'alarm-link', alarmId: 7, exp: 1700000000000, sig: 'q1W2e3R4t5Y6u7I8o9P0-_aSdFgHjKlZxCvBnM12345' })
    expect(routeHref(parseRoute(hash))).toBe(hash)
  })
})

describe('visibleRoute', () => {
  it('opens a notification link to anyone logged in, and shows the login page first to others (the map route)', () => {
    const link = { kind: 'alarm-link', alarmId: 41, exp: 1, sig: 's' } as const
    for (const role of ['staff', 'area_staff', 'operator', 'admin'] as const) expect(visibleRoute(link, as(role))).toEqual(link)
    expect(visibleRoute(link, null)).toEqual({ kind: 'map' })
  })

  it('opens the roster to operators and admins, the other notification screens to admins only', () => {
    expect(visibleRoute({ kind: 'admin', screen: 'roster' }, as('operator'))).toEqual({ kind: 'admin', screen: 'roster' })
    expect(visibleRoute({ kind: 'admin', screen: 'roster' }, as('staff'))).toEqual({ kind: 'map' })
    for (const screen of ['rules', 'webhooks', 'deliveries'] as const) {
      expect(visibleRoute({ kind: 'admin', screen }, as('admin'))).toEqual({ kind: 'admin', screen })
      expect(visibleRoute({ kind: 'admin', screen }, as('operator'))).toEqual({ kind: 'map' })
    }
  })

  it('opens admin screens to those holding their permission only', () => {
    expect(visibleRoute({ kind: 'admin', screen: 'users' }, as('admin'))).toEqual({ kind: 'admin', screen: 'users' })
    expect(visibleRoute({ kind: 'admin', screen: 'users' }, as('operator'))).toEqual({ kind: 'map' })
    expect(visibleRoute({ kind: 'admin', screen: 'audit' }, as('area_staff'))).toEqual({ kind: 'map' })
    expect(visibleRoute({ kind: 'admin', screen: 'stations' }, as('operator'))).toEqual({ kind: 'map' })
  })

  it('opens the storm report to every staff role, the map to anyone else (it names who acknowledged alarms)', () => {
    for (const role of ['staff', 'area_staff', 'operator', 'admin'] as const) expect(visibleRoute({ kind: 'report' }, as(role))).toEqual({ kind: 'report' })
    expect(visibleRoute({ kind: 'report' }, as('public'))).toEqual({ kind: 'map' })
    expect(visibleRoute({ kind: 'report' }, null)).toEqual({ kind: 'map' })
  })

  it('opens the indicator view to every logged-in role, the map to anyone else', () => {
    for (const role of ['staff', 'area_staff', 'operator', 'admin'] as const) expect(visibleRoute({ kind: 'indicators' }, as(role))).toEqual({ kind: 'indicators' })
    expect(visibleRoute({ kind: 'indicators' }, as('public'))).toEqual({ kind: 'map' })
  })

  it('lists the screens of the header menu by permission', () => {
    expect(adminScreens(as('admin'))).toEqual(['users', 'stations', 'audit', 'rules', 'roster', 'webhooks', 'deliveries'])
    expect(adminScreens(as('operator'))).toEqual(['roster'])
    expect(adminScreens(as('staff'))).toEqual([])
    expect(adminScreens({ permissions: ['audit:read'] })).toEqual(['audit'])
  })
})
