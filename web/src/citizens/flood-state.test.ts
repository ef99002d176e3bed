import { describe, expect, it } from 'vitest'
import type { AlarmView } from '@ioc/shared'
import { applyAlarm, applyReadings, sortPoints, type LivePoint } from './flood-state.ts'
import { retryAfterMs } from './flood-api.ts'

function point(id: string, floodLevel: number, latest: LivePoint['latest'] = null): LivePoint {
  const text = { vi: id, en: id }
  return { id, name: text, place: text, areaId: '1', areaName: text, lon: 108.5, lat: 15.6, levels: { bd1: 150, bd2: 200, bd3: 250 }, latest, floodLevel, forecast: null, spark: [], expectedIntervalS: 300, live: [] }
}

function alarm(patch: Partial<AlarmView>): AlarmView {
  return {
    id: 1,
    type: 'flood_level',
    source: { kind: 'station', id: 'cau-xuan-quy' },
    areaId: '20362',
    level: 1,
    raisedLevel: 1,
    severity: 10,
    state: 'active',
    value: 182,
    raisedAt: '2025-10-30T07:00:00Z',
    updatedAt: '2025-10-30T07:00:00Z',
    clearedAt: null,
    acknowledged: null,
    ...patch,
  }
}

describe('applyReadings', () => {
  it('makes a newer reading the latest, at the flood level it stands at', () => {
    const [next] = applyReadings([point('cau-xuan-quy', 0, { ts: '2025-10-30T07:00:00Z', waterLevelCm: 120 })], [{ stationId: 'cau-xuan-quy', ts: '2025-10-30T07:05:00Z', waterLevelCm: 205 }])
    expect(next?.latest).toEqual({ ts: '2025-10-30T07:05:00Z', waterLevelCm: 205 })
    expect(next?.floodLevel).toBe(2)
    expect(next?.live).toHaveLength(1)
  })

  it('keeps the latest when an older reading arrives late, but still uses it for the trend', () => {
    const before = point('cau-xuan-quy', 1, { ts: '2025-10-30T07:05:00Z', waterLevelCm: 160 })
    const [next] = applyReadings([before], [{ stationId: 'cau-xuan-quy', ts: '2025-10-30T07:00:00Z', waterLevelCm: 100 }])
    expect(next?.latest).toEqual(before.latest)
    expect(next?.floodLevel).toBe(1)
    expect(next?.live).toEqual([{ ts: '2025-10-30T07:00:00Z', waterLevelCm: 100 }])
  })

  it('leaves other points as they were', () => {
    const other = point('tam-ky-river', 0)
    expect(applyReadings([other], [{ stationId: 'cau-xuan-quy', ts: '2025-10-30T07:00:00Z', waterLevelCm: 300 }])[0]).toBe(other)
  })
})

describe('applyAlarm', () => {
  it('adds a raised flood alarm without who acknowledged it, and replaces it when updated', () => {
    const raised = applyAlarm([], 'raised', alarm({ acknowledged: { by: 'operator1', at: '2025-10-30T07:01:00Z', note: '' } }))
    expect(raised).toHaveLength(1)
    expect(raised[0]).not.toHaveProperty('acknowledged')
    const escalated = applyAlarm(raised, 'updated', alarm({ level: 2, value: 205 }))
    expect(escalated).toHaveLength(1)
    expect(escalated[0]?.level).toBe(2)
  })

  it('removes a cleared alarm', () => {
    expect(applyAlarm([alarm({})], 'cleared', alarm({ state: 'cleared' }))).toEqual([])
  })

  it('ignores alarms that are not about flood water', () => {
    expect(applyAlarm([], 'raised', alarm({ type: 'low_battery' }))).toEqual([])
  })
})

describe('sortPoints', () => {
  it('puts points at or above BĐ1 first, highest first, and keeps the pack order otherwise', () => {
    const sorted = sortPoints([point('a', 0), point('b', 1), point('c', 0), point('d', 3), point('e', 1)])
    expect(sorted.map((p) => p.id)).toEqual(['d', 'b', 'e', 'a', 'c'])
  })
})

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and waits a minute when the header says nothing usable', () => {
    const now = Date.parse('2025-10-30T07:00:00Z')
    expect(retryAfterMs('12', now)).toBe(12_000)
    expect(retryAfterMs('Thu, 30 Oct 2025 07:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs(null, now)).toBe(60_000)
    expect(retryAfterMs('soon', now)).toBe(60_000)
  })
})
