/** The spans the station chart offers, newest first in the UI order. */
export const HISTORY_RANGES = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const
export type HistoryRange = keyof typeof HISTORY_RANGES

export const DEFAULT_HISTORY_RANGE: HistoryRange = '24h'

export interface TimeWindow {
  fromMs: number
  toMs: number
}

/** The window a range covers, ending at `nowMs`: what the chart shows and what it asks the server for. */
export function rangeWindow(range: HistoryRange, nowMs: number): TimeWindow {
  return { fromMs: nowMs - HISTORY_RANGES[range], toMs: nowMs }
}
