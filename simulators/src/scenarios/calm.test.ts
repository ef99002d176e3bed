import { cameraStatusTopic, floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { describe, expect, it } from 'vitest'
import { cameraPayload, floodPayload } from '../payloads.ts'
import { decodeAsServer } from '../test-support.ts'
import { calmCamera, calmReading, calmScenario } from './calm.ts'

const pack = loadCityPack('tam-ky')
const TICKS = 6000
const NOW = Date.UTC(2025, 9, 30, 1, 0, 0)

describe('calm', () => {
  it('keeps rivers and coastal stations inside their typical range', () => {
    for (const station of pack.stations.filter((s) => s.kind !== 'street')) {
      const { typicalLowCm, typicalHighCm } = station.stageScale
      for (let tick = 0; tick < TICKS; tick += 7) {
        const { waterLevelCm } = calmReading(1, station, tick)
        // ±0.4 cm of sensor noise on top of a stage clamped to the typical range.
        expect(waterLevelCm).toBeGreaterThanOrEqual(typicalLowCm - 0.5)
        expect(waterLevelCm).toBeLessThanOrEqual(typicalHighCm + 0.5)
      }
    }
  })

  it('drifts river levels slowly rather than jumping', () => {
    const river = pack.stations.find((s) => s.id === 'tam-ky-river')!
    for (let tick = 1; tick < TICKS; tick++) {
      expect(Math.abs(calmReading(1, river, tick).waterLevelCm - calmReading(1, river, tick - 1).waterLevelCm)).toBeLessThan(3)
    }
  })

  it('keeps street points dry but for the odd 1–3 cm puddle, and rain mostly at 0', () => {
    const street = pack.stations.find((s) => s.id === 'hoa-huong-1')!
    const readings = Array.from({ length: TICKS }, (_, tick) => calmReading(1, street, tick))
    const depths = readings.map((r) => r.waterLevelCm)
    expect(Math.min(...depths)).toBe(0)
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...depths)).toBeLessThanOrEqual(3.2)
    expect(depths.filter((d) => d === 0).length / TICKS).toBeGreaterThan(0.8)
    expect(readings.filter((r) => r.rainfallMm === 0).length / TICKS).toBeGreaterThan(0.9)
  })

  it('drains batteries slowly from about 95 %', () => {
    for (const station of pack.stations) {
      const first = calmReading(1, station, 0).batteryPct!
      expect(first).toBeGreaterThanOrEqual(93)
      expect(first).toBeLessThanOrEqual(97)
      let previous = first
      for (let tick = 100; tick < TICKS; tick += 100) {
        const battery = calmReading(1, station, tick).batteryPct!
        expect(battery).toBeLessThanOrEqual(previous)
        previous = battery
      }
      expect(first - previous).toBeLessThan(5)
    }
  })

  it('keeps cameras mostly online at about 25 fps and 2000–4000 kbps, now and then degraded', () => {
    const statuses = pack.cameras.flatMap((camera) => Array.from({ length: TICKS / 5 }, (_, i) => calmCamera(1, camera, i * 5)))
    const online = statuses.filter((s) => s.state === 'online')
    expect(online.length / statuses.length).toBeGreaterThan(0.9)
    expect(statuses.some((s) => s.state === 'degraded')).toBe(true)
    expect(statuses.some((s) => s.state === 'offline')).toBe(false)
    for (const status of online) {
      expect(status.fps).toBeGreaterThanOrEqual(24)
      expect(status.fps).toBeLessThanOrEqual(25)
      expect(status.bitrateKbps).toBeGreaterThanOrEqual(1850)
      expect(status.bitrateKbps).toBeLessThanOrEqual(4150)
    }
  })

  it('produces only payloads the server accepts', () => {
    const scenario = calmScenario(5)
    for (let tick = 0; tick < 1500; tick++) {
      for (const station of pack.stations) {
        expect(decodeAsServer(pack, floodReadingTopic(station.id), floodPayload(scenario.reading(station, tick), NOW), NOW)).toMatchObject({ ok: true })
      }
      if (tick % scenario.cameraEveryTicks !== 0) continue
      for (const camera of pack.cameras) {
        expect(decodeAsServer(pack, cameraStatusTopic(camera.id), cameraPayload(scenario.camera(camera, tick), NOW, 1000), NOW)).toMatchObject({ ok: true })
      }
    }
  })

  it('gives the same values for the same seed and different values for another', () => {
    const run = (seed: number) => pack.stations.flatMap((station) => Array.from({ length: 200 }, (_, tick) => calmReading(seed, station, tick)))
    expect(run(11)).toEqual(run(11))
    expect(run(11)).not.toEqual(run(12))
  })
})
