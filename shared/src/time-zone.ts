const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * How far `timeZone`'s wall clock is ahead of UTC at `ms` (+7 h for Asia/Ho_Chi_Minh), daylight saving
 * included: what the dashboard's time axis and the CSV export's local times both need.
 */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formats.set(timeZone, format)
  }
  const part = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]))
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!)
  return wall - Math.floor(ms / 1000) * 1000
}
