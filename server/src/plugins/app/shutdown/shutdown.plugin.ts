import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import fp from 'fastify-plugin'

/**
 * Shutdown does not wait on connections that have no request under way.
 *
 * Node's `server.close()` ends keep-alive connections that sit between two requests, but it counts a
 * connection that has not yet sent a whole request as busy: its header timer starts when it is
 * accepted. A browser's preconnected socket, or the spare connection an HTTP client pool opened and
 * never used, would then hold the shutdown until `headersTimeout` (60 s, checked every 30 s) — reproduced
 * with ten such sockets from a loaded test run, where `close()` hung past 30 s. So once shutdown begins,
 * every connection with no response under way is closed at once, and one accepted later is closed as it
 * arrives. A request already being answered finishes, its answer says `Connection: close`, and its
 * connection ends once the answer is written. Upgraded websockets are the realtime plugin's to close.
 */
export default fp(
  async (fastify) => {
    /** Per HTTP connection, how many of its responses are still being written (pipelining allows more than one). */
    const inFlight = new Map<Socket, number>()
    let closing = false

    const track = (socket: Socket) => {
      if (closing) {
        socket.destroy()
        return
      }
      inFlight.set(socket, 0)
      socket.once('close', () => inFlight.delete(socket))
    }
    const onRequest = (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket
      if (!inFlight.has(socket)) return
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1)
      response.once('close', () => {
        const responses = inFlight.get(socket)
        if (responses === undefined) return
        const left = responses - 1
        inFlight.set(socket, left)
        if (closing && left === 0) socket.destroySoon()
      })
    }
    const onUpgrade = (_request: IncomingMessage, socket: Duplex) => {
      inFlight.delete(socket as Socket)
    }

    fastify.server.on('connection', track)
    fastify.server.on('request', onRequest)
    fastify.server.on('upgrade', onUpgrade)
    // An answer written once shutdown has begun tells its client not to reuse the connection.
    fastify.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close')
    })
    fastify.addHook('preClose', async () => {
      closing = true
      for (const [socket, responses] of inFlight) if (responses === 0) socket.destroy()
    })
    fastify.addHook('onClose', async () => {
      fastify.server.off('connection', track)
      fastify.server.off('request', onRequest)
      fastify.server.off('upgrade', onUpgrade)
    })
  },
  { name: 'shutdown' },
)
