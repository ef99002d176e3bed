import { cameraStatusTopic, floodLevelOf, floodReadingTopic, FloodLevel, type StationDef } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cameraPayload, floodPayload } from '../payloads.ts'
import { decodeAsServer, judgeSeries } from '../test-support.ts'
import { calmReading } from './calm.ts'
import { STORM_GAP_TICKS, STORM_RIVER, STORM_TICKS, rainIntensity, stormCamera, stormReading, stormScenario } from './storm.ts'

const pack = loadCityPack('tam-ky')
const station = (id: string): StationDef => pack.stations.find((s) => s.id === id)!
const tamKy = station('tam-ky-river')
const seeds = fc.integer({ min: 0, max: 0xffff_ffff })
const NOW = Date.UTC(2025, 9, 30, 1, 0, 0)

/** The water levels one station reports over one storm. */
function levels(seed: number, s: StationDef, loop = false, from = 0): number[] {
  return Array.from({ length: STORM_TICKS }, (_, i) => stormReading(seed, s, from + i, loop).waterLevelCm)
}

function firstTickAtOrAbove(series: number[], level: number): number {
  return series.findIndex((value) => value >= level)
}

describe('storm', () => {
  it('takes the Tam Kỳ river from its normal level through BĐ1, BĐ2 and BĐ3 to a crest just above 270 cm, and back below BĐ1', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const series = levels(seed, tamKy)
        const { bd1, bd2, bd3 } = tamKy.levels
        expect(floodLevelOf(tamKy.levels, series[0]!)).toBe(FloodLevel.normal)
        const [t1, t2, t3] = [firstTickAtOrAbove(series, bd1), firstTickAtOrAbove(series, bd2), firstTickAtOrAbove(series, bd3)]
        expect(t1).toBeGreaterThan(0)
        expect(t2).toBeGreaterThan(t1)
        expect(t3).toBeGreaterThan(t2)
        const crest = Math.max(...series)
        expect(crest).toBeGreaterThan(270)
        expect(crest).toBeLessThan(278)
        const peakTick = series.indexOf(crest)
        const backBelowBd1 = series.findIndex((value, tick) => tick > peakTick && floodLevelOf(tamKy.levels, value) === FloodLevel.normal)
        expect(backBelowBd1).toBeGreaterThan(peakTick)
        expect(series.slice(backBelowBd1).every((value) => value < bd1)).toBe(true)
      }),
      { numRuns: 25 },
    )
  })

  it('raises every river station in proportion to its own levels', () => {
    const rivers = pack.stations.filter((s) => s.kind === 'river' || s.kind === 'bridge')
    expect(rivers.map((s) => s.id)).toContain('cau-xuan-quy')
    for (const river of rivers) {
      const series = levels(1, river)
      const crest = Math.max(...series)
      expect(floodLevelOf(river.levels, crest)).toBe(FloodLevel.bd3)
      expect(crest - river.levels.bd3).toBeLessThan(0.15 * (river.levels.bd3 - river.levels.bd2))
      expect(floodLevelOf(river.levels, series.at(-1)!)).toBe(FloodLevel.normal)
    }
  })

  it('floods the Hòa Hương street points to at least BĐ2 with the rain, and drains them', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const id of ['hoa-huong-1', 'hoa-huong-2']) {
          const point = station(id)
          const series = levels(seed, point)
          expect(floodLevelOf(point.levels, Math.max(...series))).toBeGreaterThanOrEqual(FloodLevel.bd2)
          // Quick drain: dry again well before the river has gone down.
          expect(series.slice(STORM_RIVER.peak).every((depth) => depth < point.levels.bd1)).toBe(true)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('rains first: the river starts rising after the rain, and crests once it has stopped', () => {
    const cityRain = Array.from({ length: STORM_TICKS }, (_, tick) => pack.stations.reduce((sum, s) => sum + stormReading(1, s, tick, false).rainfallMm!, 0))
    // Storm rain, not a calm shower: more than 1 mm per station on average.
    const raining = cityRain.map((mm) => mm > pack.stations.length)
    const river = levels(1, tamKy)
    const rising = river.findIndex((level) => level > river[0]! + 20)
    expect(raining.indexOf(true)).toBeLessThan(rising)
    expect(raining.lastIndexOf(true)).toBeLessThan(river.indexOf(Math.max(...river)))
    expect(cityRain.reduce((a, b) => a + b, 0) / pack.stations.length).toBeGreaterThan(300)
  })

  it('knocks some cameras down or offline during the heaviest rain, and only then', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const heavyTicks = Array.from({ length: STORM_TICKS }, (_, tick) => tick).filter((tick) => tick % 5 === 0 && rainIntensity(tick) >= 0.7)
        const heavy = pack.cameras.flatMap((camera) => heavyTicks.map((tick) => stormCamera(seed, camera, tick, false)))
        expect(heavy.some((status) => status.state !== 'online')).toBe(true)
        const dryTicks = Array.from({ length: STORM_TICKS }, (_, tick) => tick).filter((tick) => tick % 5 === 0 && rainIntensity(tick) === 0)
        for (const camera of pack.cameras) {
          for (const tick of dryTicks) expect(stormCamera(seed, camera, tick, false).state).not.toBe('offline')
        }
      }),
      { numRuns: 25 },
    )
  })

  it('produces only payloads the server accepts', () => {
    const scenario = stormScenario(3, true)
    for (let tick = 0; tick < 2 * (STORM_TICKS + STORM_GAP_TICKS); tick++) {
      for (const s of pack.stations) {
        const decoded = decodeAsServer(pack, floodReadingTopic(s.id), floodPayload(scenario.reading(s, tick), NOW), NOW)
        expect(decoded, `${s.id} at tick ${tick}`).toMatchObject({ ok: true })
      }
      if (tick % scenario.cameraEveryTicks !== 0) continue
      for (const camera of pack.cameras) {
        const decoded = decodeAsServer(pack, cameraStatusTopic(camera.id), cameraPayload(scenario.camera(camera, tick), NOW, 1000), NOW)
        expect(decoded, `${camera.id} at tick ${tick}`).toMatchObject({ ok: true })
      }
    }
  })

  it('gives the same values for the same seed and different values for another', () => {
    const run = (seed: number) => {
      const scenario = stormScenario(seed, false)
      return Array.from({ length: STORM_TICKS }, (_, tick) => ({
        readings: pack.stations.map((s) => scenario.reading(s, tick)),
        cameras: pack.cameras.map((c) => scenario.camera(c, tick)),
      }))
    }
    expect(run(42)).toEqual(run(42))
    expect(run(42)).not.toEqual(run(43))
  })

  it('repeats with --loop after a calm gap; without it, calm weather follows the storm', () => {
    const cycle = STORM_TICKS + STORM_GAP_TICKS
    const secondStorm = levels(1, tamKy, true, cycle)
    expect(Math.max(...secondStorm)).toBeGreaterThan(tamKy.levels.bd3)
    for (let tick = STORM_TICKS; tick < cycle; tick++) {
      expect(stormReading(1, tamKy, tick, true).waterLevelCm).toBeLessThan(tamKy.levels.bd1)
    }
    for (let tick = STORM_TICKS; tick < 3 * cycle; tick += 11) {
      expect(stormReading(1, tamKy, tick, false)).toEqual(calmReading(1, tamKy, tick))
    }
  })

  it('moves no station further between two readings than its water can: the alarm engine holds none of the storm suspect', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const s of pack.stations) {
          // Two storms and the calm between, looping, at the default rate of one tick a second.
          const series = Array.from({ length: 2 * (STORM_TICKS + STORM_GAP_TICKS) }, (_, tick) => stormReading(seed, s, tick, true).waterLevelCm)
          expect(judgeSeries(s, series, 1).suspect, s.id).toEqual([])
        }
      }),
      { numRuns: 10 },
    )
  })

  it('joins calm weather without a jump at the end of the storm', () => {
    for (const s of pack.stations) {
      const last = stormReading(1, s, STORM_TICKS - 1, false).waterLevelCm
      const next = stormReading(1, s, STORM_TICKS, false).waterLevelCm
      expect(Math.abs(next - last), s.id).toBeLessThan(3)
    }
  })
})
