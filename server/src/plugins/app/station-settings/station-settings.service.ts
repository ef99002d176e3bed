import type { Kysely } from 'kysely'
import { Compile } from 'typebox/compile'
import { DEFAULT_ALARM_SETTINGS, StationAlarmSettingsSchema, levelsRise, packMaxChangeCmPerMinute, type StationAlarmSettings, type UpdateStationBody } from '@ioc/shared'
import type { StationDef } from '@ioc/shared/city-packs'
import { InvalidRequest, NotFound } from '../../../domain-errors.ts'
import type { AuditLogRepository } from '../audit/audit-log.repository.ts'
import type { Actor } from '../auth/accounts.service.ts'
import type { DomainEvents } from '../events/domain-events.ts'
import type { Database } from '../storage/database.ts'

export interface StationSettingsService {
  /** Effective settings: DEFAULT_ALARM_SETTINGS, then the pack's levels and plausibility limit, then the admin's stored overrides. */
  get(stationId: string): StationAlarmSettings
  all(): ReadonlyMap<string, StationAlarmSettings>
  /** Validates (bd1 < bd2 < bd3, numbers within the schema), stores the override, audits 'station.updated' with from/to, publishes `settings.changed`. Throws InvalidRequest or NotFound. */
  update(stationId: string, patch: UpdateStationBody, actor: Actor): Promise<StationAlarmSettings>
  /** Reads a station's settings again from the store (another instance changed them); a change is published as `settings.changed`. */
  reload(stationId: string): Promise<void>
}

export interface StationSettingsDeps {
  db: Kysely<Database>
  stations: readonly StationDef[]
  audit: AuditLogRepository
  /** Where `settings.changed` goes, once per effective change (the alarm engine re-evaluates the station). */
  events: Pick<DomainEvents, 'emit'>
  now?: () => number
  /** Where a stored override that no longer applies is reported (the pack changed, a station left it). */
  log?: { warn(detail: Record<string, unknown>, message: string): void; error(detail: Record<string, unknown>, message: string): void }
}

type Overrides = Partial<StationAlarmSettings>
type SettingKey = keyof StationAlarmSettings

const SETTING_KEYS = Object.keys(StationAlarmSettingsSchema.properties) as SettingKey[]
const check = Compile(StationAlarmSettingsSchema)

/** What the pack says of a station — its stage values and plausibility limit — over the defaults. */
const packSettings = (station: StationDef): StationAlarmSettings => ({
  levels: { ...station.levels },
  ...DEFAULT_ALARM_SETTINGS,
  maxChangeCmPerMinute: packMaxChangeCmPerMinute(station),
})

/** Only the keys the settings know: a stored row or a caller's object may carry anything else. */
function knownKeys(source: Record<string, unknown>): Overrides {
  return Object.fromEntries(SETTING_KEYS.filter((key) => source[key] !== undefined).map((key) => [key, source[key]])) as Overrides
}

/** Why these settings cannot be used, or null when they can. */
function problemOf(settings: StationAlarmSettings): string | null {
  if (!check.Check(settings)) {
    const [first] = check.Errors(settings)
    return first ? `${first.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'settings'} ${first.message}` : 'the settings are not valid'
  }
  const { bd1, bd2, bd3 } = settings.levels
  if (!levelsRise(settings.levels)) return `alarm levels must rise BĐ1 < BĐ2 < BĐ3 (got ${bd1}/${bd2}/${bd3} cm)`
  return null
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Each station's alarm settings: the city pack's stage values and the defaults, under what an admin
 * changed (kept in `station_settings` as a partial object, so a default changed in code still reaches
 * every station whose admin did not set it). Read synchronously by the alarm engine from memory;
 * loaded at start, changed through `update`, and read again by `reload` when another instance changed them.
 */
export async function createStationSettingsService(deps: StationSettingsDeps): Promise<StationSettingsService> {
  const { db, audit } = deps
  const now = deps.now ?? Date.now
  const stations = new Map(deps.stations.map((s) => [s.id, s]))
  const overrides = new Map<string, Overrides>()
  const effective = new Map<string, StationAlarmSettings>()

  /** Takes a station's stored row (or its absence) as its settings: stored overrides over the pack's. */
  function applyRow(station: StationDef, row: { settings: string } | undefined): void {
    overrides.delete(station.id)
    effective.set(station.id, packSettings(station))
    if (!row) return
    const stored = knownKeys(JSON.parse(row.settings) as Record<string, unknown>)
    const settings = { ...packSettings(station), ...stored }
    const problem = problemOf(settings)
    if (problem) {
      deps.log?.warn({ stationId: station.id, problem }, "stored alarm settings no longer apply: the city pack's are used until an admin sets them again")
      return
    }
    overrides.set(station.id, stored)
    effective.set(station.id, settings)
  }

  // The change is stored: a failing listener is logged by the bus, not reported as a failed update.
  const notify = (stationId: string, settings: StationAlarmSettings) => deps.events.emit('settings.changed', stationId, settings)

  for (const station of stations.values()) effective.set(station.id, packSettings(station))
  for (const row of await db.selectFrom('station_settings').selectAll().execute()) {
    const station = stations.get(row.station_id)
    if (station) applyRow(station, row)
    else deps.log?.warn({ stationId: row.station_id }, 'stored alarm settings for a station the city pack does not have: ignored')
  }

  return {
    get(stationId) {
      const settings = effective.get(stationId)
      if (!settings) throw new NotFound(`no station "${stationId}"`)
      return settings
    },

    all() {
      return effective
    },

    async update(stationId, patch, actor) {
      const station = stations.get(stationId)
      if (!station) throw new NotFound(`no station "${stationId}"`)
      const changes = knownKeys(patch)
      if (Object.keys(changes).length === 0) throw new InvalidRequest(`nothing to change: give at least one of ${SETTING_KEYS.join(', ')}`)
      // Another instance may have changed other settings of this station since this one loaded them.
      applyRow(station, await db.selectFrom('station_settings').select('settings').where('station_id', '=', stationId).executeTakeFirst())
      const before = effective.get(stationId)!
      const after: StationAlarmSettings = { ...before, ...changes }
      const problem = problemOf(after)
      if (problem) throw new InvalidRequest(problem)

      const changed = SETTING_KEYS.filter((key) => !same(before[key], after[key]))
      if (changed.length === 0) return before

      const stored = { ...overrides.get(stationId), ...changes }
      const at = now()
      await db
        .insertInto('station_settings')
        .values({ station_id: stationId, settings: JSON.stringify(stored), updated_at: at, updated_by: actor.username })
        .onConflict((oc) => oc.column('station_id').doUpdateSet({ settings: JSON.stringify(stored), updated_at: at, updated_by: actor.username }))
        .execute()
      overrides.set(stationId, stored)
      effective.set(stationId, after)
      await audit.record({
        action: 'station.updated',
        actor: actor.username,
        ip: actor.ip,
        target: `station:${stationId}`,
        detail: {
          from: Object.fromEntries(changed.map((key) => [key, before[key]])),
          to: Object.fromEntries(changed.map((key) => [key, after[key]])),
        },
      })
      notify(stationId, after)
      return after
    },

    async reload(stationId) {
      const station = stations.get(stationId)
      if (!station) return
      const before = effective.get(stationId)
      applyRow(station, await db.selectFrom('station_settings').select('settings').where('station_id', '=', stationId).executeTakeFirst())
      const after = effective.get(stationId)!
      if (!same(before, after)) notify(stationId, after)
    },
  }
}
