/**
 * Forecast accuracy (issue 19, part 3): on the simulators' storm, replayed in memory from its seeded
 * random (tests/bench/lib/forecast-accuracy.ts), the forecast made 60, 30 and 10 minutes before each
 * first upward crossing of BĐ1, BĐ2 and BĐ3 against the time it happened. Prints every crossing of
 * the first seed, then per lead and station kind the median, 90th percentile and worst error over all
 * seeds, and how often no forecast was shown for the level. One storm tick stands for 10 minutes (what
 * storm.ts says) and, as a second pace, 5 minutes (the river stations' reporting interval).
 */
import { loadCityPack } from '@ioc/shared/city-packs'
import type { Figure, Suite } from '../lib/report.ts'
import { crossingTable, measureStormForecasts, summarize, type Crossing } from '../lib/forecast-accuracy.ts'

export const forecastSuite: Suite = async ({ quick, log }) => {
  const stations = loadCityPack('tam-ky').stations
  const kindOf = new Map(stations.map((s) => [s.id, s.kind]))
  const seeds = Array.from({ length: quick ? 2 : 20 }, (_, i) => i + 1)
  const figures: Figure[] = []
  for (const tickMin of [10, 5]) {
    const { crossings, falseForecasts } = measureStormForecasts(stations, seeds, tickMin * 60_000)
    if (tickMin === 10) for (const line of crossingTable(crossings.filter((c) => c.seed === 1)).split('\n')) log(line)
    const groups: Array<[string, Crossing[]]> = [
      ['rivers, bridge, coast', crossings.filter((c) => kindOf.get(c.stationId) !== 'street')],
      ['street points', crossings.filter((c) => kindOf.get(c.stationId) === 'street')],
    ]
    log('')
    log(`one tick = ${tickMin} min, seeds 1–${seeds.length}: ${falseForecasts.shown} readings showed a forecast, ${falseForecasts.unreached} of them for a level not reached by its time + 1 h`)
    for (const [group, of] of groups) {
      for (const s of summarize(of)) {
        log(`${group.padEnd(22)} ${String(s.lead).padStart(2)} min ahead: ${s.forecasts}/${s.crossings} forecast, median |error| ${s.medianAbsMin} min, p90 ${s.p90AbsMin}, worst ${s.maxAbsMin}, median bias ${s.medianBiasMin}`)
        figures.push({
          name: `forecast · ${group} · ${s.lead} min ahead · tick ${tickMin} min`,
          value: s.p90AbsMin ?? NaN,
          unit: 'min p90 |error|',
          note: `${s.forecasts}/${s.crossings} crossings had a forecast; median ${s.medianAbsMin}, worst ${s.maxAbsMin} min`,
        })
      }
    }
  }
  return figures
}
