import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import fp from 'fastify-plugin'
import { Server, type Socket } from 'socket.io'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import {
  ALARM_PERMISSION,
  audienceOf,
  audienceRoom,
  holds,
  ROLES,
  ROOM_PERMISSION,
  SocketRoom,
  toPublicAlarmView,
  PUBLIC,
  type AnyServerToClientEvents,
  type ClientToServerEvents,
  type HandshakeAuth,
  type Principal,
} from '@ioc/shared'
import { createReadingBatcher } from './reading-batcher.ts'
import { closeRecoveryGap, deliverInStreamOrder } from './cluster-recovery.ts'
import { createOriginCheck, type OriginPolicy } from './origin-check.ts'
import { guardRecovery } from './recovery-guard.ts'
import { effectivePrincipal } from '../auth/auth.plugin.ts'

/** What the handshake learnt from the session cookie; null for an anonymous socket. */
export interface SocketData {
  auth: { sessionId: string; userId: number; username: string; principal: Principal } | null
}
export type IocSocketServer = Server<ClientToServerEvents, AnyServerToClientEvents, Record<never, never>, SocketData>

const sessionRoom = (sessionId: string) => `session:${sessionId}`

declare module 'fastify' {
  interface FastifyInstance {
    io: IocSocketServer
  }
}

/**
 * socket.io on the same HTTP server. The handshake is refused to pages of foreign origins
 * (origin-check.ts), and reads the same session cookie as HTTP; the server then puts the socket in the
 * rooms its permissions allow (anonymous: flood data only), in the room of its audience (alarm events,
 * in the view of the audience) and in a room of its session, through which an ended session's sockets
 * are cut at once. The only say a client has is whether it takes readings one by one or batched
 * (`auth: { batch: true }`).
 *
 * What sockets are sent comes from the event bus: `reading.stored`, `reading.judged`, `camera.status`,
 * `alarm.changed` and `indicator.updated` become socket.io events for the rooms allowed them; `session.ended` cuts
 * that session's sockets.
 */
export interface RealtimeOptions extends OriginPolicy {
  /**
   * How often open sockets are checked against their sessions.
   * @defaultValue 60 000 ms
   */
  sessionCheckEveryMs?: number
}

/** How long a dropped client's missed events are kept for it: replayed if it is back within this. */
const RECOVERY_MS = 2 * 60_000
/**
 * Events kept in the Redis stream for replay (several instances). At 200 readings/s (a storm) with
 * `reading:new` and `reading:batch`, about a minute; each entry is a few hundred bytes.
 */
const STREAM_MAX_LEN = 100_000

