import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { embeddedGatewayUrl, serverEnv, spawnTs, stopProcess, waitUntilReady } from '../../helpers/processes.ts'
import { freePort } from '../../helpers/ports.ts'

export interface RestartableServerOptions {
  /** External broker (IOC_MQTT_URL); unset: the embedded broker, on a port kept across restarts. */
  mqttUrl?: string
  /** IOC_MQTT_CLIENT_ID: fixed across restarts, so the external broker keeps the ingest's session. */
  ingestClientId?: string
  /** IOC_DB_URL: PostgreSQL instead of the data dir's SQLite file (then `dbFile` names no file). */
  dbUrl?: string
  /** Any other IOC_* variables (e.g. IOC_REDIS_URL for one instance of several), the same at every start. */
  env?: NodeJS.ProcessEnv
  /**
   * How long a start may take until `/readyz` answers 200.
   * @defaultValue 30 000 ms
   */
  startTimeoutMs?: number
}

/** What one server lifetime's `/metrics` counted (counters start at 0 in each process). */
export interface IngestCounters {
  stored: number
  duplicates: number
  rejected: number
}

/**
 * The real server (`server/src/server.ts`) as a process that can be killed and started again on the same
 * data dir and ports: what a process manager does after a crash. `startServerProcess` (bench) picks new
 * ports at each start; a device must find the embedded broker where it was.
 */
export interface RestartableServer {
  dataDir: string
  /** The SQLite file, read by the test without asking the server (which may be dead). */
  dbFile: string
  baseUrl: string
  /** Where the publisher connects: the external broker, or the embedded one with a gateway credential. */
  publishUrl: string
  /** The running process, if any. */
  readonly child: ChildProcess | undefined
  /** Starts the process; resolves when `/readyz` answers 200. */
  start(): Promise<void>
  /** SIGKILL: no shutdown code runs (a crash, an OOM kill). Resolves once the process is gone. */
  kill(): Promise<void>
  /** SIGTERM, as a process manager stops it; resolves with how it exited and how long that took. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>
  counters(): Promise<IngestCounters>
  /** Stops the process if it runs, and removes the data dir. */
  dispose(): Promise<void>
}

export async function createRestartableServer(options: RestartableServerOptions = {}): Promise<RestartableServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-reliability-'))
  const port = await freePort()
  const brokerPort = await freePort()
  const env = serverEnv({ ...options, dataDir, port, brokerPort })
  const startTimeoutMs = options.startTimeoutMs ?? 30_000
  const baseUrl = `http://127.0.0.1:${port}`

  // A gateway credential, stored in the data dir's store: it outlives every restart of the server.
  const publishUrl = options.mqttUrl ?? (await embeddedGatewayUrl(env, 'reliability-publisher', brokerPort))

  let child: ChildProcess | undefined
  const gone = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null

  return {
    dataDir,
    dbFile: join(dataDir, 'ioc.sqlite'),
    baseUrl,
    publishUrl,
    get child() {
      return child
    },
    async start() {
      if (child && !gone(child)) throw new Error('the server is already running')
      const started = spawnTs('server/src/server.ts', env)
      child = started
      await waitUntilReady(started, baseUrl, startTimeoutMs)
    },
    async kill() {
      if (!child || gone(child)) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
    async terminate() {
      if (!child || gone(child)) throw new Error('the server is not running')
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
      const t0 = performance.now()
      child.kill('SIGTERM')
      const [code, signal] = await exited
      return { code, signal, ms: performance.now() - t0 }
    },
    async counters() {
      const text = await (await fetch(`${baseUrl}/metrics`)).text()
      return {
        stored: sumOf(text, 'ioc_ingest_stored_total'),
        duplicates: sumOf(text, 'ioc_ingest_duplicates_total'),
        rejected: sumOf(text, 'ioc_ingest_rejected_total'),
      }
    },
    async dispose() {
      if (child) await stopProcess(child)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A counter's samples added up over all its labels, from a Prometheus text exposition. */
function sumOf(exposition: string, name: string): number {
  let sum = 0
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line)
    if (match?.[1] === name) sum += Number(match[2])
  }
  return sum
}
