import fp from 'fastify-plugin'
import mqtt, { type MqttClient, type Packet } from 'mqtt'
import { INGEST_SUBSCRIPTION, SHARED_INGEST_SUBSCRIPTION } from '@ioc/shared'

/**
 * Messages from the external broker the ingest holds unacknowledged at once: the largest group it
 * commits from its connection, and all that a crash of the server can have the broker deliver again
 * beyond the PUBACKs still on the wire. Held on this side — when it is full mqtt.js reads no further
 * packet, and TCP holds the broker back — because Mosquitto 2.0.11 honours the MQTT 5 Receive Maximum
 * on a new session only, not on a resumed one (docs/benchmarks.md).
 */
export const INGEST_WINDOW = 64

/** Passed to mqtt.js's handleMessage callback: the PUBACK is ours to send once the message is stored. */
const DEFERRED = Object.assign(new Error('PUBACK deferred until the message is stored'), { deferred: true })

/**
 * Sends the PUBACK of a message mqtt.js handed over with its acknowledgement left to us (DEFERRED).
 * mqtt.js has no public call for it; `_sendPacket` is what its own handler uses (handlers/publish.js).
 */
function sendPuback(client: MqttClient, messageId: number) {
  ;(client as unknown as { _sendPacket(packet: Packet): void })._sendPacket({ cmd: 'puback', messageId })
}

/**
 * Wait before the n-th reconnection attempt (n from 0): 1 s doubling to 30 s, so a broker that is down
 * for long is not hammered and one that blinks is back within a second. mqtt.js only knows a fixed
 * period, so the ingest schedules its own `reconnect()`.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** attempt)
}

/** How often a message taken from the broker counts as a sign of life for mqtt.js's keepalive (below). */
const SIGN_OF_LIFE_EVERY_MS = 1_000

export interface BrokerSubscriptionOptions {
  /**
   * MQTT client id of the ingest (IOC_MQTT_CLIENT_ID). Fixed, with a persistent session (clean: false),
   * so the broker keeps what arrives while the server is down and redelivers what was not acknowledged.
   */
  clientId: string
  /** One of several instances: subscribe in the shared group, so each message reaches one of them. */
  shared: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How the ingest is fed: by its subscription on an external broker, or by the embedded one directly. */
    ingestSubscription: {
      /** True while connected and subscribed (always, with the embedded broker: it is this process). */
      connected(): boolean
      /** Resolves once the first subscription is granted: from then on no reading is missed. */
      ready: Promise<void>
    }
  }
}

/**
 * An external broker (IOC_MQTT_URL): the ingest's own MQTT connection and subscription, each message
 * handed to the ingest (ingest.plugin.ts) and acknowledged once it is durable. The embedded broker
 * needs none: it hands each authorized publish to the ingest itself (broker.plugin.ts).
 */
