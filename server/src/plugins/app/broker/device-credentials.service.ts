import { createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { TOPIC_ROOT, cameraSnapshotTopic, cameraStatusTopic, floodReadingTopic } from '@ioc/shared'
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { Database } from '../storage/database.ts'
import type { DomainEvents } from '../events/domain-events.ts'

/**
 * MQTT credentials of the embedded broker (table `device_credentials`): one per station or camera,
 * whose username is the device id and which may publish to that device's topic only; or a gateway
 * (a LoRaWAN gateway, a camera VMS, the simulators) which may publish for any device under `ioc/v1/`.
 * Secrets are argon2id hashes; a plain password exists only in what `issue…` returns.
 */

export type CredentialKind = 'device' | 'gateway'

/** A credential as it may be shown: never its secret. */
export interface CredentialInfo {
  username: string
  kind: CredentialKind
  /** The station or camera of a device credential; null for a gateway. */
  deviceId: string | null
  disabled: boolean
  createdAt: string
}

/** What issuing hands out, once: the only time the password exists in the clear. */
export interface IssuedCredential {
  username: string
  password: string
  kind: CredentialKind
  /** What it may publish to: the device's own topics, or `ioc/v1/#` for a gateway. */
  topics: string[]
}

/** Who a verified connection is. `secretHash` tells a later check whether the credential has changed since. */
export interface DeviceIdentity {
  username: string
  kind: CredentialKind
  deviceId: string | null
  secretHash: string
}

/** The devices of the city pack a credential may be for. */
export interface KnownDevices {
  stations: readonly { id: string }[]
  cameras: readonly { id: string }[]
}

export class DeviceCredentialError extends Error {
  override name = 'DeviceCredentialError'
  constructor(
    readonly code: 'unknown_device' | 'bad_name' | 'name_taken' | 'unknown_credential',
    message: string,
  ) {
    super(message)
  }
}

export interface DeviceCredentialsOptions {
  db: Kysely<Database>
  devices: KnownDevices
  now?: () => number
  /**
   * How long a successful verification is remembered, so a reconnecting device skips argon2 (~20 ms of
   * CPU each). Every hit is still checked against the stored hash, so a revocation or re-issue — from
   * this process, the CLI or another instance — takes effect at once; this only bounds memory.
   * @defaultValue 10 minutes
   */
  cacheTtlMs?: number
  /**
   * Where `credentials.invalidated` goes when this process revokes or re-issues a credential (the
   * broker disconnects its clients at once). A process without a broker (the CLI) has none: the
   * broker's periodic sweep sees its changes.
   */
  events?: Pick<DomainEvents, 'emit'>
  /** The argon2 check (tests count its calls). @defaultValue verifyPassword */
  verifySecret?: (secretHash: string, password: string) => Promise<boolean>
}

/** Gateway names: like device ids, so they are safe in URLs, topics and Mosquitto's `%u` patterns. */
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/
/** At most this many remembered passwords per username (a device has one; a re-issue adds a second). */
const CACHE_PER_USER = 2

export function createDeviceCredentialsService(options: DeviceCredentialsOptions) {
  const { db } = options
  const now = options.now ?? Date.now
  const cacheTtlMs = options.cacheTtlMs ?? 10 * 60_000
  const verifySecret = options.verifySecret ?? verifyPassword
  const stationIds = new Set(options.devices.stations.map((s) => s.id))
  const cameraIds = new Set(options.devices.cameras.map((c) => c.id))
  // Passwords are remembered as an HMAC under a key of this process only: a heap dump gives nothing reusable.
  const cacheKey = randomBytes(32)
  const cache = new Map<string, Map<string, { secretHash: string; expiresAt: number }>>()

  const fingerprint = (password: string) => createHmac('sha256', cacheKey).update(password).digest('base64url')

  function invalidate(username: string): void {
    cache.delete(username)
    options.events?.emit('credentials.invalidated', username)
  }

  function topicsOf(kind: CredentialKind, deviceId: string | null): string[] {
    if (kind === 'gateway' || deviceId === null) return [`${TOPIC_ROOT}/#`]
    return [...(stationIds.has(deviceId) ? [floodReadingTopic(deviceId)] : []), ...(cameraIds.has(deviceId) ? [cameraStatusTopic(deviceId), cameraSnapshotTopic(deviceId)] : [])]
  }

  function unknownDevices(ids: readonly string[]): DeviceCredentialError {
    const known = (set: Set<string>) => (set.size > 0 ? [...set].join(', ') : '(none)')
    return new DeviceCredentialError(
      'unknown_device',
      `not a station or camera of the city pack: ${ids.join(', ')}\n  stations: ${known(stationIds)}\n  cameras:  ${known(cameraIds)}`,
    )
  }

  async function store(username: string, kind: CredentialKind, deviceId: string | null): Promise<IssuedCredential> {
    const password = generatePassword()
    const secretHash = await hashPassword(password)
    const row = { username, kind, device_id: deviceId, secret_hash: secretHash, disabled: 0, created_at: now() }
    await db
      .insertInto('device_credentials')
      .values(row)
      .onConflict((oc) => oc.column('username').doUpdateSet({ kind, device_id: deviceId, secret_hash: secretHash, disabled: 0, created_at: row.created_at }))
      .execute()
    invalidate(username)
    return { username, password, kind, topics: topicsOf(kind, deviceId) }
  }

  /** The credential `username`, if it exists and is not revoked. */
  async function enabled(username: string): Promise<DeviceIdentity | undefined> {
    const row = await db
      .selectFrom('device_credentials')
      .select(['username', 'kind', 'device_id', 'secret_hash', 'disabled'])
      .where('username', '=', username)
      .executeTakeFirst()
    if (!row || row.disabled !== 0) return undefined
    return { username: row.username, kind: row.kind, deviceId: row.device_id, secretHash: row.secret_hash }
  }

  async function existingKind(username: string): Promise<CredentialKind | undefined> {
    return (await db.selectFrom('device_credentials').select('kind').where('username', '=', username).executeTakeFirst())?.kind
  }

  return {
    /** Every station and camera id of the pack, stations first. */
    deviceIds(): string[] {
      return [...stationIds, ...cameraIds]
    },

    /** The topics a credential may publish to. */
    topicsOf,

    /**
     * A credential for each of these stations or cameras (username = the id). Issuing again replaces
     * the secret — the old password stops working — and re-enables a revoked one. Unknown ids are
     * refused before anything changes.
     */
    async issueDevices(ids: readonly string[]): Promise<IssuedCredential[]> {
      const unknown = ids.filter((id) => !stationIds.has(id) && !cameraIds.has(id))
      if (unknown.length > 0) throw unknownDevices(unknown)
      for (const id of ids) {
        if ((await existingKind(id)) === 'gateway') throw new DeviceCredentialError('name_taken', `"${id}" is already the name of a gateway credential; revoke it first`)
      }
      const issued: IssuedCredential[] = []
      for (const id of new Set(ids)) issued.push(await store(id, 'device', id))
      return issued
    },

    /** A gateway credential: may publish for any device under `ioc/v1/`. Issuing again replaces the secret. */
    async issueGateway(name: string): Promise<IssuedCredential> {
      if (!NAME.test(name)) throw new DeviceCredentialError('bad_name', `gateway name "${name}" must be lower-case letters, digits and dashes (at most 63)`)
      if (stationIds.has(name) || cameraIds.has(name) || (await existingKind(name)) === 'device') {
        throw new DeviceCredentialError('name_taken', `"${name}" is a station or camera id; a gateway needs a name of its own`)
      }
      return store(name, 'gateway', null)
    },

    /** Every credential, gateways first, without secrets. */
    async list(): Promise<CredentialInfo[]> {
      const rows = await db
        .selectFrom('device_credentials')
        .select(['username', 'kind', 'device_id', 'disabled', 'created_at'])
        .orderBy('kind', 'desc')
        .orderBy('username')
        .execute()
      return rows.map((r) => ({ username: r.username, kind: r.kind, deviceId: r.device_id, disabled: r.disabled === 1, createdAt: new Date(Number(r.created_at)).toISOString() }))
    },

    /** Disables a credential (issuing it again re-enables it with a new secret). False when there is none. */
    async revoke(username: string): Promise<boolean> {
      const result = await db.updateTable('device_credentials').set({ disabled: 1 }).where('username', '=', username).executeTakeFirst()
      invalidate(username)
      return Number(result.numUpdatedRows) > 0
    },

    /** Who this is, or null for an unknown, disabled or wrong one. */
    async verify(username: string, password: string): Promise<DeviceIdentity | null> {
      // One indexed read per connect even on a cache hit: it is what makes revocation immediate.
      const identity = await enabled(username)
      // Device usernames are public ids (GET /api/stations), so answering an unknown one faster tells nothing.
      if (!identity) return null
      const print = fingerprint(password)
      const remembered = cache.get(username)?.get(print)
      if (remembered && remembered.secretHash === identity.secretHash && remembered.expiresAt > now()) return identity
      if (!(await verifySecret(identity.secretHash, password))) return null
      const forUser = cache.get(username) ?? new Map<string, { secretHash: string; expiresAt: number }>()
      forUser.delete(print)
      forUser.set(print, { secretHash: identity.secretHash, expiresAt: now() + cacheTtlMs })
      while (forUser.size > CACHE_PER_USER) forUser.delete(forUser.keys().next().value!)
      cache.set(username, forUser)
      return identity
    },

    /**
     * Who this is if this process verified this very password within the cache TTL, else null — never
     * an argon2 check, and no read of the store unless the password is one remembered. What a connect
     * over the throttling limits still gets (broker.plugin.ts), so someone else's failures from its
     * address do not hold out a device that connected a moment ago.
     */
    async verifyRemembered(username: string, password: string): Promise<DeviceIdentity | null> {
      const remembered = cache.get(username)?.get(fingerprint(password))
      if (!remembered || remembered.expiresAt <= now()) return null
      const identity = await enabled(username)
      return identity?.secretHash === remembered.secretHash ? identity : null
    },

    /**
     * The current secret hash of each of these usernames that is enabled: a connection whose identity's
     * `secretHash` is missing here or differs was revoked or re-issued since it connected.
     */
    async currentSecrets(usernames: readonly string[]): Promise<Map<string, string>> {
      const current = new Map<string, string>()
      for (let i = 0; i < usernames.length; i += 500) {
        const rows = await db
          .selectFrom('device_credentials')
          .select(['username', 'secret_hash'])
          .where('username', 'in', usernames.slice(i, i + 500))
          .where('disabled', '=', 0)
          .execute()
        for (const row of rows) current.set(row.username, row.secret_hash)
      }
      return current
    },
  }
}
export type DeviceCredentialsService = ReturnType<typeof createDeviceCredentialsService>
