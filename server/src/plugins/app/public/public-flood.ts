import { ALARM_PERMISSION, floodLevelOf, Permission, type PublicFloodResponse } from '@ioc/shared'
import type { FastifyInstance } from 'fastify'
import { toAlarmView } from '../alarms/alarms.repository.ts'

const HOUR = 3_600_000
const FLOOD_TYPES = Object.entries(ALARM_PERMISSION)
  .filter(([, permission]) => permission === Permission.floodRead)
  .map(([type]) => type as keyof typeof ALARM_PERMISSION)

/**
 * The public page's one answer, made at most once per `ttlMs` whatever the number of visitors: on a
 * flood night thousands of phones cost the store one query set every few seconds, not one each.
 * Concurrent requests while it is being made share the same promise.
 */
export function createPublicFlood(fastify: FastifyInstance, ttlMs = 5_000, now: () => number = Date.now) {
  let cached: { at: number; answer: Promise<PublicFloodResponse> } | undefined
  const areaNames = new Map(fastify.city.areas.features.map((f) => [f.properties.code, { vi: f.properties.nameVi, en: f.properties.nameEn }]))

  async function build(at: number): Promise<PublicFloodResponse> {
    const stations = fastify.city.stations
    const latest = await fastify.readings.latest(stations.map((s) => s.id))
    const forecasts = await fastify.forecasts.forStations(stations.map((s) => s.id), latest)
    const points = await Promise.all(
      stations.map(async (station) => {
        const levels = fastify.stationSettings.get(station.id).levels
        const last = latest.get(station.id)
        const hourly = await fastify.readings.points(station.id, at - 24 * HOUR, at, HOUR)
        return {
          id: station.id,
          name: station.name,
          place: station.place,
          areaId: station.areaCode,
          areaName: areaNames.get(station.areaCode) ?? { vi: station.areaCode, en: station.areaCode },
          lon: station.lon,
          lat: station.lat,
          levels,
          latest: last ? { ts: last.ts, waterLevelCm: last.waterLevelCm } : null,
          floodLevel: last ? floodLevelOf(levels, last.waterLevelCm) : 0,
          forecast: forecasts.get(station.id) ?? null,
          spark: hourly.map((p) => ({ ts: p.ts, cm: p.waterLevelCm })),
          expectedIntervalS: station.expectedIntervalS,
        }
      }),
    )
    const alarms = (await fastify.alarms.repo.list({ state: 'active' }, FLOOD_TYPES)).map((row) => {
      const { acknowledged: _who, ...alarm } = toAlarmView(row)
      return alarm
    })
    return { city: { name: fastify.city.city.name, timezone: fastify.city.city.timezone }, generatedAt: new Date(at).toISOString(), points, alarms, advice: fastify.city.city.floodAdvice ?? null }
  }

  return {
    get(): Promise<PublicFloodResponse> {
      const at = now()
      if (!cached || at - cached.at >= ttlMs) {
        const answer = build(at)
        cached = { at, answer }
        // A failed build is not kept: the next visitor tries again.
        answer.catch(() => {
          if (cached?.answer === answer) cached = undefined
        })
      }
      return cached.answer
    },
    ttlMs,
  }
}
export type PublicFlood = ReturnType<typeof createPublicFlood>
