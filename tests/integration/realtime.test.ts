import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { floodReadingTopic } from '@ioc/shared'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

it('a dashboard reconnects by itself after a server restart and receives live readings again', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-restart-'))
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startServer({ dataDir })
  const { port } = first.app.server.address() as AddressInfo

  // A browser's socket: default reconnection on, only faster than the browser's defaults.
  const socket: IocClientSocket = io(first.baseUrl, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 100 })
  cleanup.push(() => socket.close())
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)))

  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))
  await first.close()
  const reason = await disconnected
  // "io server disconnect" is the one reason socket.io clients never retry.
  expect(reason).toBe('transport close')

  // Listening before the restart: the socket may be back before startServer() resolves.
  const reconnected = new Promise((resolve) => socket.io.once('reconnect', resolve))
  const second: TestServer = await startServer({ dataDir, port })
  cleanup.push(() => second.close())
  await reconnected

  const ts = new Date().toISOString()
  const received = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
  const device = await connectDevice(second.mqttUrl)
  await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 150 })
  await device.close()
  expect(await received).toMatchObject({ stationId: 'tam-ky-river', waterLevelCm: 150 })
})

it('sends readings one by one to plain clients and gathered per turn to clients that ask for batches', async () => {
  const server = await startServer()
  cleanup.push(() => server.close())
  const plain = await connectSocket(server.baseUrl)
  const batching = await connectSocket(server.baseUrl, { batch: true })
  cleanup.push(() => plain.close(), () => batching.close())
  const single: string[] = []
  const batches: string[][] = []
  plain.on('reading:new', (r) => single.push(r.ts))
  batching.on('reading:new', (r) => single.push(`unexpected ${r.ts}`))
  batching.on('reading:batch', (readings) => batches.push(readings.map((r) => r.ts)))

  const base = Date.now() - 60_000
  const sent = Array.from({ length: 50 }, (_, i) => new Date(base + i * 1000).toISOString())
  // Both waits are in place before anything is published: either socket may finish first.
  const allBatched = new Promise<void>((resolve) => batching.on('reading:batch', () => batches.flat().length === sent.length && resolve()))
  const lastSingle = nextEvent(plain, 'reading:new', (r) => r.ts === sent.at(-1))
  const device = await connectDevice(server.mqttUrl)
  await Promise.all(sent.map((ts, i) => device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 100 + i })))
  await device.close()
  await Promise.all([allBatched, lastSingle])

  expect(single).toEqual(sent)
  expect(batches.flat()).toEqual(sent)
  // Published in a burst, the readings travel in fewer messages than readings.
  expect(batches.length).toBeLessThan(sent.length)
})
