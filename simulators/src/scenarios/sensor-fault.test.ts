import { cameraStatusTopic, floodLevelOf, floodReadingTopic, FloodLevel, type StationDef } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../cli-args.ts'
import { cameraPayload, floodPayload } from '../payloads.ts'
import { decodeAsServer, judgeSeries } from '../test-support.ts'
import { calmReading } from './calm.ts'
import { DROPOUT, RAPID_RISE, SENSOR_FAULT_TICKS, SPIKES, STUCK, castSensorFaults, sensorFaultScenario } from './sensor-fault.ts'

const pack = loadCityPack('tam-ky')
const station = (id: string): StationDef => pack.stations.find((s) => s.id === id)!
const seeds = fc.integer({ min: 0, max: 0xffff_ffff })
const NOW = Date.UTC(2025, 9, 30, 1, 0, 0)
/** Seconds of data time per tick at the CLI's default rate: readings carry the wall clock. */
const SECONDS_PER_TICK = 1 / (parseCli(['sensor-fault'], {}) as { rate: number }).rate

const ticks = (from: number, until: number) => Array.from({ length: until - from }, (_, i) => from + i)

function levels(seed: number, id: string, from = 0, until = SENSOR_FAULT_TICKS, loop = false): Array<number | undefined> {
  const scenario = sensorFaultScenario(seed, pack, loop)
  return ticks(from, until).map((tick) => scenario.reading(station(id), tick)?.waterLevelCm)
}

