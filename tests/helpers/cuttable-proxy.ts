import { createServer, connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP proxy to a local port whose line can be cut and restored: the network gone, for every client. */
export interface CuttableProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string
  /** Drops every open connection and refuses new ones until `restore()`. */
  cut(): void
  restore(): void
  close(): Promise<void>
}

/**
 * Browser emulation of "offline" does not reach a page's service worker, whose fetches still get
 * through; this does: what the worker fetches through the proxy fails as well as the page's own.
 */
export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  let isCut = false
  const open = new Set<Socket>()
  const server = createServer((client) => {
    if (isCut) return client.destroy()
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      open.add(socket)
      socket.on('close', () => open.delete(socket))
      socket.on('error', () => undefined)
    }
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      isCut = true
      for (const socket of open) socket.destroy()
    },
    restore() {
      isCut = false
    },
    close() {
      for (const socket of open) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
