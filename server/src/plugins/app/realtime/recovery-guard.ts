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
 * Works with any adapter (in-memory, Redis streams): it wraps the adapter's own `restoreSession`.
 * socket.io passes that only the session id and offset; the request reaches it in a variable set
 * around `_createSocket`, which calls `restoreSession` synchronously, before its first `await`. (An
 * AsyncLocalStorage did this before: once used, it turns on Node's promise hooks for the whole
 * process, a cost on every promise — the ingest's hot path included — 2–3 % of the server's CPU while
 * it took readings at full speed.) Should socket.io ever call it later, the request is missing and
 * the session is refused: the client connects as a new one and loads its data again.
 * Install it before anything else that wraps `restoreSession` (cluster-recovery.ts), so those see a
 * refused session as none.
 */
export function guardRecovery(io: Server, mayRestore: (data: unknown, request: IncomingMessage) => Promise<boolean>): { takeRefusal(request: IncomingMessage): boolean } {
  const nsp = io.of('/') as unknown as CreatingNamespace
  const adapter = io.of('/').adapter as unknown as RestoringAdapter
  if (typeof nsp._createSocket !== 'function') throw new Error('socket.io changed: no Namespace._createSocket to guard connection state recovery with')
  const refusedRequests = new WeakSet<IncomingMessage>()
  /** The request whose socket is being created, for as long as `_createSocket` runs synchronously. */
  let creating: IncomingMessage | undefined

  const createSocket = nsp._createSocket.bind(nsp)
  nsp._createSocket = (client, auth) => {
    creating = client.request
    try {
      return createSocket(client, auth)
    } finally {
      creating = undefined
    }
  }

  const restoreSession = adapter.restoreSession.bind(adapter)
  adapter.restoreSession = async (pid, offset) => {
    // Read before the first await: afterwards another handshake may have set it.
    const request = creating
    const session = await restoreSession(pid, offset)
    if (!session) return session
    // No request: called from elsewhere than a handshake's first synchronous step, which nothing in socket.io does — restore nothing.
    if (request && (await mayRestore(session.data, request))) return session
    if (request) refusedRequests.add(request)
    return null
  }

  return { takeRefusal: (request) => refusedRequests.delete(request) }
}
