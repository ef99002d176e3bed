import fp from 'fastify-plugin'
import { Server } from 'socket.io'
import { ALARM_PERMISSION, holds, ROOM_PERMISSION, SocketRoom, type AlarmView, type Permission, type CameraStatus, type ClientToServerEvents, type IndicatorValue, type FloodReading, type HandshakeAuth, type Principal, type Role, type ServerToClientEvents } from '@ioc/shared'
import { createReadingBatcher } from './reading-batcher.ts'

/** What the handshake learnt from the session cookie; null for an anonymous socket. */
export interface SocketData {
  auth: { sessionId: string; userId: number; username: string; principal: Principal } | null
}
export type IocSocketServer = Server<ClientToServerEvents, ServerToClientEvents, Record<never, never>, SocketData>

const sessionRoom = (sessionId: string) => `session:${sessionId}`

declare module 'fastify' {
  interface FastifyInstance {
    io: IocSocketServer
    realtime: {
      /** Pushes a newly stored reading: `reading:new` at once, and in the next `reading:batch`. */
      publishReading(reading: FloodReading): void
      publishCameraStatus(status: CameraStatus): void
      /** An alarm event, to the sockets whose permissions cover the alarm's type (ALARM_PERMISSION). */
      publishAlarm(event: 'alarm:raised' | 'alarm:updated' | 'alarm:cleared', alarm: AlarmView): void
      /** An indicator value entered or corrected, to everyone who may read indicators. */
      publishIndicator(value: IndicatorValue): void
    }
  }
}

/**
 * socket.io on the same HTTP server. The handshake reads the same session cookie as HTTP; the server
 * then puts the socket in the rooms its permissions allow (anonymous: flood data only) and in a room of
 * its session, through which an ended session's sockets are cut at once. The only say a client has is
 * whether it takes readings one by one or batched (`auth: { batch: true }`).
 */
export interface RealtimeOptions {
  /**
   * How often open sockets are checked against their sessions.
   * @defaultValue 60 000 ms
   */
  sessionCheckEveryMs?: number
}

export default fp(
  async (fastify, opts: RealtimeOptions) => {
    const io: IocSocketServer = new Server(fastify.server, {
      serveClient: false,
      // A dashboard that drops for a moment gets what it missed replayed instead of a stale map.
      // Middlewares run on recovery too: a session that ended while the socket was away must not come back.
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    })
    io.use((socket, next) => {
      socket.data.auth = null
      const token = fastify.parseCookie(socket.request.headers.cookie ?? '')[fastify.sessions.cookieName]
      if (!token) return next()
      fastify.sessions.store.lookup(token).then(
        (session) => {
          if (session) {
            const { user } = session
            // Until they choose a password, a user sees what the public sees (as over HTTP).
            const principal = user.must_change_password === 1 ? null : { role: user.role as Role, areaId: user.area_id }
            if (principal) socket.data.auth = { sessionId: session.id, userId: user.id, username: user.username, principal }
          }
          next()
        },
        (error: unknown) => {
          fastify.log.error({ err: error }, 'socket handshake: session lookup failed')
          next(new Error('the session could not be checked; retrying'))
        },
      )
    })
    io.on('connection', (socket) => {
      const batched = (socket.handshake.auth as HandshakeAuth).batch === true
      const principal = socket.data.auth?.principal ?? null
      const rooms = new Set<string>(
        Object.values(SocketRoom).filter((room) => (room === SocketRoom.flood ? !batched : room === SocketRoom.floodBatched ? batched : true) && holds(principal, ROOM_PERMISSION[room])),
      )
      if (socket.data.auth) rooms.add(sessionRoom(socket.data.auth.sessionId))
      // A recovered socket comes back with its old rooms: keep exactly those this session may have.
      for (const room of socket.rooms) if (room !== socket.id && !rooms.has(room)) void socket.leave(room)
      void socket.join([...rooms])
      const audience = { audience: principal?.role ?? 'public' }
      fastify.metrics.realtimeClients.inc(audience)
      socket.on('disconnect', () => fastify.metrics.realtimeClients.dec(audience))
    })
    fastify.sessions.onEnded((ids) => {
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
    fastify.decorate('io', io)
    const batchReading = createReadingBatcher((readings) => io.to(SocketRoom.floodBatched).emit('reading:batch', readings))
    fastify.decorate('realtime', {
      publishReading(reading) {
        io.to(SocketRoom.flood).emit('reading:new', reading)
        batchReading(reading)
      },
      publishCameraStatus(status) {
        io.to(SocketRoom.cameras).emit('camera:status', status)
      },
      publishIndicator(value) {
        io.to(SocketRoom.indicators).emit('indicator:updated', value)
      },
      publishAlarm(event, alarm) {
        // Each room is the set of sockets holding one permission; a socket in several gets it once.
        const permission = ALARM_PERMISSION[alarm.type]
        const rooms = (Object.entries(ROOM_PERMISSION) as [SocketRoom, Permission][]).filter(([, p]) => p === permission).map(([room]) => room)
        io.to(rooms).emit(event, alarm)
      },
    })
    // Before Fastify closes the HTTP server, which would otherwise wait for every open websocket.
    // Closing the transports (not disconnectSockets, whose "io server disconnect" socket.io clients
    // never retry) lets every open dashboard reconnect by itself once the server is back.
    fastify.addHook('preClose', async () => {
      io.engine.close()
    })
    fastify.addHook('onClose', async () => {
      clearInterval(sessionCheck)
      // The adapters' timers; the HTTP server it closes again is already closed.
      await io.close()
    })
  },
  { name: 'realtime', dependencies: ['metrics', 'auth'] },
)
