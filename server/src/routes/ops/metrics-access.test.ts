import { describe, expect, it } from 'vitest'
import { bearerToken, isLoopback, metricsAccess } from './metrics-access.ts'

const TOKEN = 'prometheus-scrape-token-1234'

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.1'])('counts %s as this machine', (address) => {
    expect(isLoopback(address)).toBe(true)
  })

  it.each(['10.0.0.5', '192.168.1.20', '203.0.113.7', '::ffff:10.0.0.5', '2001:db8::1', '128.0.0.1', '', 'localhost'])('counts %s as another host', (address) => {
    expect(isLoopback(address)).toBe(false)
  })
})

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN)
    expect(bearerToken(`bearer ${TOKEN}`)).toBe(TOKEN)
  })

  it('reads nothing from another scheme, an empty token or no header', () => {
    expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined()
    expect(bearerToken('Bearer ')).toBeUndefined()
    expect(bearerToken(undefined)).toBeUndefined()
  })
})

describe('metricsAccess', () => {
  it('lets this machine in without a token', () => {
    expect(metricsAccess('127.0.0.1', undefined, undefined)).toEqual({ allowed: true })
    expect(metricsAccess('::1', undefined, TOKEN)).toEqual({ allowed: true })
  })

  it('lets another host in with the right token only', () => {
    expect(metricsAccess('10.0.0.5', `Bearer ${TOKEN}`, TOKEN)).toEqual({ allowed: true })
    expect(metricsAccess('10.0.0.5', `Bearer ${TOKEN}x`, TOKEN)).toEqual({ allowed: false, message: expect.stringMatching(/^wrong metrics token/) })
    expect(metricsAccess('10.0.0.5', `Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toMatchObject({ allowed: false })
  })

  it('tells another host without a token how to get access', () => {
    expect(metricsAccess('10.0.0.5', undefined, TOKEN)).toEqual({ allowed: false, message: expect.stringContaining('Authorization: Bearer <token>') })
  })

  it('refuses every other host when the server has no token, whatever it sends, and says how to set one', () => {
    const refused = metricsAccess('10.0.0.5', `Bearer ${TOKEN}`, undefined)
    expect(refused).toEqual({ allowed: false, message: expect.stringContaining('set IOC_METRICS_TOKEN') })
  })
})
