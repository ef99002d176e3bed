import type { IndicatorDef } from '@ioc/shared'
import { csvDocument, textCell } from '../ui/csv.ts'
import { formatPeriod } from './indicator-format.ts'
import type { IndicatorRow } from './indicator-rows.ts'

/** Column titles of the exported table: always Vietnamese, the city's language. */
export const INDICATOR_CSV_HEADERS = [
  'Mã phường/xã',
  'Phường/xã',
  'Chỉ số',
  'Kỳ',
  'Giá trị',
  'Đơn vị',
  'Giá trị kỳ trước',
  'Thay đổi',
  'Số liệu mẫu',
  'Cập nhật lúc',
  'Người cập nhật',
  'Ghi chú',
] as const

const UNIT: Record<IndicatorDef['unit'], string> = { percent: '%', count: 'số lượng', vnd: 'đồng' }

/**
 * Plain numbers with a point (what a spreadsheet reads as a number in any locale), not the screen's
 * "72,5%": the sheet is for calculating with.
 */
const plain = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(Math.round(value * 1e6) / 1e6))

/** The table as a CSV sheet, rows in the order shown, areas named in Vietnamese (`nameVi`) whatever the screen's language. */
export function indicatorCsv(rows: readonly IndicatorRow[], def: IndicatorDef, period: string, nameVi: (areaId: string) => string): string {
  return csvDocument(
    INDICATOR_CSV_HEADERS,
    rows.map((row) => [
      row.areaId,
      nameVi(row.areaId),
      def.name.vi,
      formatPeriod(period, 'vi'),
      plain(row.value?.value),
      UNIT[def.unit],
      plain(row.previous),
      plain(row.change?.delta),
      row.value ? (row.value.demo ? 'có' : 'không') : '',
      row.value?.updatedAt ?? '',
      textCell(row.value?.updatedBy ?? ''),
      textCell(row.value?.note ?? ''),
    ]),
  )
}

/** "chi-so-digital-signing-2025-09.csv". */
export const indicatorCsvName = (def: IndicatorDef, period: string): string => `chi-so-${def.key}-${period}.csv`

