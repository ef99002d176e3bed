import fp from 'fastify-plugin'
import mqtt from 'mqtt'
import { INGEST_SUBSCRIPTION, SHARED_INGEST_SUBSCRIPTION } from '@ioc/shared'

/** Longest the ingest keeps the event loop to itself while draining a backlog. */
const YIELD_EVERY_MS = 10

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
      properties: { sessionExpiryInterval: 0xffffffff },
      // Reconnection is ours (below): growing waits instead of mqtt.js's fixed period.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // Our own subscribe on every connect; mqtt.js's automatic one would duplicate it.
      resubscribe: false,
    })

    // The PUBACK for a QoS 1 message goes out when this callback is called (mqtt.js handlers/publish):
    // calling it only after the store resolves makes "acknowledged" mean "stored". A failed write is
    // retried (durable.ts); mqtt.js hands over the next message only after this one's callback — so
    // there is never a second message to commit with this one (handleAlone, not the group commit).
    // Several connections in a shared subscription would give the group commit something to group
    // (measured 3.1k → 6.7k readings/s), but Mosquitto 2.0.11 forgets shared subscriptions when it
    // restarts: what devices publish before the ingest subscribes again would be dropped, where this
    // session's plain subscription has the broker keep it (docs/benchmarks.md).
    // mqtt.js takes the next buffered packet on process.nextTick, and this chain is all promises:
    // while a backlog drains after an outage, timers and HTTP would starve for seconds (measured:
    // /healthz answered after 5-8 s). So at least every 10 ms a message completes on setImmediate,
    // letting them in; one per message would cost a third of the ingest rate.
    let lastYield = performance.now()
    const complete = (done: () => void) => {
      const now = performance.now()
      if (now - lastYield < YIELD_EVERY_MS) return done()
      lastYield = now
      setImmediate(done)
    }
    client.handleMessage = (packet, done) => {
      fastify.ingest.handleAlone(packet.topic, packet.payload as Buffer, packet.dup).then(
        () => complete(done),
        (error: unknown) => {
          log.warn({ err: error, topic: packet.topic }, 'shutting down: message left unacknowledged for redelivery')
          done(error as Error)
        },
      )
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