export default fp(
  async (fastify, opts: BrokerSubscriptionOptions) => {
    if (fastify.embeddedBrokerPort !== undefined) {
      fastify.decorate('ingestSubscription', { connected: () => true, ready: Promise.resolve() })
      return
    }
    const log = fastify.log.child({ component: 'ingest' })

    const client = mqtt.connect(fastify.mqttUrl, {
      // The account IOC_MQTT_URL named on the external broker, if any.
      ...fastify.brokerIngestAuth,
      clientId: opts.clientId,
      // A persistent session (MQTT 5: one that never expires), so the broker keeps what arrives while
      // the server is down and redelivers what was not acknowledged.
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 0xffffffff },
      // Reconnection is ours (below): growing waits instead of mqtt.js's fixed period.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // Our own subscribe on every connect; mqtt.js's automatic one would duplicate it.
      resubscribe: false,
      // mqtt.js logs each packet through `debug`, which costs a call and a lookup even when off: about
      // 1 % of the server's time taking a broker's full load. Its own log is kept whenever DEBUG is set.
      ...(!process.env.DEBUG && { log: () => {} }),
    })

    // "Acknowledged means stored": a QoS 1 message's PUBACK leaves only once the group commit holding it
    // is durable. mqtt.js sends the PUBACK itself when handleMessage's callback is called, and parses
    // the next packet only after that — one message in flight, never a second one to commit with it.
    // So the callback is called at once with DEFERRED, which mqtt.js takes as "send no PUBACK"
    // (handlers/publish.js: `if (err) return done(err)`), and the PUBACK is sent here once the message
    // is stored: up to INGEST_WINDOW messages are committed together. When the window is full the
    // callback waits for a PUBACK to leave, so mqtt.js reads nothing more and the broker is held back
    // by TCP. The group commit resolves in submission order, so PUBACKs leave in the order the messages
    // came, as MQTT requires. A message whose group failed is never acknowledged (durable.ts retries it
    // until the server stops). A PUBACK whose connection has since closed is not sent: the broker
    // delivers that message again on the next connection (DUP), and the store takes it once.
    if (typeof (client as unknown as { _sendPacket?: unknown })._sendPacket !== 'function') {
      throw new Error('mqtt.js changed: no MqttClient._sendPacket to acknowledge stored messages with (see sendPuback)')
    }
    // The window of one connection (its stream): a message id means something only on the connection
    // that brought it. A message stored after its connection closed gets no PUBACK — not even on the
    // next connection, where the broker may have given that id to another message.
    const windowOf = (stream: unknown) => ({ stream, unacknowledged: 0, resume: undefined as (() => void) | undefined })
    let window = windowOf(client.stream)
    client.handleMessage = (packet, done) => {
      if (window.stream !== client.stream) window = windowOf(client.stream)
      const own = window
      own.unacknowledged++
      fastify.ingest.handle(packet.topic, packet.payload as Buffer, packet.dup).then(
        () => {
          own.unacknowledged--
          if (!client.connected || client.stream !== own.stream) return
          if (packet.qos > 0) sendPuback(client, packet.messageId!)
          const resume = own.resume
          own.resume = undefined
          resume?.()
        },
        (error: unknown) => log.warn({ err: error, topic: packet.topic }, 'shutting down: message left unacknowledged for redelivery'),
      )
      if (own.unacknowledged < INGEST_WINDOW) done(DEFERRED)
      else own.resume = () => done(DEFERRED)
    }

    // mqtt.js takes only the broker's PINGRESP (or an ack of what it sent) as a sign of life, and
    // handles packets in order: while a backlog drains into a slower store (PostgreSQL), the PINGRESP
    // waits behind thousands of messages the broker has already sent, so mqtt.js timed out its own
    // keepalive after 90 s, dropped the connection, and had every unacknowledged message delivered
    // again. Each message taken is as good a sign of life.
    // Rescheduling clears a timer and sets it again: once a second is as good a sign, and at full speed
    // it is one timer a second instead of one per message.
    let signOfLifeAt = -Infinity
    client.on('packetreceive', (packet) => {
      if (packet.cmd !== 'publish') return
      const now = performance.now()
      if (now - signOfLifeAt < SIGN_OF_LIFE_EVERY_MS) return
      signOfLifeAt = now
      client.reschedulePing(true)
    })

    let markReady: () => void
    const ready = new Promise<void>((resolve) => (markReady = resolve))
    // Ready means subscribed, not only connected: on a first start nothing would reach the ingest before.
    let subscribed = false
    client.on('connect', () => {
      log.info({ url: fastify.mqttUrl }, 'ingest connected to broker')
      const subscription = opts.shared ? SHARED_INGEST_SUBSCRIPTION : INGEST_SUBSCRIPTION
      client.subscribe(subscription, { qos: 1 }, (error, granted) => {
        if (error) return log.error({ err: error, subscription }, 'ingest subscription failed')
        // MQTT 5 refuses a subscription in the SUBACK, not with an error: e.g. an ACL without read on ioc/v1/#.
        const refused = granted?.find((g) => g.qos > 2)
        if (refused) return log.error({ subscription, reasonCode: refused.qos }, 'the broker refused the ingest subscription: check the ingest account\'s ACL (topic read ioc/v1/#)')
        subscribed = true
        markReady()
      })
    })
    let attempts = 0
    let reconnectTimer: NodeJS.Timeout | undefined
    let closing = false
    client.on('connect', () => (attempts = 0))
    client.on('close', () => {
      subscribed = false
      if (closing || reconnectTimer) return
      const delay = reconnectDelayMs(attempts++)
      log.warn({ url: fastify.mqttUrl, retryInMs: delay }, 'ingest disconnected from broker: reconnecting')
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined
        if (!closing) client.reconnect()
      }, delay)
    })
    client.on('error', (error) => log.error({ err: error }, 'ingest MQTT error'))

    fastify.decorate('ingestSubscription', { connected: () => client.connected && subscribed, ready })
    fastify.addHook('onClose', async () => {
      // Stop taking messages first; a write being retried is abandoned (left unacknowledged).
      closing = true
      clearTimeout(reconnectTimer)
      fastify.ingest.stop()
      await client.endAsync()
    })
  },
  { name: 'ingest-subscription', dependencies: ['ingest', 'broker'] },
)
