import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { openDatabase, type DatabaseHandle } from '../../storage/database-handle.ts'
import { checkVapidKeys, resolveVapidKeys, vapidKeysFromEnvironment, VapidKeyError, type VapidKeys } from './vapid-keys.ts'
import { createWebPushKeysRepository, type WebPushKeysRepository } from './web-push-keys.repository.ts'

const pair = webPush.generateVAPIDKeys()
const other = webPush.generateVAPIDKeys()
const env = (publicKey: string | undefined, privateKey: string | undefined) => ({ IOC_VAPID_PUBLIC_KEY: publicKey, IOC_VAPID_PRIVATE_KEY: privateKey })

/** A store that fails the test if it is used at all. */
const untouchable: Pick<WebPushKeysRepository, 'get' | 'insertIfAbsent'> = {
  get: () => Promise.reject(new Error('the store was read')),
  insertIfAbsent: () => Promise.reject(new Error('the store was written')),
}

function refusal(f: () => unknown): VapidKeyError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(VapidKeyError)
    expect((error as Error).message).not.toContain(pair.privateKey)
    return error as VapidKeyError
  }
  throw new Error('expected a VapidKeyError')
}

describe('VAPID keys from IOC_VAPID_PUBLIC_KEY and IOC_VAPID_PRIVATE_KEY', () => {
  it('takes a key pair as web-push generates it', () => {
    expect(vapidKeysFromEnvironment(env(pair.publicKey, pair.privateKey))).toEqual(pair)
  })

  it('is undefined when neither is set, an empty value counting as unset', () => {
    expect(vapidKeysFromEnvironment({})).toBeUndefined()
    expect(vapidKeysFromEnvironment(env('', ''))).toBeUndefined()
  })

  it('refuses one without the other, naming the one missing', () => {
    expect(refusal(() => vapidKeysFromEnvironment(env(pair.publicKey, undefined))).message).toMatch(/^IOC_VAPID_PUBLIC_KEY is set but IOC_VAPID_PRIVATE_KEY is not/)
    expect(refusal(() => vapidKeysFromEnvironment(env('', pair.privateKey))).message).toMatch(/^IOC_VAPID_PRIVATE_KEY is set but IOC_VAPID_PUBLIC_KEY is not/)
  })

  it('refuses standard base64, padding and stray whitespace, naming the variable', () => {
    const standard = Buffer.from(pair.publicKey, 'base64url').toString('base64')
    expect(refusal(() => vapidKeysFromEnvironment(env(standard, pair.privateKey))).message).toMatch(/^IOC_VAPID_PUBLIC_KEY must be URL-safe base64 without padding/)
    expect(refusal(() => vapidKeysFromEnvironment(env(pair.publicKey, `${pair.privateKey}\n`))).message).toMatch(/^IOC_VAPID_PRIVATE_KEY must be URL-safe base64 without padding/)
    expect(refusal(() => vapidKeysFromEnvironment(env(pair.publicKey, `${pair.privateKey}=`))).message).toMatch(/^IOC_VAPID_PRIVATE_KEY must be URL-safe base64/)
  })

  it('refuses a public key that is not an uncompressed P-256 point', () => {
    const point = Buffer.from(pair.publicKey, 'base64url')
    const compressed = Buffer.concat([Buffer.from([2 + (point[64]! & 1)]), point.subarray(1, 33)]).toString('base64url')
    expect(refusal(() => checkVapidKeys({ publicKey: compressed, privateKey: pair.privateKey })).message).toMatch(/^IOC_VAPID_PUBLIC_KEY must be a P-256 public key, the uncompressed point of 65 bytes .* decodes to 33 bytes$/)
    const offCurve = Buffer.from(point)
    offCurve[64]! ^= 1
    expect(refusal(() => checkVapidKeys({ publicKey: offCurve.toString('base64url'), privateKey: pair.privateKey })).message).toBe('IOC_VAPID_PUBLIC_KEY is not a point on the P-256 curve')
  })

  it('refuses a private key that is not a P-256 scalar', () => {
    expect(refusal(() => checkVapidKeys({ publicKey: pair.publicKey, privateKey: Buffer.alloc(31, 7).toString('base64url') })).message).toMatch(/^IOC_VAPID_PRIVATE_KEY must be a P-256 private key of 32 bytes .* decodes to 31 bytes$/)
    expect(refusal(() => checkVapidKeys({ publicKey: pair.publicKey, privateKey: Buffer.alloc(32).toString('base64url') })).message).toMatch(/^IOC_VAPID_PRIVATE_KEY is not a valid P-256 private key/)
    expect(refusal(() => checkVapidKeys({ publicKey: pair.publicKey, privateKey: Buffer.alloc(32, 0xff).toString('base64url') })).message).toMatch(/^IOC_VAPID_PRIVATE_KEY is not a valid P-256 private key/)
  })

  it('refuses two keys of different pairs', () => {
    expect(refusal(() => vapidKeysFromEnvironment(env(other.publicKey, pair.privateKey))).message).toBe('IOC_VAPID_PUBLIC_KEY is not the public key of IOC_VAPID_PRIVATE_KEY: the two are not one key pair')
  })
})

