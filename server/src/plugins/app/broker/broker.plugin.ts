import { once } from 'node:events'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { Aedes, type AuthenticateError, type Client } from 'aedes'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import { TOPIC_ROOT } from '@ioc/shared'
import { createDeviceCredentials, type DeviceCredentials, type DeviceIdentity } from './device-credentials.ts'

export interface BrokerOptions {
  /** External broker (IOC_MQTT_URL). When set, no embedded broker starts. */
  url: string | undefined
  /** Embedded broker's TCP port (IOC_MQTT_PORT); 0 picks a free one. */
  embeddedPort: number
  /** When the port is taken, take a free one instead of failing (the demo does, so it runs beside Mosquitto). */
  fallbackToFreePort?: boolean
  /**
   * How often connected clients are checked against the stored credentials, so one revoked or
   * re-issued from another process (`pnpm devices revoke`) is disconnected. A revocation made in this
   * process disconnects at once.
   * @defaultValue 30 000 ms
   */
  credentialSweepMs?: number
}

export interface MqttAuth {
  username: string
  password: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where devices and the ingest connect — the external broker, or the embedded one — without credentials (safe to log). */
    mqttUrl: string
    /** The embedded broker's port, when this server runs one. */
    embeddedBrokerPort: number | undefined
    /**
     * What the ingest logs in with to an external broker: the `user:password@` of IOC_MQTT_URL, if any.
     * Undefined with the embedded broker, which hands messages to the ingest itself (embeddedIngest).
     */
    brokerIngestAuth: MqttAuth | undefined
    /** The embedded broker's device and gateway credentials (table `device_credentials`). */
    deviceCredentials: DeviceCredentials
    /**
     * The embedded broker only: where an authorized publish goes before the device gets its PUBACK.
     * The ingest installs its handler here; until it does, publishes wait.
     */
    embeddedIngest: { install(handler: EmbeddedIngestHandler): void } | undefined
  }
}

/** Stores (or refuses and records) one message; resolves once that is durable. */
export type EmbeddedIngestHandler = (topic: string, payload: Buffer) => Promise<unknown>

/** The metrics and dead-letter reason of a publish the embedded broker refused (beside the ingest's reasons). */
export const UNAUTHORIZED_TOPIC = 'unauthorized_topic'
/** Refused publishes are re-addressed here: `#` subscriptions never match a `$` topic, and nobody may subscribe to it. */
const REFUSED_SINK_TOPIC = '$ioc/refused'
/** A stored dead letter keeps at most this much of a refused payload (the ingest refuses more than 4 KB anyway). */
const DEAD_LETTER_PAYLOAD_BYTES = 4096

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, '0.0.0.0')
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  return (server.address() as AddressInfo).port
}

/** The URL without `user:password@`, and the credentials it carried (percent-decoded, as mqtt.js reads them). */
export function splitCredentials(url: string): { url: string; auth: MqttAuth | undefined } {
  const parsed = new URL(url)
  if (!parsed.username && !parsed.password) return { url, auth: undefined }
  const auth = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
  parsed.username = ''
  parsed.password = ''
  return { url: parsed.toString().replace(/\/$/, ''), auth }
}

/** Logs the first event of a key, then at most once per window with how many were suppressed. */
function onceAMinute(log: FastifyBaseLogger, windowMs = 60_000) {
  const windows = new Map<string, { startedAt: number; suppressed: number }>()
  return (key: string, fields: Record<string, unknown>, message: string): void => {
    const t = Date.now()
    const window = windows.get(key)
    if (window && t - window.startedAt < windowMs) {
      window.suppressed++
      return
    }
    if (windows.size > 10_000) windows.clear()
    log.warn({ ...fields, suppressedInLastWindow: window?.suppressed ?? 0 }, message)
    windows.set(key, { startedAt: t, suppressed: 0 })
  }
}