export default fp(
  async (fastify, opts: RealtimeOptions) => {
    const { redis, prefix } = fastify.cluster
    const sessionKeyPrefix = `${prefix}:socket.io:session:`
    const sessionKey = (socket: Socket) => sessionKeyPrefix + (socket as unknown as { pid: string }).pid
    const refusedHandshakes = fastify.metrics.realtimeRefused
    const checkOrigin = createOriginCheck(opts)
    const io: IocSocketServer = new Server(fastify.server, {
      serveClient: false,
      // Checked on the handshake request itself — the first polling request or the websocket upgrade —
      // before socket.io opens anything: the later requests of a connection carry its id.
      allowRequest: (request, callback) => {
        const refusal = checkOrigin(request)
        if (refusal) {
          refusedHandshakes.inc({ reason: 'origin' })
          fastify.log.warn({ origin: request.headers.origin, host: request.headers.host, address: request.socket.remoteAddress }, 'socket.io handshake refused: foreign origin')
        }
        callback(refusal, refusal === null)
      },
      // A dashboard that drops for a moment gets what it missed replayed instead of a stale map.
      // Middlewares run on recovery too, to settle who the socket is now; socket.io replays before
      // them, so whether there is anything to replay is decided earlier (guardRecovery below).
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
      // Several instances: every event goes through a Redis stream that all of them read, and the
      // recovery sessions live in Redis, so a client may come back on any instance.
      ...(redis && {
        adapter: createAdapter(redis, {
          streamName: `${prefix}:socket.io`,
          channelPrefix: `${prefix}:socket.io`,
          sessionKeyPrefix: sessionKeyPrefix,
          maxLen: STREAM_MAX_LEN,
        }),
      }),
    })
    const tokenOf = (request: Socket['request']) => fastify.parseCookie(request.headers.cookie ?? '')[fastify.sessions.cookieName]
    // A socket back from a short drop is replayed what it missed — only if the session it had is still
    // live and still this browser's: not after a logout, an expiry or a disabled account. First, so the
    // Redis recovery below (closeRecoveryGap) sees a refused session as none.
    const recovery = guardRecovery(io, async (data, request) => {
      const auth = (data as Partial<SocketData> | undefined)?.auth
      // An anonymous socket was sent public events only: anyone may have those.
      if (!auth) return true
      const token = tokenOf(request)
      const session = token ? await fastify.sessions.store.lookup(token, false) : null
      return session?.id === auth.sessionId
    })
    if (redis) deliverInStreamOrder(io, fastify.log.child({ component: 'realtime' }))
    const fillRecoveryGap = redis ? closeRecoveryGap(io) : undefined
    const sessionEnded = () => {
      refusedHandshakes.inc({ reason: 'session_ended' })
      return new Error('the session this connection belonged to has ended: log in again')
    }
    io.use((socket, next) => {
      socket.data.auth = null
      // The socket came back to recover a session that has ended (recovery-guard.ts): it was restored
      // nothing. Without a live session of its own now, it is refused — as the server would have cut it
      // had it been connected when the session ended — so a dashboard asks whether it is still logged in
      // (and shows the login) instead of running on as an anonymous page. With one (the user logged in
      // again), it connects afresh as that session.
      const cameBackForEndedSession = recovery.takeRefusal(socket.request)
      const token = tokenOf(socket.request)
      if (!token) return next(cameBackForEndedSession ? sessionEnded() : undefined)
      fastify.sessions.store.lookup(token).then(
        (session) => {
          if (session) {
            const { user } = session
            // Until they choose a password, a user sees what the public sees (as over HTTP).
            const principal = effectivePrincipal(user)
            if (principal) socket.data.auth = { sessionId: session.id, userId: user.id, username: user.username, principal }
          }
          next(cameBackForEndedSession && !session ? sessionEnded() : undefined)
        },
        (error: unknown) => {
          fastify.log.error({ err: error }, 'socket handshake: session lookup failed')
          next(new Error('the session could not be checked; retrying'))
        },
      )
    })
    /** Until when a socket that took `reading:new` and left may come back within the recovery period. */
    let unbatchedMayReturnUntil = 0
    io.on('connection', (socket) => {
      const batched = (socket.handshake.auth as HandshakeAuth).batch === true
      const principal = socket.data.auth?.principal ?? null
      const rooms = new Set<string>(
        Object.values(SocketRoom).filter((room) => (room === SocketRoom.flood ? !batched : room === SocketRoom.floodBatched ? batched : true) && holds(principal, ROOM_PERMISSION[room])),
      )
      // Exactly one audience room per socket: alarm events go through these, in the audience's view.
      rooms.add(audienceRoom(audienceOf(principal)))
      if (socket.data.auth) rooms.add(sessionRoom(socket.data.auth.sessionId))
      // A recovered socket comes back with its old rooms: keep exactly those this session may have.
      for (const room of socket.rooms) if (room !== socket.id && !rooms.has(room)) void socket.leave(room)
      void socket.join([...rooms])
      fillRecoveryGap?.(socket)
      if (redis) persistSession(socket)
      const audience = { audience: audienceOf(principal) }
      fastify.metrics.realtimeClients.inc(audience)
      socket.on('disconnect', (reason) => {
        fastify.metrics.realtimeClients.dec(audience)
        if (rooms.has(SocketRoom.flood)) unbatchedMayReturnUntil = Math.max(unbatchedMayReturnUntil, Date.now() + RECOVERY_MS)
        // Stored ahead (persistSession): a socket the server cut (an ended session, a logout) must not
        // come back through it, as socket.io itself stores sessions only for these reasons.
        if (redis && !RECOVERABLE_REASONS.has(reason)) void redis.del(sessionKey(socket)).catch(() => {})
      })
    })
    fastify.events.on('session.ended', (ids) => {
      for (const id of ids) io.in(sessionRoom(id)).disconnectSockets(true)
    })
    // Sessions can also end elsewhere — expiry, the users CLI, another instance: check this
    // instance's sockets against the store regularly.
    const checkSockets = async () => {
      const bySession = new Map<string, number>()
      for (const socket of io.of('/').sockets.values()) if (socket.data.auth) bySession.set(socket.data.auth.sessionId, 1)
      const valid = await fastify.sessions.store.stillValid([...bySession.keys()])
      for (const id of bySession.keys()) if (!valid.has(id)) io.in(sessionRoom(id)).disconnectSockets(true)
    }
    const sessionCheck = setInterval(() => {
      checkSockets().catch((error: unknown) => fastify.log.error({ err: error }, 'checking socket sessions failed; retrying at the next run'))
    }, opts.sessionCheckEveryMs ?? 60_000)
    sessionCheck.unref()
    // socket.io stores a socket's recovery session when the server sees it disconnect. An instance that
    // is SIGKILLed or loses power sees nothing: so with several instances, every live socket's session
    // is also stored at connect and again every half recovery period, and a client whose instance died
    // is replayed what it missed by whichever instance it reconnects to.
    const persistAll = redis
      ? setInterval(() => {
          for (const socket of io.of('/').sockets.values()) persistSession(socket)
        }, RECOVERY_MS / 2)
      : undefined
    persistAll?.unref()
    fastify.decorate('io', io)
    const batchReading = createReadingBatcher((readings) => io.to(SocketRoom.floodBatched).emit('reading:batch', readings))
    // A newly stored reading: `reading:new` at once, and in the next `reading:batch`. `reading:new` is
    // for the sockets that did not ask for batches — none of the IOC's own pages — and socket.io encodes
    // every emit and keeps it for the recovery period whether a socket is in the room or not. So with
    // one instance it is emitted only while such a socket is connected, or one that left could still
    // come back and be replayed what it missed: otherwise nobody can ever receive it. (Emitted for
    // nobody, it was a fifth of the server's CPU at full ingest speed, most of it in the garbage
    // collector: every reading wrapped and kept two minutes.) With several instances such a socket may
    // be on another one: always emitted.
    const unbatchedMayListen = () => redis !== null || (io.of('/').adapter.rooms.get(SocketRoom.flood)?.size ?? 0) > 0 || Date.now() < unbatchedMayReturnUntil
    fastify.events.on('reading.stored', (reading) => {
      if (unbatchedMayListen()) io.to(SocketRoom.flood).emit('reading:new', reading)
      batchReading(reading)
    })
    // A verdict on a reading: to every socket that gets readings, batched or not (verdicts are rare).
    fastify.events.on('forecast.changed', (stationId, forecast) => {
      io.to([SocketRoom.flood, SocketRoom.floodBatched]).emit('forecast:changed', { stationId, forecast })
    })
    fastify.events.on('reading.judged', (verdict) => {
      io.to([SocketRoom.flood, SocketRoom.floodBatched]).emit('reading:suspect', verdict)
    })
    fastify.events.on('camera.status', (status) => {
      io.to(SocketRoom.cameras).emit('camera:status', status)
    })
    // A snapshot: to staff who see cameras; and, for a camera the city pack marks public, to the
    // public's room too (socket.io sends it once to a socket in both).
    fastify.events.on('camera.snapshot', (snapshot) => {
      const rooms = fastify.city.camerasById.get(snapshot.cameraId)?.public === true ? [SocketRoom.cameras, audienceRoom(PUBLIC)] : [SocketRoom.cameras]
      io.to(rooms).emit('camera:snapshot', snapshot)
    })
    fastify.events.on('indicator.updated', (value) => {
      io.to(SocketRoom.indicators).emit('indicator:updated', value)
    })
    fastify.events.on('alarm.changed', (event, alarm) => {
      // To the sockets whose permissions cover the alarm's type (ALARM_PERMISSION), each socket in one
      // audience room: the public's room gets the public view (no names, no notes), the roles' rooms
      // the full one — every socket one of the two.
      const permission = ALARM_PERMISSION[alarm.type]
      const roles = ROLES.filter((role) => holds({ role, areaId: null }, permission)).map(audienceRoom)
      if (roles.length > 0) io.to(roles).emit(event, alarm)
      if (holds(null, permission)) io.to(audienceRoom(PUBLIC)).emit(event, toPublicAlarmView(alarm))
    })
    // Before Fastify closes the HTTP server, which would otherwise wait for every open websocket.
    // Closing the transports (not disconnectSockets, whose "io server disconnect" socket.io clients
    // never retry) lets every open dashboard reconnect by itself once the server is back.
    // A websocket's TCP connection no longer counts for the HTTP server's own idle tracking, yet the
    // server's close waits for it. Closing a transport starts a closing handshake that `ws` waits up
    // to 30 s to finish; a peer that never answers (a frozen tab, a dropped phone, a busy machine)
    // would hold the whole shutdown that long. So once every transport is told to close, each
    // upgraded connection is ended as soon as its last frame is written, without waiting on the peer.
    const upgraded = new Set<Duplex>()
    fastify.server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
      upgraded.add(socket)
      socket.once('close', () => upgraded.delete(socket))
    })
    fastify.addHook('preClose', async () => {
      io.engine.close()
      for (const socket of upgraded) endWithoutWaiting(socket)
    })
    fastify.addHook('onClose', async () => {
      clearInterval(sessionCheck)
      clearInterval(persistAll)
      // The adapters' timers; the HTTP server it closes again is already closed.
      await io.close()
    })
  },
  { name: 'realtime', dependencies: ['events', 'metrics', 'auth', 'cluster'] },
)

/** Ends a connection once what was written to it is flushed, then frees it whatever the peer does. */
function endWithoutWaiting(socket: Duplex): void {
  if (socket.destroyed) return
  if (socket.writableFinished || !socket.writable) socket.destroy()
  else socket.end(() => socket.destroy())
}

/** The disconnections after which socket.io keeps a socket's session for recovery (socket.io lib/socket.ts). */
const RECOVERABLE_REASONS = new Set(['transport error', 'transport close', 'forced close', 'ping timeout', 'server shutting down', 'forced server close'])

/** What socket.io itself stores when it sees a socket disconnect (socket.io lib/socket.ts `_onclose`). */
function persistSession(socket: Socket): void {
  // `pid` (the private session id the client presents to recover) is private in socket.io's types.
  const { pid } = socket as unknown as { pid: string }
  socket.nsp.adapter.persistSession({ sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data })
}
