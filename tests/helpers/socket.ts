import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '@ioc/shared'

export type IocClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** A real socket.io client, connected; with `cookie`, as the browser of that session (see helpers/auth.ts). */
export async function connectSocket(baseUrl: string, auth: HandshakeAuth = {}, options: { cookie?: string } = {}): Promise<IocClientSocket> {
  const socket: IocClientSocket = io(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
    ...(options.cookie && { extraHeaders: { cookie: options.cookie } }),
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  return socket
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
