import mqtt from 'mqtt'
import type { FloodReading } from '@ioc/shared'
import { connectSocket } from '../../helpers/socket.ts'

/** Counts arrivals and remembers when the first and last came: a rate measured at the receiving end. */
export class ArrivalCounter {
  count = 0
  first = 0
  last = 0
  private waiters: { n: number; resolve: () => void }[] = []

  arrive(now = performance.now()): void {
    if (this.count === 0) this.first = now
    this.last = now
    this.count++
    this.waiters = this.waiters.filter((w) => (this.count >= w.n ? (w.resolve(), false) : true))
  }

  /** Arrivals per second between the first and the last one. */
  rate(): number {
    return this.count > 1 ? ((this.count - 1) * 1000) / (this.last - this.first) : 0
  }

  /** Resolves when `n` have arrived; rejects after `timeoutMs` saying how many did. */
  reach(n: number, timeoutMs: number): Promise<void> {
    if (this.count >= n) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.count} of ${n} arrived within ${timeoutMs / 1000} s`)), timeoutMs)
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
    })
  }
}

/** A bare mqtt.js subscriber on `ioc/v1/#` that only counts (and hands each payload on): the physical limit. */
export async function bareSubscriber(url: string, onMessage: (payload: Buffer) => void = () => undefined) {
  const client = await mqtt.connectAsync(url, { clientId: `bench-bare-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, clean: true, reconnectPeriod: 0 })
  await client.subscribeAsync('ioc/v1/#', { qos: 1 })
  client.on('message', (_topic, payload) => onMessage(payload))
  return { close: () => client.endAsync() }
}

/** One dashboard's socket (batched readings, as the dashboard takes them), handing each reading on. */
export async function readingSocket(baseUrl: string, onReading: (reading: FloodReading) => void) {
  const socket = await connectSocket(baseUrl, { batch: true })
  socket.on('reading:batch', (readings) => readings.forEach(onReading))
  return { close: () => socket.close() }
}
