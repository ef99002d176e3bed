import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { anonymousClient } from '../helpers/auth.ts'
import { startServer } from '../helpers/server.ts'

/** A connection that is open and says nothing: a browser's preconnected socket, an HTTP pool's spare one. */
async function quietConnection(port: number, firstBytes = ''): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1' })
  socket.on('error', () => {}) // a reset from the closing server is what some of these expect
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  if (firstBytes) await new Promise<void>((resolve) => socket.write(firstBytes, () => resolve()))
  return { socket, closed }
}

/** A websocket peer that opens a socket.io connection, then never answers again: no closing handshake, no FIN. */
async function silentPeer(port: number): Promise<{ socket: Socket; ended: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()))
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  socket.write(
    'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n' +
      `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  // The engine's open packet (`0{"sid":…`) arrives right after the 101: the socket is upgraded and open.
  await new Promise<void>((resolve) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1')
      if (seen.includes('101 Switching Protocols') && seen.includes('"sid"')) {
        socket.off('data', onData)
        resolve()
      }
    }
    socket.on('data', onData)
  })
  socket.on('data', () => {}) // keeps reading, never replies
  return { socket, ended }
}

// `ws` waits 30 s for a peer's closing handshake; a shutdown that waited on a silent peer would run
// past this test's limit. A server that closes while both cores are busy still does it in a second.
it('shuts down at once even when a websocket peer never answers its closing handshake', { timeout: 20_000 }, async () => {
  const server = await startServer()
  const { port } = server.app.server.address() as AddressInfo
  const peers = await Promise.all([silentPeer(port), silentPeer(port)])
  await server.close()
  // The server ended the connections itself: the silent peers did nothing to end them.
  await Promise.all(peers.map((peer) => peer.ended))
  for (const { socket } of peers) {
    expect(socket.readableEnded).toBe(true)
    socket.destroy()
  }
})

// Node counts a connection that has not sent a whole request as busy until headersTimeout (60 s, checked
// every 30 s), so a shutdown that waited on one would run far past this test's limit.
it('shuts down at once even when connections are open that never sent a request', { timeout: 20_000 }, async () => {
  const server = await startServer()
  const { port } = server.app.server.address() as AddressInfo
  const quiet = await Promise.all([
    quietConnection(port),
    quietConnection(port),
    // Headers begun and never finished, as a slow or hostile client leaves them.
    quietConnection(port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`),
  ])
  await server.close()
  await Promise.all(quiet.map((connection) => connection.closed))
})

it('lets a request under way finish when shutdown begins, then closes its connection', { timeout: 20_000 }, async () => {
  const server = await startServer()
  const { port } = server.app.server.address() as AddressInfo
  // A login (with its CSRF token, so it is the password that is checked) whose body is still
  // arriving: the request has begun, its answer waits for the rest of the body.
  const client = await anonymousClient(server.baseUrl)
  const body = JSON.stringify({ username: 'nobody', password: 'not-the-password' })
  const head = [`POST /api/auth/login HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, `Cookie: _csrf=${client.jar._csrf}`, `X-CSRF-Token: ${client.csrfToken}`]
  const slow = await quietConnection(port, `${head.join('\r\n')}\r\n\r\n${body.slice(0, 10)}`)
  let answer = ''
  slow.socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')))
  const quiet = await quietConnection(port)

  const closing = server.close()
  // Shutdown has begun once the quiet connection is let go; the slow request is still open.
  await quiet.closed
  expect(slow.socket.destroyed).toBe(false)
  slow.socket.write(body.slice(10))
  await slow.closed
  await closing
  // Answered by the login route itself (not the 503 Fastify gives requests that arrive while closing), and told not to come back.
  expect(answer).toMatch(/^HTTP\/1\.1 401 /)
  expect(answer.toLowerCase()).toContain('connection: close')
})
