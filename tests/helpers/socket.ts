import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '@ioc/shared'

/**
 * A test's socket, typed as a logged-in one. An anonymous socket's alarms come as `PublicAlarmView`
 * (no `acknowledged.by`, no note): tests that look at those fields check them as received.
 */
export type IocClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface SocketOptions {
  /** The session cookie: the socket of that session's browser (see helpers/auth.ts). */
  cookie?: string
  /** The page's origin, as a browser sends it on the handshake (none by default, as Node clients). */
  origin?: string
  /** Further headers, e.g. what a reverse proxy adds. */
  headers?: Record<string, string>
}

/** A real socket.io client, not yet connected, that does not reconnect by itself. */
export function createSocket(baseUrl: string, auth: HandshakeAuth = {}, options: SocketOptions = {}): IocClientSocket {
  const headers = { ...options.headers, ...(options.cookie && { cookie: options.cookie }), ...(options.origin && { origin: options.origin }) }
  return io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, auth, extraHeaders: headers })
}

/** Connects (again) and resolves once connected; rejects with the server's refusal. */
export async function connected(socket: IocClientSocket): Promise<IocClientSocket> {
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      socket.off('connect', done)
      socket.off('connect_error', done)
      if (error) reject(error)
      else resolve()
    }
    socket.once('connect', done)
    socket.once('connect_error', done)
    socket.connect()
  })
  return socket
}

/** A real socket.io client, connected; with `cookie`, as the browser of that session (see helpers/auth.ts). */
export function connectSocket(baseUrl: string, auth: HandshakeAuth = {}, options: SocketOptions = {}): Promise<IocClientSocket> {
  return connected(createSocket(baseUrl, auth, options))
}

/** Resolves with the first event of this name whose payload matches; other traffic is ignored. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: IocClientSocket,
  event: E,
  matches: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) => {
      if (!matches(...args)) return
      socket.off(event, listener as never)
      resolve(args[0])
    }) as never
    socket.on(event, listener)
  })
}
