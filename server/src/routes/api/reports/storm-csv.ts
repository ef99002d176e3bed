import type { AlarmType, StormReport } from '@ioc/shared'
import { compactUtc, csvLine, localClock, offsetLabel, UTF8_BOM, type CsvLanguage } from '../stations/readings-csv.ts'

/**
 * The storm report as one CSV file for Excel (docs/reports.md): a UTF-8 BOM, a title row with the
 * window, then two tables separated by an empty row — the stations (one row each), then the alarms (one
 * row per acknowledgement; an alarm nobody acknowledged has one row with those cells empty). One file,
 * so the report travels as one attachment; each table has its own heading row, so either can be
 * selected and sorted on its own. Times in the city's zone as `YYYY-MM-DD HH:mm:ss`; durations in minutes.
 */

const TEXT = {
  vi: {
    title: 'Báo cáo sau bão',
    from: 'Từ',
    to: 'Đến',
    zone: 'Múi giờ',
    rawFrom: 'Số liệu gốc chỉ còn từ (trước đó: số liệu tổng hợp theo giờ)',
    stations: 'Trạm đo',
    alarms: 'Báo động',
    stationHead: [
      'Mã trạm', 'Tên trạm', 'Mã phường/xã', 'BĐ1 (cm)', 'BĐ2 (cm)', 'BĐ3 (cm)', 'Đỉnh (cm)', 'Thời điểm đỉnh', 'Cấp ở đỉnh',
      'Dưới BĐ1 (phút)', 'Ở BĐ1 (phút)', 'Ở BĐ2 (phút)', 'Ở BĐ3 (phút)', 'Không có số liệu (phút)',
      'Bản tin dự kiến', 'Bản tin nhận được', 'Bản tin thiếu', 'Khoảng trống dài nhất (phút)', 'Khoảng trống bắt đầu',
    ],
    alarmHead: ['Mã báo động', 'Loại', 'Nguồn', 'Mã phường/xã', 'Cấp cao nhất', 'Phát lúc', 'Người xác nhận', 'Xác nhận lúc', 'Ghi chú', 'Thời gian chờ (phút)', 'Kết thúc lúc', 'Trạng thái'],
    below: 'Dưới BĐ1',
    state: { active: 'Đang báo động', acknowledged: 'Đã xác nhận', cleared: 'Đã kết thúc' },
    type: {
      flood_level: 'Mực nước vượt mức báo động',
      rapid_rise: 'Nước lên nhanh',
      station_silent: 'Trạm mất tín hiệu',
      low_battery: 'Pin yếu',
      sensor_suspect: 'Số đo bất thường',
      camera_offline: 'Camera mất kết nối',
      camera_degraded: 'Camera chất lượng kém',
      camera_tampered: 'Camera bị che/xoay',
    },
  },
  en: {
    title: 'Storm report',
    from: 'From',
    to: 'To',
    zone: 'Time zone',
    rawFrom: 'Raw readings kept only from (before: hourly rollups)',
    stations: 'Stations',
    alarms: 'Alarms',
    stationHead: [
      'Station id', 'Station', 'Ward/commune code', 'BĐ1 (cm)', 'BĐ2 (cm)', 'BĐ3 (cm)', 'Peak (cm)', 'Peak at', 'Level at peak',
      'Below BĐ1 (min)', 'At BĐ1 (min)', 'At BĐ2 (min)', 'At BĐ3 (min)', 'No data (min)',
      'Readings due', 'Readings received', 'Readings missing', 'Longest gap (min)', 'Longest gap from',
    ],
    alarmHead: ['Alarm id', 'Type', 'Source', 'Ward/commune code', 'Highest level', 'Raised at', 'Acknowledged by', 'Acknowledged at', 'Note', 'Wait (min)', 'Cleared at', 'State'],
    below: 'Below BĐ1',
    state: { active: 'Active', acknowledged: 'Acknowledged', cleared: 'Cleared' },
    type: {
      flood_level: 'Water above an alarm level',
      rapid_rise: 'Water rising fast',
      station_silent: 'Station silent',
      low_battery: 'Low battery',
      sensor_suspect: 'Suspect readings',
      camera_offline: 'Camera offline',
      camera_degraded: 'Camera degraded',
      camera_tampered: 'Camera tampered',
    },
  },
} satisfies Record<CsvLanguage, { type: Record<AlarmType, string> } & Record<string, unknown>>

/**
 * Text people typed (a note, a name) as a cell Excel shows as text: one starting with = + - @ would
 * run as a formula, so it gets a leading apostrophe.
 */
export function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** Seconds as minutes with one decimal: what a reader of the report compares. */
const minutes = (s: number) => Math.round(s / 6) / 10

export function stormReportCsv(report: StormReport, language: CsvLanguage, cityName: string, sourceName: (kind: 'station' | 'camera', id: string) => string): string {
  const text = TEXT[language]
  const clock = localClock(report.timeZone)
  const local = (isoTime: string | null) => (isoTime === null ? null : clock.format(Date.parse(isoTime)))
  const fromMs = Date.parse(report.from)
  const levelLabel = (level: number) => (level === 0 ? text.below : `BĐ${level}`)

  let out = UTF8_BOM + csvLine([`${text.title} — ${cityName}`, text.from, local(report.from), text.to, local(report.to), text.zone, `${report.timeZone} (${offsetLabel(clock.offsetAt(fromMs))})`])
  if (report.rawReadingsFrom) out += csvLine([text.rawFrom, local(report.rawReadingsFrom)])
  out += csvLine([]) + csvLine([text.stations]) + csvLine(text.stationHead)
  for (const s of report.stations) {
    const t = s.timeAtLevelS
    out += csvLine([
      s.id, s.name[language], s.areaId, s.levels.bd1, s.levels.bd2, s.levels.bd3,
      s.peak?.cm ?? null, local(s.peak?.at ?? null), s.peak ? levelLabel(s.peak.level) : null,
      minutes(t.below), minutes(t.bd1), minutes(t.bd2), minutes(t.bd3), minutes(t.noData),
      s.readings.expected, s.readings.received, s.readings.missing, minutes(s.readings.longestGapS), local(s.readings.longestGapFrom),
    ])
  }
  out += csvLine([]) + csvLine([text.alarms]) + csvLine(text.alarmHead)
  for (const a of report.alarms) {
    const head = [a.id, text.type[a.type], sourceName(a.source.kind, a.source.id), a.areaId, a.maxLevel === null ? null : levelLabel(a.maxLevel), local(a.raisedAt)]
    const tail = [local(a.clearedAt), text.state[a.state]]
    if (a.acknowledgements.length === 0) out += csvLine([...head, null, null, null, null, ...tail])
    for (const ack of a.acknowledgements) out += csvLine([...head, textCell(ack.by), local(ack.at), textCell(ack.note), minutes(ack.waitS), ...tail])
  }
  return out
}

/** `attachment; filename="bao-cao-sau-bao_20241030T000000Z_20241031T000000Z.csv"` */
export function stormCsvDisposition(fromMs: number, toMs: number): string {
  return `attachment; filename="bao-cao-sau-bao_${compactUtc(fromMs)}_${compactUtc(toMs)}.csv"`
}
