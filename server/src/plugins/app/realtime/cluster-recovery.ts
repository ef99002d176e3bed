import type { Server, Socket } from 'socket.io'

interface Packet {
  type: number
  data: unknown[]
}
interface BroadcastOptions {
  rooms: Set<string>
  except?: Set<string>
}
interface Session {
  missedPackets: unknown[][]
}
/** The adapter methods hooked here (socket.io-adapter's ClusterAdapter, @socket.io/redis-streams-adapter). */
interface RecoveringAdapter {
  uid: string
  restoreSession(pid: string, offset: string): Promise<Session | null>
  addOffsetIfNecessary(packet: Packet, opts: BroadcastOptions, offset: string): void
  broadcast(packet: Packet, opts: BroadcastOptions & { flags?: Record<string, unknown> }): unknown
  publishAndReturnOffset(message: { type: number; data: unknown }): Promise<string>
  onMessage(message: { uid: string; type: number }, offset: string): void
}

/** socket.io-adapter's MessageType.BROADCAST. */
const BROADCAST = 3

/**
 * The Redis streams adapter delivers an instance's own events to its sockets as soon as they are
 * added to the stream, and the other instances' when its reading loop brings them: a client may get
 * entry 670 before entry 669. Its offset (the last event it got) then says it has 669 when it has not,
 * and a recovery from that offset on another instance skips 669 — measured in tests/scale when an
 * instance was killed, its dashboards each missed a reading or two stored by the others just before.
 * Here an instance delivers its own events when its reading loop brings them back, like everyone
 * else's: every client gets the stream in its order, and its offset means what recovery assumes. When
 * Redis cannot take an event, it is still delivered to this instance's clients (without an offset).
 */
export function deliverInStreamOrder(io: Server, log: { warn(detail: object, message: string): void }): void {
  const adapter = io.of('/').adapter as unknown as RecoveringAdapter
  const deliverHere = inMemoryBroadcast(adapter)
  adapter.broadcast = (packet, opts) => {
    if (opts.flags?.local) return deliverHere.call(adapter, packet, opts)
    adapter
      .publishAndReturnOffset({ type: BROADCAST, data: { packet, opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags } } })
      .catch((error: unknown) => {
        log.warn({ err: error }, 'Redis did not take a live event: delivered to this instance\'s clients only')
        deliverHere.call(adapter, packet, opts)
      })
  }
  const onMessage = adapter.onMessage.bind(adapter)
  adapter.onMessage = (message, offset) => onMessage(message.type === BROADCAST && message.uid === adapter.uid ? { ...message, uid: `${adapter.uid}:self` } : message, offset)
}

interface Captured {
  packet: Packet
  opts: BroadcastOptions
  offset: string
}

/** How long what was broadcast during a restore is kept for a socket that never finishes connecting. */
const ABANDONED_AFTER_MS = 30_000
/** Longest a restore waits for this instance's reading of the stream to reach the end of its replay. */
const CATCH_UP_MS = 2_000

/** Whether Redis stream id `a` ("<ms>-<seq>") comes after `b`. */
export function isAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs > bMs || (aMs === bMs && aSeq > bSeq)
}

/** socket.io-adapter's in-memory `Adapter.broadcast` (delivery to this instance's sockets), under the cluster adapter. */
function inMemoryBroadcast(adapter: object): (packet: Packet, opts: BroadcastOptions) => void {
  for (let proto = Object.getPrototypeOf(adapter) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    if ((proto as { constructor: { name: string } }).constructor.name === 'Adapter' && Object.hasOwn(proto, 'broadcast')) return (proto as { broadcast: (packet: Packet, opts: BroadcastOptions) => void }).broadcast
  }
  throw new Error('socket.io-adapter changed: no in-memory Adapter.broadcast under the Redis streams adapter')
}

