import type { Kysely } from 'kysely'
import type { Database } from '../../storage/database.ts'

/** A VAPID key pair, each key in web-push's form: URL-safe base64 without padding. */
export interface VapidKeys {
  /** P-256 public key, the uncompressed point (65 bytes): what browsers subscribe with (applicationServerKey). */
  publicKey: string
  /** P-256 private scalar (32 bytes). */
  privateKey: string
}

/** The one VAPID key pair the instances share when the environment gives none (table `web_push_keys`, one row). */
export function createWebPushKeysRepository(db: Kysely<Database>) {
  return {
    async get(): Promise<VapidKeys | undefined> {
      const row = await db.selectFrom('web_push_keys').select(['public_key', 'private_key']).where('id', '=', 1).executeTakeFirst()
      return row && { publicKey: row.public_key, privateKey: row.private_key }
    },

    /**
     * Stores `keys` unless a pair is stored already (another instance, or an earlier start, was first):
     * true when these were stored. Never replaces a stored pair.
     */
    async insertIfAbsent(keys: VapidKeys, at: number): Promise<boolean> {
      const inserted = await db
        .insertInto('web_push_keys')
        .values({ id: 1, public_key: keys.publicKey, private_key: keys.privateKey, created_at: at })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted !== undefined
    },
  }
}

export type WebPushKeysRepository = ReturnType<typeof createWebPushKeysRepository>
