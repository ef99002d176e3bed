import { describe, expect, it } from 'vitest'
import type { FloodReading } from '@ioc/shared'
import { createReadingBatcher } from './reading-batcher.ts'

const reading = (i: number): FloodReading => ({ stationId: 'tam-ky-river', ts: new Date(Date.UTC(2025, 9, 30, 0, 0, i)).toISOString(), waterLevelCm: 200 + i })

/** A scheduler and clock the test runs by hand: endTurn() is the end of one event-loop turn, advance() time passing. */
function manualTurns() {
  let clock = 0
  const queue: { run: () => void; at: number }[] = []
  const due = () => queue.filter((q) => q.at <= clock)
  return {
    now: () => clock,
    schedule: (run: () => void, delayMs: number) => void queue.push({ run, at: clock + delayMs }),
    endTurn: () => {
      for (const q of due()) {
        queue.splice(queue.indexOf(q), 1)
        q.run()
      }
    },
    /** Time passes (ms); what falls due runs. */
    advance(ms: number) {
      clock += ms
      this.endTurn()
    },
    /** Makes the next flush take `ms` of the clock. */
    slowFlush: (ms: number) => () => void (clock += ms),
    waiting: () => queue.length,
  }
}

describe('createReadingBatcher', () => {
  it('sends the readings of one turn together, in arrival order', () => {
    const turns = manualTurns()
    const batches: FloodReading[][] = []
    const push = createReadingBatcher((b) => batches.push(b), turns)
    push(reading(1))
    push(reading(2))
    push(reading(3))
    expect(batches).toEqual([])
    turns.endTurn()
    expect(batches).toEqual([[reading(1), reading(2), reading(3)]])
  })

  it('starts a new batch in the next turn and never sends an empty one', () => {
    const turns = manualTurns()
    const batches: FloodReading[][] = []
    const push = createReadingBatcher((b) => batches.push(b), turns)
    push(reading(1))
    turns.endTurn()
    turns.endTurn()
    push(reading(2))
    turns.endTurn()
    expect(batches).toEqual([[reading(1)], [reading(2)]])
  })

  it('flushes on the real event loop by default', async () => {
    const batches: FloodReading[][] = []
    const push = createReadingBatcher((b) => batches.push(b))
    push(reading(1))
    push(reading(2))
    await new Promise((resolve) => setImmediate(resolve))
    expect(batches).toEqual([[reading(1), reading(2)]])
  })

  it('after a push that took d ms, holds the next batch until d ms have passed, gathering what arrives meanwhile', () => {
    const turns = manualTurns()
    const batches: FloodReading[][] = []
    let pushCost = 0
    const push = createReadingBatcher((b) => {
      batches.push(b)
      turns.slowFlush(pushCost)()
    }, turns)
    pushCost = 8
    push(reading(1))
    turns.endTurn()
    expect(batches).toEqual([[reading(1)]])
    // The push took 8 ms: readings of the next 8 ms wait and leave together.
    push(reading(2))
    turns.endTurn()
    turns.advance(3)
    push(reading(3))
    turns.endTurn()
    expect(batches).toHaveLength(1)
    pushCost = 0
    turns.advance(5)
    expect(batches).toEqual([[reading(1)], [reading(2), reading(3)]])
    // That push was instant: the next reading leaves at the end of its turn again.
    push(reading(4))
    turns.endTurn()
    expect(batches).toEqual([[reading(1)], [reading(2), reading(3)], [reading(4)]])
  })

  it('holds a batch no longer than maxHoldMs, however long a push took', () => {
    const turns = manualTurns()
    const batches: FloodReading[][] = []
    let pushCost = 500
    const push = createReadingBatcher((b) => {
      batches.push(b)
      turns.slowFlush(pushCost)()
      pushCost = 0
    }, { ...turns, maxHoldMs: 50 })
    push(reading(1))
    turns.endTurn()
    push(reading(2))
    turns.advance(49)
    expect(batches).toHaveLength(1)
    turns.advance(1)
    expect(batches).toEqual([[reading(1)], [reading(2)]])
  })
})
