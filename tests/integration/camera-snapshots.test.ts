import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import jpeg from 'jpeg-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cameraSnapshotTopic, floodReadingTopic, type CameraSnapshotsResponse, type CameraView, type PublicCamerasResponse } from '@ioc/shared'
import { loginAs, type TestSession } from '../helpers/auth.ts'
import { startMosquitto, IOC_MOSQUITTO_SETTINGS, type MosquittoInstance } from '../helpers/mosquitto.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

const run = promisify(execFile)

/** A real picture: a sky-to-water gradient with a dark board in the middle, encoded by jpeg-js. */
function picture(width: number, height: number, seed = 0): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      const board = Math.abs(x - width / 2) < width / 20
      data[i] = board ? 240 : (y * 255) / height
      data[i + 1] = board ? 240 : 120 + seed
      data[i + 2] = board ? 240 : 255 - (y * 255) / height
      data[i + 3] = 255
    }
  }
  return jpeg.encode({ data, width, height }, 85).data
}

describe('camera snapshots, from a camera to the dashboard and the citizens', () => {
  let server: TestServer
  let staff: TestSession
  let dir: string
  /** The device credentials of a public camera (the bridge) and a street camera. */
  const cameras: Record<string, { username: string; password: string }> = {}
  const pic = picture(800, 450)

  /** `mosquitto_pub -f file` with a camera's own credential, as a real camera's script would; resolves on PUBACK (QoS 1). */
  async function mosquittoPub(cameraId: string, topic: string, file: string) {
    const { username, password } = cameras[cameraId]!
    return run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(server.app.embeddedBrokerPort), '-u', username, '-P', password, '-i', `${username}.pub`, '-q', '1', '-t', topic, '-f', file])
  }
  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }
  const basic = (cameraId: string, password = cameras[cameraId]!.password) => `Basic ${Buffer.from(`${cameraId}:${password}`).toString('base64')}`
  const put = (cameraId: string, body: Buffer, authorization = basic(cameraId)) =>
    fetch(`${server.baseUrl}/api/cameras/${cameraId}/snapshot`, { method: 'PUT', headers: { 'content-type': 'image/jpeg', authorization }, body })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-snapshots-'))
    server = await startServer()
    staff = await loginAs(server, 'staff')
    for (const credential of await server.app.deviceCredentials.issueDevices(['cam-cau-tam-ky', 'cam-bach-dang', 'tam-ky-river'])) cameras[credential.username] = credential
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores a snapshot sent with mosquitto_pub -f, and serves those very bytes, live to staff', async () => {
    const socket = await connectSocket(server.baseUrl, {}, { cookie: staff.cookie })
    try {
      const announced = nextEvent(socket, 'camera:snapshot', (s) => s.cameraId === 'cam-bach-dang')
      await mosquittoPub('cam-bach-dang', cameraSnapshotTopic('cam-bach-dang'), file('street.jpg', pic))
      expect(await announced).toMatchObject({ cameraId: 'cam-bach-dang', width: 800, height: 450 })
    } finally {
      socket.close()
    }
    const latest = await staff.fetch('/api/cameras/cam-bach-dang/snapshots/latest.jpg')
    expect(latest.status).toBe(200)
    expect(latest.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await latest.arrayBuffer()).equals(pic)).toBe(true)
    const ts = latest.headers.get('x-snapshot-ts')!

    const list = (await (await staff.fetch('/api/cameras/cam-bach-dang/snapshots')).json()) as CameraSnapshotsResponse
    expect(list).toEqual({ cameraId: 'cam-bach-dang', snapshots: [{ ts, width: 800, height: 450, bytes: pic.byteLength }] })
    const byTime = await staff.fetch(`/api/cameras/cam-bach-dang/snapshots/${Date.parse(ts)}.jpg?w=160`)
    const thumbnail = jpeg.decode(Buffer.from(await byTime.arrayBuffer()))
    expect({ status: byTime.status, width: thumbnail.width, height: thumbnail.height }).toEqual({ status: 200, width: 160, height: 90 })

    const views = (await (await staff.fetch('/api/cameras')).json()) as CameraView[]
    expect(views.find((c) => c.id === 'cam-bach-dang')?.latestSnapshot).toEqual({ ts, width: 800, height: 450 })
    expect(views.find((c) => c.id === 'cam-ql1-tam-ngoc')?.latestSnapshot).toBeNull()
  })

  it('answers 404 with a clear message for a camera with no snapshot, or a time with none', async () => {
    const none = await staff.fetch('/api/cameras/cam-ql1-tam-ngoc/snapshots/latest.jpg')
    expect({ status: none.status, body: await none.json() }).toMatchObject({ status: 404, body: { message: 'camera "cam-ql1-tam-ngoc" has sent no snapshot yet' } })
    expect((await staff.fetch('/api/cameras/cam-bach-dang/snapshots/1000.jpg')).status).toBe(404)
    expect((await staff.fetch('/api/cameras/no-such-camera/snapshots/latest.jpg')).status).toBe(404)
  })

  it('refuses a picture that is not a JPEG and one above 512 KB as dead letters with their reasons, and goes on', async () => {
    await mosquittoPub('cam-bach-dang', cameraSnapshotTopic('cam-bach-dang'), file('not.jpg', Buffer.from('<html>camera login page</html>')))
    // 600 KB: the embedded broker closes the connection at the packet's header, so mosquitto_pub fails.
    const tooBig = Buffer.concat([pic, Buffer.alloc(600_000 - pic.byteLength, 0)])
    await expect(mosquittoPub('cam-bach-dang', cameraSnapshotTopic('cam-bach-dang'), file('big.jpg', tooBig))).rejects.toThrow()
    // A flood station's 100 KB publish is still refused by the packet-size guard.
    await expect(mosquittoPub('tam-ky-river', floodReadingTopic('tam-ky-river'), file('reading.json', Buffer.alloc(100_000, 0x20)))).rejects.toThrow()

    const letters = await server.app.deadLetters.list(10)
    const byReason = (reason: string) => letters.filter((l) => l.reason === reason).map((l) => [l.topic, l.detail.split(';')[0]])
    expect(byReason('bad_snapshot')).toEqual([[cameraSnapshotTopic('cam-bach-dang'), 'not a JPEG: it does not start with the JPEG start-of-image marker (FF D8)']])
    expect(byReason('oversized').map(([topic]) => topic).sort()).toEqual([cameraSnapshotTopic('cam-bach-dang'), floodReadingTopic('tam-ky-river')].sort())

    // Still running, still storing: the next good picture is served.
    const next = picture(320, 180, 40)
    await mosquittoPub('cam-bach-dang', cameraSnapshotTopic('cam-bach-dang'), file('next.jpg', next))
    expect(Buffer.from(await (await staff.fetch('/api/cameras/cam-bach-dang/snapshots/latest.jpg')).arrayBuffer()).equals(next)).toBe(true)
  })

  it('takes a PUT with the camera\'s own credential, and refuses a wrong one, another camera\'s, a bad picture and a big one', async () => {
    const sent = picture(640, 360, 80)
    expect((await put('cam-cau-tam-ky', sent)).status).toBe(204)
    expect(Buffer.from(await (await staff.fetch('/api/cameras/cam-cau-tam-ky/snapshots/latest.jpg')).arrayBuffer()).equals(sent)).toBe(true)

    expect((await put('cam-cau-tam-ky', sent, basic('cam-cau-tam-ky', 'not-the-password'))).status).toBe(401)
    expect((await put('cam-cau-tam-ky', sent, '')).status).toBe(401)
    const other = await put('cam-cau-tam-ky', sent, basic('cam-bach-dang'))
    expect({ status: other.status, body: await other.json() }).toMatchObject({ status: 403, body: { message: expect.stringContaining('its own camera only') } })
    const bad = await put('cam-cau-tam-ky', Buffer.from('GIF89a…'))
    expect({ status: bad.status, body: await bad.json() }).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^snapshot refused: not a JPEG/) } })
    expect((await put('cam-cau-tam-ky', Buffer.alloc(600_000, 0xff))).status).toBe(413)
  })

  it("tells citizens' sockets of the public camera's snapshots only", async () => {
    const citizen = await connectSocket(server.baseUrl)
    try {
      const seen: string[] = []
      citizen.on('camera:snapshot', (s) => seen.push(s.cameraId))
      const bridge = nextEvent(citizen, 'camera:snapshot', (s) => s.cameraId === 'cam-cau-tam-ky')
      // The street camera's first: a socket gets events in order, so once the bridge's is here, the street's would be.
      await mosquittoPub('cam-bach-dang', cameraSnapshotTopic('cam-bach-dang'), file('street-2.jpg', picture(320, 180, 60)))
      await mosquittoPub('cam-cau-tam-ky', cameraSnapshotTopic('cam-cau-tam-ky'), file('bridge.jpg', picture(640, 360, 70)))
      await bridge
      expect(seen).toEqual(['cam-cau-tam-ky'])
    } finally {
      citizen.close()
    }
  })

  it('shows the public camera to everyone, downscaled and cacheable, and never a camera that is not public', async () => {
    const listed = await fetch(`${server.baseUrl}/api/public/cameras`)
    const body = (await listed.json()) as PublicCamerasResponse
    // Exactly the cameras the pack marks public (the river bridge and Cầu Xuân Quý), in its order.
    expect(body.cameras.map((c) => c.id)).toEqual(server.app.city.cameras.filter((c) => c.public === true).map((c) => c.id))
    expect(body.cameras.map((c) => c.id)).toEqual(['cam-cau-tam-ky', 'cam-cau-xuan-quy'])
    expect(body.cameras.find((c) => c.id === 'cam-cau-tam-ky')!.latest).toMatchObject({ width: 640, height: 360 })
    expect(body.cameras.find((c) => c.id === 'cam-cau-xuan-quy')!.latest).toBeNull()

    // A 800 px picture of the public camera is served at 640 px.
    expect((await put('cam-cau-tam-ky', pic)).status).toBe(204)
    const shown = await fetch(`${server.baseUrl}/api/public/cameras/cam-cau-tam-ky/latest.jpg`)
    expect(shown.headers.get('cache-control')).toBe('public, max-age=30')
    const decoded = jpeg.decode(Buffer.from(await shown.arrayBuffer()))
    expect({ status: shown.status, width: decoded.width, height: decoded.height }).toEqual({ status: 200, width: 640, height: 360 })

    // cam-bach-dang has pictures (above), and is not public: nothing of it, as if it did not exist.
    const hidden = await fetch(`${server.baseUrl}/api/public/cameras/cam-bach-dang/latest.jpg`)
    expect({ status: hidden.status, type: hidden.headers.get('content-type'), body: await hidden.json() }).toMatchObject({ status: 404, body: { message: 'no public camera "cam-bach-dang"' } })
    expect((await fetch(`${server.baseUrl}/api/cameras/cam-bach-dang/snapshots/latest.jpg`)).status).toBe(401)
  })
})

