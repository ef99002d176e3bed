import { floodLevelOf, STORM_REPORT_MAX_DAYS, type AlarmType, type AreaCollection, type StationAlarmSettings, type StormReport, type StormReportAlarm, type StormReportStation } from '@ioc/shared'
import type { StationDef } from '@ioc/shared/city-packs'
import { InvalidRequest } from '../../../domain-errors.ts'
import { HOUR, hourOf } from '../readings/readings-maintenance.ts'
import { median, peakOf, readingCounts, timeAtLevels, type LevelDurations, type LevelPoint } from './reading-window.ts'
import type { ReportTransitionRow, ReportsRepository } from './reports.repository.ts'

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const seconds = (ms: number) => Math.round(ms / 1000)

export interface ReportsDeps {
  repo: ReportsRepository
  stations: readonly StationDef[]
  areas: AreaCollection
  timeZone: string
  /** Each station's effective alarm settings (its levels, its silence threshold). */
  settings: (stationId: string) => StationAlarmSettings
  /** Days raw readings are kept (IOC_RETENTION_DAYS): before that, only hourly rollups remain. */
  retentionDays: number
  now?: () => number
}

export interface StormReports {
  /** The report of [fromMs, toMs), with the alarms of these types. Throws InvalidRequest for a window it cannot cover. */
  storm(fromMs: number, toMs: number, types: readonly AlarmType[]): Promise<StormReport>
}

/** Why this window cannot be reported on, or null. */
export function windowProblem(fromMs: number, toMs: number): string | null {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return '`from` and `to` must be ISO-8601 date-times'
  if (fromMs >= toMs) return '`from` must be before `to`'
  if (toMs - fromMs > STORM_REPORT_MAX_DAYS * DAY) return `a storm report covers at most ${STORM_REPORT_MAX_DAYS} days: ask for a shorter window`
  return null
}

/** The wait an acknowledgement answered: from the raise, or from the latest escalation before it. */
function acknowledgementsOf(raisedAt: number, transitions: readonly ReportTransitionRow[]): StormReportAlarm['acknowledgements'] {
  let askedAt = raisedAt
  const out: StormReportAlarm['acknowledgements'] = []
  for (const step of transitions) {
    if (step.kind === 'escalated' || step.kind === 'reactivated') askedAt = step.at
    if (step.kind === 'acknowledged') out.push({ by: step.actor ?? '', at: iso(step.at), note: step.note ?? '', waitS: seconds(Math.max(0, step.at - askedAt)) })
  }
  return out
}

/**
 * The after-storm report: per station its peak, time at each BĐ level, readings missing; the alarms
 * open during the window with who acknowledged each and how long it waited; per area its stations.
 * Reads raw readings where they are kept, hourly rollups before that (see StormReport.rawReadingsFrom).
 */
