/**
 * The alarm engine's own cost per reading (issue #17): 100 stations' readings handed to the engine as
 * the ingest hands them (`onReading`, 64 at a time, then waiting until they are evaluated), no alarm
 * changing, the store never asked (the engine's repository and history are stand-ins). The figure: a
 * reading every 5 s per station once each station's rise window is full (720 points, an hour); the
 * baseline, in the same run: readings 1 ms apart, which the window thins to 2 points. Each reading's
 * rapid-rise rate is a least-squares fit over the whole window, so the ratio is what a full window
 * costs on top of everything else the engine does for a reading.
 */
import { DEFAULT_ALARM_SETTINGS, packMaxChangeCmPerMinute, type FloodReading, type StationAlarmSettings, type StationDef } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { createAlarmEngine, type AlarmEngineDeps } from '@ioc/server/alarm-engine'
import type { Figure, Suite } from '../lib/report.ts'
import { median } from '../lib/stats.ts'

const STATIONS = 100
/** Readings per station before a round is timed: fills a 60-minute window at one point per 5 s. */
const WARM_UP_PER_STATION = 800

export const alarmsSuite: Suite = async ({ quick, log }) => {
  const rounds = quick ? 1 : 5
  const perRound = quick ? 20_000 : 200_000
  const full = await engineCost(5_000, rounds, perRound)
  const thin = await engineCost(1, rounds, perRound)
  log(`full rise windows (a reading every 5 s): ${full.map((x) => x.toFixed(2)).join(', ')} µs a reading`)
  log(`2-point windows (readings 1 ms apart): ${thin.map((x) => x.toFixed(2)).join(', ')} µs a reading`)
  const value = median(full)
  const baseline = median(thin)
  const figure: Figure = {
    name: 'alarms · a reading through the engine, rise windows full (720 points)',
    value,
    unit: 'µs/reading',
    baseline,
    ratio: value / baseline,
    target: '≤ 3× (informational)',
    note: `${STATIONS} stations, median of ${rounds} rounds of ${perRound.toLocaleString('en-US')} readings; baseline: the same engine with 2-point windows`,
  }
  return [figure]
}

/** µs per reading in each round, for readings `spacingMs` apart per station, after each station's window has filled. */
async function engineCost(spacingMs: number, rounds: number, perRound: number): Promise<number[]> {
  const base = loadCityPack('tam-ky').stations[0]!
  const stations = new Map<string, StationDef>(Array.from({ length: STATIONS }, (_, i) => [`s${i}`, { ...base, id: `s${i}` }]))
  const settings: StationAlarmSettings = { ...DEFAULT_ALARM_SETTINGS, levels: base.levels, maxChangeCmPerMinute: packMaxChangeCmPerMinute(base) }
  const ignore = () => undefined
  // The engine logs what failed in an evaluation and goes on: a stand-in it called would fail there,
  // and the figure would time a path no server takes. So any such failure fails the suite.
  const failures: unknown[] = []
  const engine = createAlarmEngine({
    // Nothing is ever open, and nothing changes: the level stays far below BĐ1 and rises by nothing.
    repo: { open: async () => [] } as unknown as AlarmEngineDeps['repo'],
    stations,
    cameras: new Map(),
    settingsOf: () => settings,
    readingsBetween: async () => [],
    judged: async () => undefined,
    publish: ignore,
    log: { info: ignore, warn: ignore, error: (failure: unknown) => failures.push(failure), debug: ignore } as unknown as AlarmEngineDeps['log'],
  })
  await engine.start(new Map())
  const total = WARM_UP_PER_STATION * STATIONS + rounds * perRound
  const t0 = Date.now() - (total / STATIONS) * spacingMs
  let n = 0
  const feed = async (count: number) => {
    for (let i = 0; i < count; i++, n++) {
      const reading: FloodReading = { stationId: `s${n % STATIONS}`, ts: new Date(t0 + Math.floor(n / STATIONS) * spacingMs).toISOString(), waterLevelCm: 50 + (n % 7) * 0.1, batteryPct: 90 }
      void engine.onReading(reading)
      if (i % 64 === 63) await engine.idle()
    }
    await engine.idle()
  }
  try {
    await feed(WARM_UP_PER_STATION * STATIONS)
    const costs: number[] = []
    for (let round = 0; round < rounds; round++) {
      const start = performance.now()
      await feed(perRound)
      costs.push(((performance.now() - start) * 1000) / perRound)
    }
    if (failures.length > 0) throw new Error(`the alarm engine failed ${failures.length} evaluations, e.g. ${JSON.stringify(failures[0])}`)
    return costs
  } finally {
    await engine.stop()
  }
}
