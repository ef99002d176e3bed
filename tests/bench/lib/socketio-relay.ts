/**
 * The fan-out's baseline: what pushing the readings to dashboards costs with none of the IOC's own
 * work. One process holds an Aedes broker (built as the server's embedded one is) and a socket.io
 * server with the IOC's transport settings (no served client, connection-state recovery for 2
 * minutes), and hands every flood reading published to it to the IOC's own reading batcher, whose
 * batches go to every connected socket as `reading:batch`. What it leaves out is everything between a
 * PUBLISH and its push in the IOC: validation, the store and its PUBACK after the commit, alarms,
 * forecasts, sessions and rooms. Prints `ready <mqtt port> <http port>`.
 */
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { Aedes } from 'aedes'
import { Server } from 'socket.io'
import { parseTopic, type FloodReading } from '@ioc/shared'
import { createReadingBatcher } from '@ioc/server/reading-batcher'

const aedes = await Aedes.createBroker()
const broker = createServer(aedes.handle)
const http = createHttpServer()
const io = new Server(http, { serveClient: false, connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false } })
const batchReading = createReadingBatcher((readings) => io.emit('reading:batch', readings))

aedes.on('publish', (packet, client) => {
  const device = client ? parseTopic(packet.topic) : null
  if (device?.kind !== 'flood') return
  const body = JSON.parse(packet.payload.toString()) as Omit<FloodReading, 'stationId'>
  batchReading({ stationId: device.stationId, ...body })
})

broker.listen(0, '127.0.0.1')
http.listen(0, '127.0.0.1')
await Promise.all([once(broker, 'listening'), once(http, 'listening')])
console.log(`ready ${(broker.address() as AddressInfo).port} ${(http.address() as AddressInfo).port}`)
process.on('SIGTERM', () => {
  void io.close()
  aedes.close(() => broker.close(() => process.exit(0)))
})