export function createStormReports(deps: ReportsDeps): StormReports {
  const { repo, timeZone } = deps
  const now = deps.now ?? Date.now

  async function stationPart(station: StationDef, fromMs: number, toMs: number, rawFromMs: number): Promise<StormReportStation> {
    const settings = deps.settings(station.id)
    const intervalMs = station.expectedIntervalS * 1000
    const silentAfterMs = settings.silentAfterIntervals * intervalMs
    const rawStart = Math.max(fromMs, rawFromMs)
    const received = rawStart < toMs ? await repo.levels(station.id, rawStart, toMs) : []
    // A reading the alarm engine still holds as suspect (a jump no later reading confirmed) is received,
    // but neither a peak nor a level: one sensor spike must not put BĐ3 in the city's report.
    const points = received.filter((p) => !p.suspect)
    const before = rawStart < toMs ? await repo.levelBefore(station.id, rawStart, rawStart - silentAfterMs) : null

    const durations: LevelDurations = rawStart < toMs ? timeAtLevels(points, before, rawStart, toMs, settings.levels, silentAfterMs) : { below: 0, bd1: 0, bd2: 0, bd3: 0, noData: 0 }
    const counts = readingCounts(
      received.map((p) => p.ts),
      rawStart,
      toMs,
      intervalMs,
    )
    let peak: (LevelPoint & { approximate: boolean }) | null = null
    const rawPeak = peakOf(points)
    if (rawPeak) peak = { ...rawPeak, approximate: false }

    // Before raw retention: the hourly rollups give each hour's count and highest value, not when in the hour, nor how long.
    if (fromMs < rawStart) {
      durations.noData += Math.min(rawStart, toMs) - fromMs
      counts.expected = Math.floor((toMs - fromMs) / intervalMs)
      for (const hour of await repo.hours(station.id, hourOf(fromMs), Math.min(rawStart, toMs))) {
        counts.received += hour.count
        if (!peak || hour.maxCm > peak.cm) peak = { ts: Math.max(hour.hourTs, fromMs), cm: hour.maxCm, approximate: true }
      }
      // The longest gap stays the raw part's: an hour's count does not say where in it the readings fell.
      counts.missing = Math.max(0, counts.expected - counts.received)
    }

    return {
      id: station.id,
      name: station.name,
      areaId: station.areaCode,
      levels: { ...settings.levels },
      peak: peak && { cm: peak.cm, at: iso(peak.ts), level: floodLevelOf(settings.levels, peak.cm), approximate: peak.approximate },
      timeAtLevelS: { below: seconds(durations.below), bd1: seconds(durations.bd1), bd2: seconds(durations.bd2), bd3: seconds(durations.bd3), noData: seconds(durations.noData) },
      readings: {
        expected: counts.expected,
        received: counts.received,
        missing: counts.missing,
        longestGapS: seconds(counts.longestGapMs),
        longestGapFrom: counts.longestGapFrom === null ? null : iso(counts.longestGapFrom),
      },
      expectedIntervalS: station.expectedIntervalS,
      silentAfterS: seconds(silentAfterMs),
    }
  }

  return {
    async storm(fromMs, toMs, types) {
      const problem = windowProblem(fromMs, toMs)
      if (problem) throw new InvalidRequest(problem)
      const generatedAt = now()
      // Readings at or after this are kept whatever the pruning did (readings-maintenance prunes before it, on the hour).
      const retentionCutoff = generatedAt - deps.retentionDays * DAY
      const rawFromMs = hourOf(retentionCutoff) + (retentionCutoff % HOUR === 0 ? 0 : HOUR)

      const stations: StormReportStation[] = []
      for (const station of deps.stations) stations.push(await stationPart(station, fromMs, toMs, rawFromMs))

      const rows = await repo.alarmsDuring(fromMs, toMs, types)
      const byAlarm = new Map<number, ReportTransitionRow[]>()
      for (const step of await repo.transitionsOf(rows.map((row) => row.id))) {
        const list = byAlarm.get(step.alarm_id) ?? []
        list.push(step)
        byAlarm.set(step.alarm_id, list)
      }
      const alarms: StormReportAlarm[] = rows.map((row) => {
        const steps = byAlarm.get(row.id) ?? []
        const levels = steps.map((s) => s.level).filter((level): level is number => level !== null && level >= 1 && level <= 3)
        return {
          id: row.id,
          type: row.type as AlarmType,
          source: { kind: row.source_kind, id: row.source_id },
          areaId: row.area_id,
          maxLevel: row.type === 'flood_level' && levels.length > 0 ? Math.max(...levels) : null,
          state: row.state,
          raisedAt: iso(Number(row.raised_at)),
          clearedAt: row.cleared_at === null ? null : iso(Number(row.cleared_at)),
          acknowledgements: acknowledgementsOf(Number(row.raised_at), steps),
        }
      })

      const reached = (level: number) => stations.filter((s) => (s.peak?.level ?? 0) >= level).length
      const firstWaits = alarms.flatMap((a) => (a.acknowledgements[0] ? [a.acknowledgements[0].waitS] : []))
      const waitMedian = median(firstWaits)
      return {
        from: iso(fromMs),
        to: iso(toMs),
        timeZone,
        generatedAt: iso(generatedAt),
        rawReadingsFrom: fromMs < rawFromMs ? iso(Math.min(rawFromMs, toMs)) : null,
        summary: {
          stationsReached: { bd1: reached(1), bd2: reached(2), bd3: reached(3) },
          alarms: alarms.length,
          acknowledged: firstWaits.length,
          medianAckWaitS: waitMedian === null ? null : Math.round(waitMedian),
        },
        stations,
        areas: deps.areas.features
          .map((area) => {
            const own = stations.filter((s) => s.areaId === area.properties.code)
            return {
              code: area.properties.code,
              name: { vi: area.properties.nameVi, en: area.properties.nameEn },
              stationIds: own.map((s) => s.id),
              maxLevel: own.some((s) => s.peak) ? Math.max(...own.map((s) => s.peak?.level ?? 0)) : null,
            }
          })
          .filter((area) => area.stationIds.length > 0),
        alarms,
      }
    },
  }
}
