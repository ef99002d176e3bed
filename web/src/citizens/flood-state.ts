import { signal } from '@preact/signals'
import { AlarmType, floodLevelOf, type FloodForecast, type FloodReading, type PublicAlarmView, type PublicFloodPoint, type PublicFloodResponse } from '@ioc/shared'
import { isNewer } from '../connection/newest.ts'

/** An alarm as the public endpoint gives it: without who acknowledged it. */
export type PublicAlarm = PublicFloodResponse['alarms'][number]

/** `connecting` until the first link, `live` while linked, `offline` while the link is lost (polling then). */
export type LinkState = 'connecting' | 'live' | 'offline'

/** The alarm types a citizen is told about. */
const PUBLIC_ALARM_TYPES: ReadonlySet<string> = new Set([AlarmType.floodLevel, AlarmType.rapidRise])

/** A point with the readings received live since its snapshot (for the trend and the sparkline's end). */
export interface LivePoint extends PublicFloodPoint {
  live: Array<{ ts: string; waterLevelCm: number }>
}

/** Readings kept per point between snapshots: a few hours at a 5-minute interval. */
const MAX_LIVE_READINGS = 64

/** Each newer reading becomes its point's latest, with the flood level it stands at. */
export function applyReadings(points: readonly LivePoint[], readings: readonly FloodReading[]): LivePoint[] {
  const byStation = new Map<string, FloodReading[]>()
  for (const reading of readings) byStation.set(reading.stationId, [...(byStation.get(reading.stationId) ?? []), reading])
  return points.map((point) => {
    const mine = byStation.get(point.id)
    if (!mine) return point
    let next = point
    for (const reading of mine) {
      const live = [...next.live, { ts: reading.ts, waterLevelCm: reading.waterLevelCm }].slice(-MAX_LIVE_READINGS)
      next =
        isNewer(reading, next.latest)
          ? { ...next, live, latest: { ts: reading.ts, waterLevelCm: reading.waterLevelCm }, floodLevel: floodLevelOf(next.levels, reading.waterLevelCm) }
          : { ...next, live }
    }
    return next
  })
}

/** An alarm event applied to the open public alarms: raised/updated put it in, cleared takes it out. */
export function applyAlarm(alarms: readonly PublicAlarm[], kind: 'raised' | 'updated' | 'cleared', alarm: PublicAlarmView | PublicAlarm): PublicAlarm[] {
  if (!PUBLIC_ALARM_TYPES.has(alarm.type)) return [...alarms]
  const others = alarms.filter((a) => a.id !== alarm.id)
  if (kind === 'cleared' || alarm.state === 'cleared') return others
  // Only what the public endpoint shows: the socket's public view also says whether it was acknowledged.
  const { acknowledged: _acknowledged, ...open } = alarm as PublicAlarmView
  return [...others, open]
}

/** Points at or above BĐ1 first, highest level first; otherwise the city pack's order. */
export function sortPoints<P extends Pick<PublicFloodPoint, 'floodLevel'>>(points: readonly P[]): P[] {
  return points
    .map((point, index) => ({ point, index }))
    .sort((a, b) => b.point.floodLevel - a.point.floodLevel || a.index - b.index)
    .map(({ point }) => point)
}

/** Open warnings, most severe first, then newest. */
export function sortAlarms(alarms: readonly PublicAlarm[]): PublicAlarm[] {
  return [...alarms].sort((a, b) => b.severity - a.severity || Date.parse(b.updatedAt) - Date.parse(a.updatedAt))
}

/** The page's state, fed by the public endpoint and the socket. */
export function createFloodState() {
  const data = signal<Omit<PublicFloodResponse, 'points'> | null>(null)
  const points = signal<LivePoint[]>([])
  const link = signal<LinkState>('connecting')
  /** When the page last heard from the server (a snapshot or a live message), epoch ms. */
  const updatedAt = signal<number | null>(null)
  const loadFailed = signal(false)
  /**
   * The server could not be reached: what the page shows is the last it had (from the page itself or
   * the service worker's copy) — said so on screen, never passed off as current.
   */
  const unreachable = signal(false)

  return {
    data,
    points,
    link,
    updatedAt,
    loadFailed,
    unreachable,
    /** A snapshot: the server's (`receivedAt` now) or one kept on the phone (`receivedAt` when it was made). */
    loaded(response: PublicFloodResponse, receivedAt: number) {
      // A copy kept on the phone may be older than what the page already shows: keep the newer.
      const current = data.peek()
      if (current && Date.parse(current.generatedAt) > Date.parse(response.generatedAt)) return
      const { points: fresh, ...rest } = response
      data.value = rest
      points.value = fresh.map((p) => ({ ...p, live: [] }))
      updatedAt.value = receivedAt
      loadFailed.value = false
    },
    failed() {
      if (!data.peek()) loadFailed.value = true
    },
    /** Whether the last attempt reached the server (a live link or a fresh snapshot) or not. */
    reached(yes: boolean) {
      unreachable.value = !yes
    },
    readings(batch: readonly FloodReading[], receivedAt: number) {
      points.value = applyReadings(points.peek(), batch)
      updatedAt.value = receivedAt
    },
    /** A point's forecast changed or was withdrawn (`forecast:changed`, the server's). */
    forecast(stationId: string, forecast: FloodForecast | null, receivedAt: number) {
      points.value = points.peek().map((p) => (p.id === stationId ? { ...p, forecast } : p))
      updatedAt.value = receivedAt
    },
    alarm(kind: 'raised' | 'updated' | 'cleared', alarm: PublicAlarmView, receivedAt: number) {
      const current = data.peek()
      if (!current) return
      data.value = { ...current, alarms: applyAlarm(current.alarms, kind, alarm) }
      updatedAt.value = receivedAt
    },
  }
}
export type FloodState = ReturnType<typeof createFloodState>
