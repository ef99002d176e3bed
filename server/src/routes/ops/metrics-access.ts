import { createHash, timingSafeEqual } from 'node:crypto'
import { BlockList, isIPv4 } from 'node:net'

/**
 * Who may read `/metrics`: it counts camera, battery and silence alarms, and the staff's sockets by
 * role, which anonymous users may not see. The machine itself (a Prometheus or an operator's curl on
 * the same host) reads it without a token; anyone else with `Authorization: Bearer <IOC_METRICS_TOKEN>`.
 */

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * Whether a client address is this machine: 127.0.0.0/8, ::1, or an IPv4 loopback address written
 * as IPv6 (`::ffff:127.0.0.1`, what a dual-stack socket reports). The address is `request.ip`, which
 * believes X-Forwarded-For only from the proxies IOC_TRUST_PROXY names.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped) return LOOPBACK.check(mapped, 'ipv4')
  return isIPv4(address) ? LOOPBACK.check(address, 'ipv4') : LOOPBACK.check(address, 'ipv6')
}

/** Compares through fixed-length digests, so neither the time taken nor an early length check tells how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')
  return match?.[1]
}

export type MetricsAccess = { allowed: true } | { allowed: false; message: string }

/** Loopback, or the right bearer token; otherwise a refusal that says how to get access. */
export function metricsAccess(ip: string, authorization: string | undefined, token: string | undefined): MetricsAccess {
  if (isLoopback(ip)) return { allowed: true }
  const given = bearerToken(authorization)
  if (token !== undefined && given !== undefined && sameSecret(given, token)) return { allowed: true }
  if (token === undefined) {
    return { allowed: false, message: '/metrics answers this machine only: read it from the server itself, or set IOC_METRICS_TOKEN on the server and send it as "Authorization: Bearer <token>"' }
  }
  return {
    allowed: false,
    message: given === undefined ? '/metrics needs "Authorization: Bearer <token>" with the server\'s IOC_METRICS_TOKEN (or a request from the server itself)' : 'wrong metrics token: send the server\'s IOC_METRICS_TOKEN as "Authorization: Bearer <token>"',
  }
}