describe('camera snapshots in a cluster: Mosquitto as the deployment recipe sets it, pictures in PostgreSQL', () => {
  let mosquitto: MosquittoInstance
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>
  const servers: TestServer[] = []
  const prefix = `ioc-test-${randomUUID().slice(0, 8)}`

  beforeAll(async () => {
    mosquitto = await startMosquitto({ extraConfig: [...IOC_MOSQUITTO_SETTINGS, 'max_packet_size 528384'] })
    schema = await freshPostgresSchema()
    for (let i = 0; i < 2; i++) servers.push(await startServer({ mqttUrl: mosquitto.url, dbUrl: schema.url, env: { IOC_REDIS_URL: TEST_REDIS_URL, IOC_REDIS_PREFIX: prefix } }))
  }, 60_000)
  afterAll(async () => {
    for (const server of servers) await server.close()
    await mosquitto?.stop()
    await schema?.drop()
    await deleteRedisKeys(prefix)
  })

  it('stores a 400 KB snapshot through the external broker, and every instance serves it', async () => {
    // Noise does not compress: over 400 KB of JPEG, near the limit.
    const data = Buffer.alloc(480 * 480 * 4)
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24
    const big = jpeg.encode({ data, width: 480, height: 480 }, 95).data
    expect(big.byteLength).toBeGreaterThan(300_000)
    expect(big.byteLength).toBeLessThanOrEqual(524_288)
    // One instance of the shared subscription takes it; the other reads it from PostgreSQL.
    const stored = Promise.race(servers.map((server) => new Promise<void>((resolve) => server.app.events.on('camera.snapshot', () => resolve()))))
    const device = await connectDevice(mosquitto.url)
    await device.publish(cameraSnapshotTopic('cam-cau-tam-ky'), big)
    await device.close()
    await stored
    for (const server of servers) {
      const staff = await loginAs(server, 'staff')
      const answer = await staff.fetch('/api/cameras/cam-cau-tam-ky/snapshots/latest.jpg')
      expect(Buffer.from(await answer.arrayBuffer()).equals(big)).toBe(true)
    }
  })
})
