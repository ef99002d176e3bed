import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { startServer } from '../helpers/server.ts'

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
