import mqtt, { type MqttClient } from 'mqtt'
import { clientIdForUrl, floodReadingTopic } from '@ioc/shared'

/** One reading to publish; `seq` names it in the store (column `seq`). */
export interface PlannedReading {
  seq: number
  stationId: string
  tsMs: number
}

/**
 * `count` readings unique by (station, ts): round-robin over the stations, one a second per station,
 * the newest a minute before `nowMs` (the ingest refuses future timestamps). Water levels stay under
 * every station's first alarm level, so the run raises no alarms.
 */
export function planReadings(count: number, stationIds: readonly string[], nowMs = Date.now()): PlannedReading[] {
  const perStation = Math.ceil(count / stationIds.length)
  const firstMs = Math.floor(nowMs / 1000) * 1000 - (perStation + 60) * 1000
  return Array.from({ length: count }, (_, seq) => ({
    seq,
    stationId: stationIds[seq % stationIds.length]!,
    tsMs: firstMs + Math.floor(seq / stationIds.length) * 1000,
  }))
}

export interface PublisherOptions {
  url: string
  /** Fixed: with `clean: false` the broker keeps this client's session while it is connected elsewhere or away. */
  clientId: string
  readings: readonly PlannedReading[]
  /** Readings published and not yet acknowledged, at most. */
  window: number
  /**
   * A steady stream: at most this many new readings a second (counted from the start), as a fleet of
   * sensors sends them; unset: as fast as acknowledgements allow.
   */
  perSecond?: number
}

export interface Publisher {
  client: MqttClient
  /** The readings (by seq) whose PUBACK arrived. */
  readonly acked: ReadonlySet<number>
  /**
   * PUBLISH packets written (first sends and mqtt.js's resends after a reconnect), reconnection
   * attempts, connections that succeeded after the first (each one resends what was unacknowledged),
   * and publishes whose callback failed and that were published again.
   */
  readonly stats: { sent: number; reconnects: number; reconnected: number; republished: number }
  /** Resolves once every reading is acknowledged. */
  done: Promise<void>
  close(): Promise<void>
}

/**
 * A device (or gateway) publishing `readings` with QoS 1 as fast as acknowledgements allow, within a
 * bounded window, and riding out broker restarts: `reconnectPeriod` brings it back, and mqtt.js
 * resends its unacknowledged QoS 1 publishes from its own outgoing store on every reconnect.
 */
export async function startPublisher(options: PublisherOptions): Promise<Publisher> {
  const client = await mqtt.connectAsync(options.url, {
    // With a credential in the URL (the embedded broker), prefixed with its username as that broker requires.
    clientId: clientIdForUrl(options.url, options.clientId),
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 100,
    connectTimeout: 5_000,
  })
  const acked = new Set<number>()
  const stats = { sent: 0, reconnects: 0, reconnected: 0, republished: 0 }
  client.on('packetsend', (packet) => {
    if (packet.cmd === 'publish') stats.sent++
  })
  client.on('reconnect', () => stats.reconnects++)
  // connectAsync resolved on the first CONNACK: every 'connect' from here on is a reconnection.
  client.on('connect', () => stats.reconnected++)
  // Refused connections while a broker is down: expected, and retried by reconnectPeriod.
  client.on('error', () => undefined)

  let markDone!: () => void
  const done = new Promise<void>((resolve) => (markDone = resolve))
  const again: PlannedReading[] = []
  let next = 0
  let inFlight = 0
  let closing = false
  const t0 = performance.now()
  // How many readings the steady rate allows by now; a reading to publish again is never held back.
  const allowed = () => (options.perSecond === undefined ? Infinity : ((performance.now() - t0) * options.perSecond) / 1000)
  const publish = (reading: PlannedReading) => {
    inFlight++
    const payload = JSON.stringify({ ts: reading.tsMs, waterLevelCm: 2 + (reading.seq % 5), seq: reading.seq })
    client.publish(floodReadingTopic(reading.stationId), payload, { qos: 1 }, (error) => {
      inFlight--
      if (closing) return
      if (error) {
        // mqtt.js fails a publish it had queued but not stored (its "Connection closed" while replaying
        // its store): that one was never sent, so it is published again, never dropped.
        stats.republished++
        again.push(reading)
      } else {
        acked.add(reading.seq)
        if (acked.size === options.readings.length) markDone()
      }
      setImmediate(pump)
    })
  }
  const pump = () => {
    while (!closing && inFlight < options.window) {
      if (again.length === 0 && next >= allowed()) return
      const reading = again.length > 0 ? again.shift() : options.readings[next++]
      if (!reading) return
      publish(reading)
    }
  }
  pump()
  // At a steady rate the pump also runs on a clock, not only when an acknowledgement comes back.
  const ticker = options.perSecond === undefined ? undefined : setInterval(pump, 10)
  void done.then(() => clearInterval(ticker))

  return {
    client,
    acked,
    stats,
    done,
    async close() {
      closing = true
      clearInterval(ticker)
      await client.endAsync(true)
    },
  }
}
