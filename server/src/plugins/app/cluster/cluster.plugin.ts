import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { createPgLeadership, soleLeadership, type Leadership } from './leadership.ts'

export interface ClusterOptions {
  /** IOC_REDIS_URL and IOC_REDIS_PREFIX; undefined for a single instance. */
  cluster: { redisUrl: string; prefix: string } | undefined
  dbUrl: string | undefined
  /** This instance's name: its MQTT client id, unique in a cluster. */
  instance: string
}

export interface Cluster {
  instance: string
  /** The deployment's Redis (socket.io adapter, rate limits); null for a single instance. */
  redis: Redis | null
  /** Namespace of every Redis key, stream and channel of this deployment (IOC_REDIS_PREFIX). */
  prefix: string
  /** Whether the instance is the one running the alarm engine and storage maintenance. */
  leadership: Leadership
  /** Tells every instance, this one included, that something changed (e.g. a station's settings). */
  notify(channel: string, message: string): Promise<void>
  onNotice(channel: string, handler: (message: string) => void): void
  /** False while Redis cannot be reached (always true for a single instance). */
  redisHealthy(): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    cluster: Cluster
  }
}

/** How long a start waits for Redis before giving up with a message. */
const REDIS_CONNECT_TIMEOUT_MS = 10_000

/**
 * What several instances share beyond PostgreSQL and the broker: a Redis connection (for the
 * socket.io adapter, rate limits and change notices between instances) and the election of one
 * leader (a PostgreSQL advisory lock) for the work only one may do. A single instance gets the same
 * interface with no Redis, local notices, and the lead always.
 */
export default fp(
  async (fastify, opts: ClusterOptions) => {
    const handlers = new Map<string, ((message: string) => void)[]>()
    const deliver = (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message)
    }
    const onNotice = (channel: string, handler: (message: string) => void) => handlers.set(channel, [...(handlers.get(channel) ?? []), handler])

    if (!opts.cluster) {
      fastify.decorate('cluster', {
        instance: opts.instance,
        redis: null,
        prefix: 'ioc',
        leadership: soleLeadership(),
        notify: async (channel, message) => deliver(channel, message),
        onNotice,
        redisHealthy: () => true,
      } satisfies Cluster)
      return
    }
    if (!opts.dbUrl) throw new Error('several instances need PostgreSQL (IOC_DB_URL)')

    const { redisUrl, prefix } = opts.cluster
    const log = fastify.log.child({ component: 'cluster' })
    // Commands wait for a reconnection a little, then fail: callers (rate limits) decide what a failure means.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true, connectionName: `ioc:${opts.instance}` })
    redis.on('error', (error) => log.warn({ err: error }, 'Redis connection error'))
    await connectRedis(redis, redisUrl)
    const subscriber = redis.duplicate({ connectionName: `ioc:${opts.instance}:notices` })
    subscriber.on('error', (error) => log.warn({ err: error }, 'Redis notice subscription error'))
    const noticePrefix = `${prefix}:notice:`
    await subscriber.psubscribe(`${noticePrefix}*`)
    subscriber.on('pmessage', (_pattern, channel: string, message: string) => deliver(channel.slice(noticePrefix.length), message))
    const notify = async (channel: string, message: string) => {
      await redis.publish(`${noticePrefix}${channel}`, message)
    }
    try {
      await refuseTwin({ instance: opts.instance, notify, onNotice })
    } catch (error) {
      subscriber.disconnect()
      redis.disconnect()
      throw error
    }

    const leadership = createPgLeadership({ connectionString: opts.dbUrl, name: 'ioc-leader', log, events: fastify.events })
    fastify.decorate('cluster', {
      instance: opts.instance,
      redis,
      prefix,
      leadership,
      notify,
      onNotice,
      redisHealthy: () => redis.status === 'ready',
    } satisfies Cluster)
    log.info({ instance: opts.instance, redis: redactedUrl(redisUrl), prefix }, 'running as one of several instances')

    fastify.addHook('onClose', async () => {
      await leadership.stop()
      subscriber.disconnect()
      await redis.quit().catch(() => redis.disconnect())
    })
  },
  { name: 'cluster', dependencies: ['events'] },
)

/** How long a starting instance waits for a running one to say it has the same name. */
const TWIN_ANSWER_MS = 1_000

/**
 * Two instances with one IOC_MQTT_CLIENT_ID would take the MQTT session from each other forever (a
 * broker may just close the older connection, without saying why). A starting instance asks the
 * running ones whether one has its name, and refuses to start if one answers.
 */
async function refuseTwin(deps: { instance: string; notify(channel: string, message: string): Promise<void>; onNotice(channel: string, handler: (message: string) => void): void }): Promise<void> {
  const me = randomUUID()
  let twin = false
  deps.onNotice('instance:here', (message) => {
    const answer = JSON.parse(message) as { instance: string; asked: string }
    if (answer.instance === deps.instance && answer.asked === me) twin = true
  })
  deps.onNotice('instance:who', (message) => {
    const question = JSON.parse(message) as { instance: string; asker: string }
    if (question.instance === deps.instance && question.asker !== me) void deps.notify('instance:here', JSON.stringify({ instance: deps.instance, asked: question.asker })).catch(() => {})
  })
  await deps.notify('instance:who', JSON.stringify({ instance: deps.instance, asker: me }))
  await sleep(TWIN_ANSWER_MS)
  if (twin) throw new Error(`another running instance has IOC_MQTT_CLIENT_ID=${deps.instance}: give every instance its own (e.g. ioc-ingest-1, ioc-ingest-2)`)
}

async function connectRedis(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)), REDIS_CONNECT_TIMEOUT_MS)
  })
  try {
    await Promise.race([redis.connect(), timeout])
  } catch (error) {
    redis.disconnect()
    throw new Error(`cannot reach Redis at IOC_REDIS_URL (${redactedUrl(url)}): ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  } finally {
    clearTimeout(timer)
  }
}

function redactedUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/i, '$1***@')
}
