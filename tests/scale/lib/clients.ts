import { setTimeout as sleep } from 'node:timers/promises'
import { io } from 'socket.io-client'
import type { AlarmView, FloodReading } from '@ioc/shared'
import type { IocClientSocket } from '../../helpers/socket.ts'

export interface WatchOptions {
  /** `reading:batch` instead of `reading:new` (`auth: { batch: true }`). @defaultValue false */
  batch?: boolean
  /**
   * Websocket only, as a direct connection may; unset: socket.io's default polling then websocket, as
   * a browser through nginx does (so the proxy's stickiness is exercised). @defaultValue false
   */
  websocketOnly?: boolean
  /** Session cookie of a logged-in browser. */
  cookie?: string
}

/** What one dashboard got: each reading's deliveries, each (re)connection, alarm events in order. */
export interface WatchingClient {
  socket: IocClientSocket
  name: string
  /** Deliveries per reading, keyed `station|epoch ms`. */
  readonly received: ReadonlyMap<string, number>
  /** One entry per `connect` (epoch ms): the first, then each reconnection and whether its state was recovered. */
  readonly connections: readonly { at: number; recovered: boolean }[]
  /** One entry per `disconnect` (epoch ms) and its reason. */
  readonly disconnections: readonly { at: number; reason: string }[]
  readonly alarms: readonly { event: 'alarm:raised' | 'alarm:updated' | 'alarm:cleared'; alarm: AlarmView }[]
  /** Deliveries beyond the first, summed over readings. */
  repeats(): number
  /** Of `keys`, those never delivered. */
  missing(keys: Iterable<string>): string[]
  close(): void
}

/** A client's connections and disconnections in order, in ms since `t0` (epoch ms): for failure messages. */
export function timeline(client: WatchingClient, t0: number): string {
  const events = [
    ...client.connections.map((c, k) => ({ at: c.at, what: k === 0 ? 'connected' : `reconnected${c.recovered ? ' (recovered)' : ' (NOT recovered)'}` })),
    ...client.disconnections.map((d) => ({ at: d.at, what: `disconnected (${d.reason})` })),
  ].sort((a, b) => a.at - b.at)
  return events.map((e) => `${e.at - t0} ms ${e.what}`).join(', ')
}

export const readingKey = (stationId: string, tsMs: number) => `${stationId}|${tsMs}`

/**
 * A dashboard as the browser runs it: socket.io with reconnection on (fast, so a test is not spent
 * waiting), connection-state recovery as the server offers it. Resolves once connected.
 */
export async function watchClient(url: string, name: string, options: WatchOptions = {}): Promise<WatchingClient> {
  const socket: IocClientSocket = io(url, {
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
    auth: options.batch ? { batch: true } : {},
    ...(options.websocketOnly && { transports: ['websocket'] }),
    ...(options.cookie && { extraHeaders: { cookie: options.cookie } }),
  })
  const received = new Map<string, number>()
  const connections: { at: number; recovered: boolean }[] = []
  const disconnections: { at: number; reason: string }[] = []
  const alarms: { event: 'alarm:raised' | 'alarm:updated' | 'alarm:cleared'; alarm: AlarmView }[] = []
  const take = (reading: FloodReading) => {
    const key = readingKey(reading.stationId, Date.parse(reading.ts))
    received.set(key, (received.get(key) ?? 0) + 1)
  }
  socket.on('reading:new', take)
  socket.on('reading:batch', (readings) => readings.forEach(take))
  for (const event of ['alarm:raised', 'alarm:updated', 'alarm:cleared'] as const) socket.on(event, (alarm: AlarmView) => alarms.push({ event, alarm }))
  socket.on('connect', () => connections.push({ at: Date.now(), recovered: socket.recovered }))
  socket.on('disconnect', (reason) => disconnections.push({ at: Date.now(), reason }))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not connected to ${url} within 10 s`)), 10_000)
    socket.once('connect', () => (clearTimeout(timer), resolve()))
  })
  return {
    socket,
    name,
    received,
    connections,
    disconnections,
    alarms,
    repeats: () => [...received.values()].reduce((sum, n) => sum + n - 1, 0),
    missing: (keys) => [...keys].filter((key) => !received.has(key)),
    close: () => void socket.close(),
  }
}

/** Polls `done` until it holds, or fails after `timeoutMs` with what `progress` says. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, progress: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await done()) return
    if (Date.now() > deadline) throw new Error(`after ${timeoutMs / 1000} s: ${await progress()}`)
    await sleep(50)
  }
}

/**
 * Waits until no client has received anything for 500 ms (bounded: 10 s): a copy sent twice arrives
 * right behind the first, so counting repeats before this would miss it.
 */
export async function quiet(clients: readonly WatchingClient[]): Promise<void> {
  const deliveries = () => clients.reduce((n, c) => n + c.received.size + c.repeats(), 0)
  let last = -1
  let since = Date.now()
  await until(
    () => {
      const now = deliveries()
      if (now !== last) [last, since] = [now, Date.now()]
      return Date.now() - since >= 500
    },
    10_000,
    () => `the clients still receive (${deliveries()} deliveries)`,
  )
}
