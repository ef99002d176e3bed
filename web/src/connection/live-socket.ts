import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, HandshakeAuth } from '@ioc/shared'

/**
 * The live link at the page's origin, shared by the dashboard and the citizens' page. Readings come
 * batched: under load one websocket frame carries many instead of one frame each. Who is on the other
 * end (a session cookie, or nobody: the public rooms) is the server's call at the handshake.
 */
export function openLiveSocket<ServerEvents extends object>(): Socket<ServerEvents, ClientToServerEvents> {
  return io({ auth: { batch: true } satisfies HandshakeAuth })
}

/** socket.io does not reconnect by itself after the server closed the link on purpose. */
export const closedByServer = (reason: string): boolean => reason === 'io server disconnect'
