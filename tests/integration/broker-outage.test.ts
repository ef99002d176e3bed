import { afterEach, expect, it } from 'vitest'
import mqtt from 'mqtt'
import { floodReadingTopic } from '@ioc/shared'
import { startMosquitto } from '../helpers/mosquitto.ts'
import { startServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const readyz = async (baseUrl: string) => (await (await fetch(`${baseUrl}/readyz`)).json()) as { ready: boolean; broker: boolean }
/** /readyz once it says `ready` is `wanted` (the server learns of the outage from its socket closing), or its last answer after 5 s. */
async function readyzOnce(baseUrl: string, wanted: boolean) {
  const until = Date.now() + 5_000
  let answer = await readyz(baseUrl)
  while (answer.ready !== wanted && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    answer = await readyz(baseUrl)
  }
  return answer
}

it('reports not ready while the broker is down, reconnects when it is back, and loses nothing sent meanwhile', async () => {
  // A Mosquitto of the test's own, with persistence: the ingest's session queue survives the outage.
  const broker = await startMosquitto({ persistence: true })
  cleanup.push(() => broker.stop())
  const server = await startServer({ mqttUrl: broker.url })
  cleanup.push(() => server.close())
  const socket = await connectSocket(server.baseUrl)
  cleanup.push(() => socket.close())

  await broker.down()
  expect(await readyzOnce(server.baseUrl, false)).toMatchObject({ ready: false, broker: false })

  await broker.up()
  // Published while the ingest is still waiting to reconnect: the broker queues it for the ingest's session.
  const ts = new Date(Date.now() - 60_000).toISOString()
  const stored = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
  const device = await mqtt.connectAsync(broker.url, { clientId: `outage-device-${Date.now()}`, reconnectPeriod: 0 })
  cleanup.push(() => device.endAsync(true))
  await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts, waterLevelCm: 140 }), { qos: 1 })

  expect(await stored).toMatchObject({ stationId: 'tam-ky-river', waterLevelCm: 140 })
  expect(await readyz(server.baseUrl)).toMatchObject({ ready: true, broker: true })
})
