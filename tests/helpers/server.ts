import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import mqtt from 'mqtt'
import { clientIdForUrl } from '@ioc/shared'
import { buildApp, type AppOptions, type IocApp } from '@ioc/server/app'
import { loadConfig } from '@ioc/server/config'
import { TEST_ADMIN } from './auth.ts'

export interface TestServer {
  app: IocApp
  /** http://127.0.0.1:<port> */
  baseUrl: string
  /**
   * The broker the server ingests from (embedded or external). For the embedded broker it carries a
   * gateway credential (`mqtt://test-publisher:…@127.0.0.1:<port>`), so a device may publish for any station.
   */
  mqttUrl: string
  dataDir: string
  close(): Promise<void>
}

export interface StartOptions {
  /** External broker; unset starts the embedded one on a free port. */
  mqttUrl?: string
  /** Serve this built dashboard (end-to-end tests). */
  webDir?: string
  dataDir?: string
  /** HTTP port; 0 (default) picks a free one. A restart test reuses the first server's. */
  port?: number
  /** IOC_DB_URL: PostgreSQL instead of SQLite (see helpers/postgres.ts for a schema per test). */
  dbUrl?: string
  /** Any other IOC_* variables, e.g. IOC_TRUST_PROXY. */
  env?: NodeJS.ProcessEnv
  /** The HTTPS agent Web Push goes through: a local push service's (helpers/push-endpoint.ts). */
  pushAgent?: AppOptions['pushAgent']
}

/**
 * A real server on free ports with its own temporary store. With an external broker the ingest gets
 * a unique client id, and close() clears its persistent session so nothing piles up in the shared broker.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ioc-test-'))
  const ingestClientId = `ioc-test-${randomUUID().slice(0, 8)}`
  const env: NodeJS.ProcessEnv = { IOC_PORT: '0', IOC_MQTT_PORT: '0', IOC_DATA_DIR: dataDir, IOC_LOG_LEVEL: 'silent', IOC_MQTT_CLIENT_ID: ingestClientId, IOC_ADMIN_PASSWORD: TEST_ADMIN.password }
  if (options.mqttUrl) env.IOC_MQTT_URL = options.mqttUrl
  if (options.webDir) env.IOC_WEB_DIR = options.webDir
  if (options.dbUrl) env.IOC_DB_URL = options.dbUrl
  Object.assign(env, options.env)
  const config = loadConfig(env, process.cwd())
  const app = await buildApp({ config, ...(options.pushAgent && { pushAgent: options.pushAgent }) }, { logger: false })
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' })
  await app.ingestSubscription.ready
  const { port } = app.server.address() as AddressInfo
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    mqttUrl: app.embeddedBrokerPort === undefined ? app.mqttUrl : await withGatewayCredential(app),
    dataDir,
    async close() {
      await app.close()
      if (options.mqttUrl) {
        // A clean-session connect with the same id discards the persistent session the ingest left.
        const purge = await mqtt.connectAsync(options.mqttUrl, { clientId: ingestClientId, clean: true, reconnectPeriod: 0 })
        await purge.endAsync()
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The embedded broker's URL with a freshly issued gateway credential in it (mqtt.js reads `user:password@`). */
export async function withGatewayCredential(app: IocApp, name = 'test-publisher'): Promise<string> {
  const { username, password } = await app.deviceCredentials.issueGateway(name)
  return `mqtt://${username}:${password}@127.0.0.1:${app.embeddedBrokerPort}`
}

/**
 * A plain device: connects, publishes QoS 1 (resolves on PUBACK), disconnects. With a credential in the
 * URL its client id is one the embedded broker lets that credential use (`<username>.device-…`).
 */
export async function connectDevice(url: string) {
  const client = await mqtt.connectAsync(url, { clientId: clientIdForUrl(url, `device-${randomUUID().slice(0, 8)}`), reconnectPeriod: 0 })
  return {
    async publish(topic: string, payload: string | Buffer | object) {
      const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload)
      await client.publishAsync(topic, body, { qos: 1 })
    },
    close: () => client.endAsync(),
  }
}