describe('resolving the VAPID key pair', () => {
  let database: DatabaseHandle
  let store: WebPushKeysRepository

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    store = createWebPushKeysRepository(database.db)
  })
  afterEach(() => database.close())

  it("uses the environment's pair without reading or writing the store", async () => {
    expect(await resolveVapidKeys(env(pair.publicKey, pair.privateKey), untouchable)).toEqual({ keys: pair, source: 'environment' })
  })

  it('refuses a wrong environment before touching the store', async () => {
    await expect(resolveVapidKeys(env(pair.publicKey, ''), untouchable)).rejects.toThrow(/^IOC_VAPID_PUBLIC_KEY is set but IOC_VAPID_PRIVATE_KEY is not/)
  })

  it('makes a pair on the first start, keeps it, and finds it on the next', async () => {
    const first = await resolveVapidKeys({}, store, { now: () => 1_700_000_000_000 })
    expect(first.source).toBe('generated')
    expect(checkVapidKeys(first.keys)).toEqual(first.keys)
    expect(await database.db.selectFrom('web_push_keys').selectAll().execute()).toEqual([{ id: 1, public_key: first.keys.publicKey, private_key: first.keys.privateKey, created_at: 1_700_000_000_000 }])
    expect(await resolveVapidKeys({}, store)).toEqual({ keys: first.keys, source: 'store' })
  })

  it('takes the pair another instance stored first, not its own', async () => {
    // This instance found no pair, then another stored its own before this one could.
    let reads = 0
    const racing = { get: async () => (reads++ === 0 ? undefined : store.get()), insertIfAbsent: store.insertIfAbsent }
    await store.insertIfAbsent(pair, 1)
    const mine: VapidKeys = other
    expect(await resolveVapidKeys({}, racing, { generate: () => mine })).toEqual({ keys: pair, source: 'store' })
    expect(await store.get()).toEqual(pair)
  })

  it('refuses a damaged stored pair, naming the table', async () => {
    await store.insertIfAbsent({ publicKey: other.publicKey, privateKey: pair.privateKey }, 1)
    await expect(resolveVapidKeys({}, store)).rejects.toThrow('the stored VAPID public key (table web_push_keys) is not the public key of the stored VAPID private key (table web_push_keys): the two are not one key pair')
  })

  it('keeps one row only', async () => {
    expect(await store.insertIfAbsent(pair, 1)).toBe(true)
    expect(await store.insertIfAbsent(other, 2)).toBe(false)
    expect(await store.get()).toEqual(pair)
    await expect(database.db.insertInto('web_push_keys').values({ id: 2, public_key: other.publicKey, private_key: other.privateKey, created_at: 2 }).execute()).rejects.toThrow(/CHECK constraint/i)
  })
})
