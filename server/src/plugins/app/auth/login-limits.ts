import { setTimeout as wait } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/**
 * The login limits. Only failed logins count (a wrong password, an unknown username); a success
 * clears the count of its account from its address. The figures:
 *
 * - `perAccountAndAddress`: 10 failures for one account from one client address in the window, then
 *   that address is refused for that account (429) until the window ends. Nobody mistypes their own
 *   password ten times; a guesser gets ten guesses per address — and cannot lock out the real user,
 *   who comes from another address.
 * - `perAddress`: 100 failures from one address over all accounts, then that address is refused for
 *   every account. A city office behind one NAT shares an address: hence a larger figure (and
 *   IOC_TRUST_PROXY behind a reverse proxy, or every client has the proxy's address).
 * - `slowAfter`, `slowStepMs`, `slowMaxMs`: an account guessed from many addresses is slowed, never
 *   blocked. One address adds at most 10 failures per window of its own, and two of its windows can
 *   fall into one window of the account: 20. So 30 failures on one account in a window mean several
 *   addresses are at it. From then on every attempt on that account waits 250 ms more per failure
 *   beyond 29 (250 ms at 30, 500 ms at 31 …), at most 5 s, before its password is checked. The real
 *   user, who tries once, gets in at most 5 s late; each guess costs the guesser a connection held for
 *   seconds. What bounds a guesser with many addresses is still the per-address figures: 10 guesses
 *   per address and window.
 *
 * Change them here; docs/accounts.md ("Login limits") and the OpenAPI description of the login route say them.
 */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60_000,
  perAccountAndAddress: 10,
  perAddress: 100,
  slowAfter: 30,
  slowStepMs: 250,
  slowMaxMs: 5_000,
} as const
export type LoginLimits = { [K in keyof typeof LOGIN_LIMITS]: number }

/** Which limit refused an attempt: an account from this address, or this address for every account. */
export type LoginScope = 'account from this address' | 'address'

export type LoginAdmission =
  | { admitted: false; scope: LoginScope; retryAfterMs: number }
  /** `delayMs`: how long the attempt waited (the account is guessed from many addresses); 0 mostly. */
  | { admitted: true; delayMs: number; accountFailures: number }

/** How an admitted attempt ended: a failure counts; a success clears; `neither` (a disabled account, an error) gives the attempt back. */
export type LoginOutcome = 'failure' | 'success' | 'neither'

export interface LoginLimiterOptions {
  /** The deployment's Redis when several instances run (they then share every count); null for one. */
  redis: Redis | null
  /** IOC_REDIS_PREFIX: the namespace of the keys in Redis. */
  prefix: string
  limits?: LoginLimits
  /** How an attempt waits; tests pass their own. */
  sleep?: (ms: number) => Promise<void>
}

/** The wait before the password check of an account with `failures` failures from all addresses in the window. */
export function slowdownFor(failures: number, limits: LoginLimits = LOGIN_LIMITS): number {
  if (failures < limits.slowAfter) return 0
  return Math.min(limits.slowMaxMs, limits.slowStepMs * (failures - limits.slowAfter + 1))
}

/**
 * Counts failed logins with rate-limiter-flexible: in memory for one instance, in Redis for several.
 *
 * The two hard limits are reserved before the password is checked — an atomic increment that refuses
 * once over the limit — and given back after a success. Reading the counts first and counting only
 * after the check would let a burst of parallel guesses all pass the read before any is counted. If
 * Redis cannot be reached, each instance counts in its own memory until it can (the limiters'
 * insurance): staff still log in, and guessing is still limited per instance.
 */
export function createLoginLimiter(options: LoginLimiterOptions) {
  const limits = options.limits ?? LOGIN_LIMITS
  const sleep = options.sleep ?? ((ms: number) => wait(ms))
  const duration = Math.ceil(limits.windowMs / 1000)
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration })
    if (!options.redis) return memory
    return new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix}:login:${name}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration }),
    })
  }
  const byAddress = limiter('failed-by-address', limits.perAddress)
  const byAccountAndAddress = limiter('failed-by-account-address', limits.perAccountAndAddress)
  const byAccount = limiter('failed-by-account', limits.slowAfter)
  // An address has no space in it; whatever the username holds, the key cannot be mistaken.
  const pair = (account: string, address: string) => `${address} ${account}`

  /** Reserves one attempt of `limiter`; the refusal (a RateLimiterRes) or a store error otherwise. */
  async function reserve(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
    try {
      await limiter.consume(key)
      return null
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal
      throw refusal
    }
  }

  return {
    limits,

    /** Before the password check: refused (over a hard limit), or admitted — after the account's delay. */
    async admit(account: string, address: string): Promise<LoginAdmission> {
      const overAddress = await reserve(byAddress, address)
      if (overAddress) return { admitted: false, scope: 'address', retryAfterMs: overAddress.msBeforeNext }
      const overPair = await reserve(byAccountAndAddress, pair(account, address))
      if (overPair) {
        // Not a failure: this address's count over all accounts gets its attempt back.
        await byAddress.reward(address)
        return { admitted: false, scope: 'account from this address', retryAfterMs: overPair.msBeforeNext }
      }
      const accountFailures = (await byAccount.get(account))?.consumedPoints ?? 0
      const delayMs = slowdownFor(accountFailures, limits)
      if (delayMs > 0) await sleep(delayMs)
      return { admitted: true, delayMs, accountFailures }
    },

    /** After the password check of an admitted attempt. */
    async settle(account: string, address: string, outcome: LoginOutcome): Promise<void> {
      if (outcome === 'failure') {
        // The reservations stay: they are this failure's count. The account's count over all addresses grows.
        await byAccount.penalty(account)
      } else if (outcome === 'success') {
        await Promise.all([byAccountAndAddress.delete(pair(account, address)), byAddress.reward(address)])
      } else {
        await Promise.all([byAccountAndAddress.reward(pair(account, address)), byAddress.reward(address)])
      }
    },
  }
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>
