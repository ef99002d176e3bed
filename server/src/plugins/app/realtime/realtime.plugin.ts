import fp from 'fastify-plugin'
import { Server } from 'socket.io'
import { SocketRoom, type CameraStatus, type ClientToServerEvents, type FloodReading, type HandshakeAuth, type ServerToClientEvents } from '@ioc/shared'
import { createReadingBatcher } from './reading-batcher.ts'

export type IocSocketServer = Server<ClientToServerEvents, ServerToClientEvents>

declare module 'fastify' {
  interface FastifyInstance {
    io: IocSocketServer
    realtime: {
      /** Pushes a newly stored reading: `reading:new` at once, and in the next `reading:batch`. */
      publishReading(reading: FloodReading): void
      publishCameraStatus(status: CameraStatus): void
    }
  }
}

/**
 * socket.io on the same HTTP server. The server chooses each socket's rooms at connect time; the only
 * say a client has is whether it takes readings one by one or batched (`auth: { batch: true }`).
 * Until accounts land (issue #5) every socket is put in every room; then rooms follow the session's role.
 */
export default fp(
  async (fastify) => {
    const io: IocSocketServer = new Server(fastify.server, {
      serveClient: false,
      // A dashboard that drops for a moment gets what it missed replayed instead of a stale map.
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    })
    io.on('connection', (socket) => {
      const batched = (socket.handshake.auth as HandshakeAuth).batch === true
      if (!socket.recovered) void socket.join([batched ? SocketRoom.floodBatched : SocketRoom.flood, SocketRoom.cameras])
      fastify.metrics.realtimeClients.inc()
      socket.on('disconnect', () => fastify.metrics.realtimeClients.dec())
    })
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
    })
    // Before Fastify closes the HTTP server, which would otherwise wait for every open websocket.
    // Closing the transports (not disconnectSockets, whose "io server disconnect" socket.io clients
    // never retry) lets every open dashboard reconnect by itself once the server is back.
    fastify.addHook('preClose', async () => {
      io.engine.close()
    })
    fastify.addHook('onClose', async () => {
      // The adapters' timers; the HTTP server it closes again is already closed.
      await io.close()
    })
  },
  { name: 'realtime', dependencies: ['metrics'] },
)
