import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForPort } from './ports.ts'

/**
 * The settings the IOC ingest relies on (README "Using Mosquitto"): Mosquitto's default keeps at most
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
  /** The text of an `acl_file` (README "Devices and MQTT credentials"). */
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
  let child = await launch(config, port)
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
    async restart() {
      await terminate()
      child = await launch(config, port)
    },
    async down() {
      await terminate()
    },
    async up() {
      child = await launch(config, port)
    },
    async stop() {
      await terminate()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function launch(config: string, port: number): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start mosquitto (apt-get install mosquitto): ${error.message}`)))
    child.once('exit', (code) => reject(new Error(`mosquitto exited with code ${code} during start`)))
  })
  await Promise.race([waitForPort(port, 10_000, 'mosquitto'), failed])
  return child
}

