import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from './config.ts'

const CWD = '/srv/ioc'

/** The ConfigError a bad environment produces (fails the test when there is none). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, CWD)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig defaults', () => {
  it('listens on 127.0.0.1:8080', () => {
    const config = loadConfig({}, CWD)
    expect({ host: config.host, port: config.port }).toEqual({ host: '127.0.0.1', port: 8080 })
  })

  it('starts the embedded broker on port 1883', () => {
    expect(loadConfig({}, CWD).mqtt).toEqual({ url: undefined, embeddedPort: 1883, clientId: 'ioc-ingest', host: '127.0.0.1', tls: undefined, maxPacketBytes: 65_536 })
  })

  it('links to http://localhost on its own port, keeps /metrics to loopback and websockets to its own origin', () => {
    expect(loadConfig({}, CWD)).toMatchObject({ publicUrl: 'http://localhost:8080', metricsToken: undefined, allowedOrigins: [] })
    expect(loadConfig({ IOC_PORT: '9000' }, CWD).publicUrl).toBe('http://localhost:9000')
  })

  it('keeps data under ./data resolved against the given directory', () => {
    expect(loadConfig({}, CWD).dataDir).toBe('/srv/ioc/data')
  })

  it('resolves a relative data dir against INIT_CWD when no directory is given', () => {
    expect(loadConfig({ INIT_CWD: '/home/ops/ioc', IOC_DATA_DIR: 'store' }).dataDir).toBe('/home/ops/ioc/store')
  })

  it('keeps an absolute data dir as it is', () => {
    expect(loadConfig({ IOC_DATA_DIR: '/var/lib/ioc' }, CWD).dataDir).toBe('/var/lib/ioc')
  })

  it('loads the Tam Kỳ city pack', () => {
    expect(loadConfig({}, CWD).city).toBe('tam-ky')
  })

  it('uses SQLite, a single instance and a random admin password', () => {
    const config = loadConfig({}, CWD)
    expect({ dbUrl: config.dbUrl, cluster: config.cluster, adminPassword: config.adminPassword }).toEqual({
      dbUrl: undefined,
      cluster: undefined,
      adminPassword: undefined,
    })
  })
})

describe('loadConfig with values', () => {
  it('reads the listen address and broker settings', () => {
    const config = loadConfig({ IOC_PORT: '9000', IOC_HOST: '0.0.0.0', IOC_MQTT_URL: 'mqtts://broker.tamky.gov.vn:8883', IOC_MQTT_PORT: '0' }, CWD)
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', mqtt: { url: 'mqtts://broker.tamky.gov.vn:8883', embeddedPort: 0 } })
  })

  it('reads the embedded broker\'s listen address, packet limit and TLS files, resolved against the working directory', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ioc-config-tls-'))
    writeFileSync(join(cwd, 'cert.pem'), 'x')
    writeFileSync(join(cwd, 'key.pem'), 'x')
    try {
      const config = loadConfig({ IOC_MQTT_HOST: '0.0.0.0', IOC_MQTT_MAX_PACKET_BYTES: '2048', IOC_MQTT_TLS_CERT: 'cert.pem', IOC_MQTT_TLS_KEY: 'key.pem', IOC_MQTT_TLS_PORT: '8884' }, cwd)
      expect(config.mqtt).toMatchObject({ host: '0.0.0.0', maxPacketBytes: 2048, tls: { certFile: join(cwd, 'cert.pem'), keyFile: join(cwd, 'key.pem'), port: 8884 } })
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  })

  it('reads the public URL without its trailing slash, the metrics token and the allowed origins', () => {
    const config = loadConfig({ IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn/', IOC_METRICS_TOKEN: 'a-long-enough-token', IOC_ALLOWED_ORIGINS: 'https://ioc.quangnam.gov.vn, http://10.0.0.5:8080/' }, CWD)
    expect(config).toMatchObject({ publicUrl: 'https://ioc.tamky.gov.vn', metricsToken: 'a-long-enough-token', allowedOrigins: ['https://ioc.quangnam.gov.vn', 'http://10.0.0.5:8080'] })
  })

  it('accepts an admin password of 12 characters', () => {
    expect(loadConfig({ IOC_ADMIN_PASSWORD: 'correct-hors' }, CWD).adminPassword).toBe('correct-hors')
  })

  it('treats an empty IOC_PORT as unset: the default port', () => {
    expect(loadConfig({ IOC_PORT: '' }, CWD).port).toBe(8080)
  })

  it('treats an empty IOC_CITY as unset: the default city', () => {
    expect(loadConfig({ IOC_CITY: '' }, CWD).city).toBe('tam-ky')
  })

  it('treats an empty IOC_MQTT_URL as unset: the embedded broker', () => {
    expect(loadConfig({ IOC_MQTT_URL: '' }, CWD).mqtt.url).toBeUndefined()
  })

  it('treats an empty IOC_ADMIN_PASSWORD as unset rather than too short', () => {
    expect(loadConfig({ IOC_ADMIN_PASSWORD: '' }, CWD).adminPassword).toBeUndefined()
  })

  it('treats empty IOC_DB_URL and IOC_REDIS_URL as unset', () => {
    expect(loadConfig({ IOC_DB_URL: '', IOC_REDIS_URL: '' }, CWD)).toMatchObject({ dbUrl: undefined, cluster: undefined })
  })
})

describe('loadConfig refusals', () => {
  it('lists every bad variable in one error, each naming its variable', () => {
    const error = configError({ IOC_PORT: 'abc', IOC_MQTT_URL: 'http://x', IOC_CITY: 'hanoi' })
    expect(error.problems).toHaveLength(3)
    expect(error.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^IOC_PORT=/), expect.stringMatching(/^IOC_MQTT_URL=/), expect.stringMatching(/^IOC_CITY=/)]),
    )
  })

  it('refuses a port that is not a number', () => {
    expect(configError({ IOC_PORT: 'abc' }).problems).toEqual([expect.stringContaining('IOC_PORT="abc"')])
  })

  it('refuses a port above 65535', () => {
    expect(configError({ IOC_MQTT_PORT: '70000' }).problems).toEqual([expect.stringContaining('IOC_MQTT_PORT="70000"')])
  })

  it('refuses a broker URL that is not mqtt:// or ws://', () => {
    expect(configError({ IOC_MQTT_URL: 'http://x' }).problems).toEqual([expect.stringContaining('IOC_MQTT_URL="http://x"')])
  })

  it('refuses an unknown city and names the known packs', () => {
    expect(configError({ IOC_CITY: 'hanoi' }).problems).toEqual([expect.stringMatching(/IOC_CITY="hanoi" is neither a known city pack \(tam-ky\) nor a folder/)])
  })

  it.each(['constructor', '__proto__'])('refuses IOC_CITY=%s, a name every object inherits, as an unknown city', (name) => {
    expect(configError({ IOC_CITY: name }).problems).toEqual([expect.stringContaining(`IOC_CITY="${name}" is neither a known city pack (tam-ky) nor a folder`)])
  })

  it("accepts the folder of a city's own pack, resolved against the working directory", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ioc-config-pack-'))
    mkdirSync(join(cwd, 'my-city'))
    writeFileSync(join(cwd, 'my-city', 'city.json'), '{}')
    try {
      expect(loadConfig({ IOC_CITY: 'my-city' }, cwd).city).toBe(join(cwd, 'my-city'))
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  })

  it('refuses half a TLS configuration and a TLS file it cannot read', () => {
    expect(configError({ IOC_MQTT_TLS_CERT: '/etc/hosts' }).problems).toEqual([expect.stringMatching(/^IOC_MQTT_TLS_CERT and IOC_MQTT_TLS_KEY go together/)])
    expect(configError({ IOC_MQTT_TLS_CERT: '/etc/hosts', IOC_MQTT_TLS_KEY: '/nonexistent/key.pem' }).problems).toEqual([expect.stringContaining('IOC_MQTT_TLS_KEY="/nonexistent/key.pem" is not a file this server can read')])
  })

  it('refuses a packet limit under 1 KB and says it counts bytes', () => {
    expect(configError({ IOC_MQTT_MAX_PACKET_BYTES: '64k' }).problems).toEqual([expect.stringContaining('IOC_MQTT_MAX_PACKET_BYTES="64k" must be a whole number of bytes')])
    expect(configError({ IOC_MQTT_MAX_PACKET_BYTES: '100' }).problems).toEqual([expect.stringContaining('IOC_MQTT_MAX_PACKET_BYTES')])
  })

  it('refuses a public URL that is not http(s), an allowed origin with a path, and a short metrics token without echoing it', () => {
    const error = configError({ IOC_PUBLIC_URL: 'ioc.tamky.gov.vn', IOC_ALLOWED_ORIGINS: 'https://ok.example, https://x.example/path', IOC_METRICS_TOKEN: 'short-secret' })
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IOC_PUBLIC_URL="ioc.tamky.gov.vn" must be a http/),
        expect.stringContaining('IOC_ALLOWED_ORIGINS: "https://x.example/path" is not an origin'),
        expect.stringMatching(/^IOC_METRICS_TOKEN=\(hidden\)/),
      ]),
    )
    expect(error.problems).toHaveLength(3)
    expect(error.message).not.toContain('short-secret')
  })

  it('refuses an unknown log level and lists the allowed ones', () => {
    expect(configError({ IOC_LOG_LEVEL: 'loud' }).problems).toEqual([expect.stringMatching(/^IOC_LOG_LEVEL="loud" must be one of fatal, error, warn/)])
  })

  it('reports a too-short admin password without echoing it', () => {
    const error = configError({ IOC_ADMIN_PASSWORD: 'hunter2' })
    expect(error.problems).toEqual([expect.stringContaining('IOC_ADMIN_PASSWORD')])
    expect(error.message).not.toContain('hunter2')
  })

  it('reports a too-short admin password alongside another bad variable', () => {
    const error = configError({ IOC_PORT: 'eighty', IOC_ADMIN_PASSWORD: 'hunter2' })
    expect(error.problems).toEqual(expect.arrayContaining([expect.stringContaining('IOC_ADMIN_PASSWORD')]))
    expect(error.message).not.toContain('hunter2')
  })

  it('takes a PostgreSQL URL for the store', () => {
    expect(loadConfig({ IOC_DB_URL: 'postgres://ioc@db/ioc' }, CWD).dbUrl).toBe('postgres://ioc@db/ioc')
  })

  it('refuses a store URL that is not PostgreSQL, without echoing its password', () => {
    const error = configError({ IOC_DB_URL: 'mysql://ioc:s3cret@db/ioc' })
    expect(error.problems).toEqual([expect.stringMatching(/^IOC_DB_URL=.* postgres/)])
    expect(error.message).not.toContain('s3cret')
  })

  it('keeps raw data 90 days by default and takes another number of days', () => {
    expect(loadConfig({}, CWD).retentionDays).toBe(90)
    expect(loadConfig({ IOC_RETENTION_DAYS: '365' }, CWD).retentionDays).toBe(365)
    expect(configError({ IOC_RETENTION_DAYS: '0' }).problems).toEqual([expect.stringContaining('IOC_RETENTION_DAYS="0"')])
  })

  it('keeps a camera snapshot per 10 minutes for 7 days by default, and takes other values', () => {
    expect(loadConfig({}, CWD).snapshots).toEqual({ intervalMs: 600_000, keepMs: 7 * 86_400_000 })
    expect(loadConfig({ IOC_SNAPSHOT_INTERVAL_MINUTES: '1', IOC_SNAPSHOT_KEEP_DAYS: '30' }, CWD).snapshots).toEqual({ intervalMs: 60_000, keepMs: 30 * 86_400_000 })
    expect(configError({ IOC_SNAPSHOT_INTERVAL_MINUTES: 'ten', IOC_SNAPSHOT_KEEP_DAYS: '0' }).problems).toEqual([
      'IOC_SNAPSHOT_INTERVAL_MINUTES="ten" must be a whole number of minutes',
      expect.stringContaining('IOC_SNAPSHOT_KEEP_DAYS="0"'),
    ])
  })

  it('runs as one of several instances with IOC_REDIS_URL, PostgreSQL, an external broker and an own client id', () => {
    const cluster = {
      IOC_REDIS_URL: 'redis://cache:6379',
      IOC_DB_URL: 'postgres://ioc@db/ioc',
      IOC_MQTT_URL: 'mqtt://broker:1883',
      IOC_MQTT_CLIENT_ID: 'ioc-ingest-2',
    }
    expect(loadConfig(cluster, CWD).cluster).toEqual({ redisUrl: 'redis://cache:6379', prefix: 'ioc' })
    expect(loadConfig({ ...cluster, IOC_REDIS_PREFIX: 'quang-nam' }, CWD).cluster).toEqual({ redisUrl: 'redis://cache:6379', prefix: 'quang-nam' })
    expect(configError({ ...cluster, IOC_REDIS_PREFIX: 'two words' }).problems).toEqual([expect.stringMatching(/^IOC_REDIS_PREFIX="two words" must be a prefix/)])
  })

  it('says what several instances still need when only IOC_REDIS_URL is set', () => {
    expect(configError({ IOC_REDIS_URL: 'redis://cache:6379' }).problems).toEqual([
      expect.stringMatching(/IOC_REDIS_URL .* set IOC_DB_URL/),
      expect.stringMatching(/IOC_REDIS_URL .* set IOC_MQTT_URL/),
      expect.stringMatching(/IOC_REDIS_URL .* set IOC_MQTT_CLIENT_ID, different for each instance/),
    ])
  })

  it('puts every problem in the error message', () => {
    const error = configError({ IOC_CITY: 'hanoi', IOC_REDIS_URL: 'redis://cache:6379' })
    expect(error.message).toMatch(/IOC_CITY[\s\S]*IOC_REDIS_URL/)
  })

  it('keeps a session 8 hours idle and 24 hours at most by default', () => {
    expect(loadConfig({}, CWD).sessions).toEqual({ idleMs: 8 * 3_600_000, maxAgeMs: 24 * 3_600_000 })
    expect(loadConfig({ IOC_SESSION_IDLE_MINUTES: '30', IOC_SESSION_MAX_HOURS: '12' }, CWD).sessions).toEqual({ idleMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000 })
    expect(configError({ IOC_SESSION_IDLE_MINUTES: 'half an hour' }).problems).toEqual([expect.stringMatching(/^IOC_SESSION_IDLE_MINUTES=.*whole number of minutes/)])
  })

  it('trusts no proxy by default, and takes true, a hop count or proxy addresses', () => {
    expect(loadConfig({}, CWD).trustProxy).toBe(false)
    expect(loadConfig({ IOC_TRUST_PROXY: 'true' }, CWD).trustProxy).toBe(true)
    expect(loadConfig({ IOC_TRUST_PROXY: '1' }, CWD).trustProxy).toBe(1)
    expect(loadConfig({ IOC_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }, CWD).trustProxy).toBe('127.0.0.1, 10.0.0.0/8,loopback')
  })

  it('refuses a proxy setting that is not an address, naming the accepted forms', () => {
    expect(configError({ IOC_TRUST_PROXY: 'nginx' }).problems).toEqual([expect.stringMatching(/^IOC_TRUST_PROXY="nginx" must be true, false, a hop count/)])
    expect(configError({ IOC_TRUST_PROXY: '10.0.0.0/33' }).problems).toHaveLength(1)
  })
})