export default fp(
  async (fastify, opts: BrokerOptions) => {
    const credentials = createDeviceCredentials({ db: fastify.store.db, devices: fastify.city })
    fastify.decorate('deviceCredentials', credentials)
    if (opts.url !== undefined) {
      const { url, auth } = splitCredentials(opts.url)
      fastify.decorate('mqttUrl', url)
      fastify.decorate('embeddedBrokerPort', undefined)
      fastify.decorate('brokerIngestAuth', auth)
      fastify.decorate('embeddedIngest', undefined)
      return
    }

    const log = fastify.log.child({ component: 'broker' })
    let install!: (handler: EmbeddedIngestHandler) => void
    const ingestHandler = new Promise<EmbeddedIngestHandler>((resolve) => (install = resolve))
    const warnOnce = onceAMinute(log)
    type Identity = DeviceIdentity
    // Who each client is, from its CONNECT until it is gone (a will is authorized after the close).
    const identities = new WeakMap<Client, Identity>()
    // The clients currently connected with a credential, for the revocation sweep.
    const connected = new Map<Client, Identity>()
    const admit = (client: Client, identity: Identity) => {
      identities.set(client, identity)
      connected.set(client, identity)
    }

    const aedes = await Aedes.createBroker({
      authenticate(client, username, password, done) {
        const refuse = () => {
          warnOnce(`connect:${username ?? ''}`, { clientId: client.id, username, address: (client.conn as Socket).remoteAddress }, 'MQTT connection refused: unknown or wrong credentials')
          // CONNACK 5 "not authorized" for anonymous and wrong credentials alike, as Mosquitto answers.
          done(Object.assign(new Error('not authorized'), { returnCode: 5 }) as AuthenticateError, false)
        }
        if (username === undefined || password === undefined) return refuse()
        const plain = password.toString('utf8')
        credentials.verify(username, plain).then(
          (identity) => {
            if (!identity) return refuse()
            admit(client, identity)
            done(null, true)
          },
          (error: unknown) => {
            log.error({ err: error, username }, 'credential check failed')
            done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as AuthenticateError, false)
          },
        )
      },

      // What Aedes 1.2.0 does with a refused publish: an error passed to this callback closes the
      // connection without a PUBACK, for QoS 0 and 1 alike (MQTT-3.3.5-2 allows that or a normal ack;
      // Aedes speaks MQTT 3.1/3.1.1 only — an MQTT 5 client gets CONNACK "unacceptable protocol
      // version", so there is no reason code to send). But an mqtt.js or Paho device resends its
      // unacknowledged QoS 1 messages on reconnect: one reading on a wrong topic would then loop
      // connect → publish → disconnect forever and block the good readings queued behind it. So, like
      // Mosquitto for MQTT 3.1.1, a refused message is acknowledged as usual and delivered nowhere (sent
      // to a `$` topic no one can subscribe to), after it is counted and kept as a dead letter.
      authorizePublish(client, packet, done) {
        const identity = client ? identities.get(client) : undefined
        const allowed =
          identity?.kind === 'gateway'
            ? packet.topic.startsWith(`${TOPIC_ROOT}/`)
            : identity?.kind === 'device'
              ? credentials.topicsOf('device', identity.deviceId).includes(packet.topic)
              : false
        if (allowed) {
          // Aedes sends the PUBACK when this callback is called, and only then hands the message on:
          // storing here, before calling it, is what makes "acknowledged" mean "stored" with the
          // embedded broker (the external brokers' route: the ingest's handleMessage). Nobody
          // subscribes to device topics, so the message goes no further; it is never retained.
          packet.retain = false
          const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
          ingestHandler.then((handle) => handle(packet.topic, payload)).then(
            () => done(null),
            (error: unknown) => done(error as Error),
          )
          return
        }
        const topic = packet.topic
        packet.topic = REFUSED_SINK_TOPIC
        packet.retain = false
        // A will of a client no longer connected (client null) has nobody to answer for it: dropped.
        if (!client) return done(null)
        const who = identity ? `${identity.kind} "${identity.username}"` : 'an unknown client'
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
        fastify.metrics.ingestRejected.inc({ reason: UNAUTHORIZED_TOPIC })
        warnOnce(`publish:${client.id}`, { reason: UNAUTHORIZED_TOPIC, clientId: client.id, username: identity && 'username' in identity ? identity.username : undefined, topic }, 'MQTT publish refused: topic not allowed for this credential')
        // Acknowledged only once the dead letter is stored, as the ingest does: if the store fails, the
        // connection closes unacknowledged and the device sends it again.
        fastify.store
          .recordDeadLetter({
            receivedAtMs: Date.now(),
            topic,
            payload: payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES),
            reason: UNAUTHORIZED_TOPIC,
            detail: `${who} (client id "${client.id}") may not publish to this topic`,
          })
          .then(
            () => done(null),
            (error: unknown) => done(error as Error),
          )
      },

      // Devices and gateways only publish, and the ingest takes messages in authorizePublish, so nobody
      // subscribes. A refused subscription gets SUBACK 0x80 (failure); the connection stays up.
      authorizeSubscribe(client, subscription, done) {
        warnOnce(`subscribe:${client.id}`, { clientId: client.id, topic: subscription.topic }, 'MQTT subscription refused: devices and gateways only publish')
        done(null, null)
      },
    })
    aedes.on('clientDisconnect', (client) => connected.delete(client))
    aedes.on('clientError', (client, error) => {
      log.debug({ clientId: client.id, err: error }, 'mqtt client error')
    })

    // Disconnects whoever is connected with a credential that was revoked or re-issued since.
    const sweep = async (only?: string) => {
      const devices = [...connected].filter((entry): entry is [Client, DeviceIdentity] => (only === undefined || entry[1].username === only))
      if (devices.length === 0) return
      const current = await credentials.currentSecrets([...new Set(devices.map(([, identity]) => identity.username))])
      for (const [client, identity] of devices) {
        if (current.get(identity.username) === identity.secretHash) continue
        log.info({ clientId: client.id, username: identity.username }, 'credential revoked or re-issued: MQTT client disconnected')
        connected.delete(client)
        client.close()
      }
    }
    const sweepSafely = (only?: string) => void sweep(only).catch((error: unknown) => log.error({ err: error }, 'credential sweep failed'))
    const stopListening = credentials.onInvalidated((username) => sweepSafely(username))
    const timer = setInterval(() => sweepSafely(), opts.credentialSweepMs ?? 30_000)
    timer.unref()

    const server = createServer(aedes.handle)
    let port: number
    try {
      port = await listen(server, opts.embeddedPort)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      if (!opts.fallbackToFreePort) {
        clearInterval(timer)
        await new Promise<void>((resolve) => aedes.close(() => resolve()))
        throw new Error(
          `IOC_MQTT_PORT ${opts.embeddedPort} is already in use (another MQTT broker?). ` +
            `Use it with IOC_MQTT_URL=mqtt://127.0.0.1:${opts.embeddedPort}, or give the embedded broker another port with IOC_MQTT_PORT.`,
          { cause: error },
        )
      }
      port = await listen(server, 0)
      fastify.log.warn({ wanted: opts.embeddedPort, port }, 'MQTT port taken: embedded broker moved to a free port')
    }
    fastify.decorate('mqttUrl', `mqtt://127.0.0.1:${port}`)
    fastify.decorate('embeddedBrokerPort', port)
    fastify.decorate('brokerIngestAuth', undefined)
    fastify.decorate('embeddedIngest', { install })
    fastify.log.info({ port }, `embedded MQTT broker listening on port ${port}`)

    fastify.addHook('onClose', async () => {
      clearInterval(timer)
      stopListening()
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
  },
  { name: 'broker', dependencies: ['storage', 'city', 'metrics'] },
)
