import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * Who reads `/metrics`: it counts camera and battery alarms and staff sockets by role, which anonymous
 * users may not see. This machine reads it freely; another host needs IOC_METRICS_TOKEN as a bearer token.
 */

const TOKEN = 'scrape-token-0123456789abcdef'
const OUTSIDER = '203.0.113.7'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close()
})
async function server(env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const s = await startServer({ env })
  cleanup.push(() => s.close())
  return s
}

describe('GET /metrics', () => {
  it('answers this machine without a token, and another host with 401 and how to get access', async () => {
    const s = await server()
    const local = await fetch(`${s.baseUrl}/metrics`)
    expect(local.status).toBe(200)
    expect(local.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await local.text()).toMatch(/^# HELP ioc_alarms_open /m)

    const remote = await s.app.inject({ method: 'GET', url: '/metrics', remoteAddress: OUTSIDER })
    expect(remote.statusCode).toBe(401)
    expect(remote.headers['www-authenticate']).toBe('Bearer realm="metrics"')
    expect(remote.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('set IOC_METRICS_TOKEN') })
    expect(remote.body).not.toContain('ioc_')
    // Without a token configured, no header opens it.
    expect((await s.app.inject({ method: 'GET', url: '/metrics', remoteAddress: OUTSIDER, headers: { authorization: 'Bearer anything-at-all-long-enough' } })).statusCode).toBe(401)
  })

  it('answers another host that sends IOC_METRICS_TOKEN, and only that token', async () => {
    const s = await server({ IOC_METRICS_TOKEN: TOKEN })
    const scrape = (authorization?: string) => s.app.inject({ method: 'GET', url: '/metrics', remoteAddress: OUTSIDER, headers: authorization ? { authorization } : {} })

    const ok = await scrape(`Bearer ${TOKEN}`)
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toContain('ioc_ingest_stored_total')

    const wrong = await scrape(`Bearer ${TOKEN.slice(0, -1)}X`)
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().message).toMatch(/^wrong metrics token/)
    const none = await scrape()
    expect(none.statusCode).toBe(401)
    expect(none.json().message).toContain('Authorization: Bearer <token>')
  })

  it('behind a trusted proxy, judges the client the proxy names, not the proxy', async () => {
    // The deployment recipe: nginx on this host, IOC_TRUST_PROXY=127.0.0.1, X-Forwarded-For set by nginx.
    const s = await server({ IOC_TRUST_PROXY: '127.0.0.1', IOC_METRICS_TOKEN: TOKEN })
    const viaProxy = (headers: Record<string, string>) => fetch(`${s.baseUrl}/metrics`, { headers: { 'x-forwarded-for': OUTSIDER, ...headers } })

    expect((await viaProxy({})).status).toBe(401)
    expect((await viaProxy({ authorization: `Bearer ${TOKEN}` })).status).toBe(200)
    // A check on the host itself, straight to the instance, needs no token.
    expect((await fetch(`${s.baseUrl}/metrics`)).status).toBe(200)
  })
})
