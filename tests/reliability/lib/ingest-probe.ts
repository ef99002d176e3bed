import { setTimeout as sleep } from 'node:timers/promises'
import mqtt from 'mqtt'
import { cameraStatusTopic } from '@ioc/shared'
import type { StoredReadings } from './stored-readings.ts'

/**
 * Resolves once a camera status published through `url` is stored. On an external broker that holds no
 * session of the ingest yet (its very first start), `/readyz` answers as soon as the ingest is connected,
 * before its subscription is granted, and a reading published in between goes to nobody. Camera
 * statuses, so the readings under test stay exactly the planned ones.
 */
export async function waitUntilIngesting(url: string, cameraId: string, store: StoredReadings, timeoutMs = 10_000): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId: `reliability-probe-${process.pid}`, clean: true, reconnectPeriod: 0 })
  try {
    const deadline = Date.now() + timeoutMs
    const before = store.cameraStatusCount()
    while (store.cameraStatusCount() === before) {
      if (Date.now() > deadline) throw new Error(`no camera status stored within ${timeoutMs} ms: the ingest does not take messages`)
      await client.publishAsync(cameraStatusTopic(cameraId), JSON.stringify({ ts: Date.now() - 1000, state: 'online' }), { qos: 1 })
      await sleep(100)
    }
  } finally {
    await client.endAsync()
  }
}
