import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, type StationAlarmSettings } from '@ioc/shared'
import { CITY_PACKS, validateCityPack } from '@ioc/shared/city-packs'
import { DomainError, type DomainErrorKind } from '../../../domain-errors.ts'
import { createAuditLogRepository, type AuditLogRepository } from '../audit/audit-log.repository.ts'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createDomainEvents, type DomainEvents } from '../events/domain-events.ts'
import { createStationSettingsService, type StationSettingsService } from './station-settings.service.ts'

const pack = validateCityPack('tam-ky', CITY_PACKS['tam-ky'])
const T0 = Date.parse('2025-11-01T01:00:00.000Z')
const admin = { username: 'admin', ip: '203.0.113.7' }

describe('station settings', () => {
  let database: DatabaseHandle
  let audit: AuditLogRepository
  let settings: StationSettingsService
  let events: DomainEvents

  const open = () => createStationSettingsService({ db: database.db, stations: pack.stations, audit, events, now: () => T0 })

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    audit = createAuditLogRepository(database.db, () => T0)
    events = createDomainEvents(console)
    settings = await open()
  })
  afterEach(() => database.close())

  /** Expects `promise` to fail with a domain error of `kind` whose message matches `message`. */
  async function refused(promise: Promise<unknown>, kind: DomainErrorKind, message: RegExp) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DomainError)
    expect(error).toMatchObject({ kind, message: expect.stringMatching(message) })
  }

  it("gives each station the pack's levels and the defaults until an admin changes them", () => {
    expect(settings.get('tam-ky-river')).toEqual({ levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS })
    expect(settings.get('hoa-huong-1').levels).toEqual({ bd1: 10, bd2: 25, bd3: 40 })
    expect([...settings.all().keys()]).toEqual(pack.stations.map((s) => s.id))
  })

  it("takes each station's plausibility limit from the pack, the default where it gives none, and lets an admin change it", async () => {
    expect(settings.get('hoa-huong-1').maxChangeCmPerMinute).toBe(10)
    expect(settings.get('tam-ky-river').maxChangeCmPerMinute).toBe(5)
    const withoutLimit = pack.stations.map(({ maxChangeCmPerMinute: _limit, ...station }) => station)
    const defaults = await createStationSettingsService({ db: database.db, stations: withoutLimit, audit, events })
    expect(defaults.get('hoa-huong-1').maxChangeCmPerMinute).toBe(DEFAULT_ALARM_SETTINGS.maxChangeCmPerMinute)
    expect((await settings.update('hoa-huong-1', { maxChangeCmPerMinute: 4 }, admin)).maxChangeCmPerMinute).toBe(4)
    await refused(settings.update('hoa-huong-1', { maxChangeCmPerMinute: 0 }, admin), 'invalid', /maxChangeCmPerMinute/)
  })

  it('changes only what it is given, and answers the effective settings', async () => {
    const updated = await settings.update('tam-ky-river', { hysteresisCm: 12, holdMinutes: 30 }, admin)
    expect(updated).toEqual({ levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS, hysteresisCm: 12, holdMinutes: 30 })
    expect(settings.get('tam-ky-river')).toEqual(updated)
    expect(settings.get('cau-xuan-quy').hysteresisCm).toBe(DEFAULT_ALARM_SETTINGS.hysteresisCm)
  })

  it('keeps the changes in the store: a new service on the same database starts with them', async () => {
    await settings.update('cau-xuan-quy', { levels: { bd1: 160, bd2: 210, bd3: 260 } }, admin)
    await settings.update('cau-xuan-quy', { lowBatteryPct: 25 }, admin)
    const reloaded = await open()
    expect(reloaded.get('cau-xuan-quy')).toEqual({ levels: { bd1: 160, bd2: 210, bd3: 260 }, ...DEFAULT_ALARM_SETTINGS, lowBatteryPct: 25 })
    expect(reloaded.get('tam-ky-river')).toEqual(settings.get('tam-ky-river'))
    const row = await database.db.selectFrom('station_settings').selectAll().executeTakeFirstOrThrow()
    // Only what the admin set is stored: a default changed later in code still reaches this station.
    expect(JSON.parse(row.settings)).toEqual({ levels: { bd1: 160, bd2: 210, bd3: 260 }, lowBatteryPct: 25 })
    expect(row).toMatchObject({ station_id: 'cau-xuan-quy', updated_by: 'admin' })
    expect(Number(row.updated_at)).toBe(T0)
  })

  it('refuses levels that do not rise BĐ1 < BĐ2 < BĐ3, and keeps the old ones', async () => {
    await refused(settings.update('tam-ky-river', { levels: { bd1: 230, bd2: 220, bd3: 270 } }, admin), 'invalid', /BĐ1 < BĐ2 < BĐ3/)
    await refused(settings.update('tam-ky-river', { levels: { bd1: 170, bd2: 270, bd3: 270 } }, admin), 'invalid', /BĐ1 < BĐ2 < BĐ3/)
    expect(settings.get('tam-ky-river').levels).toEqual({ bd1: 170, bd2: 220, bd3: 270 })
    expect(await database.db.selectFrom('station_settings').selectAll().execute()).toEqual([])
  })

  it('refuses numbers outside the schema, naming the field', async () => {
    await refused(settings.update('tam-ky-river', { hysteresisCm: -1 }, admin), 'invalid', /hysteresisCm/)
    await refused(settings.update('tam-ky-river', { riseCmPerHour: 0 }, admin), 'invalid', /riseCmPerHour/)
    await refused(settings.update('tam-ky-river', { silentAfterIntervals: 2.5 }, admin), 'invalid', /silentAfterIntervals/)
    await refused(settings.update('tam-ky-river', { levels: { bd1: 170, bd2: 220, bd3: 9000 } }, admin), 'invalid', /levels\.bd3/)
    await refused(settings.update('tam-ky-river', { hysteresisCm: Number.NaN }, admin), 'invalid', /hysteresisCm/)
  })

  it('refuses an empty change', async () => {
    await refused(settings.update('tam-ky-river', {}, admin), 'invalid', /nothing to change/)
  })

  it('answers 404 for a station the pack does not have', async () => {
    await refused(settings.update('no-such-station', { hysteresisCm: 12 }, admin), 'not_found', /no-such-station/)
    expect(() => settings.get('no-such-station')).toThrow(/no-such-station/)
  })

  it('tells its listeners what changed, once per effective change', async () => {
    const heard: Array<[string, StationAlarmSettings]> = []
    events.on('settings.changed', (stationId, changed) => heard.push([stationId, changed]))
    await settings.update('hoa-huong-1', { holdMinutes: 5 }, admin)
    await settings.update('hoa-huong-1', { holdMinutes: 5 }, admin)
    await settings.update('hoa-huong-1', { levels: { bd1: 5, bd2: 25, bd3: 40 } }, admin)
    await expect(settings.update('hoa-huong-1', { levels: { bd1: 30, bd2: 25, bd3: 40 } }, admin)).rejects.toThrow()
    // A street point: the pack lets its water move 10 cm a minute, not the default 5.
    expect(heard).toEqual([
      ['hoa-huong-1', { levels: { bd1: 10, bd2: 25, bd3: 40 }, ...DEFAULT_ALARM_SETTINGS, maxChangeCmPerMinute: 10, holdMinutes: 5 }],
      ['hoa-huong-1', { levels: { bd1: 5, bd2: 25, bd3: 40 }, ...DEFAULT_ALARM_SETTINGS, maxChangeCmPerMinute: 10, holdMinutes: 5 }],
    ])
  })

  it('audits each change with who made it and the values before and after', async () => {
    await settings.update('tam-ky-river', { levels: { bd1: 170, bd2: 225, bd3: 270 }, hysteresisCm: 10, holdMinutes: 20 }, admin)
    const [entry, ...rest] = await audit.list({ action: 'station.updated' })
    expect(rest).toEqual([])
    expect(entry).toMatchObject({
      actor: 'admin',
      ip: '203.0.113.7',
      target: 'station:tam-ky-river',
      // hysteresisCm was given but did not change: it is not in the entry.
      detail: {
        from: { levels: { bd1: 170, bd2: 220, bd3: 270 }, holdMinutes: 15 },
        to: { levels: { bd1: 170, bd2: 225, bd3: 270 }, holdMinutes: 20 },
      },
    })
  })

  it('ignores a stored change that no longer fits the pack, keeping its other stations', async () => {
    await database.db
      .insertInto('station_settings')
      .values([
        { station_id: 'gone-station', settings: JSON.stringify({ hysteresisCm: 5 }), updated_at: T0, updated_by: 'admin' },
        { station_id: 'tam-ky-river', settings: JSON.stringify({ hysteresisCm: 9999 }), updated_at: T0, updated_by: 'admin' },
        { station_id: 'cau-xuan-quy', settings: JSON.stringify({ hysteresisCm: 7, retired: true }), updated_at: T0, updated_by: 'admin' },
      ])
      .execute()
    const warnings: string[] = []
    const reloaded = await createStationSettingsService({
      db: database.db,
      stations: pack.stations,
      audit,
      events,
      log: { warn: (_detail, message) => warnings.push(message), error: () => {} },
    })
    expect(reloaded.get('tam-ky-river').hysteresisCm).toBe(DEFAULT_ALARM_SETTINGS.hysteresisCm)
    expect(reloaded.get('cau-xuan-quy')).toEqual({ levels: { bd1: 150, bd2: 200, bd3: 250 }, ...DEFAULT_ALARM_SETTINGS, hysteresisCm: 7 })
    expect(reloaded.all().has('gone-station')).toBe(false)
    expect(warnings).toHaveLength(2)
  })

  describe('reload', () => {
    /** Another instance's write: straight to the shared `station_settings` row. */
    const storeElsewhere = (stationId: string, stored: object) =>
      database.db
        .insertInto('station_settings')
        .values({ station_id: stationId, settings: JSON.stringify(stored), updated_at: T0, updated_by: 'other-admin' })
        .onConflict((oc) => oc.column('station_id').doUpdateSet({ settings: JSON.stringify(stored), updated_by: 'other-admin' }))
        .execute()

    it('takes up what another instance stored, and tells listeners once however often it reloads', async () => {
      const heard: Array<[string, StationAlarmSettings]> = []
      events.on('settings.changed', (stationId, changed) => heard.push([stationId, changed]))
      await storeElsewhere('tam-ky-river', { hysteresisCm: 12, levels: { bd1: 160, bd2: 220, bd3: 270 } })
      await settings.reload('tam-ky-river')
      await settings.reload('tam-ky-river')
      const expected = { ...DEFAULT_ALARM_SETTINGS, levels: { bd1: 160, bd2: 220, bd3: 270 }, hysteresisCm: 12 }
      expect(settings.get('tam-ky-river')).toEqual(expected)
      expect(heard).toEqual([['tam-ky-river', expected]])
    })

    it('tells listeners nothing when nothing changed', async () => {
      await settings.update('tam-ky-river', { holdMinutes: 30 }, admin)
      const heard: string[] = []
      events.on('settings.changed', (stationId) => heard.push(stationId))
      await settings.reload('tam-ky-river')
      await settings.reload('cau-xuan-quy')
      expect(heard).toEqual([])
      expect(settings.get('tam-ky-river').holdMinutes).toBe(30)
    })

    it("falls back to the pack's settings when another instance deleted the stored row", async () => {
      await settings.update('tam-ky-river', { holdMinutes: 30 }, admin)
      await database.db.deleteFrom('station_settings').where('station_id', '=', 'tam-ky-river').execute()
      await settings.reload('tam-ky-river')
      expect(settings.get('tam-ky-river')).toEqual({ levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS })
    })

    it('keeps, on update, what another instance stored meanwhile', async () => {
      await storeElsewhere('tam-ky-river', { holdMinutes: 42 })
      const updated = await settings.update('tam-ky-river', { riseWindowMinutes: 90 }, admin)
      expect(updated).toMatchObject({ holdMinutes: 42, riseWindowMinutes: 90 })
      const row = await database.db.selectFrom('station_settings').select('settings').where('station_id', '=', 'tam-ky-river').executeTakeFirstOrThrow()
      expect(JSON.parse(row.settings)).toEqual({ holdMinutes: 42, riseWindowMinutes: 90 })
    })
  })
})
