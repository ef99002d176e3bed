import { RateLimiterMemory } from 'rate-limiter-flexible'

/**
 * How many failed MQTT logins the embedded broker checks before it refuses further ones unchecked
 * (docs/devices-and-mqtt.md, "Devices and MQTT credentials"). Each check is an argon2 hash, some 20 ms of CPU: unlimited,
 * 200 wrong passwords cost the server 3.5 s of CPU. Only failures count, so a device with the right
 * password may reconnect in a loop for ever; and they count per address, so nobody can lock a device
 * out from elsewhere (device usernames are public station ids).
 */
export const CONNECT_LIMITS = {
  /** Failed connects for one username from one address; a successful one starts the count again. */
  perUsernameAndAddress: 10,
  /** Failed connects from one address, whatever the usernames. */
  perAddress: 100,
  /** The window both are counted over, from the first failure. */
  windowMs: 5 * 60_000,
} as const
export type ConnectLimits = { [K in keyof typeof CONNECT_LIMITS]: number }

/** Longer usernames are no credential's (at most 63 characters): keys stay small whatever a client sends. */
const KEY_USERNAME_CHARS = 64

/** In memory: the embedded broker lives in one process (several instances use an external broker). */
export function createConnectLimits(limits: ConnectLimits = CONNECT_LIMITS) {
  const duration = limits.windowMs / 1000
  const byPair = new RateLimiterMemory({ keyPrefix: 'mqtt-user-address', points: limits.perUsernameAndAddress, duration })
  const byAddress = new RateLimiterMemory({ keyPrefix: 'mqtt-address', points: limits.perAddress, duration })
  const pairKey = (address: string, username: string) => JSON.stringify([address, username.slice(0, KEY_USERNAME_CHARS)])
  return {
    /**
     * Starts an attempt of `username` from `address`, counted as a failure until {@link succeeded} says
     * otherwise: false when that puts either count over its limit (refuse it unchecked). Counting before
     * the check, and at once — the in-memory limiter counts when called, not when awaited — is what stops
     * a hundred attempts sent together from all slipping under the limit while their passwords are
     * hashed. Refused attempts count too, which changes nothing: a window ends 5 minutes after its first.
     */
    async begin(address: string, username: string): Promise<boolean> {
      const [pair, fromAddress] = await Promise.all([byPair.penalty(pairKey(address, username)), byAddress.penalty(address)])
      return pair.consumedPoints <= limits.perUsernameAndAddress && fromAddress.consumedPoints <= limits.perAddress
    },
    /** The attempt was the right password: it no longer counts, and the username's count from this address starts again. */
    async succeeded(address: string, username: string): Promise<void> {
      await byPair.delete(pairKey(address, username))
      await uncount(byAddress, address)
    },
    /** The attempt could not be checked (the store failed): it counts for nothing. */
    async cancelled(address: string, username: string): Promise<void> {
      await Promise.all([uncount(byPair, pairKey(address, username)), uncount(byAddress, address)])
    },
  }
}

/** Takes one back, unless the window ended meanwhile (a new one starts at 0, not -1). */
async function uncount(limiter: RateLimiterMemory, key: string): Promise<void> {
  if (((await limiter.get(key))?.consumedPoints ?? 0) > 0) await limiter.reward(key)
}
export type ConnectLimiter = ReturnType<typeof createConnectLimits>

/** What a report says of one address's attempts since its last report. */
export interface AttemptReport {
  address: string
  count: number
  /** The usernames tried, in order of first use (at most 10, each cut at 64 characters). */
  usernames: string[]
}
const REPORTED_USERNAMES = 10

/**
 * Reports attempts per address at most once a window: the first at once, the ones after it as one
 * count when the window ends (none when there were none). A flood of failures becomes one audit entry a
 * minute per source, and no attempt goes uncounted.
 */
export function createAttemptReports(options: { windowMs: number; report: (report: AttemptReport) => void }) {
  interface Window {
    pending: number
    usernames: string[]
    timer: NodeJS.Timeout
  }
  const windows = new Map<string, Window>()
  const open = (address: string) => {
    const timer = setTimeout(() => close(address), options.windowMs)
    timer.unref()
    windows.set(address, { pending: 0, usernames: [], timer })
  }
  const close = (address: string) => {
    const window = windows.get(address)!
    windows.delete(address)
    if (window.pending === 0) return
    options.report({ address, count: window.pending, usernames: window.usernames })
    open(address)
  }
  return {
    note(address: string, attempted: string): void {
      const username = attempted.slice(0, KEY_USERNAME_CHARS)
      const window = windows.get(address)
      if (!window) {
        options.report({ address, count: 1, usernames: [username] })
        open(address)
        return
      }
      window.pending++
      if (window.usernames.length < REPORTED_USERNAMES && !window.usernames.includes(username)) window.usernames.push(username)
    },
    /** Reports what is pending now (at shutdown) and forgets every window. */
    flush(): void {
      for (const [address, window] of windows) {
        clearTimeout(window.timer)
        if (window.pending > 0) options.report({ address, count: window.pending, usernames: window.usernames })
      }
      windows.clear()
    },
  }
}
