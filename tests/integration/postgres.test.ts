import { afterEach, expect, it } from 'vitest'
import { floodReadingTopic, type ReadingsResponse, type StationView } from '@ioc/shared'
import { getJson } from '../helpers/http.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { connectDevice, startServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

it('runs the whole pipeline on PostgreSQL (IOC_DB_URL), and a restarted server finds its data there', async () => {
  const database = await freshPostgresSchema()
  cleanup.push(() => database.drop())
  const first = await startServer({ dbUrl: database.url })
  let firstRunning = true
  cleanup.push(() => firstRunning && first.close())
  expect(first.app.database.engine).toBe('postgres')

  const socket = await connectSocket(first.baseUrl)
  cleanup.push(() => socket.close())
  const ts = new Date(Date.now() - 30_000).toISOString()
  const received = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
  const device = await connectDevice(first.mqttUrl)
  await device.publish(floodReadingTopic('cau-xuan-quy'), { ts, waterLevelCm: 205, rainfallMm: 3.5 })
  await device.publish(floodReadingTopic('cau-xuan-quy'), { ts, waterLevelCm: 205, rainfallMm: 3.5 })
  await device.close()
  await received

  const history = await getJson<ReadingsResponse>(`${first.baseUrl}/api/stations/cau-xuan-quy/readings?from=${ts}&to=${ts}`)
  expect(history.points).toEqual([{ ts, waterLevelCm: 205, rainfallMm: 3.5 }])
  expect(await first.app.readings.count()).toBe(1)
  socket.close()
  await first.close()
  firstRunning = false

  const second = await startServer({ dbUrl: database.url })
  cleanup.push(() => second.close())
  const station = await getJson<StationView>(`${second.baseUrl}/api/stations/cau-xuan-quy`)
  expect(station.latest).toEqual({ ts, waterLevelCm: 205, rainfallMm: 3.5 })
  expect(station.floodLevel).toBe(2)
})
