import type { FloodLevel } from '@ioc/shared'

/** A level as shown: -1 before a point's first reading, else 0 (below BĐ1) to 3. */
export type ShownLevel = -1 | FloodLevel

/**
 * The level colours of the dashboard and the citizens' page (web/src/palette.ts LEVEL_SWATCH,
 * web/src/citizens/citizens.css `--lvl-*`; a test keeps them equal), so a BĐ2 looks the same in a
 * chat preview, on a printed poster and on the page it links to.
 */
export const LEVEL_SWATCH: Record<ShownLevel, { fill: string; text: string }> = {
  [-1]: { fill: '#6b7280', text: '#ffffff' },
  0: { fill: '#1f62a8', text: '#ffffff' },
  1: { fill: '#f2c230', text: '#1a1a1a' },
  2: { fill: '#ee7b1c', text: '#1a1a1a' },
  3: { fill: '#a8071a', text: '#ffffff' },
}

export const LEVEL_WORDS: Record<ShownLevel, { vi: string; en: string }> = {
  [-1]: { vi: 'Chưa có số liệu', en: 'No data yet' },
  0: { vi: 'Dưới mức báo động', en: 'Below alarm level' },
  1: { vi: 'Báo động I', en: 'Alarm level I' },
  2: { vi: 'Báo động II', en: 'Alarm level II' },
  3: { vi: 'Báo động III', en: 'Alarm level III' },
}

export const INK = '#111827'
export const MUTED = '#4b5563'
export const PAGE = '#f3f5f7'
export const LINE = '#d1d5db'
/** The favicon's and the app icon's blue (the level-0 blue). */
export const BRAND = LEVEL_SWATCH[0].fill

const formats = new Map<string, Intl.DateTimeFormat>()
/** "14:05 07/12": a reading's time on the city's wall clock, as Vietnamese write it. */
export function clockAndDate(ms: number, timeZone: string): string {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' })
    formats.set(timeZone, format)
  }
  const part = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return `${part.hour}:${part.minute} ${part.day}/${part.month}`
}

/** "182 cm": rounded to the centimetre, as the public page's preview title says it. */
export function formatCm(cm: number): string {
  return `${Math.round(cm)} cm`
}
