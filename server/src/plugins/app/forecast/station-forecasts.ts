import { FORECAST, floodForecast, type FloodForecast, type FloodLevels, type LatestReading, type ReadingPoint } from '@ioc/shared'

export interface StationForecastDeps {
  latest(stationIds: readonly string[]): Promise<Map<string, LatestReading>>
  /** Raw readings of one station in [fromMs, toMs], oldest first. */
  readingsBetween(stationId: string, fromMs: number, toMs: number): Promise<ReadingPoint[]>
  levelsOf(stationId: string): FloodLevels
  /** A station's forecast changed from what this instance last said (null: withdrawn). */
  changed(stationId: string, forecast: FloodForecast | null): void
  now?: () => number
  /** Least time between two computations of one station's forecast while readings keep coming. */
  minIntervalMs?: number
  /**
   * Further spacing per stored reading the station's last computation read: a station reporting ten
   * times a second has 36,000 readings in its last hour, each computation reads them all, and so the
   * next waits 36,000 × this.
   * @defaultValue 2 ms
   */
  spacingPerReadingMs?: number
}

/**
 * Each station's forecast (`floodForecast`, shared/src/alarms/rise-forecast.ts), always computed from
 * the store — the last hour before the station's newest stored reading, suspect readings left out —
 * never from one instance's memory: with several instances any of them may answer a request or store
 * a reading, and each must say the same.
 *
 * After a reading is stored here its station's forecast is computed again, and a change is passed on
 * (`changed`). One computation per station at a time, and at most one per `minIntervalMs` while
 * readings keep coming (the last reading always gets one): a station reporting every second costs the
 * store a query every two seconds, not every second, and the forecast — rounded to 5 minutes — loses nothing.
 * The more readings a computation read, the longer until the next (`spacingPerReadingMs`), so a station's
 * forecast costs the store about the same per second however fast it reports: the 10-minute soak at ten
 * readings a second per station showed the event loop slowing minute by minute as each query read more.
 */
export function createStationForecasts(deps: StationForecastDeps) {
  const now = deps.now ?? Date.now
  const minIntervalMs = deps.minIntervalMs ?? 2_000
  const spacingPerReadingMs = deps.spacingPerReadingMs ?? 2
  /** Stored readings each station's last computation from the store read. */
  const readCount = new Map<string, number>()
  /** Set by close(): waits end at once, and nothing more is computed. */
  let closed = false
  const sleeping = new Set<() => void>()
  /** What this instance last said of each station, as JSON (a change is a different string). */
  const said = new Map<string, string>()
  const running = new Map<string, Promise<void>>()
  const again = new Set<string>()
  const lastRunAt = new Map<string, number>()

  /**
   * The last forecast made from the store per station, with the newest reading and the levels it was
   * made from: `GET /api/stations` for 10,000 stations asks the store again only for the stations that
   * reported since (a query each), not for all of them on every request. A reading stored or judged here
   * drops the station's entry (`touch`); one judged on another instance without a newer reading is seen
   * with that station's next reading.
   */
  const made = new Map<string, { newestTs: string; levels: string; forecast: FloodForecast | null }>()

  /** The forecast from a station's stored last hour; null without readings, when withheld, or when its time is past (a silent station). */
  async function fromStore(stationId: string, latest: LatestReading | undefined): Promise<FloodForecast | null> {
    if (!latest) return null
    const newestMs = Date.parse(latest.ts)
    // A forecast reaches at most the horizon past the newest reading: past that, nothing to ask the store.
    if (newestMs + FORECAST.horizonMs <= now()) return null
    const levels = deps.levelsOf(stationId)
    const levelsKey = `${levels.bd1}/${levels.bd2}/${levels.bd3}`
    let entry = made.get(stationId)
    if (!entry || entry.newestTs !== latest.ts || entry.levels !== levelsKey) {
      const points = await deps.readingsBetween(stationId, newestMs - FORECAST.windowMs, newestMs)
      readCount.set(stationId, points.length)
      const forecast = floodForecast(
        points.filter((p) => !p.suspect).map((p) => ({ ts: Date.parse(p.ts), cm: p.waterLevelCm })),
        levels,
      )
      entry = { newestTs: latest.ts, levels: levelsKey, forecast }
      made.set(stationId, entry)
    }
    return entry.forecast && Date.parse(entry.forecast.at) > now() ? entry.forecast : null
  }

  async function recompute(stationId: string): Promise<void> {
    lastRunAt.set(stationId, now())
    made.delete(stationId)
    const latest = await deps.latest([stationId])
    const forecast = await fromStore(stationId, latest.get(stationId))
    const text = JSON.stringify(forecast)
    if (said.get(stationId) === text) return
    said.set(stationId, text)
    deps.changed(stationId, forecast)
  }

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running.values()])
  }

  async function run(stationId: string): Promise<void> {
    try {
      do {
        if (closed) return
        const spacing = Math.max(minIntervalMs, (readCount.get(stationId) ?? 0) * spacingPerReadingMs)
        const wait = (lastRunAt.get(stationId) ?? -Infinity) + spacing - now()
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              sleeping.delete(wake)
              clearTimeout(timer)
              resolve()
            }
            const timer = setTimeout(wake, wait).unref()
            sleeping.add(wake)
          })
        }
        if (closed) return
        // Readings stored while waiting are in the store by now: this computation covers them.
        again.delete(stationId)
        await recompute(stationId)
      } while (again.has(stationId))
    } finally {
      running.delete(stationId)
    }
  }

  return {
    /** Forecasts of these stations, from the store; `latest` when the caller has it already. */
    async forStations(stationIds: readonly string[], latest?: Map<string, LatestReading>): Promise<Map<string, FloodForecast | null>> {
      const newest = latest ?? (await deps.latest(stationIds))
      const out = new Map<string, FloodForecast | null>()
      for (const id of stationIds) out.set(id, await fromStore(id, newest.get(id)))
      return out
    },
    /** A station's readings (or levels) changed: compute its forecast again, and pass on a change. */
    touch(stationId: string): Promise<void> {
      made.delete(stationId)
      const current = running.get(stationId)
      if (current) {
        again.add(stationId)
        return current
      }
      const started = run(stationId)
      running.set(stationId, started)
      return started
    },
    /** Resolves once every computation under way (and the ones they owe) is done: for tests. */
    idle,
    /** Shutdown: computations waiting for their turn are dropped; resolves once the one under way is done. */
    close(): Promise<void> {
      closed = true
      for (const wake of [...sleeping]) wake()
      return idle()
    },
  }
}
export type StationForecasts = ReturnType<typeof createStationForecasts>
