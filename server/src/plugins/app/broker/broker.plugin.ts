import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, isIPv6, type AddressInfo, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { Aedes, type AuthenticateError, type Client } from 'aedes'
import fp from 'fastify-plugin'
import { MAX_SNAPSHOT_BYTES, RejectReason, TOPIC_ROOT, isClientIdOf, parseSnapshotTopic } from '@ioc/shared'
import { CONNECT_LIMITS, createAttemptReports, createConnectLimits, type ConnectLimits } from './connect-limits.ts'
import { createThrottledWarn } from '../../../throttled-warn.ts'
import { createDeviceCredentialsService, type DeviceCredentialsService, type DeviceIdentity } from './device-credentials.service.ts'
import { connectClientId, guardPacketSize, publishHead, type LargePublish, type MalformedHeader, type OversizedPacket } from './packet-size-guard.ts'

export interface BrokerOptions {
  /** External broker (IOC_MQTT_URL). When set, no embedded broker starts. */
  url: string | undefined
  /** Embedded broker's TCP port (IOC_MQTT_PORT); 0 picks a free one. */
  embeddedPort: number
  /**
   * The address the embedded broker listens on, plain and TLS (IOC_MQTT_HOST).
   * @defaultValue '127.0.0.1'
   */
  host?: string
  /** MQTT over TLS beside the plain port (IOC_MQTT_TLS_CERT, IOC_MQTT_TLS_KEY: PEM files; IOC_MQTT_TLS_PORT, 0 picks a free one). */
  tls?: { certFile: string; keyFile: string; port: number } | undefined
  /**
   * The largest packet the embedded broker reads, fixed header included (IOC_MQTT_MAX_PACKET_BYTES): a
   * bigger one closes its connection as soon as its header announces it, before login.
   * @defaultValue 65 536
   */
  maxPacketBytes?: number
  /** How many failed logins are checked before more are refused unchecked. @defaultValue CONNECT_LIMITS */
  connectLimits?: ConnectLimits
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
    /** The embedded broker's MQTT-over-TLS port, when it has one (IOC_MQTT_TLS_CERT and _KEY set). */
    embeddedBrokerTlsPort: number | undefined
    /**
     * What the ingest logs in with to an external broker: the `user:password@` of IOC_MQTT_URL, if any.
     * Undefined with the embedded broker, which hands messages to the ingest itself.
     */
    brokerIngestAuth: MqttAuth | undefined
    /** The embedded broker's device and gateway credentials (table `device_credentials`). */
    deviceCredentials: DeviceCredentialsService
  }
}

/** The metrics and dead-letter reason of a publish the embedded broker refused (beside the ingest's reasons). */
export const UNAUTHORIZED_TOPIC = 'unauthorized_topic'
/** Refused publishes are re-addressed here: `#` subscriptions never match a `$` topic, and nobody may subscribe to it. */
const REFUSED_SINK_TOPIC = '$ioc/refused'
/** Why the embedded broker refused a connection (the `reason` of ioc_mqtt_connect_refused_total). */
type ConnectRefusal = 'bad_credentials' | 'throttled' | 'client_id'
const DEFAULT_MAX_PACKET_BYTES = 65_536
/** The one kind of packet allowed above the limit: a camera's snapshot, up to 512 KB of JPEG. */
const SNAPSHOTS: LargePublish = { maxPayloadBytes: MAX_SNAPSHOT_BYTES, topicAllowed: (topic) => parseSnapshotTopic(topic) !== null }

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host)
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  return (server.address() as AddressInfo).port
}

/** How this machine reaches a broker listening on `host`: loopback when it listens on every address. */
function localUrlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return isIPv6(host) ? `[${host}]` : host
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


