import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect as connectTcp } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as connectTls } from 'node:tls'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { floodReadingTopic } from '@ioc/shared'
import { readMetric } from '../helpers/metrics.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * The embedded broker's listeners (issue #15): plain MQTT on IOC_MQTT_HOST only (loopback by default),
 * and MQTT over TLS with the certificate an operator gives it — used here by the real `mosquitto_pub`.
 */
const run = promisify(execFile)

/** A CA and a server certificate for localhost and 127.0.0.1 it signed, made with openssl in `dir`. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(dir, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=IOC test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'])
  await run('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost'])
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext')])
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') }
}

/** Whether a TCP connection to host:port is accepted (false: refused or unreachable). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

describe('embedded broker listeners', () => {
  let dir: string
  let certificates: Awaited<ReturnType<typeof makeCertificates>>
  let server: TestServer

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-tls-'))
    certificates = await makeCertificates(dir)
    server = await startServer({ env: { IOC_MQTT_TLS_CERT: certificates.cert, IOC_MQTT_TLS_KEY: certificates.key, IOC_MQTT_TLS_PORT: '0' } })
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('stores a reading mosquitto_pub sends over TLS, checking the certificate against the CA', async () => {
    const port = server.app.embeddedBrokerTlsPort
    expect(port).toBeGreaterThan(0)
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const ts = new Date(Date.now() - 60_000).toISOString()
    await run('mosquitto_pub', ['--cafile', certificates.ca, '-h', 'localhost', '-p', String(port), '-u', river!.username, '-P', river!.password, '-i', 'tam-ky-river', '-q', '1', '-t', floodReadingTopic('tam-ky-river'), '-m', JSON.stringify({ ts, waterLevelCm: 250 })])
    // mosquitto_pub exits after the PUBACK, and the embedded broker acknowledges only what is stored.
    expect(await server.app.readings.points('tam-ky-river', Date.parse(ts), Date.parse(ts), 0)).toHaveLength(1)
  })

  it('reads TLS connections through the same packet-size guard', async () => {
    const socket = connectTls({ host: '127.0.0.1', port: server.app.embeddedBrokerTlsPort!, ca: readFileSync(certificates.ca), servername: 'localhost' })
    socket.on('error', () => undefined)
    const closed = new Promise((resolve) => socket.once('close', resolve))
    await new Promise((resolve) => socket.once('secureConnect', resolve))
    // A CONNECT whose header announces 200 MB (remaining length 0x80 0x80 0x80 0x64).
    socket.write(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x64]))
    await closed
    expect(await readMetric(server.baseUrl, 'ioc_mqtt_oversized_packets_total', { packet: 'connect' })).toBe(1)
  })

  it("listens on loopback only by default: not on this machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
      .map((address) => address!.address)
    // On a machine with no other address, what can be checked is the address devices are told.
    if (others.length === 0) expect(server.app.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    for (const address of others) {
      expect(await accepts(address, server.app.embeddedBrokerPort!), `plain MQTT on ${address}`).toBe(false)
      expect(await accepts(address, server.app.embeddedBrokerTlsPort!), `MQTT over TLS on ${address}`).toBe(false)
    }
    expect(await accepts('127.0.0.1', server.app.embeddedBrokerPort!)).toBe(true)
  })
})