describe('sensor-fault', () => {
  it('gives each fault to its own station, the street points left over staying calm', () => {
    const cast = castSensorFaults(pack)
    expect({
      rapidRise: cast.rapidRise?.id,
      spikes: cast.spikes?.id,
      stuck: cast.stuck?.id,
      dropout: cast.dropout?.id,
      lowBattery: cast.lowBattery?.id,
    }).toEqual({
      rapidRise: 'tam-ky-river',
      spikes: 'cau-xuan-quy',
      stuck: 'ban-thach-an-phu',
      dropout: 'hoa-huong-1',
      lowBattery: 'truong-giang-tam-thanh',
    })
    const scenario = sensorFaultScenario(1, pack, false)
    for (const id of ['hoa-huong-2', 'tam-ngoc-low-field', 'an-son-street']) {
      for (const tick of ticks(0, SENSOR_FAULT_TICKS)) expect(scenario.reading(station(id), tick)).toEqual(calmReading(1, station(id), tick))
    }
  })

  it('holds the stuck station at one value for the whole stretch while the other rivers move', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const stuck = levels(seed, 'ban-thach-an-phu', STUCK.from, STUCK.until)
        expect(new Set(stuck).size).toBe(1)
        expect(stuck[0]).toBe(calmReading(seed, station('ban-thach-an-phu'), STUCK.from).waterLevelCm)
        const after = levels(seed, 'ban-thach-an-phu', STUCK.until, STUCK.until + 30)
        expect(after.filter((cm) => cm !== stuck[0]).length).toBeGreaterThan(20)
        for (const id of ['tam-ky-river', 'truong-giang-tam-thanh']) {
          expect(new Set(levels(seed, id, STUCK.from, STUCK.until)).size, id).toBeGreaterThan(100)
        }
      }),
      { numRuns: 20 },
    )
  })

  it('spikes by 150–300 cm for single readings only, each one crossing BĐ1 and one crossing BĐ3', () => {
    const bridge = station('cau-xuan-quy')
    fc.assert(
      fc.property(seeds, (seed) => {
        const series = levels(seed, bridge.id)
        const jumps = series.map((cm, tick) => cm! - calmReading(seed, bridge, tick).waterLevelCm)
        const spiked = jumps.flatMap((jump, tick) => (jump > 1e-6 ? [tick] : []))
        expect(spiked).toEqual(SPIKES.map(([tick]) => tick))
        for (const tick of spiked) {
          expect(jumps[tick]).toBeGreaterThanOrEqual(150 - 1e-6)
          expect(jumps[tick]).toBeLessThanOrEqual(300 + 1e-6)
          expect(floodLevelOf(bridge.levels, series[tick]!)).toBeGreaterThanOrEqual(FloodLevel.bd1)
          // Back to the true level at once: the readings either side are below BĐ1.
          expect(floodLevelOf(bridge.levels, series[tick - 1]!)).toBe(FloodLevel.normal)
          expect(floodLevelOf(bridge.levels, series[tick + 1]!)).toBe(FloodLevel.normal)
        }
        expect(Math.max(...spiked.map((tick) => floodLevelOf(bridge.levels, series[tick]!)))).toBe(FloodLevel.bd3)
      }),
      { numRuns: 20 },
    )
  })

  it('has every spike held as suspect and dropped at the next reading: no flood alarm, and a run of them for technicians', () => {
    const bridge = station('cau-xuan-quy')
    fc.assert(
      fc.property(seeds, (seed) => {
        const series = levels(seed, bridge.id)
        const { suspect, taken } = judgeSeries(bridge, series, SECONDS_PER_TICK)
        expect(suspect).toEqual(SPIKES.map(([tick]) => tick))
        // Every other reading is taken, in order, and none of them reaches BĐ1: nothing to page anyone for.
        expect(taken).toEqual(ticks(0, SENSOR_FAULT_TICKS).filter((tick) => !suspect.includes(tick)))
        expect(Math.max(...taken.map((tick) => floodLevelOf(bridge.levels, series[tick]!)))).toBe(FloodLevel.normal)
        // Seven glitches within seven minutes: more than the three an hour that raise sensor_suspect.
        expect((SPIKES.at(-1)![0] - SPIKES[2]![0]) * SECONDS_PER_TICK).toBeLessThan(3600)
      }),
      { numRuns: 20 },
    )
  })

  it('drops no other reading: the rapid rise and the return after the dropout are never suspect, a stuck sensor letting go at most until the next reading', () => {
    const cast = castSensorFaults(pack)
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const s of pack.stations.filter((s) => s.id !== cast.spikes?.id)) {
          const series = levels(seed, s.id)
          const { suspect, taken } = judgeSeries(s, series, SECONDS_PER_TICK)
          // The stuck sensor's first true reading may be further than 25 cm from its frozen value (the
          // river moved meanwhile): suspect until the next reading, a moment later, confirms it — or,
          // when that next one is back within reach of the frozen value (the reach grows with the time
          // since it), dropped as a glitch: a borderline jump, 15 seeds in 4,000.
          const release = (tick: number) => s.id === cast.stuck?.id && tick === STUCK.until
          // Every other reading is taken, in order: none is a glitch, so none counts towards sensor_suspect.
          expect(taken.filter((tick) => !release(tick)), s.id).toEqual(ticks(0, SENSOR_FAULT_TICKS).filter((tick) => series[tick] !== undefined && !release(tick)))
          expect(suspect.filter((tick) => !release(tick)), s.id).toEqual([])
        }
      }),
      // 3337742027: a seed whose release reading is dropped (found when this test failed a suite run: about one run in 25).
      { numRuns: 10, examples: [[3_337_742_027]] },
    )
  })

  it('leaves the dropout station silent for exactly the stated ticks, over 5 of its expected intervals, and only it', () => {
    const scenario = sensorFaultScenario(1, pack, false)
    const point = station('hoa-huong-1')
    const silent = ticks(0, SENSOR_FAULT_TICKS).filter((tick) => scenario.reading(point, tick) === null)
    expect(silent).toEqual(ticks(DROPOUT.from, DROPOUT.until))
    expect(scenario.reading(point, DROPOUT.until)?.seq).toBe(DROPOUT.until)
    expect(silent.length * SECONDS_PER_TICK).toBeGreaterThan(5 * point.expectedIntervalS)
    for (const other of pack.stations.filter((s) => s !== point)) {
      for (const tick of ticks(0, SENSOR_FAULT_TICKS)) expect(scenario.reading(other, tick), `${other.id} at ${tick}`).not.toBeNull()
    }
  })

  it('drains one battery from 40 % to 8 %, crossing 20 %, and replaces it when the run loops', () => {
    const scenario = sensorFaultScenario(1, pack, true)
    const battery = ticks(0, SENSOR_FAULT_TICKS).map((tick) => scenario.reading(station('truong-giang-tam-thanh'), tick)!.batteryPct!)
    expect(battery[0]).toBe(40)
    expect(battery.at(-1)).toBeCloseTo(8, 0)
    battery.slice(1).forEach((pct, i) => expect(pct).toBeLessThanOrEqual(battery[i]!))
    const low = battery.findIndex((pct) => pct < 20)
    expect(low).toBeGreaterThan(700)
    expect(low).toBeLessThan(800)
    expect(battery.slice(low).every((pct) => pct < 20)).toBe(true)
    expect(scenario.reading(station('truong-giang-tam-thanh'), SENSOR_FAULT_TICKS)!.batteryPct).toBe(40)
  })

  it('raises the rapid-rise river by at least 30 cm, far above 30 cm/h of data time at the default rate, and keeps it below BĐ1', () => {
    const river = station('tam-ky-river')
    fc.assert(
      fc.property(seeds, (seed) => {
        const series = levels(seed, river.id) as number[]
        const rise = series[RAPID_RISE.crest]! - series[RAPID_RISE.from]!
        const hours = ((RAPID_RISE.crest - RAPID_RISE.from) * SECONDS_PER_TICK) / 3600
        // A rise of 30 cm or more is over 30 cm/h even when averaged over a whole hour.
        expect(rise).toBeGreaterThan(30)
        expect(rise / hours).toBeGreaterThan(30 * 10)
        expect(Math.max(...series)).toBeLessThan(river.levels.bd1)
        // Calm before and after: the rise starts and ends where calm weather is.
        expect(series[RAPID_RISE.from - 1]).toBe(calmReading(seed, river, RAPID_RISE.from - 1).waterLevelCm)
        expect(series[RAPID_RISE.until]).toBe(calmReading(seed, river, RAPID_RISE.until).waterLevelCm)
      }),
      { numRuns: 25 },
    )
    // The engine only computes a rate once a station's readings span 15 min: the rise comes after that.
    expect(RAPID_RISE.from * SECONDS_PER_TICK).toBeGreaterThanOrEqual(15 * 60)
  })

  it('says in its phase line what is happening', () => {
    const { phase } = sensorFaultScenario(1, pack, false)
    expect(phase(10)).toBe('sensor-fault 10/1200: truong-giang-tam-thanh battery 39.7 %')
    expect(phase(200)).toMatch(/^sensor-fault 200\/1200: ban-thach-an-phu stuck at \d+\.\d cm; cau-xuan-quy spiking; hoa-huong-1 silent for 21\/720 ticks; truong-giang-tam-thanh battery \d+\.\d %$/)
    expect(phase(1000)).toMatch(/tam-ky-river rising fast/)
    expect(phase(1050)).toMatch(/tam-ky-river high after a fast rise/)
    expect(phase(1100)).toMatch(/tam-ky-river falling back/)
    expect(phase(SENSOR_FAULT_TICKS)).toBe('sensor faults over: every station reporting normally')
  })

  it('repeats with --loop; without it, calm weather follows the run', () => {
    const looping = sensorFaultScenario(1, pack, true)
    const once = sensorFaultScenario(1, pack, false)
    expect(looping.reading(station('hoa-huong-1'), SENSOR_FAULT_TICKS + DROPOUT.from)).toBeNull()
    const [spikeTick] = SPIKES[0]!
    const bridge = station('cau-xuan-quy')
    const cycleTick = SENSOR_FAULT_TICKS + spikeTick
    expect(looping.reading(bridge, cycleTick)!.waterLevelCm).toBeGreaterThan(calmReading(1, bridge, cycleTick).waterLevelCm + 100)
    for (const s of pack.stations) {
      for (const tick of ticks(SENSOR_FAULT_TICKS, 2 * SENSOR_FAULT_TICKS).filter((t) => t % 7 === 0)) {
        expect(once.reading(s, tick)).toEqual(calmReading(1, s, tick))
      }
    }
  })

  it('produces only payloads the server accepts, and keeps every camera online', () => {
    const scenario = sensorFaultScenario(3, pack, true)
    for (let tick = 0; tick < SENSOR_FAULT_TICKS + 30; tick++) {
      for (const s of pack.stations) {
        const values = scenario.reading(s, tick)
        if (values === null) continue
        expect(decodeAsServer(pack, floodReadingTopic(s.id), floodPayload(values, NOW), NOW), `${s.id} at tick ${tick}`).toMatchObject({ ok: true })
      }
      if (tick % scenario.cameraEveryTicks !== 0) continue
      for (const camera of pack.cameras) {
        const status = scenario.camera(camera, tick)
        expect(status.state).toBe('online')
        expect(decodeAsServer(pack, cameraStatusTopic(camera.id), cameraPayload(status, NOW, 1000), NOW)).toMatchObject({ ok: true })
      }
    }
  })

  it('gives the same values for the same seed and different values for another', () => {
    const run = (seed: number) => {
      const scenario = sensorFaultScenario(seed, pack, false)
      return ticks(0, SENSOR_FAULT_TICKS).map((tick) => pack.stations.map((s) => scenario.reading(s, tick)))
    }
    expect(run(42)).toEqual(run(42))
    expect(run(42)).not.toEqual(run(43))
  })
})
