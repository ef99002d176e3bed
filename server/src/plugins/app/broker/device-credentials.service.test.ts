import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../auth/passwords.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { DeviceCredentialError, createDeviceCredentialsService } from './device-credentials.service.ts'
import { createDomainEvents, type DomainEvents } from '../events/domain-events.ts'

const devices = { stations: [{ id: 'tam-ky-river' }, { id: 'cau-xuan-quy' }], cameras: [{ id: 'cam-bach-dang' }] }

describe('device credentials', () => {
  let database: DatabaseHandle
  let argonChecks: number
  let clock: number
  const make = (events?: DomainEvents) =>
    createDeviceCredentialsService({
      db: database.db,
      devices,
      events,
      now: () => clock,
      verifySecret: (hash, plain) => (argonChecks++, verifyPassword(hash, plain)),
    })

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    argonChecks = 0
    clock = Date.parse('2025-10-30T00:00:00Z')
  })
  afterEach(() => database.close())

  it('issues a device credential for its own topic only, and verifies its password and no other', async () => {
    const credentials = make()
    const [issued] = await credentials.issueDevices(['tam-ky-river'])
    expect(issued).toMatchObject({ username: 'tam-ky-river', kind: 'device', topics: ['ioc/v1/flood/tam-ky-river/reading'] })
    expect(await credentials.verify('tam-ky-river', issued!.password)).toMatchObject({ username: 'tam-ky-river', kind: 'device', deviceId: 'tam-ky-river' })
    expect(await credentials.verify('tam-ky-river', 'wrong')).toBeNull()
    expect(await credentials.verify('cau-xuan-quy', issued!.password)).toBeNull()
    const [camera] = await credentials.issueDevices(['cam-bach-dang'])
    expect(camera!.topics).toEqual(['ioc/v1/camera/cam-bach-dang/status', 'ioc/v1/camera/cam-bach-dang/snapshot'])
  })

  it('refuses ids that are not in the city pack, naming them and what exists, and stores nothing', async () => {
    const credentials = make()
    const attempt = credentials.issueDevices(['tam-ky-river', 'nowhere'])
    await expect(attempt).rejects.toThrow(DeviceCredentialError)
    await expect(attempt).rejects.toThrow(/nowhere[\s\S]*stations: tam-ky-river, cau-xuan-quy[\s\S]*cameras: {2}cam-bach-dang/)
    expect(await credentials.list()).toEqual([])
  })

  it('replaces the secret on re-issue: the old password stops working', async () => {
    const credentials = make()
    const [first] = await credentials.issueDevices(['tam-ky-river'])
    expect(await credentials.verify('tam-ky-river', first!.password)).not.toBeNull()
    const [second] = await credentials.issueDevices(['tam-ky-river'])
    expect(await credentials.verify('tam-ky-river', first!.password)).toBeNull()
    expect(await credentials.verify('tam-ky-river', second!.password)).not.toBeNull()
  })

  it('revokes: the password stops working at once, and re-issuing enables it again', async () => {
    const events = createDomainEvents(console)
    const credentials = make(events)
    const [issued] = await credentials.issueDevices(['tam-ky-river'])
    await credentials.verify('tam-ky-river', issued!.password)
    const invalidated: string[] = []
    events.on('credentials.invalidated', (username) => invalidated.push(username))
    expect(await credentials.revoke('tam-ky-river')).toBe(true)
    expect(await credentials.revoke('nobody')).toBe(false)
    expect(invalidated).toEqual(['tam-ky-river', 'nobody'])
    expect(await credentials.verify('tam-ky-river', issued!.password)).toBeNull()
    expect((await credentials.list())[0]).toMatchObject({ username: 'tam-ky-river', disabled: true })
    const [again] = await credentials.issueDevices(['tam-ky-river'])
    expect(await credentials.verify('tam-ky-river', again!.password)).not.toBeNull()
  })

  it('sees a revocation made by another process (the CLI) although the password was cached', async () => {
    const server = make()
    const cli = make()
    const [issued] = await cli.issueDevices(['tam-ky-river'])
    expect(await server.verify('tam-ky-river', issued!.password)).not.toBeNull()
    await cli.revoke('tam-ky-river')
    expect(await server.verify('tam-ky-river', issued!.password)).toBeNull()
  })

  it('remembers a successful verification, so a reconnect skips argon2 until the cache entry expires', async () => {
    const credentials = make()
    const [issued] = await credentials.issueDevices(['tam-ky-river'])
    for (let i = 0; i < 5; i++) expect(await credentials.verify('tam-ky-river', issued!.password)).not.toBeNull()
    expect(argonChecks).toBe(1)
    expect(await credentials.verify('tam-ky-river', 'wrong')).toBeNull()
    expect(argonChecks).toBe(2)
    clock += 11 * 60_000
    expect(await credentials.verify('tam-ky-river', issued!.password)).not.toBeNull()
    expect(argonChecks).toBe(3)
  })

  it('answers from memory alone when asked to: a password verified recently, never an argon2 check', async () => {
    const server = make()
    const cli = make()
    const [issued] = await server.issueDevices(['tam-ky-river'])
    expect(await server.verifyRemembered('tam-ky-river', issued!.password)).toBeNull()
    await server.verify('tam-ky-river', issued!.password)
    expect(argonChecks).toBe(1)
    expect(await server.verifyRemembered('tam-ky-river', issued!.password)).toMatchObject({ username: 'tam-ky-river', kind: 'device' })
    expect(await server.verifyRemembered('tam-ky-river', 'wrong')).toBeNull()
    expect(argonChecks).toBe(1)
    // A revocation from another process is seen; so is the end of the cache entry.
    await cli.revoke('tam-ky-river')
    expect(await server.verifyRemembered('tam-ky-river', issued!.password)).toBeNull()
    const [again] = await cli.issueDevices(['tam-ky-river'])
    await server.verify('tam-ky-river', again!.password)
    clock += 11 * 60_000
    expect(await server.verifyRemembered('tam-ky-river', again!.password)).toBeNull()
  })

  it('issues gateways under names of their own, listed without secrets', async () => {
    const credentials = make()
    const gateway = await credentials.issueGateway('lora-gw-1')
    expect(gateway).toMatchObject({ username: 'lora-gw-1', kind: 'gateway', topics: ['ioc/v1/#'] })
    expect(await credentials.verify('lora-gw-1', gateway.password)).toMatchObject({ kind: 'gateway', deviceId: null })
    await expect(credentials.issueGateway('tam-ky-river')).rejects.toMatchObject({ code: 'name_taken' })
    await expect(credentials.issueGateway('Bad Name')).rejects.toMatchObject({ code: 'bad_name' })
    await credentials.issueDevices(['cau-xuan-quy'])
    const listed = await credentials.list()
    expect(listed.map((c) => [c.username, c.kind])).toEqual([
      ['lora-gw-1', 'gateway'],
      ['cau-xuan-quy', 'device'],
    ])
    expect(JSON.stringify(listed)).not.toMatch(/argon2|secret/)
  })

  it('tells which connected credentials are still current', async () => {
    const credentials = make()
    const [river, bridge] = await credentials.issueDevices(['tam-ky-river', 'cau-xuan-quy'])
    const riverIdentity = await credentials.verify('tam-ky-river', river!.password)
    await credentials.verify('cau-xuan-quy', bridge!.password)
    await credentials.revoke('cau-xuan-quy')
    const current = await credentials.currentSecrets(['tam-ky-river', 'cau-xuan-quy', 'nobody'])
    expect([...current.keys()]).toEqual(['tam-ky-river'])
    expect(current.get('tam-ky-river')).toBe(riverIdentity!.secretHash)
  })
})
