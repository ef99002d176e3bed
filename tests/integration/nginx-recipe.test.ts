import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { startNginx, type NginxInstance } from '../helpers/nginx.ts'

/**
 * The deployment guide's nginx config (deploy/nginx/ioc.conf), run by the machine's nginx in front of
 * two stand-in instances: what the IOC relies on from its proxy — forwarded client address and scheme,
 * websocket upgrades for socket.io, and a dead instance skipped.
 */

interface Upstream {
  name: string
  port: number
  /** Headers of every request and upgrade it received. */
  seen: IncomingHttpHeaders[]
  /** Stops listening and cuts every connection, as a killed instance would. */
  kill(): Promise<void>
}

interface Answer {
  status: number
  instance: string
  headers: IncomingHttpHeaders
}

async function startUpstream(name: string): Promise<Upstream> {
  const seen: IncomingHttpHeaders[] = []
  const tunnels = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    seen.push(req.headers)
    res.setHeader('content-type', 'application/json')
    // Instance "a" plays one still on the previous release: it lacks the new dashboard files.
    if (name === 'a' && req.url?.startsWith('/assets/')) {
      res.statusCode = 404
      res.end(JSON.stringify({ instance: name }))
      return
    }
    res.end(JSON.stringify({ instance: name, headers: req.headers }))
  })
  // A websocket handshake answered by hand, then an echo: enough to prove nginx tunnels the upgrade.
  server.on('upgrade', (req, socket: Socket) => {
    seen.push(req.headers)
    tunnels.add(socket)
    socket.once('close', () => tunnels.delete(socket))
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Instance: ${name}\r\n\r\n`)
    socket.on('data', (data) => socket.write(data))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let killed = false
  const kill = async () => {
    if (killed) return
    killed = true
    const closed = new Promise((resolve) => server.close(resolve))
    server.closeAllConnections()
    for (const socket of tunnels) socket.destroy()
    await closed
  }
  return { name, port, seen, kill }
}

async function setup(): Promise<{ nginx: NginxInstance; upstreams: Upstream[] }> {
  const upstreams = [await startUpstream('a'), await startUpstream('b')]
  onTestFinished(async () => {
    for (const upstream of upstreams) await upstream.kill()
  })
  const nginx = await startNginx({ upstreams: upstreams.map((u) => u.port) })
  onTestFinished(() => nginx.stop())
  return { nginx, upstreams }
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} from nginx`)
  const body = (await response.json()) as { instance: string; headers: IncomingHttpHeaders }
  return { status: response.status, instance: body.instance, headers: body.headers }
}

/** A websocket handshake through nginx; resolves with the 101 and what came back through the tunnel. */
function upgrade(port: number): Promise<{ status: number; instance: string; echo: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      timeout: 5_000,
    })
    req.once('upgrade', (res, socket) => {
      socket.once('data', (data) => {
        socket.destroy()
        resolve({ status: res.statusCode ?? 0, instance: String(res.headers['x-instance']), echo: data.toString() })
      })
      socket.write('ping')
    })
    req.once('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)))
    req.once('timeout', () => req.destroy(new Error('upgrade timed out')))
    req.once('error', reject)
    req.end()
  })
}

describe('deploy/nginx/ioc.conf', () => {
  test('proxies API and socket.io polling requests with the client address and scheme', async () => {
    const { nginx } = await setup()

    for (const path of ['/api/stations', '/socket.io/?EIO=4&transport=polling']) {
      const answer = await get(`${nginx.url}${path}`)
      expect(answer.status).toBe(200)
      expect(answer.headers['x-forwarded-for']).toBe('127.0.0.1')
      expect(answer.headers['x-forwarded-proto']).toBe('http')
    }
  })

  test('passes a websocket upgrade on to an instance and tunnels its frames', async () => {
    const { nginx, upstreams } = await setup()

    const result = await upgrade(nginx.port)

    expect(result).toMatchObject({ status: 101, echo: 'ping' })
    const upstream = upstreams.find((u) => u.name === result.instance)
    expect(upstream?.seen.at(-1)).toMatchObject({ upgrade: 'websocket', connection: 'upgrade', 'x-forwarded-for': '127.0.0.1' })
  })

  test('fetches a dashboard file from another instance when one lacks it (upgrade in progress)', async () => {
    const { nginx } = await setup()

    for (let i = 0; i < 4; i += 1) {
      expect(await get(`${nginx.url}/assets/index-3f9a1c.js`)).toMatchObject({ status: 200, instance: 'b' })
    }
    // Its 404s did not count as failures: the old instance still serves the API.
    const answered = new Set<string>()
    for (let i = 0; i < 4; i += 1) answered.add((await get(`${nginx.url}/api/stations`)).instance)
    expect([...answered].sort()).toEqual(['a', 'b'])
  })

  test('never passes /metrics on, however the path is written: behind nginx the IOC would see loopback', async () => {
    const { nginx, upstreams } = await setup()

    for (const path of ['/metrics', '/metrics?name=ioc_alarms_open', '//metrics', '/%6Detrics']) {
      const response = await fetch(`${nginx.url}${path}`, { signal: AbortSignal.timeout(5_000) })
      expect({ path, status: response.status }).toEqual({ path, status: 403 })
    }
    expect(upstreams.flatMap((u) => u.seen)).toEqual([])
    // Everything else still goes through.
    expect((await get(`${nginx.url}/metrics-guide`)).status).toBe(200)
  })

  test('skips a dead instance: socket.io and API requests still succeed through the other', async () => {
    const { nginx, upstreams } = await setup()
    // Kill the instance socket.io clients from this address are pinned to, so ip_hash must move them.
    const pinned = (await get(`${nginx.url}/socket.io/?EIO=4&transport=polling`)).instance
    const dead = upstreams.find((u) => u.name === pinned) as Upstream
    const alive = upstreams.find((u) => u !== dead) as Upstream
    await dead.kill()

    for (let i = 0; i < 4; i += 1) {
      for (const path of ['/socket.io/?EIO=4&transport=polling', '/api/stations']) {
        expect(await get(`${nginx.url}${path}`)).toMatchObject({ status: 200, instance: alive.name })
      }
    }
    expect(await upgrade(nginx.port)).toMatchObject({ status: 101, instance: alive.name })
  })
})
