/**
 * COUNT socket.io clients in one process, connected to URL, each counting `reading:new` — the crowd of
 * dashboards a benchmark needs, kept out of the measuring process. Prints `ready <n>` once all are
 * connected, and `received <total>` when asked with SIGUSR2 or on SIGTERM.
 */
import { io, type Socket } from 'socket.io-client'

const url = process.env.URL!
const count = Number(process.env.COUNT ?? 0)
const sockets: Socket[] = []
let received = 0

for (let i = 0; i < count; i += 100) {
  const batch = Array.from({ length: Math.min(100, count - i) }, () => {
    // Batched readings, as the dashboard takes them.
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { batch: true } })
    socket.on('reading:batch', (readings: unknown[]) => (received += readings.length))
    sockets.push(socket)
    return new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
  })
  await Promise.all(batch)
}
console.log(`ready ${sockets.length}`)
process.on('SIGUSR2', () => console.log(`received ${received}`))
process.on('SIGTERM', () => {
  console.log(`received ${received}`)
  for (const socket of sockets) socket.close()
  process.exit(0)
})
