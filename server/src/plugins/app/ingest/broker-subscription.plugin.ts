import fp from 'fastify-plugin'
import mqtt, { type MqttClient, type Packet } from 'mqtt'
import { INGEST_SUBSCRIPTION, SHARED_INGEST_SUBSCRIPTION } from '@ioc/shared'

/**
 * QoS 1 messages the broker may have in flight to the ingest at once (MQTT 5 Receive Maximum): the
 * largest group the ingest commits from one connection, and a bound on what it holds unacknowledged.
 */
export const RECEIVE_MAXIMUM = 500

/** Passed to mqtt.js's handleMessage callback: the PUBACK is ours to send once the message is stored. */
const DEFERRED = Object.assign(new Error('PUBACK deferred until the message is stored'), { deferred: true })

/**
 * Sends the PUBACK of a message mqtt.js handed over with its acknowledgement left to us (DEFERRED).
 * mqtt.js has no public call for it; `_sendPacket` is what its own handler uses (handlers/publish).
 */
function sendPuback(client: MqttClient, messageId: number) {
  ;(client as unknown as { _sendPacket(packet: Packet, cb?: () => void): void })._sendPacket({ cmd: 'puback', messageId })
}

/**
 * Wait before the n-th reconnection attempt (n from 0): 1 s doubling to 30 s, so a broker that is down
 * for long is not hammered and one that blinks is back within a second. mqtt.js only knows a fixed
 * period, so the ingest schedules its own `reconnect()`.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** attempt)
}

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
      properties: { sessionExpiryInterval: 0xffffffff, receiveMaximum: RECEIVE_MAXIMUM },
      // Reconnection is ours (below): growing waits instead of mqtt.js's fixed period.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // Our own subscribe on every connect; mqtt.js's automatic one would duplicate it.
      resubscribe: false,
    })

    // "Acknowledged means stored": a QoS 1 message's PUBACK leaves only once the group commit holding it
    // is durable. mqtt.js sends the PUBACK itself when handleMessage's callback is called, and takes the
    // next message only after that — one message in flight, never a second one to commit with it
    // (measured 11k readings/s where a bare subscriber takes 30k). So the callback is called at once with
    // DEFERRED, which mqtt.js treats as "send no PUBACK" (handlers/publish: `if (err) return done(err)`),
    // and the PUBACK is sent here when the message is stored: up to the broker's in-flight window
    // (RECEIVE_MAXIMUM) is committed together. The group commit resolves in submission order, so
    // PUBACKs leave in the order the messages came, as MQTT requires. A PUBACK whose connection has
    // since closed is not sent: the broker redelivers that message on the next connection (DUP), and
    // the store takes it once.
    if (typeof (client as unknown as { _sendPacket?: unknown })._sendPacket !== 'function') {
      throw new Error('mqtt.js changed: no MqttClient._sendPacket to acknowledge stored messages with (see sendPuback)')
    }
    let connection = 0
    client.on('close', () => connection++)
    client.handleMessage = (packet, done) => {
      const receivedOn = connection
      const { messageId } = packet
      fastify.ingest.handle(packet.topic, packet.payload as Buffer, packet.dup).then(
        () => {
          if (packet.qos === 0 || receivedOn !== connection || !client.connected) return
          sendPuback(client, messageId!)
        },
        (error: unknown) => log.warn({ err: error, topic: packet.topic }, 'shutting down: message left unacknowledged for redelivery'),
      )
      done(DEFERRED)
    }

    // mqtt.js takes only the broker's PINGRESP (or an ack of what it sent) as a sign of life, and
    // handles packets in order: while a backlog drains into a slower store (PostgreSQL), the PINGRESP
    // waits behind thousands of messages the broker has already sent, so mqtt.js timed out its own
    // keepalive after 90 s, dropped the connection, and had every unacknowledged message delivered
    // again. Each message taken is as good a sign of life.
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') client.reschedulePing(true)
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
