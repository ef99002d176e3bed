import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { isIP } from 'node:net'
import { join, resolve } from 'node:path'
import { CITY_PACKS, isCityPackId } from '@ioc/shared/city-packs'
import { CITY_PACK_FILES } from '@ioc/shared/city-packs/node'

const Port = Type.Integer({ minimum: 0, maximum: 65535 })

/** Every environment variable the server reads (docs/configuration.md). Read once, at start. */
const EnvSchema = Type.Object({
  IOC_PORT: Port,
  IOC_HOST: Type.String({ minLength: 1 }),
  IOC_MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://[^\\s]+$', description: 'mqtt://, mqtts://, ws:// or wss:// URL' })),
  IOC_MQTT_PORT: Port,
  IOC_MQTT_HOST: Type.String({ minLength: 1 }),
  IOC_MQTT_TLS_CERT: Type.Optional(Type.String({ minLength: 1 })),
  IOC_MQTT_TLS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  IOC_MQTT_TLS_PORT: Port,
  // 1 KB .. MQTT's own ceiling (268,435,455 bytes, the largest remaining length a fixed header can declare).
  IOC_MQTT_MAX_PACKET_BYTES: Type.Integer({ minimum: 1024, maximum: 268_435_455, description: 'bytes' }),
  IOC_MQTT_CLIENT_ID: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'client id of letters, digits, . _ - (at most 64)' }),
  IOC_DB_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://[^\\s]+$', description: 'postgres:// URL' })),
  IOC_DATA_DIR: Type.String({ minLength: 1 }),
  IOC_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 36_500, description: 'days' }),
  IOC_SNAPSHOT_INTERVAL_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, description: 'minutes' }),
  IOC_SNAPSHOT_KEEP_DAYS: Type.Integer({ minimum: 1, maximum: 3650, description: 'days' }),
  IOC_REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://[^\\s]+$', description: 'redis:// URL' })),
  IOC_REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description: 'prefix of letters, digits, . _ : - (at most 64)' }),
  IOC_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12, description: 'at least 12 characters' })),
  IOC_CITY: Type.String({ minLength: 1 }),
  IOC_LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  IOC_WEB_DIR: Type.String({ minLength: 1 }),
  IOC_SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, description: 'minutes' }),
  IOC_SESSION_MAX_HOURS: Type.Integer({ minimum: 1, maximum: 8_760, description: 'hours' }),
  IOC_TRUST_PROXY: Type.Optional(Type.String({ minLength: 1 })),
  IOC_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', description: 'http:// or https:// URL without query or fragment' })),
  IOC_METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'token of at least 16 characters' })),
  IOC_ALLOWED_ORIGINS: Type.Optional(Type.String({ minLength: 1 })),
  IOC_SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s]+$', description: 'smtp:// or smtps:// URL' })),
  IOC_VAPID_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 1 })),
  IOC_VAPID_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  IOC_MAIL_FROM: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: 'sender address, e.g. "IOC Tam Kỳ <ioc@tamky.gov.vn>"' })),
  IOC_BASEMAP_URL: Type.Optional(Type.String({ minLength: 1 })),
  IOC_BASEMAP_ATTRIBUTION: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
})
type Env = Static<typeof EnvSchema>

const DEFAULTS = {
  IOC_PORT: '8080',
  IOC_HOST: '127.0.0.1',
  IOC_MQTT_PORT: '1883',
  // Loopback, like IOC_HOST: devices on other hosts are let in deliberately (0.0.0.0, or over TLS).
  IOC_MQTT_HOST: '127.0.0.1',
  IOC_MQTT_TLS_PORT: '8883',
  // A reading or camera status is under 1 KB; 64 KB leaves room and refuses a flood of memory.
  IOC_MQTT_MAX_PACKET_BYTES: '65536',
  IOC_MQTT_CLIENT_ID: 'ioc-ingest',
  IOC_DATA_DIR: './data',
  IOC_RETENTION_DAYS: '90',
  // One camera picture per 10 minutes for a week: a storm's pictures, about 1 GB for 20 cameras.
  IOC_SNAPSHOT_INTERVAL_MINUTES: '10',
  IOC_SNAPSHOT_KEEP_DAYS: '7',
  IOC_CITY: 'tam-ky',
  IOC_REDIS_PREFIX: 'ioc',
  IOC_LOG_LEVEL: 'info',
  IOC_WEB_DIR: new URL('../../web/dist', import.meta.url).pathname,
  // A working day, and at most a day: an IOC screen left open overnight asks for the password again.
  IOC_SESSION_IDLE_MINUTES: '480',
  IOC_SESSION_MAX_HOURS: '24',
} as const

