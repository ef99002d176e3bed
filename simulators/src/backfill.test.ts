import { describe, expect, it } from 'vitest'
import { decodeMessage, floodLevelOf, floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { backfillReadings } from './backfill.ts'

const pack = loadCityPack('tam-ky')
const END = Date.parse('2025-11-30T00:00:00Z')

describe('backfillReadings', () => {
  const rows = [...backfillReadings(pack, { endMs: END })]

  it('gives every station a reading every 5 minutes for 30 days, ending at the end time', () => {
    expect(rows).toHaveLength((30 * 288 + 1) * pack.stations.length)
    expect(rows.at(-1)!.tsMs).toBe(END)
    expect(rows[0]!.tsMs).toBe(END - 30 * 86_400_000)
    const river = rows.filter((r) => r.reading.stationId === 'tam-ky-river').map((r) => r.tsMs)
    expect(river.every((ts, i) => i === 0 || ts - river[i - 1]! === 300_000)).toBe(true)
  })

  it('takes the Tam Kỳ river through BĐ3 once, about ten days back, and calm otherwise', () => {
    const station = pack.stations.find((s) => s.id === 'tam-ky-river')!
    const bd3 = rows.filter((r) => r.reading.stationId === station.id && floodLevelOf(station.levels, r.reading.waterLevelCm) === 3)
    expect(bd3.length).toBeGreaterThan(0)
    for (const { tsMs } of bd3) expect(END - tsMs).toBeGreaterThan(8 * 86_400_000)
    const last = rows.filter((r) => r.reading.stationId === station.id).at(-1)!
    expect(floodLevelOf(station.levels, last.reading.waterLevelCm)).toBe(0)
  })

  it('makes only readings the server accepts', () => {
    const options = { now: END, isKnownStation: () => true, isKnownCamera: () => true }
    for (const { reading, tsMs } of rows.filter((_, i) => i % 97 === 0)) {
      const { stationId, ts: _ts, ...payload } = reading
      const decoded = decodeMessage(floodReadingTopic(stationId), new TextEncoder().encode(JSON.stringify({ ...payload, ts: tsMs })), options)
      expect(decoded.ok).toBe(true)
    }
  })

  it('is the same for the same seed', () => {
    expect([...backfillReadings(pack, { endMs: END, days: 1 })]).toEqual([...backfillReadings(pack, { endMs: END, days: 1 })])
  })
})
