import { randomUUID } from 'node:crypto'
import { startMosquitto, type MosquittoInstance } from './mosquitto.ts'
import { freshPostgresSchema } from './postgres.ts'
import { deleteRedisKeys, TEST_REDIS_URL } from './redis.ts'
import type { StartOptions } from './server.ts'

export interface ClusterParts {
  mosquitto: MosquittoInstance
  /** This run's Redis prefix: every key, stream and channel of its instances. */
  prefix: string
  /** startServer's options for the instance called `name` (its MQTT client id is `<prefix>-<name>`). */
  instance(name: string): StartOptions
}

/**
 * What several instances share, as on several machines: a private Mosquitto, a PostgreSQL schema of
 * their own and the machine's Redis under a prefix of this run. `onCleanup` gets the steps that remove
 * them, in the order they were made (run them in reverse, after the servers are closed).
 */
export async function clusterParts(onCleanup: (step: () => unknown) => void): Promise<ClusterParts> {
  const mosquitto = await startMosquitto()
  onCleanup(() => mosquitto.stop())
  const schema = await freshPostgresSchema()
  onCleanup(() => schema.drop())
  const prefix = `ioc-test-${randomUUID().slice(0, 8)}`
  onCleanup(() => deleteRedisKeys(prefix))
  return {
    mosquitto,
    prefix,
    instance: (name) => ({
      mqttUrl: mosquitto.url,
      dbUrl: schema.url,
      env: { IOC_REDIS_URL: TEST_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_MQTT_CLIENT_ID: `${prefix}-${name}` },
    }),
  }
}
