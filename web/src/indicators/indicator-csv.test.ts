import { describe, expect, it } from 'vitest'
import type { IndicatorDef } from '@ioc/shared'
import { tamKy } from '../test-support/fixtures.ts'
import { indicatorCsv, indicatorCsvName } from './indicator-csv.ts'
import type { IndicatorRow } from './indicator-rows.ts'

const def = tamKy.indicators.find((d) => d.key === 'digital-signing') as IndicatorDef
const row: IndicatorRow = {
  areaId: '20362',
  name: 'Tam Thang Commune',
  value: { areaId: '20362', key: def.key, period: '2025-09', value: 60.5, version: 2, updatedAt: '2025-10-01T02:00:00.000Z', updatedBy: 'nguyenvana', note: '=SUM(A1), đã rà soát', demo: false },
  previous: 55,
  change: { delta: 5.5, direction: 'up', judgement: 'better' },
  trend: [],
}
const empty: IndicatorRow = { areaId: '20344', name: 'Hoa Huong Ward', value: null, previous: null, change: null, trend: [] }
const nameVi = (id: string) => (id === '20362' ? 'Xã Tam Thăng' : 'Phường Hòa Hương')

describe('indicatorCsv', () => {
  const lines = indicatorCsv([row, empty], def, '2025-09', nameVi).split('\r\n')

  it('starts with a byte-order mark and Vietnamese headers', () => {
    expect(lines[0]!.charCodeAt(0)).toBe(0xfeff)
    expect(lines[0]!.slice(1)).toBe('Mã phường/xã,Phường/xã,Chỉ số,Kỳ,Giá trị,Đơn vị,Giá trị kỳ trước,Thay đổi,Số liệu mẫu,Cập nhật lúc,Người cập nhật,Ghi chú')
  })

  it('writes numbers plainly, areas in Vietnamese, and a note that looks like a formula as text', () => {
    expect(lines[1]).toBe(`20362,Xã Tam Thăng,Tỷ lệ văn bản đi được ký số,Tháng 9/2025,60.5,%,55,5.5,không,2025-10-01T02:00:00.000Z,nguyenvana,"'=SUM(A1), đã rà soát"`)
  })

  it('leaves the cells of an area without a value empty', () => {
    expect(lines[2]).toBe('20344,Phường Hòa Hương,Tỷ lệ văn bản đi được ký số,Tháng 9/2025,,%,,,,,,')
    expect(lines[3]).toBe('')
  })

  it('names the file after the indicator and period', () => {
    expect(indicatorCsvName(def, '2025-09')).toBe('chi-so-digital-signing-2025-09.csv')
  })
})
