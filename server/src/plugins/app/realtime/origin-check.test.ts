import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createOriginCheck, type OriginPolicy } from './origin-check.ts'

const policy: OriginPolicy = { publicUrl: 'https://ioc.tamky.gov.vn', allowedOrigins: ['https://ioc.quangnam.gov.vn'], trustProxy: false }

/** A handshake request's parts the check reads: its headers, and the connection it came on. */
function handshake(headers: Record<string, string>, connection: { remoteAddress?: string; encrypted?: boolean } = {}): IncomingMessage {
  return { headers, socket: { remoteAddress: '127.0.0.1', ...connection } } as unknown as IncomingMessage
}
const allowed = (check: ReturnType<typeof createOriginCheck>, request: IncomingMessage) => check(request) === null

describe('createOriginCheck', () => {
  const check = createOriginCheck(policy)

  it('lets a client without Origin through: not a page in a browser', () => {
    expect(allowed(check, handshake({ host: '10.0.0.2:8080' }))).toBe(true)
  })

  it('takes the origin the request was addressed to, however its default port is written', () => {
    expect(allowed(check, handshake({ host: '10.0.0.2:8080', origin: 'http://10.0.0.2:8080' }))).toBe(true)
    expect(allowed(check, handshake({ host: 'ioc.local:80', origin: 'http://ioc.local' }))).toBe(true)
    expect(allowed(check, handshake({ host: 'ioc.local', origin: 'https://ioc.local' }, { encrypted: true }))).toBe(true)
  })

  it('refuses another port, another scheme, another host of the same site, and opaque origins', () => {
    for (const origin of ['http://10.0.0.2:8081', 'https://10.0.0.2:8080', 'http://evil.10.0.0.2.example', 'null']) {
      expect(check(handshake({ host: '10.0.0.2:8080', origin }))).toBe(`a page at ${origin} may not open the IOC's live connection: only the IOC's own address and IOC_ALLOWED_ORIGINS may`)
    }
  })

  it('takes the public URL and the configured origins wherever the request was addressed', () => {
    expect(allowed(check, handshake({ host: '127.0.0.1:8080', origin: 'https://ioc.tamky.gov.vn' }))).toBe(true)
    expect(allowed(check, handshake({ host: '127.0.0.1:8080', origin: 'https://ioc.quangnam.gov.vn' }))).toBe(true)
  })

  it('believes X-Forwarded-Proto/-Host from a trusted proxy only — by address, range or name — and takes the nearest value', () => {
    const forwarded = { host: '127.0.0.1:8080', origin: 'https://ioc.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ioc.example' }
    expect(allowed(createOriginCheck({ ...policy, trustProxy: '127.0.0.1' }), handshake(forwarded))).toBe(true)
    expect(allowed(createOriginCheck({ ...policy, trustProxy: 'loopback' }), handshake(forwarded, { remoteAddress: '::ffff:127.0.0.1' }))).toBe(true)
    expect(allowed(createOriginCheck({ ...policy, trustProxy: '10.0.0.0/8' }), handshake(forwarded, { remoteAddress: '10.1.2.3' }))).toBe(true)
    expect(allowed(createOriginCheck({ ...policy, trustProxy: true }), handshake({ ...forwarded, 'x-forwarded-host': 'spoofed.example, ioc.example' }))).toBe(true)

    expect(allowed(createOriginCheck({ ...policy, trustProxy: '10.0.0.0/8' }), handshake(forwarded))).toBe(false)
    expect(allowed(createOriginCheck(policy), handshake(forwarded))).toBe(false)
    // A hop count cannot tell a proxy from a client: Fastify believes no forwarded host or scheme then, nor does this.
    expect(allowed(createOriginCheck({ ...policy, trustProxy: 1 }), handshake(forwarded))).toBe(false)
  })
})
