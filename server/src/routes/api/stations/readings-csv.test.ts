import { describe, expect, it } from 'vitest'
import type { ExportRow } from '../../../plugins/app/readings/readings.repository.ts'
import { UTF8_BOM, compactUtc, contentDisposition, csvField, csvLine, headerLine, localClock, offsetLabel, readingsCsv, type ReadingsCsvOptions } from './readings-csv.ts'

const T0 = Date.parse('2024-10-30T00:00:00Z')
const TAM_KY: ReadingsCsvOptions = { language: 'vi', timeZone: 'Asia/Ho_Chi_Minh', fromMs: T0, toMs: T0 + 86_400_000 }

async function* rowsOf(rows: ExportRow[]): AsyncGenerator<ExportRow> {
  yield* rows
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = ''
  for await (const chunk of chunks) all += chunk
  return all
}

describe('csvField (RFC 4180)', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvField('Mực nước (cm)')).toBe('Mực nước (cm)')
    expect(csvField(12.5)).toBe('12.5')
    expect(csvField(-3)).toBe('-3')
  })

  it('writes a missing value as an empty field', () => {
    expect(csvField(null)).toBe('')
  })

  it('quotes a field holding a comma, a quote or a line break, doubling inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rhere')).toBe('"cr\rhere"')
  })

  it('ends each line with CRLF', () => {
    expect(csvLine(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\r\n')
  })
})

describe('local time', () => {
  it('writes Tam Kỳ time seven hours ahead of UTC, as Excel reads a date-time', () => {
    const { format } = localClock('Asia/Ho_Chi_Minh')
    expect(format(Date.parse('2024-10-30T17:30:05.250Z'))).toBe('2024-10-31 00:30:05')
  })

  it('follows a zone across a daylight-saving change', () => {
    const { format } = localClock('Europe/Berlin')
    // Summer time ends at 01:00 UTC on 27 October 2024.
    expect(format(Date.parse('2024-10-27T00:59:59Z'))).toBe('2024-10-27 02:59:59')
    expect(format(Date.parse('2024-10-27T01:00:00Z'))).toBe('2024-10-27 02:00:00')
  })

  it('labels offsets as UTC±hh:mm', () => {
    expect(offsetLabel(7 * 3_600_000)).toBe('UTC+07:00')
    expect(offsetLabel(-(3 * 3_600_000 + 30 * 60_000))).toBe('UTC-03:30')
    expect(offsetLabel(0)).toBe('UTC+00:00')
  })
})

describe('heading row', () => {
  it('is in Vietnamese with its diacritics, naming the city’s offset', () => {
    expect(headerLine(TAM_KY)).toBe('Thời gian địa phương (UTC+07:00),Thời gian UTC (ISO 8601),Mực nước (cm),Lượng mưa (mm),Pin (%),Số thứ tự bản tin (seq)\r\n')
  })

  it('is in English on request', () => {
    expect(headerLine({ ...TAM_KY, language: 'en' })).toBe('Local time (UTC+07:00),Time UTC (ISO 8601),Water level (cm),Rainfall (mm),Battery (%),Message sequence no. (seq)\r\n')
  })

  it('names the zone when its offset changes within the range', () => {
    const range = { fromMs: Date.parse('2024-10-20T00:00:00Z'), toMs: Date.parse('2024-11-03T00:00:00Z') }
    expect(headerLine({ ...TAM_KY, ...range, language: 'en', timeZone: 'Europe/Berlin' })).toMatch(/^Local time \(Europe\/Berlin\),/)
  })
})

describe('readingsCsv', () => {
  it('starts with the UTF-8 BOM and the heading row, then one line per reading, oldest first', async () => {
    const rows: ExportRow[] = [
      { ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 235, rainfallMm: 12.5, batteryPct: 88, seq: 7 },
      { ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 236.4, rainfallMm: null, batteryPct: null, seq: null },
    ]
    const csv = await text(readingsCsv(rowsOf(rows), TAM_KY))
    expect(csv.startsWith(UTF8_BOM)).toBe(true)
    expect(Buffer.from(csv).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(csv.slice(1).split('\r\n')).toEqual([
      headerLine(TAM_KY).trimEnd(),
      '2024-10-30 07:00:00,2024-10-30T00:00:00.000Z,235,12.5,88,7',
      '2024-10-30 07:01:00,2024-10-30T00:01:00.000Z,236.4,,,',
      '',
    ])
  })

  it('gives the heading row alone for an empty range', async () => {
    expect(await text(readingsCsv(rowsOf([]), TAM_KY))).toBe(UTF8_BOM + headerLine(TAM_KY))
  })

  it('sends a large export in bounded chunks, every line whole in the joined text', async () => {
    const rows = Array.from({ length: 5000 }, (_, i): ExportRow => ({ ts: new Date(T0 + i * 60_000).toISOString(), waterLevelCm: i, rainfallMm: null, batteryPct: 90, seq: i }))
    const chunks: string[] = []
    for await (const chunk of readingsCsv(rowsOf(rows), TAM_KY)) chunks.push(chunk)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024 + 200)
    const lines = chunks.join('').split('\r\n')
    expect(lines).toHaveLength(1 + 5000 + 1)
    expect(lines[1]).toBe('2024-10-30 07:00:00,2024-10-30T00:00:00.000Z,0,,90,0')
    // 4999 minutes after T0: 2024-11-02 11:19 UTC, 18:19 in Tam Kỳ.
    expect(lines[5000]).toBe('2024-11-02 18:19:00,2024-11-02T11:19:00.000Z,4999,,90,4999')
  })
})

describe('file name', () => {
  it('writes UTC instants with nothing a file system objects to', () => {
    expect(compactUtc(Date.parse('2024-10-30T07:05:09.123Z'))).toBe('20241030T070509Z')
  })

  it('gives an ASCII name from the station id and the station’s own name in UTF-8', () => {
    const to = T0 + 86_400_000
    const header = contentDisposition('tam-ky-river', 'Trạm thủy văn Tam Kỳ', T0, to)
    expect(header).toMatch(/^attachment; filename="tam-ky-river_20241030T000000Z_20241031T000000Z\.csv"; filename\*=UTF-8''/)
    const encoded = header.split("filename*=UTF-8''")[1]!
    expect(encoded).toMatch(/^[A-Za-z0-9%._~!-]+$/)
    expect(decodeURIComponent(encoded)).toBe('Trạm thủy văn Tam Kỳ_20241030T000000Z_20241031T000000Z.csv')
  })

  it('replaces characters a file name cannot hold and escapes the ones RFC 8187 reserves', () => {
    const header = contentDisposition('x', 'Sông A/B: "C" (D*)', T0, T0)
    expect(decodeURIComponent(header.split("filename*=UTF-8''")[1]!)).toBe('Sông A-B- -C- (D-)_20241030T000000Z_20241030T000000Z.csv')
    expect(header).not.toMatch(/[()]/)
  })
})