export interface Config {
  port: number
  host: string
  /**
   * clientId: the ingest's MQTT client id, fixed so its persistent session survives restarts.
   * host, tls, maxPacketBytes: the embedded broker's listen address, its optional TLS listener (PEM
   * file paths), and the largest packet it reads (refused as soon as its header declares more).
   */
  mqtt: {
    url: string | undefined
    embeddedPort: number
    clientId: string
    host: string
    tls: { certFile: string; keyFile: string; port: number } | undefined
    maxPacketBytes: number
  }
  dataDir: string
  dbUrl: string | undefined
  retentionDays: number
  /** Camera snapshots kept: the newest per camera, and one per `intervalMs` for `keepMs` (IOC_SNAPSHOT_INTERVAL_MINUTES, IOC_SNAPSHOT_KEEP_DAYS). */
  snapshots: { intervalMs: number; keepMs: number }
  /**
   * Set (IOC_REDIS_URL): this is one of several instances sharing PostgreSQL, an external broker and
   * Redis (docs/deployment.md). `prefix` names every Redis key, stream and channel of this deployment.
   */
  cluster: { redisUrl: string; prefix: string } | undefined
  adminPassword: string | undefined
  city: string
  logLevel: Env['IOC_LOG_LEVEL']
  webDir: string
  sessions: { idleMs: number; maxAgeMs: number }
  /**
   * Fastify's `trustProxy`: whose X-Forwarded-For/-Proto to believe — for client addresses in the audit
   * log and rate limits, and Secure cookies behind a TLS-terminating proxy. False when unset.
   */
  trustProxy: boolean | number | string
  /** IOC_PUBLIC_URL without a trailing slash: the base of every link the IOC gives out (Open Graph, notifications). */
  publicUrl: string
  /** IOC_METRICS_TOKEN: `/metrics` answers other hosts that send it as a bearer token; loopback needs none. */
  metricsToken: string | undefined
  /**
   * Origins whose pages may open a websocket with a user's cookie: the public URL's origin, the origin the
   * request itself was addressed to, and these (IOC_ALLOWED_ORIGINS, comma-separated).
   */
  allowedOrigins: string[]
  /** IOC_SMTP_URL and IOC_MAIL_FROM: where notification emails go out, from whom; undefined: no email. */
  mail: { smtpUrl: string; from: string } | undefined
  /** IOC_VAPID_PUBLIC_KEY / IOC_VAPID_PRIVATE_KEY (both or neither); unset: made once, kept in the store. */
  vapid: { publicKey?: string | undefined; privateKey?: string | undefined }
  /**
   * IOC_BASEMAP_URL (and IOC_BASEMAP_ATTRIBUTION): an online basemap that overrides the city pack's,
   * as XYZ tiles (`{z}`, `{x}`, `{y}`) or a style URL (`….json`); undefined: the pack's, if any.
   */
  basemapOverride: { url: string; attribution: string | undefined } | undefined
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const envValidator = Compile(EnvSchema)
const NUMERIC = new Set(['IOC_PORT', 'IOC_MQTT_PORT', 'IOC_MQTT_TLS_PORT', 'IOC_MQTT_MAX_PACKET_BYTES', 'IOC_RETENTION_DAYS', 'IOC_SNAPSHOT_INTERVAL_MINUTES', 'IOC_SNAPSHOT_KEEP_DAYS', 'IOC_SESSION_IDLE_MINUTES', 'IOC_SESSION_MAX_HOURS'])
const UNIT: Record<string, string> = { IOC_MQTT_MAX_PACKET_BYTES: ' of bytes', IOC_RETENTION_DAYS: ' of days', IOC_SNAPSHOT_INTERVAL_MINUTES: ' of minutes', IOC_SNAPSHOT_KEEP_DAYS: ' of days', IOC_SESSION_IDLE_MINUTES: ' of minutes', IOC_SESSION_MAX_HOURS: ' of hours' }
const SECRETS = new Set(['IOC_ADMIN_PASSWORD', 'IOC_METRICS_TOKEN', 'IOC_SMTP_URL', 'IOC_VAPID_PRIVATE_KEY'])

/**
 * Reads the configuration from an environment, applying defaults. Every bad variable is listed in
 * one ConfigError (a deployer fixes them all in one go), and none is echoed if it is a secret.
 * Relative paths resolve against `cwd` — the directory the command was started from.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = env.INIT_CWD ?? process.cwd()): Config {
  const raw: Record<string, unknown> = {}
  const problems: string[] = []
  const reported = new Set<string>()
  for (const key of Object.keys(EnvSchema.properties)) {
    const given = env[key] === '' ? undefined : env[key]
    const value = given ?? DEFAULTS[key as keyof typeof DEFAULTS]
    if (value === undefined) continue
    if (NUMERIC.has(key) && !/^\d+$/.test(value)) {
      problems.push(`${key}="${value}" must be a whole number${UNIT[key] ?? ' from 0 to 65535'}`)
      reported.add(key)
    }
    raw[key] = NUMERIC.has(key) ? Number(value) : value
  }
  if (!envValidator.Check(raw)) {
    for (const error of envValidator.Errors(raw)) {
      const key = error.instancePath.slice(1)
      if (reported.has(key)) continue
      const shown = SECRETS.has(key) ? '(hidden)' : `"${redactPassword(String(raw[key]))}"`
      const description = (EnvSchema.properties as Record<string, { description?: string }>)[key]?.description
      const hint =
        key === 'IOC_LOG_LEVEL'
          ? 'must be one of fatal, error, warn, info, debug, trace, silent'
          : error.keyword === 'pattern' && description
            ? `must be a ${description}`
            : error.message
      problems.push(`${key}=${shown} ${hint}`)
    }
  }
  // A pack id of this build, or the folder of a city's own pack (resolved against cwd).
  let city = String(raw.IOC_CITY)
  if (!isCityPackId(city)) {
    const dir = resolve(cwd, city)
    if (existsSync(join(dir, 'city.json'))) city = dir
    else problems.push(`IOC_CITY="${city}" is neither a known city pack (${Object.keys(CITY_PACKS).join(', ')}) nor a folder holding ${CITY_PACK_FILES.join(', ')}`)
  }
  if (raw.IOC_TRUST_PROXY !== undefined && !isTrustProxy(String(raw.IOC_TRUST_PROXY))) {
    problems.push(`IOC_TRUST_PROXY="${String(raw.IOC_TRUST_PROXY)}" must be true, false, a hop count, or proxy addresses such as 127.0.0.1,10.0.0.0/8 (or loopback, uniquelocal)`)
  }
  // TLS for the embedded broker needs both halves, each a file the server can read now.
  const tlsFiles = { IOC_MQTT_TLS_CERT: raw.IOC_MQTT_TLS_CERT, IOC_MQTT_TLS_KEY: raw.IOC_MQTT_TLS_KEY }
  if ((tlsFiles.IOC_MQTT_TLS_CERT === undefined) !== (tlsFiles.IOC_MQTT_TLS_KEY === undefined)) {
    problems.push('IOC_MQTT_TLS_CERT and IOC_MQTT_TLS_KEY go together: set both (PEM certificate chain and its private key) or neither')
  }
  for (const [key, file] of Object.entries(tlsFiles)) {
    if (typeof file === 'string' && !isReadableFile(resolve(cwd, file))) problems.push(`${key}="${file}" is not a file this server can read`)
  }
  const allowedOrigins: string[] = []
  for (const item of String(raw.IOC_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    const origin = originOf(item)
    if (origin === undefined || origin !== item.replace(/\/$/, '')) problems.push(`IOC_ALLOWED_ORIGINS: "${item}" is not an origin such as https://ioc.tamky.gov.vn (scheme, host and port only)`)
    else allowedOrigins.push(origin)
  }
  if (raw.IOC_REDIS_URL !== undefined) {
    // Several instances: each must reach the same data, the same broker, and have its own MQTT session.
    const why = 'IOC_REDIS_URL runs this server as one of several instances'
    if (raw.IOC_DB_URL === undefined) problems.push(`${why}: they must share one PostgreSQL database — set IOC_DB_URL (an SQLite file belongs to one process)`)
    if (raw.IOC_MQTT_URL === undefined) problems.push(`${why}: they must share one external MQTT broker — set IOC_MQTT_URL (the embedded broker lives inside one process)`)
    if (env.IOC_MQTT_CLIENT_ID === undefined || env.IOC_MQTT_CLIENT_ID === '') {
      problems.push(`${why}: set IOC_MQTT_CLIENT_ID, different for each instance and kept across its restarts (e.g. ioc-ingest-1): it names the instance's MQTT session, where the broker keeps its share of readings while it is down`)
    }
  }
  if ((raw.IOC_VAPID_PUBLIC_KEY === undefined) !== (raw.IOC_VAPID_PRIVATE_KEY === undefined)) {
    problems.push('IOC_VAPID_PUBLIC_KEY and IOC_VAPID_PRIVATE_KEY go together: set both (a pair from `npx web-push generate-vapid-keys`) or neither (one is made once and kept in the store)')
  }
  if (raw.IOC_SMTP_URL !== undefined && raw.IOC_MAIL_FROM === undefined) {
    problems.push('IOC_SMTP_URL sends notifications by email: set IOC_MAIL_FROM too, the sender they come from (e.g. "IOC Tam Kỳ <ioc@tamky.gov.vn>")')
  }
  if (raw.IOC_BASEMAP_URL !== undefined) {
    const problem = basemapUrlProblem(String(raw.IOC_BASEMAP_URL))
    if (problem) problems.push(`IOC_BASEMAP_URL="${String(raw.IOC_BASEMAP_URL)}" ${problem}`)
  }
  if (raw.IOC_BASEMAP_ATTRIBUTION !== undefined && raw.IOC_BASEMAP_URL === undefined) {
    problems.push('IOC_BASEMAP_ATTRIBUTION credits the basemap of IOC_BASEMAP_URL: set that too, or credit a pack\'s basemap in its city.json')
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)])

  const e = raw as Env
  return {
    port: e.IOC_PORT,
    host: e.IOC_HOST,
    mqtt: {
      url: e.IOC_MQTT_URL,
      embeddedPort: e.IOC_MQTT_PORT,
      clientId: e.IOC_MQTT_CLIENT_ID,
      host: e.IOC_MQTT_HOST,
      tls: e.IOC_MQTT_TLS_CERT && e.IOC_MQTT_TLS_KEY ? { certFile: resolve(cwd, e.IOC_MQTT_TLS_CERT), keyFile: resolve(cwd, e.IOC_MQTT_TLS_KEY), port: e.IOC_MQTT_TLS_PORT } : undefined,
      maxPacketBytes: e.IOC_MQTT_MAX_PACKET_BYTES,
    },
    dataDir: resolve(cwd, e.IOC_DATA_DIR),
    dbUrl: e.IOC_DB_URL,
    retentionDays: e.IOC_RETENTION_DAYS,
    snapshots: { intervalMs: e.IOC_SNAPSHOT_INTERVAL_MINUTES * 60_000, keepMs: e.IOC_SNAPSHOT_KEEP_DAYS * 86_400_000 },
    cluster: e.IOC_REDIS_URL === undefined ? undefined : { redisUrl: e.IOC_REDIS_URL, prefix: e.IOC_REDIS_PREFIX },
    adminPassword: e.IOC_ADMIN_PASSWORD,
    city,
    logLevel: e.IOC_LOG_LEVEL,
    webDir: resolve(cwd, e.IOC_WEB_DIR),
    sessions: { idleMs: e.IOC_SESSION_IDLE_MINUTES * 60_000, maxAgeMs: e.IOC_SESSION_MAX_HOURS * 3_600_000 },
    trustProxy: parseTrustProxy(e.IOC_TRUST_PROXY),
    // Unset: where this server answers on this machine (a port of 0 is a test's: any free port).
    publicUrl: (e.IOC_PUBLIC_URL ?? `http://localhost:${e.IOC_PORT === 0 ? 8080 : e.IOC_PORT}`).replace(/\/+$/, ''),
    metricsToken: e.IOC_METRICS_TOKEN,
    allowedOrigins,
    mail: e.IOC_SMTP_URL === undefined ? undefined : { smtpUrl: e.IOC_SMTP_URL, from: e.IOC_MAIL_FROM! },
    vapid: { publicKey: e.IOC_VAPID_PUBLIC_KEY, privateKey: e.IOC_VAPID_PRIVATE_KEY },
    basemapOverride: e.IOC_BASEMAP_URL === undefined ? undefined : { url: e.IOC_BASEMAP_URL, attribution: e.IOC_BASEMAP_ATTRIBUTION },
  }
}

/**
 * Why an online basemap URL cannot be used, or undefined: it must be http(s), and either a style
 * (a path ending in .json) or an XYZ template naming {z}, {x} and {y}.
 */
export function basemapUrlProblem(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url.replaceAll('{', '%7B').replaceAll('}', '%7D'))
  } catch {
    return 'is not a URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http:// or https:// URL'
  if (parsed.pathname.endsWith('.json')) return undefined
  if (!['{z}', '{x}', '{y}'].every((part) => url.includes(part))) return 'must be XYZ tiles naming {z}, {x} and {y} (e.g. https://tiles.example.vn/{z}/{x}/{y}.png) or a style URL ending in .json'
  return undefined
}

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** `scheme://host[:port]` of a URL, or undefined when it is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined
  } catch {
    return undefined
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])
function isTrustProxy(value: string): boolean {
  if (/^(true|false|\d+)$/.test(value)) return true
  return value.split(',').every((item) => {
    const [address, prefix, ...rest] = item.trim().split('/')
    if (rest.length > 0 || !address) return false
    if (PROXY_NAMES.has(address)) return prefix === undefined
    const family = isIP(address)
    return family !== 0 && (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)))
  })
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  return value
}

/** A URL with its password replaced, so a configuration error never prints a secret. */
function redactPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, '$1***@')
}
