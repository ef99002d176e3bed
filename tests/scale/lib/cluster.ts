import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { BENCH_ADMIN } from '../../helpers/processes.ts'
import { readMetric } from '../../helpers/metrics.ts'
import { startMosquitto, type MosquittoInstance } from '../../helpers/mosquitto.ts'
import { freshPostgresSchema } from '../../helpers/postgres.ts'
import { deleteRedisKeys, TEST_REDIS_URL } from '../../helpers/redis.ts'
import { createRestartableServer, type IngestCounters, type RestartableServer } from '../../reliability/lib/server-process.ts'

export { TEST_REDIS_URL }

export interface ClusterInstance extends RestartableServer {
  /** 1-based, as in the names below. */
  n: number
  /** IOC_MQTT_CLIENT_ID: the instance's MQTT session, kept across its restarts; `/healthz` names it. */
  clientId: string
}

export interface Cluster {
  instances: ClusterInstance[]
  mosquitto: MosquittoInstance
  /** IOC_REDIS_PREFIX of this run: no other run shares its streams, channels or keys. */
  redisPrefix: string
  /** The readings table, counted by the test itself (whatever the instances say, whichever are up). */
  rows(): Promise<{ total: number; distinct: number }>
  /** Polls `rows()` until `n` readings are stored; fails saying how many were after `timeoutMs`. */
  reachRows(n: number, timeoutMs: number): Promise<void>
  /** A query on the cluster's schema (alarms, transitions…). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>
  /** Each running instance's ingest counters (a killed process's counts died with it). */
  counters(): Promise<IngestCounters[]>
  /** The instance whose `ioc_alarm_leader` is 1, once exactly one says so (polled, bounded). */
  leader(timeoutMs: number, among?: readonly ClusterInstance[]): Promise<ClusterInstance>
  /** Stops every instance, the broker; drops the schema and this run's Redis keys. */
  stop(): Promise<void>
}

export interface ClusterOptions {
  size: number
  /** IOC_CITY: a pack id or folder. @defaultValue 'tam-ky' */
  city?: string
  /** A name for the run, in client ids and Redis prefix. @defaultValue 'scale' */
  label?: string
  /** More IOC_* variables for every instance (e.g. IOC_SMTP_URL). */
  env?: NodeJS.ProcessEnv
}

/**
 * `size` instances of the real server (`server/src/server.ts`) in cluster mode, as a deployment runs
 * them: one PostgreSQL schema, one Mosquitto (of its own, with the settings of docs/devices-and-mqtt.md and persistence),
 * the machine's Redis under a prefix of this run. All instances start at once against the empty schema,
 * as systemd starts them on a fresh install: that is the concurrent first migration. Each can be killed
 * (SIGKILL) and started again with the same environment and MQTT client id.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const runId = randomUUID().slice(0, 8)
  const label = options.label ?? 'scale'
  const redisPrefix = `ioc-test-${label}-${runId}`
  const undo: (() => Promise<unknown>)[] = []
  const unwind = async () => {
    const errors: unknown[] = []
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => errors.push(error))
    if (errors.length > 0) throw new AggregateError(errors, 'stopping the cluster failed')
  }
  try {
    const mosquitto = await startMosquitto({ persistence: true })
    undo.push(() => mosquitto.stop())
    const postgres = await freshPostgresSchema()
    undo.push(() => postgres.drop())
    undo.push(() => deleteRedisKeys(redisPrefix))
    const db = new pg.Pool({ connectionString: postgres.url, max: 2 })
    undo.push(() => db.end())

    const instances: ClusterInstance[] = []
    for (let n = 1; n <= options.size; n++) {
      const clientId = `ioc-${label}-${runId}-${n}`
      const server = await createRestartableServer({
        mqttUrl: mosquitto.url,
        ingestClientId: clientId,
        dbUrl: postgres.url,
        env: {
          IOC_REDIS_URL: TEST_REDIS_URL,
          IOC_REDIS_PREFIX: redisPrefix,
          IOC_CITY: options.city ?? 'tam-ky',
          IOC_ADMIN_PASSWORD: BENCH_ADMIN.password,
          IOC_TRUST_PROXY: '127.0.0.1',
          IOC_LOG_LEVEL: 'warn',
          ...options.env,
        },
        // Several cold starts share two cores (and the first ones migrate the schema); with both cores
        // busy one took over 60 s. A start that fails exits, and waitUntilReady fails on that at once.
        startTimeoutMs: 180_000,
      })
      undo.push(() => server.dispose())
      instances.push(Object.assign(server, { n, clientId }))
    }
    await Promise.all(instances.map((i) => i.start()))

    const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await db.query<R>(text, values)).rows
    const rows = async () => {
      const [row] = await query<{ total: number; distinct: number }>('SELECT count(*)::int AS total, count(DISTINCT (station_id, ts))::int AS distinct FROM readings')
      return row!
    }
    return {
      instances,
      mosquitto,
      redisPrefix,
      rows,
      query,
      async reachRows(n, timeoutMs) {
        const deadline = Date.now() + timeoutMs
        for (;;) {
          const { total } = await rows()
          if (total >= n) return
          if (Date.now() > deadline) throw new Error(`stored ${total.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} readings after ${timeoutMs / 1000} s`)
          await sleep(100)
        }
      },
      counters: () => Promise.all(instances.map((i) => i.counters())),
      async leader(timeoutMs, among = instances) {
        const deadline = Date.now() + timeoutMs
        let flags: number[] = []
        for (;;) {
          flags = await Promise.all(among.map((i) => readMetric(i.baseUrl, 'ioc_alarm_leader').catch(() => 0)))
          const leaders = among.filter((_, k) => flags[k] === 1)
          if (leaders.length === 1) return leaders[0]!
          if (Date.now() > deadline) throw new Error(`no single alarm leader after ${timeoutMs / 1000} s: ioc_alarm_leader ${among.map((i, k) => `#${i.n}=${flags[k]}`).join(', ')}`)
          await sleep(100)
        }
      },
      stop: unwind,
    }
  } catch (error) {
    await unwind().catch(() => undefined)
    throw error
  }
}
