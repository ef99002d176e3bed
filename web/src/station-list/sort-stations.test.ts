import { describe, expect, it } from 'vitest'
import { applyReadings } from '../store.ts'
import { reading, stationViews } from '../test-support/fixtures.ts'
import { sortStations } from './sort-stations.ts'

const T = '2025-10-30T07:00:00.000Z'

describe('sortStations', () => {
  const stations = applyReadings(stationViews(), [
    reading('tam-ky-river', 180, T), // BĐ1
    reading('hoa-huong-2', 41, T), // BĐ3
    reading('an-son-street', 30, T), // BĐ2
    reading('hoa-huong-1', 26, T), // BĐ2
    reading('cau-xuan-quy', 40, T), // below BĐ1
  ])

  it('puts the highest alarm level first, then by name', () => {
    expect(sortStations(stations, 'vi').slice(0, 4).map((s) => s.id)).toEqual(['hoa-huong-2', 'an-son-street', 'hoa-huong-1', 'tam-ky-river'])
  })

  it('puts stations without data last', () => {
    const sorted = sortStations(stations, 'vi')
    expect(sorted.slice(5).every((s) => s.latest === null)).toBe(true)
  })

  it('sorts names by Vietnamese rules (Đ after D)', () => {
    const names = sortStations(
      stationViews().filter((s) => ['cau-xuan-quy', 'hoa-huong-1', 'tam-ngoc-low-field'].includes(s.id)),
      'vi',
    ).map((s) => s.name.vi)
    expect(names).toEqual(['Điểm cảnh báo lũ Cầu Xuân Quý', 'Điểm đo ngập Hòa Hương số 1', 'Điểm đo ngập Tam Ngọc'])
  })

  it('does not modify its input', () => {
    const input = stationViews()
    const before = input.map((s) => s.id)
    sortStations(input, 'en')
    expect(input.map((s) => s.id)).toEqual(before)
  })
})
