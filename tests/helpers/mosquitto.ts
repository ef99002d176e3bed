import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { freePort, waitForPort } from './ports.ts'

/**
 * The settings the IOC ingest relies on (docs/devices-and-mqtt.md, "Using Mosquitto"): Mosquitto's default keeps at most
 * 1000 queued QoS 1 messages per client and silently drops the rest, so an ingest that falls behind a
 * burst would lose readings.
 */
export const IOC_MOSQUITTO_SETTINGS = ['max_queued_messages 1000000', 'max_inflight_messages 100']

export interface MosquittoInstance {
  url: string
  port: number
  /** The running broker process (a new one after each restart). */
  readonly child: ChildProcess
  /**
   * How many times a client with this id has connected, over every run of this broker (from its log):
   * what a test bounds redeliveries by — each connection after the first followed an interruption.
   */
  connections(clientId: string): number
  /**
   * Stops the broker (SIGTERM: with `persistence`, it writes its sessions and queues to disk as it
   * exits) and starts it again on the same port with the same config and data.
   */
  restart(): Promise<void>
  /** Stops the broker, keeping its port, config and data, for an outage; `up()` starts it again. */
  down(): Promise<void>
  up(): Promise<void>
  stop(): Promise<void>
}

export interface MosquittoOptions {
  port?: number
  extraConfig?: string[]
  /**
   * Accounts (username → password), written with `mosquitto_passwd -b` into a `password_file`; when
   * given, anonymous clients are refused (`allow_anonymous false`).
   */
  passwords?: Record<string, string>
  /** The text of an `acl_file` (docs/devices-and-mqtt.md, "Devices and MQTT credentials"). */
  acl?: string
  /**
   * Keep sessions and queued messages on disk (in the temporary dir), so they survive `restart()` as a
   * production broker's do.
   * @defaultValue false
   */
  persistence?: boolean
}

/** A Mosquitto of our own (the `mosquitto` binary, a temporary config, a free port), never the shared one. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-mosquitto-'))
  const port = options.port ?? (await freePort())
  const config = join(dir, 'mosquitto.conf')
  const access: string[] = ['allow_anonymous true']
  // Started as root, Mosquitto drops to the `mosquitto` user before it reads these files.
  chmodSync(dir, 0o755)
  if (options.passwords) {
    const passwordFile = join(dir, 'ioc.passwd')
    writeFileSync(passwordFile, '')
    for (const [username, password] of Object.entries(options.passwords)) execFileSync('mosquitto_passwd', ['-b', passwordFile, username, password])
    chmodSync(passwordFile, 0o644)
    access.splice(0, 1, 'allow_anonymous false', `password_file ${passwordFile}`)
  }
  if (options.acl !== undefined) {
    const aclFile = join(dir, 'ioc.acl')
    writeFileSync(aclFile, options.acl)
    access.push(`acl_file ${aclFile}`)
  }
  const persistence = ['persistence false']
  if (options.persistence) {
    const dataDir = join(dir, 'data')
    mkdirSync(dataDir)
    // Mosquitto, dropped to its own user, writes here.
    chmodSync(dataDir, 0o777)
    persistence.splice(0, 1, 'persistence true', `persistence_location ${dataDir}/`)
  }
  writeFileSync(config, [`listener ${port} 127.0.0.1`, ...access, ...persistence, ...IOC_MOSQUITTO_SETTINGS, ...(options.extraConfig ?? [])].join('\n') + '\n')
  // Read from the first line on: a pipe nobody reads fills after some 64 KB of log (a few hundred
  // connections) and then blocks the broker itself.
  const connects = new Map<string, number>()
  const onLogLine = (line: string) => {
    const connected = CONNECTED.exec(line)
    if (connected) connects.set(connected[1]!, (connects.get(connected[1]!) ?? 0) + 1)
  }
  let child = await launch(config, port, onLogLine)
  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    get child() {
      return child
    },
    connections: (clientId) => connects.get(clientId) ?? 0,
    async restart() {
      await terminate()
      child = await launch(config, port, onLogLine)
    },
    async down() {
      await terminate()
    },
    async up() {
      child = await launch(config, port, onLogLine)
    },
    async stop() {
      await terminate()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Mosquitto 2's log line for an accepted CONNECT: `… New client connected from 127.0.0.1:5 as <id> (p5, c0, k60).` */
const CONNECTED = /New client connected from \S+ as (\S+) \(/

async function launch(config: string, port: number, onLogLine: (line: string) => void): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  // The last lines, to say why a start failed.
  const recent: string[] = []
  createInterface({ input: child.stderr! }).on('line', (line) => {
    recent.push(line)
    if (recent.length > 20) recent.shift()
    onLogLine(line)
  })
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start mosquitto (apt-get install mosquitto): ${error.message}`)))
    child.once('exit', (code) => reject(new Error(`mosquitto exited with code ${code} during start:\n${recent.join('\n')}`)))
  })
  await Promise.race([waitForPort(port, 10_000, 'mosquitto'), failed])
  return child
}

