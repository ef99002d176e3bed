import { createECDH, ECDH } from 'node:crypto'
import webPush from 'web-push'
import type { VapidKeys, WebPushKeysRepository } from './web-push-keys.repository.ts'

export type { VapidKeys } from './web-push-keys.repository.ts'

/** A VAPID key pair that cannot be used: the message names the variable (or the store) it came from. */
export class VapidKeyError extends Error {
  override name = 'VapidKeyError'
}

/** The two variables an operator sets to choose the key pair (e.g. from `npx web-push generate-vapid-keys`). */
export interface VapidKeyEnvironment {
  IOC_VAPID_PUBLIC_KEY?: string | undefined
  IOC_VAPID_PRIVATE_KEY?: string | undefined
}

/** Where the pair in use came from: the environment, the store (made earlier, or by another instance), or made now. */
export type VapidKeySource = 'environment' | 'store' | 'generated'

const URL_SAFE_BASE64 = /^[A-Za-z0-9_-]+$/
const STORED = { publicKey: 'the stored VAPID public key (table web_push_keys)', privateKey: 'the stored VAPID private key (table web_push_keys)' }

/**
 * Checks that `keys` are one P-256 key pair in web-push's form (URL-safe base64, no padding: a 65-byte
 * uncompressed point and a 32-byte scalar), and returns them; throws a VapidKeyError naming `names`'
 * variable otherwise. Never puts the private key in a message.
 */
export function checkVapidKeys(keys: VapidKeys, names: { publicKey: string; privateKey: string } = { publicKey: 'IOC_VAPID_PUBLIC_KEY', privateKey: 'IOC_VAPID_PRIVATE_KEY' }): VapidKeys {
  const publicKey = decode(keys.publicKey, names.publicKey)
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) {
    throw new VapidKeyError(`${names.publicKey} must be a P-256 public key, the uncompressed point of 65 bytes starting 0x04 (web-push's form); it decodes to ${publicKey.length} bytes${publicKey.length === 65 ? ` starting 0x${publicKey[0]!.toString(16).padStart(2, '0')}` : ''}`)
  }
  try {
    ECDH.convertKey(publicKey, 'prime256v1')
  } catch {
    throw new VapidKeyError(`${names.publicKey} is not a point on the P-256 curve`)
  }
  const privateKey = decode(keys.privateKey, names.privateKey)
  if (privateKey.length !== 32) throw new VapidKeyError(`${names.privateKey} must be a P-256 private key of 32 bytes (web-push's form); it decodes to ${privateKey.length} bytes`)
  const pair = createECDH('prime256v1')
  try {
    pair.setPrivateKey(privateKey)
  } catch {
    throw new VapidKeyError(`${names.privateKey} is not a valid P-256 private key (0, or not below the curve's order)`)
  }
  if (!pair.getPublicKey().equals(publicKey)) throw new VapidKeyError(`${names.publicKey} is not the public key of ${names.privateKey}: the two are not one key pair`)
  return { publicKey: keys.publicKey, privateKey: keys.privateKey }
}

function decode(value: string, name: string): Buffer {
  if (!URL_SAFE_BASE64.test(value)) {
    throw new VapidKeyError(`${name} must be URL-safe base64 without padding (letters, digits, - and _ only, as \`web-push generate-vapid-keys\` prints it)`)
  }
  return Buffer.from(value, 'base64url')
}

/**
 * The key pair IOC_VAPID_PUBLIC_KEY and IOC_VAPID_PRIVATE_KEY give, checked; undefined when neither is
 * set (an empty value counts as unset). Throws a VapidKeyError when only one is set or they are not a
 * P-256 key pair: call it at start to refuse a wrong configuration before anything runs.
 */
export function vapidKeysFromEnvironment(env: VapidKeyEnvironment): VapidKeys | undefined {
  const publicKey = env.IOC_VAPID_PUBLIC_KEY || undefined
  const privateKey = env.IOC_VAPID_PRIVATE_KEY || undefined
  if (publicKey === undefined && privateKey === undefined) return undefined
  if (publicKey === undefined) throw new VapidKeyError('IOC_VAPID_PRIVATE_KEY is set but IOC_VAPID_PUBLIC_KEY is not: set both (one key pair), or neither to have the server make a pair and keep it in the store')
  if (privateKey === undefined) throw new VapidKeyError('IOC_VAPID_PUBLIC_KEY is set but IOC_VAPID_PRIVATE_KEY is not: set both (one key pair), or neither to have the server make a pair and keep it in the store')
  return checkVapidKeys({ publicKey, privateKey })
}

export interface ResolveVapidKeysOptions {
  /** Epoch ms, for `created_at`. @defaultValue Date.now */
  now?: () => number
  /** Makes a new pair. @defaultValue web-push's generateVAPIDKeys */
  generate?: () => VapidKeys | Promise<VapidKeys>
}

/**
 * The VAPID key pair the server signs with: the environment's when IOC_VAPID_* are set (the store is
 * then neither read nor written); otherwise the stored one, made and stored on the first start. Safe
 * when several instances start at once on one store: each stores its pair only if none is there, then
 * reads back the one that is, so all of them end with the same pair.
 */
export async function resolveVapidKeys(
  env: VapidKeyEnvironment,
  store: Pick<WebPushKeysRepository, 'get' | 'insertIfAbsent'>,
  options: ResolveVapidKeysOptions = {},
): Promise<{ keys: VapidKeys; source: VapidKeySource }> {
  const given = vapidKeysFromEnvironment(env)
  if (given) return { keys: given, source: 'environment' }
  const stored = await store.get()
  if (stored) return { keys: checkVapidKeys(stored, STORED), source: 'store' }
  const made = checkVapidKeys(await (options.generate ?? webPush.generateVAPIDKeys)(), { publicKey: 'the generated VAPID public key', privateKey: 'the generated VAPID private key' })
  const inserted = await store.insertIfAbsent(made, (options.now ?? Date.now)())
  const kept = await store.get()
  if (!kept) throw new VapidKeyError('the VAPID key pair just stored cannot be read back from the table web_push_keys')
  return { keys: checkVapidKeys(kept, STORED), source: inserted ? 'generated' : 'store' }
}
