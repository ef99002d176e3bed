import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncomingMessage } from 'node:http'
import type { Server } from 'socket.io'

/** What a recovery session holds (socket.io-adapter `Session`), as far as the guard reads it. */
interface RestoredSession {
  data: unknown
}
interface RestoringAdapter {
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | null
}
/** socket.io's Namespace `_createSocket(client, auth)`: the one caller of `adapter.restoreSession`. */
interface CreatingNamespace {
  _createSocket(client: { request: IncomingMessage }, auth: Record<string, unknown>): Promise<unknown>
}

/**
 * Connection state recovery replays what a socket missed while it was away — and socket.io does it
 * when it creates the socket, from `adapter.restoreSession`, before any middleware has run
 * (socket.io lib/namespace.ts `_createSocket`, then `run`): by the time a middleware could look at the
 * session, the missed events are already written to the client. So the decision is taken here, in
 * `restoreSession` itself: `mayRestore` gets what was stored with the socket (its `socket.data`) and
 * the reconnecting request, and a session it refuses restores nothing — no rooms, no data, no missed
 * events — and the socket is created as a new one (`socket.recovered` false). `takeRefusal(request)`
 * then tells the middleware, once, that this request came back for a session it may not have.
 *
 * Works with any adapter (in-memory, Redis streams): it wraps the adapter's own `restoreSession`, and
 * the request reaches it through async context, as socket.io passes only the session id and offset.
 * Install it before anything else that wraps `restoreSession` (cluster-recovery.ts), so those see a
 * refused session as none.
 */
export function guardRecovery(io: Server, mayRestore: (data: unknown, request: IncomingMessage) => Promise<boolean>): { takeRefusal(request: IncomingMessage): boolean } {
  const nsp = io.of('/') as unknown as CreatingNamespace
  const adapter = io.of('/').adapter as unknown as RestoringAdapter
  if (typeof nsp._createSocket !== 'function') throw new Error('socket.io changed: no Namespace._createSocket to guard connection state recovery with')
  const requests = new AsyncLocalStorage<IncomingMessage>()
  const refusedRequests = new WeakSet<IncomingMessage>()

  const createSocket = nsp._createSocket.bind(nsp)
  nsp._createSocket = (client, auth) => requests.run(client.request, () => createSocket(client, auth))

  const restoreSession = adapter.restoreSession.bind(adapter)
  adapter.restoreSession = async (pid, offset) => {
    const request = requests.getStore()
    const session = await restoreSession(pid, offset)
    if (!session) return session
    // No request in context: called from elsewhere than a handshake, which nothing in socket.io does — restore nothing.
    if (request && (await mayRestore(session.data, request))) return session
    if (request) refusedRequests.add(request)
    return null
  }

  return { takeRefusal: (request) => refusedRequests.delete(request) }
}
