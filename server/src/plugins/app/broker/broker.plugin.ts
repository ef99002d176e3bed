import { once } from 'node:events'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Aedes } from 'aedes'
import fp from 'fastify-plugin'

export interface BrokerOptions {
  /** External broker (IOC_MQTT_URL). When set, no embedded broker starts. */
  url: string | undefined
  /** Embedded broker's TCP port (IOC_MQTT_PORT); 0 picks a free one. */
  embeddedPort: number
  /** When the port is taken, take a free one instead of failing (the demo does, so it runs beside Mosquitto). */
  fallbackToFreePort?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where devices and the ingest connect: the external broker, or the embedded one. */
    mqttUrl: string
    /** The embedded broker's port, when this server runs one. */
    embeddedBrokerPort: number | undefined
  }
}

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, '0.0.0.0')
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  return (server.address() as AddressInfo).port
}

export default fp(
  async (fastify, opts: BrokerOptions) => {
    if (opts.url !== undefined) {
      fastify.decorate('mqttUrl', opts.url)
      fastify.decorate('embeddedBrokerPort', undefined)
      return
    }
    const aedes = await Aedes.createBroker()
    const server = createServer(aedes.handle)
    let port: number
    try {
      port = await listen(server, opts.embeddedPort)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      if (!opts.fallbackToFreePort) {
        await aedes.close()
        throw new Error(
          `IOC_MQTT_PORT ${opts.embeddedPort} is already in use (another MQTT broker?). ` +
            `Use it with IOC_MQTT_URL=mqtt://127.0.0.1:${opts.embeddedPort}, or give the embedded broker another port with IOC_MQTT_PORT.`,
          { cause: error },
        )
      }
      port = await listen(server, 0)
      fastify.log.warn({ wanted: opts.embeddedPort, port }, 'MQTT port taken: embedded broker moved to a free port')
    }
    aedes.on('clientError', (client, error) => fastify.log.debug({ clientId: client.id, err: error }, 'mqtt client error'))
    fastify.decorate('mqttUrl', `mqtt://127.0.0.1:${port}`)
    fastify.decorate('embeddedBrokerPort', port)
    fastify.log.info({ port }, `embedded MQTT broker listening on port ${port}`)

    fastify.addHook('onClose', async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
  },
  { name: 'broker' },
)
