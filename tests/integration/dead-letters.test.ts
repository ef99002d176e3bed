import { afterEach, expect, it } from 'vitest'
import type { DeadLetterList } from '@ioc/shared'
import { loginAs, loginAsAdmin } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'

let server: TestServer | undefined
afterEach(() => server?.close())

it('lets admins read refused messages, newest first, with the payload as sent and the reason', async () => {
  server = await startServer()
  const device = await connectDevice(server.mqttUrl)
  await device.publish('ioc/v1/flood/tam-ky-river/reading', '{"ts": "2025-10-30T07:00:00Z"')
  await device.publish('ioc/v1/flood/khong-co-tram/reading', { ts: new Date().toISOString(), waterLevelCm: 10 })
  await device.publish('ioc/v1/flood/tam-ky-river/reading', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
  await device.close()

  const admin = await loginAsAdmin(server)
  const { deadLetters } = (await (await admin.fetch('/api/dead-letters?limit=10')).json()) as DeadLetterList
  expect(deadLetters.map((d) => [d.reason, d.topic, d.payloadText])).toEqual([
    ['invalid_utf8', 'ioc/v1/flood/tam-ky-river/reading', null],
    ['unknown_station', 'ioc/v1/flood/khong-co-tram/reading', expect.stringContaining('"waterLevelCm":10')],
    ['malformed_json', 'ioc/v1/flood/tam-ky-river/reading', '{"ts": "2025-10-30T07:00:00Z"'],
  ])
  expect(Buffer.from(deadLetters[0]!.payloadBase64, 'base64')).toEqual(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
  expect((await (await loginAs(server, 'operator')).fetch('/api/dead-letters')).status).toBe(403)
})
