import type { IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import type { TLSSocket } from 'node:tls'
import { originOf } from '../../../config.ts'

export interface OriginPolicy {
  /** IOC_PUBLIC_URL: its origin may always open a socket. */
  publicUrl: string
  /** IOC_ALLOWED_ORIGINS: further origins whose pages may open a socket. */
  allowedOrigins: readonly string[]
  /** IOC_TRUST_PROXY, as Fastify reads it: whose X-Forwarded-Proto/-Host to believe. */
  trustProxy: boolean | number | string
}

type TrustFn = (address: string, hop: number) => boolean

/**
 * Fastify's own proxy-addr (a dependency of fastify), so whose X-Forwarded-* is believed here is decided
 * by the same code as `request.protocol` and `request.host` over HTTP — not a second copy of it.
 */
const proxyAddr = createRequire(createRequire(import.meta.url).resolve('fastify'))('@fastify/proxy-addr') as { compile(values: string[]): TrustFn }

/** Fastify's `getTrustProxyFn` (lib/request.js): null when no proxy is trusted. */
function trustOf(trustProxy: OriginPolicy['trustProxy']): TrustFn | null {
  if (trustProxy === false) return null
  if (trustProxy === true) return () => true
  // A hop count cannot tell a proxy from a client that sends the headers itself: Fastify then believes no X-Forwarded-Proto/-Host.
  if (typeof trustProxy === 'number') return null
  return proxyAddr.compile(trustProxy.split(',').map((value) => value.trim()))
}

/** The last of a header's comma-separated values (what the nearest proxy added), as Fastify takes it. */
function lastValue(header: string | string[] | undefined): string | undefined {
  const value = [header].flat().at(-1)
  return value?.split(',').at(-1)?.trim() || undefined
}

/**
 * Which pages may open a socket with the user's cookie. A page on another origin — another port or
 * subdomain of the same site, where SameSite=Lax still sends the cookie — could otherwise open a
 * staff socket in the user's name and read what it is sent. Allowed: the origin the request was
 * addressed to (its Host, or behind a trusted proxy X-Forwarded-Host/-Proto), IOC_PUBLIC_URL's origin
 * and IOC_ALLOWED_ORIGINS. Returns, for a handshake request, null when it may go on, or why not.
 */
export function createOriginCheck(policy: OriginPolicy): (request: IncomingMessage) => string | null {
  const trust = trustOf(policy.trustProxy)
  const configured = new Set([originOf(policy.publicUrl), ...policy.allowedOrigins].filter((origin) => origin !== undefined))

  /** The origin the request was addressed to, as Fastify's `request.protocol` and `request.host` read it. */
  const addressedTo = (request: IncomingMessage): string | undefined => {
    const { socket, headers } = request
    const viaProxy = trust !== null && socket.remoteAddress !== undefined && trust(socket.remoteAddress, 0)
    const host = (viaProxy && lastValue(headers['x-forwarded-host'])) || headers.host
    const protocol = (viaProxy && lastValue(headers['x-forwarded-proto'])) || ((socket as TLSSocket).encrypted ? 'https' : 'http')
    return host ? originOf(`${protocol}://${host}`) : undefined
  }

  return (request) => {
    const origin = request.headers.origin
    // No Origin: not a page in a browser. Browsers send it on every websocket handshake and on every
    // cross-origin request, so a foreign page cannot leave it out; they omit it only on a same-origin
    // polling GET. Other clients (simulators, tests, scripts) hold their own cookie, if any: there is no
    // ambient credential of someone else's to borrow.
    if (origin === undefined) return null
    // `new URL` writes an origin the way browsers send it (lower case, no default port).
    const normalised = originOf(origin)
    if (normalised !== undefined && (configured.has(normalised) || normalised === addressedTo(request))) return null
    return `a page at ${origin} may not open the IOC's live connection: only the IOC's own address and IOC_ALLOWED_ORIGINS may`
  }
}
