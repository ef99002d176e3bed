import { describe, expect, it } from 'vitest'
import { snapshotsToDrop } from './snapshot-retention.ts'

const MINUTE = 60_000
const DAY = 86_400_000
const NOW = Date.parse('2026-12-07T05:00:00Z')
const policy = { intervalMs: 10 * MINUTE, keepMs: 7 * DAY }

describe('snapshotsToDrop', () => {
  it('keeps the first snapshot of each 10-minute slot and the newest, drops the rest', () => {
    // One a minute for the last 30 minutes: slots 04:30, 04:40, 04:50 and the newest at 04:59.
    const times = Array.from({ length: 30 }, (_, i) => NOW - 30 * MINUTE + i * MINUTE)
    const kept = times.filter((ts) => !snapshotsToDrop(times, NOW, policy).includes(ts))
    expect(kept.map((ts) => new Date(ts).toISOString().slice(11, 16))).toEqual(['04:30', '04:40', '04:50', '04:59'])
  })

  it('drops what is older than 7 days, but never the newest of a camera', () => {
    const old = [NOW - 9 * DAY, NOW - 8 * DAY, NOW - 7 * DAY - 1]
    expect(snapshotsToDrop([...old, NOW - DAY], NOW, policy)).toEqual(old)
    // A camera silent for 8 days keeps its last picture.
    expect(snapshotsToDrop(old, NOW, policy)).toEqual(old.slice(0, 2))
    expect(snapshotsToDrop(old, NOW, policy, NOW - DAY)).toEqual(old)
  })

  it('is the same whichever run looks: later snapshots never bring back or drop a slot\'s first', () => {
    const times: number[] = []
    const dropped = new Set<number>()
    // A fake clock: a snapshot every 90 s for two hours, a run after each.
    for (let now = NOW; now < NOW + 2 * 3_600_000; now += 90_000) {
      times.push(now)
      const alive = times.filter((ts) => !dropped.has(ts))
      for (const ts of snapshotsToDrop(alive, now, policy)) dropped.add(ts)
    }
    const alive = times.filter((ts) => !dropped.has(ts))
    const slots = new Set(times.map((ts) => ts - (ts % policy.intervalMs)))
    // One per slot, plus the newest when it is not its slot's first.
    expect(alive.length).toBe(slots.size + (alive.at(-1)! % policy.intervalMs < 90_000 ? 0 : 1))
    expect(alive.at(-1)).toBe(times.at(-1))
  })

  it('follows a configured interval and keep', () => {
    const times = [NOW - 3 * DAY, NOW - 2 * MINUTE, NOW - MINUTE, NOW]
    expect(snapshotsToDrop(times, NOW, { intervalMs: MINUTE, keepMs: 2 * DAY })).toEqual([NOW - 3 * DAY])
  })
})