/**
 * Connection state recovery across instances has a gap: socket.io reads the events a client missed
 * from the adapter (a range of the Redis stream) before the socket is registered — and, with
 * middlewares, before they have run — so an event broadcast in between reaches neither the replay nor
 * the socket. Measured in tests/scale: one reading in 6,000 lost by most clients reconnecting during a
 * stream. This keeps every event broadcast while a restore is under way, and when the restored socket
 * connects, sends it those the replay did not hold and its rooms should get, with their stream offsets.
 * And the other way round: the replay reads the stream up to its end, while this instance's reading
 * loop may not have got there yet — it would then deliver, live, entries the socket was just replayed
 * (measured in tests/scale: a reading or two twice, when readings were stored in groups as the
 * dashboards reconnected). So a restore also waits until the loop has read the replay's last entry.
 * Returns what the `connection` handler calls, after the socket's rooms are settled.
 */
export function closeRecoveryGap(io: Server): (socket: Socket) => void {
  const adapter = io.of('/').adapter as unknown as RecoveringAdapter
  const capturing = new Set<Captured[]>()
  const restored = new Map<string, { captured: Captured[]; from: string; replayed: Set<string>; timer: NodeJS.Timeout }>()

  // The newest stream entry this instance's reading loop has handled, and the restores waiting for it.
  let lastRead = '0-0'
  const waiting = new Set<{ offset: string; resolve: () => void }>()
  const onMessage = adapter.onMessage.bind(adapter)
  adapter.onMessage = (message, offset) => {
    onMessage(message, offset)
    if (!isAfter(offset, lastRead)) return
    lastRead = offset
    for (const waiter of waiting) if (!isAfter(waiter.offset, lastRead)) waiter.resolve()
  }
  const readUpTo = (offset: string) => {
    if (!isAfter(offset, lastRead)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const waiter = { offset, resolve: () => (waiting.delete(waiter), clearTimeout(timer), resolve()) }
      // Never a restore held for good: a loop that stalled delivers late, as it would anyway.
      const timer = setTimeout(waiter.resolve, CATCH_UP_MS)
      waiting.add(waiter)
    })
  }

  const restoreSession = adapter.restoreSession.bind(adapter)
  adapter.restoreSession = async (pid, offset) => {
    const captured: Captured[] = []
    // From before the range is read: what is broadcast meanwhile is in one of the two, maybe both.
    capturing.add(captured)
    try {
      const session = await restoreSession(pid, offset)
      // Nothing to restore (recovery-guard.ts refused it): the socket connects as a new one.
      if (!session) {
        capturing.delete(captured)
        return session
      }
      const lastReplayed = session.missedPackets.at(-1)?.at(-1)
      if (lastReplayed !== undefined) await readUpTo(String(lastReplayed))
      const timer = setTimeout(() => {
        capturing.delete(captured)
        restored.delete(pid)
      }, ABANDONED_AFTER_MS)
      timer.unref()
      // Each replayed packet ends with its offset (the adapter appends it).
      restored.set(pid, { captured, from: offset, replayed: new Set(session.missedPackets.map((data) => String(data.at(-1)))), timer })
      return session
    } catch (error) {
      capturing.delete(captured)
      throw error
    }
  }
  // Called for every broadcast this instance delivers — its own and the other instances' — right
  // before it reaches the registered sockets.
  const addOffsetIfNecessary = adapter.addOffsetIfNecessary.bind(adapter)
  adapter.addOffsetIfNecessary = (packet, opts, offset) => {
    addOffsetIfNecessary(packet, opts, offset)
    for (const captured of capturing) captured.push({ packet, opts, offset })
  }

  return (socket) => {
    if (!socket.recovered) return
    const { pid } = socket as unknown as { pid: string }
    const entry = restored.get(pid)
    if (!entry) return
    restored.delete(pid)
    clearTimeout(entry.timer)
    capturing.delete(entry.captured)
    for (const { packet, opts, offset } of entry.captured) {
      // Events only (those the adapter gave an offset), not already replayed, meant for this socket's rooms.
      // An instance's reading loop may bring, during the restore, entries the client already had.
      if (packet.type !== 2 || packet.data.at(-1) !== offset || !isAfter(offset, entry.from) || entry.replayed.has(offset)) continue
      const inRoom = opts.rooms.size === 0 || [...opts.rooms].some((room) => socket.rooms.has(room))
      const excepted = [...(opts.except ?? [])].some((room) => socket.rooms.has(room))
      if (inRoom && !excepted) (socket.emit as (...args: unknown[]) => boolean)(...packet.data)
    }
  }
}
