import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { startPushEndpoint, type PushEndpoint } from '../../../../../../tests/helpers/push-endpoint.ts'
import { ENGINES, freshLocation } from '../../storage/test-databases.ts'
import { createPushSender } from './push-sender.ts'
import { resolveVapidKeys, type VapidKeys } from './vapid-keys.ts'
import { createWebPushKeysRepository } from './web-push-keys.repository.ts'

/** Where the VAPID key pair comes from, on SQLite (a file) and PostgreSQL (storage/test-databases.ts). */
describe.each(ENGINES)('VAPID keys on $name', (engine) => {
  let endpoint: PushEndpoint

  beforeAll(async () => {
    endpoint = await startPushEndpoint()
  })
  afterAll(() => endpoint?.close())

  it('makes a pair on the first start and every later start (restart, or another instance) finds the same', async () => {
    const place = freshLocation(engine)
    const first = await resolveVapidKeys({}, createWebPushKeysRepository((await place.open()).db))
    expect(first.source).toBe('generated')
    const later = await resolveVapidKeys({}, createWebPushKeysRepository((await place.open()).db))
    expect(later).toEqual({ keys: first.keys, source: 'store' })

    // The pair found signs what a push service accepts.
    const sender = createPushSender({ keys: later.keys, subject: 'https://ioc.tamky.gov.vn', agent: endpoint.agent() })
    expect(await sender.send(endpoint.subscription(`restart-${engine.name}`, { applicationServerKey: first.keys.publicKey }), { title: 'Mực nước BĐ2' })).toEqual({ ok: true, status: 201 })
    expect(await endpoint.nextMessage()).toMatchObject({ payload: { title: 'Mực nước BĐ2' }, vapid: { publicKey: first.keys.publicKey, subject: 'https://ioc.tamky.gov.vn' } })
  })

  it('two instances starting at once on an empty store end with one and the same pair', async () => {
    const place = freshLocation(engine)
    // Two connections to one store (opened one after the other: what is raced here is the keys, not the migrations).
    const a = await place.open()
    const b = await place.open()
    // Both find the store empty and make a pair before either stores it: the race at its worst.
    let made = 0
    let bothMade!: () => void
    const barrier = new Promise<void>((resolve) => (bothMade = resolve))
    const generate = async (): Promise<VapidKeys> => {
      const keys = webPush.generateVAPIDKeys()
      if (++made === 2) bothMade()
      await barrier
      return keys
    }
    const [first, second] = await Promise.all([
      resolveVapidKeys({}, createWebPushKeysRepository(a.db), { generate }),
      resolveVapidKeys({}, createWebPushKeysRepository(b.db), { generate }),
    ])
    expect(made).toBe(2)
    expect(first.keys).toEqual(second.keys)
    expect([first.source, second.source].sort()).toEqual(['generated', 'store'])
    expect(await a.db.selectFrom('web_push_keys').select(['public_key', 'private_key']).execute()).toEqual([{ public_key: first.keys.publicKey, private_key: first.keys.privateKey }])
  })

  it("uses the environment's pair and leaves the store alone", async () => {
    const database = await freshLocation(engine).open()
    const given = webPush.generateVAPIDKeys()
    const resolved = await resolveVapidKeys({ IOC_VAPID_PUBLIC_KEY: given.publicKey, IOC_VAPID_PRIVATE_KEY: given.privateKey }, createWebPushKeysRepository(database.db))
    expect(resolved).toEqual({ keys: given, source: 'environment' })
    expect(await database.db.selectFrom('web_push_keys').selectAll().execute()).toEqual([])
  })

  it('keeps at most one pair (id 1)', async () => {
    const database = await freshLocation(engine).open()
    const store = createWebPushKeysRepository(database.db)
    const [one, two] = [webPush.generateVAPIDKeys(), webPush.generateVAPIDKeys()]
    expect(await store.insertIfAbsent(one, 1)).toBe(true)
    expect(await store.insertIfAbsent(two, 2)).toBe(false)
    expect(await store.get()).toEqual(one)
    await expect(database.db.insertInto('web_push_keys').values({ id: 2, public_key: two.publicKey, private_key: two.privateKey, created_at: 2 }).execute()).rejects.toThrow(/check constraint/i)
  })
})