export default fp(
  async (fastify, opts: BrokerOptions) => {
    const credentials = createDeviceCredentialsService({ db: fastify.database.db, devices: fastify.city, events: fastify.events })
    fastify.decorate('deviceCredentials', credentials)
    if (opts.url !== undefined) {
      const { url, auth } = splitCredentials(opts.url)
      fastify.decorate('mqttUrl', url)
      fastify.decorate('embeddedBrokerPort', undefined)
      fastify.decorate('embeddedBrokerTlsPort', undefined)
      fastify.decorate('brokerIngestAuth', auth)
      return
    }

    const log = fastify.log.child({ component: 'broker' })
    const warnOnce = createThrottledWarn(log)
    type Identity = DeviceIdentity
    // Who each client is, from its CONNECT until it is gone (a will is authorized after the close).
    const identities = new WeakMap<Client, Identity>()
    // The clients currently connected with a credential, for the revocation sweep.
    const connected = new Map<Client, Identity>()
    const admit = (client: Client, identity: Identity) => {
      identities.set(client, identity)
      connected.set(client, identity)
    }

    // Failed logins: counted per address and username (connect-limits.ts), and audited at most once a
    // minute per address with how many there were since the last entry.
    const limits = createConnectLimits(opts.connectLimits ?? CONNECT_LIMITS)
    const auditWrites = new Set<Promise<void>>()
    const auditAttempts = (action: 'mqtt.connect_failed' | 'mqtt.connect_throttled') =>
      createAttemptReports({
        windowMs: 60_000,
        report: ({ address, count, usernames }) => {
          const write = fastify.audit
            .record({ action, actor: usernames.length === 1 && usernames[0] ? usernames[0] : null, target: 'mqtt', ip: address, detail: { count, usernames } })
            .catch((error: unknown) => log.error({ err: error, action }, 'audit write failed'))
            .finally(() => auditWrites.delete(write))
          auditWrites.add(write)
        },
      })
    const failures = auditAttempts('mqtt.connect_failed')
    const throttled = auditAttempts('mqtt.connect_throttled')

    const aedes = await Aedes.createBroker({
      authenticate(client, username, password, done) {
        const address = (client.conn as Socket).remoteAddress ?? 'unknown'
        const refuse = (reason: ConnectRefusal) => {
          fastify.metrics.mqttConnectRefused.inc({ reason })
          // CONNACK 5 "not authorized" for every refusal, as Mosquitto answers: it tells a guesser nothing.
          done(Object.assign(new Error('not authorized'), { returnCode: 5 }) as AuthenticateError, false)
        }
        const fail = (attempted: string) => {
          warnOnce(`connect:${address}`, { clientId: client.id, username, address }, 'MQTT connection refused: unknown or wrong credentials')
          failures.note(address, attempted)
          refuse('bad_credentials')
        }
        const throttle = (attempted: string) => {
          warnOnce(`throttled:${address}`, { clientId: client.id, username, address }, 'MQTT connection refused unchecked: too many failed logins from this address')
          throttled.note(address, attempted)
          refuse('throttled')
        }
        // Anonymous: nothing to check, but an attempt like any other, counted and limited.
        if (username === undefined || password === undefined) {
          void limits.begin(address, username ?? '').then((begun) => (begun ? fail(username ?? '') : throttle(username ?? '')))
          return
        }
        // Checked before the password, and costs nothing: a client id in use is taken over by whoever
        // connects with it next, so no credential may use another's (the rule: @ioc/shared mqtt-client-ids.ts).
        if (!isClientIdOf(username, client.id)) {
          warnOnce(`client-id:${address}:${username}`, { clientId: client.id, username, address }, `MQTT connection refused: a client of "${username}" must use the client id "${username}" or "${username}.<anything>"`)
          return refuse('client_id')
        }
        const plain = password.toString('utf8')
        const check = async () => {
          if (!(await limits.begin(address, username))) {
            // Over a limit: no argon2. Only a password this process verified a moment ago still gets in,
            // so a device is not held out by someone else's failures from its address.
            const identity = await credentials.verifyRemembered(username, plain)
            if (!identity) return throttle(username)
            await limits.succeeded(address, username)
            admit(client, identity)
            return done(null, true)
          }
          const identity = await credentials.verify(username, plain)
          if (!identity) return fail(username)
          await limits.succeeded(address, username)
          admit(client, identity)
          done(null, true)
        }
        check().catch((error: unknown) => {
          log.error({ err: error, username }, 'credential check failed')
          void limits.cancelled(address, username)
          done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as AuthenticateError, false)
        })
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
          fastify.ingest.handle(packet.topic, payload).then(
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
        // The ingest keeps it as a dead letter, counts and logs it like its own refusals. Acknowledged only
        // once the dead letter is stored: if the store fails in a way that passes, the connection closes
        // unacknowledged and the device sends it again. A dead letter the store refuses outright is
        // logged, counted and given up (keep-dead-letter.ts), so that it cannot loop the device forever.
        fastify.ingest.refuse({ topic, payload, reason: UNAUTHORIZED_TOPIC, detail: `${who} (client id "${client.id}") may not publish to this topic` }).then(
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
    const stopListening = fastify.events.on('credentials.invalidated', (username) => sweepSafely(username))
    const timer = setInterval(() => sweepSafely(), opts.credentialSweepMs ?? 30_000)
    timer.unref()

    // Every connection, plain or TLS, is read through the packet-size guard (packet-size-guard.ts).
    const maxPacketBytes = opts.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES
    const onOversized = (socket: Socket, address: string, refused: OversizedPacket | MalformedHeader) => {
      if (refused.type === 'malformed') {
        log.debug({ address }, 'MQTT connection closed: a packet length of more than four bytes')
        return
      }
      fastify.metrics.mqttOversizedPackets.inc({ packet: refused.type })
      // Aedes keeps its client on the connection (`conn.client`); before login there is no identity yet.
      const client = (socket as Socket & { client?: Client }).client
      const identity = client ? identities.get(client) : undefined
      const clientId = client?.id ?? (refused.type === 'connect' ? connectClientId(refused.head) : undefined)
      const who = identity ? `${identity.kind} "${identity.username}"` : 'a client not logged in'
      const source = identity?.username ?? address
      const logged = warnOnce(
        `oversized:${source}`,
        { packet: refused.type, declaredBytes: refused.declaredBytes, limit: maxPacketBytes, clientId, username: identity?.username, address },
        'MQTT packet over IOC_MQTT_MAX_PACKET_BYTES: connection closed before reading it',
      )
      // A dead letter at most once a minute per source, like the log line: before login anyone can send
      // these, and only the newest dead letters are kept — a flood must not push the devices' own out.
      if (!logged) return
      // What had arrived of a PUBLISH: its topic and the start of its payload. Nothing of a CONNECT,
      // whose body holds a password.
      const publish = refused.type === 'publish' ? publishHead(refused.head, (refused.flags >> 1) & 3) : undefined
      // A snapshot has its own limit: say that one.
      const limit = publish && SNAPSHOTS.topicAllowed(publish.topic) ? `${MAX_SNAPSHOT_BYTES}-byte snapshot limit (512 KB of JPEG)` : `${maxPacketBytes}-byte limit (IOC_MQTT_MAX_PACKET_BYTES)`
      // Nothing waits on it (the connection is gone): a store failure is logged, never retried.
      fastify.ingest
        .keep({
          topic: publish?.topic ?? '',
          payload: publish?.payload ?? new Uint8Array(0),
          reason: RejectReason.oversized,
          detail:
            `${refused.type.toUpperCase()} packet of ${refused.declaredBytes} bytes, over the ${limit}, ` +
            `from ${who} (client id ${clientId === undefined ? 'unknown' : `"${clientId}"`}, address ${address}): connection closed before reading it; ` +
            'more from this source within a minute are only counted (ioc_mqtt_oversized_packets_total)',
        })
        .catch((error: unknown) => log.error({ err: error }, 'dead letter of an oversized MQTT packet not stored'))
    }
    const accept = (socket: Socket) => {
      // Read now: a destroyed socket no longer says where it came from.
      const address = socket.remoteAddress ?? 'unknown'
      aedes.handle(socket)
      guardPacketSize(socket, maxPacketBytes, (refused) => onOversized(socket, address, refused), SNAPSHOTS)
    }

    const host = opts.host ?? '127.0.0.1'
    const server = createServer(accept)
    let tlsServer: Server | undefined
    const shutdown = async () => {
      clearInterval(timer)
      stopListening()
      failures.flush()
      throttled.flush()
      await Promise.all(auditWrites)
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      for (const listening of [server, tlsServer]) {
        if (listening?.listening) await new Promise<void>((resolve) => listening.close(() => resolve()))
      }
    }

    let port: number
    let tlsPort: number | undefined
    try {
      try {
        port = await listen(server, opts.embeddedPort, host)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
        if (!opts.fallbackToFreePort) {
          throw new Error(
            `IOC_MQTT_PORT ${opts.embeddedPort} is already in use (another MQTT broker?). ` +
              `Use it with IOC_MQTT_URL=mqtt://127.0.0.1:${opts.embeddedPort}, or give the embedded broker another port with IOC_MQTT_PORT.`,
            { cause: error },
          )
        }
        port = await listen(server, 0, host)
        fastify.log.warn({ wanted: opts.embeddedPort, port }, 'MQTT port taken: embedded broker moved to a free port')
      }
      if (opts.tls) {
        const { certFile, keyFile } = opts.tls
        try {
          tlsServer = createTlsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (socket: TLSSocket) => accept(socket))
        } catch (error) {
          throw new Error(`IOC_MQTT_TLS_CERT (${certFile}) and IOC_MQTT_TLS_KEY (${keyFile}) are not a PEM certificate and its private key: ${(error as Error).message}`, { cause: error })
        }
        tlsServer.on('tlsClientError', (error, socket) => log.debug({ err: error, address: socket.remoteAddress }, 'MQTT over TLS: handshake failed'))
        try {
          tlsPort = await listen(tlsServer, opts.tls.port, host)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
          throw new Error(`IOC_MQTT_TLS_PORT ${opts.tls.port} is already in use (another MQTT broker?); give the embedded broker's TLS listener another port.`, { cause: error })
        }
      }
    } catch (error) {
      await shutdown()
      throw error
    }
    fastify.decorate('mqttUrl', `mqtt://${localUrlHost(host)}:${port}`)
    fastify.decorate('embeddedBrokerPort', port)
    fastify.decorate('embeddedBrokerTlsPort', tlsPort)
    fastify.decorate('brokerIngestAuth', undefined)
    fastify.log.info({ host, port, maxPacketBytes }, `embedded MQTT broker listening on ${host} port ${port}`)
    if (tlsPort !== undefined) fastify.log.info({ host, port: tlsPort }, `embedded MQTT broker listening for MQTT over TLS on ${host} port ${tlsPort}`)

    fastify.addHook('onClose', shutdown)
  },
  { name: 'broker', dependencies: ['events', 'storage', 'city', 'metrics', 'audit', 'ingest'] },
)
