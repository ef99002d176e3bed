import { zoneOffsetMs } from '@ioc/shared'
import type { ExportRow } from '../../../plugins/app/readings/readings.repository.ts'

/**
 * The CSV a station's readings export as (docs/storage-and-backups.md, "Backups and export"). Written for a city clerk who
 * double-clicks it in Excel: a UTF-8 BOM so Vietnamese diacritics show right, the city's local time in
 * a form Excel reads as a date-time, and UTC beside it so the file stays unambiguous for machines.
 */

export const CSV_LANGUAGES = ['vi', 'en'] as const
export type CsvLanguage = (typeof CSV_LANGUAGES)[number]

/** Excel only decodes a CSV as UTF-8 when it starts with this byte-order mark. */
export const UTF8_BOM = '\uFEFF'
const EOL = '\r\n'

/** Column headings; `{offset}` becomes the city's UTC offset, e.g. `UTC+07:00`. */
const HEADINGS: Readonly<Record<CsvLanguage, readonly string[]>> = {
  vi: ['Thời gian địa phương ({offset})', 'Thời gian UTC (ISO 8601)', 'Mực nước (cm)', 'Lượng mưa (mm)', 'Pin (%)', 'Số thứ tự bản tin (seq)'],
  en: ['Local time ({offset})', 'Time UTC (ISO 8601)', 'Water level (cm)', 'Rainfall (mm)', 'Battery (%)', 'Message sequence no. (seq)'],
}

/** One field as RFC 4180 wants it: quoted, with inner quotes doubled, only when it holds , " CR or LF. */
export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return fields.map(csvField).join(',') + EOL
}

const MINUTE = 60_000
/** Offsets only change on whole quarter hours, so one lookup per quarter hour is exact. */
const OFFSET_SLOT = 15 * MINUTE

/**
 * Wall-clock time in `timeZone` as `YYYY-MM-DD HH:mm:ss` — the shape Excel turns into a date-time
 * whatever the regional settings — plus the zone's UTC offset at any instant.
 */
export function localClock(timeZone: string) {
  let cachedSlot = Number.NaN
  let cachedOffset = 0
  const offsetAt = (ms: number): number => {
    const slot = Math.floor(ms / OFFSET_SLOT)
    if (slot !== cachedSlot) {
      cachedOffset = zoneOffsetMs(slot * OFFSET_SLOT, timeZone)
      cachedSlot = slot
    }
    return cachedOffset
  }
  return {
    offsetAt,
    format: (ms: number) => new Date(ms + offsetAt(ms)).toISOString().slice(0, 19).replace('T', ' '),
  }
}

/** `UTC+07:00` */
export function offsetLabel(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE)
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  return `UTC${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`
}

export interface ReadingsCsvOptions {
  language: CsvLanguage
  /** The city's IANA time zone (city pack), e.g. `Asia/Ho_Chi_Minh`. */
  timeZone: string
  fromMs: number
  toMs: number
}

/** The heading row; a zone whose offset changes within the range is named instead of one offset. */
export function headerLine({ language, timeZone, fromMs, toMs }: ReadingsCsvOptions): string {
  const clock = localClock(timeZone)
  const from = clock.offsetAt(fromMs)
  const offset = from === clock.offsetAt(toMs) ? offsetLabel(from) : timeZone
  return csvLine(HEADINGS[language].map((heading) => heading.replace('{offset}', offset)))
}

export function rowLine(row: ExportRow, formatLocal: (ms: number) => string): string {
  return csvLine([formatLocal(Date.parse(row.ts)), row.ts, row.waterLevelCm, row.rainfallMm, row.batteryPct, row.seq])
}

/** Bytes gathered before a chunk goes out: few enough writes for a big export, little memory. */
const CHUNK_CHARS = 64 * 1024

/**
 * The whole file as text chunks — BOM and headings first, then one line per reading — read from the
 * store as the client takes them, so an export of any size holds one chunk in memory.
 */
export async function* readingsCsv(rows: AsyncIterable<ExportRow>, options: ReadingsCsvOptions): AsyncGenerator<string> {
  const { format } = localClock(options.timeZone)
  let chunk = UTF8_BOM + headerLine(options)
  for await (const row of rows) {
    chunk += rowLine(row, format)
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  yield chunk
}

/** `20241030T070000Z`: a UTC instant with nothing a file system objects to. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}/, '').replaceAll(/[-:]/g, '')
}

/** Percent-encoding of RFC 8187 (`filename*=UTF-8''…`), which also escapes ' ( ) *. */
function encodeExtValue(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * `attachment; filename="tam-ky-river_20241030T000000Z_20241031T000000Z.csv"; filename*=UTF-8''Tr%E1%BA%A1m…`:
 * the ASCII name for old clients, the station's own name (with its diacritics) for the rest.
 */
export function contentDisposition(stationId: string, stationName: string, fromMs: number, toMs: number): string {
  const range = `${compactUtc(fromMs)}_${compactUtc(toMs)}`
  // Characters Windows or macOS refuse in a file name, and control characters, become dashes.
  // eslint-disable-next-line no-control-regex
  const name = stationName.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '-').trim()
  return `attachment; filename="${stationId}_${range}.csv"; filename*=UTF-8''${encodeExtValue(`${name}_${range}.csv`)}`
}
