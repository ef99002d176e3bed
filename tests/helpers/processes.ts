import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './ports.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const children = new Set<ChildProcess>()
/** Whatever happens to the bench, nothing it started outlives it. */
for (const signal of ['exit', 'SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL')
    if (signal !== 'exit') process.exit(130)
  })
}

/** Starts a TypeScript entry point of this repo in its own Node process. */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv, args: string[] = [], nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  // Keep stdout flowing so a chatty child never blocks on a full pipe; waitForLine listens in.
  child.stdout?.resume()
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  child.once('exit', (code, signal) => {
    if (code && code !== 0 && signal === null) console.error(`${entry} exited with ${code}:\n${stderr}`)
  })
  return child
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export interface ServerProcess {
  child: ChildProcess
  pid: number
  baseUrl: string
  /** Where devices publish: the embedded broker (with a gateway credential in the URL) or the external one. */
  mqttUrl: string
  dataDir: string
  /** The SQLite file, for counting what was stored without asking the server. */
  dbFile: string
  stop(): Promise<void>
}

/** The `admin` account of every bench server (its first start creates it): the dashboard needs a login. */
export const BENCH_ADMIN = { username: 'admin', password: 'bench-admin-password' } as const

export interface ServerProcessOptions {
  /** External broker; unset starts the embedded broker on a free port. */
  mqttUrl?: string
  /** IOC_CITY: a pack id or a pack folder. */
  city?: string
  /** Unique per run on an external broker, so no earlier persistent session is resumed. */
  ingestClientId?: string
  /** An existing data dir (e.g. pre-filled with history); kept on stop. Default: a fresh temp dir, removed on stop. */
  dataDir?: string
  /** IOC_DB_URL: PostgreSQL instead of SQLite. */
  dbUrl?: string
  /** Any other IOC_* variables. */
  env?: NodeJS.ProcessEnv
  /** Extra Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] to profile the server (NODE_OPTIONS refuses --cpu-prof). */
  nodeArgs?: string[]
}

/** What a test or bench server process is started with: its ports and data dir, the run's admin, and `options`. */
export function serverEnv(options: { dataDir: string; port: number; brokerPort: number } & Pick<ServerProcessOptions, 'mqttUrl' | 'city' | 'ingestClientId' | 'dbUrl' | 'env'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    IOC_PORT: String(options.port),
    IOC_MQTT_PORT: String(options.brokerPort),
    IOC_DATA_DIR: options.dataDir,
    IOC_LOG_LEVEL: 'warn',
    IOC_CITY: options.city ?? 'tam-ky',
    IOC_ADMIN_PASSWORD: BENCH_ADMIN.password,
  }
  if (options.mqttUrl) env.IOC_MQTT_URL = options.mqttUrl
  if (options.ingestClientId) env.IOC_MQTT_CLIENT_ID = options.ingestClientId
  if (options.dbUrl) env.IOC_DB_URL = options.dbUrl
  return Object.assign(env, options.env)
}

/**
 * The embedded broker wants a credential: a gateway one (`pnpm devices gateway`), issued into the store
 * the server will open — so it outlives the server's restarts. Returns the URL with it.
 */
export async function embeddedGatewayUrl(env: NodeJS.ProcessEnv, name: string, brokerPort: number): Promise<string> {
  const issuing = spawnTs('server/src/cli/devices.ts', env, ['gateway', name])
  const [, password] = await waitForLine(issuing, new RegExp(`^${name},([^,]+),`))
  if (issuing.exitCode === null) await once(issuing, 'exit')
  return `mqtt://${name}:${password}@127.0.0.1:${brokerPort}`
}

/** Polls a starting server's `/readyz` (bounded); fails at once if the process exits meanwhile. */
export async function waitUntilReady(child: ChildProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start (code ${child.exitCode}, signal ${child.signalCode})`)
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return
    if (Date.now() > deadline) throw new Error(`the server was not ready within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The real server (`pnpm start`) in a child process, on free ports, with a fresh data dir; resolves when /readyz says ready. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ioc-bench-'))
  const port = await freePort()
  const brokerPort = await freePort()
  const env = serverEnv({ ...options, dataDir, port, brokerPort })
  const mqttUrl = options.mqttUrl ?? (await embeddedGatewayUrl(env, 'bench-publishers', brokerPort))
  const child = spawnTs('server/src/server.ts', env, [], options.nodeArgs)
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitUntilReady(child, baseUrl, 30_000)
  } catch (error) {
    await stopProcess(child)
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    child,
    pid: child.pid!,
    baseUrl,
    mqttUrl,
    dataDir,
    dbFile: join(dataDir, 'ioc.sqlite'),
    async stop() {
      await stopProcess(child)
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Resident set size of a process, read from /proc: measured from outside, not reported by the process. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(kb[1]) * 1024
}

/** Resolves with the first stdout line of `child` matching `pattern` (bounded by `timeoutMs`). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop()!
      for (const line of lines) {
        const match = pattern.exec(line)
        if (match) {
          cleanup()
          resolve(match)
          return
        }
      }
    }
    const onExit = (code: number | null) => {
      cleanup()
      reject(new Error(`process exited (code ${code}) before printing ${pattern}`))
    }
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
    }
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
  })
}
