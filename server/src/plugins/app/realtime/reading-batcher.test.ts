import { describe, expect, it } from 'vitest'
import type { FloodReading } from '@ioc/shared'
import { createReadingBatcher } from './reading-batcher.ts'

const reading = (i: number): FloodReading => ({ stationId: 'tam-ky-river', ts: new Date(Date.UTC(2025, 9, 30, 0, 0, i)).toISOString(), waterLevelCm: 200 + i })

/** A scheduler the test runs by hand: one call = the end of one event-loop turn. */
function manualTurns() {
  const queue: (() => void)[] = []
  return { schedule: (run: () => void) => void queue.push(run), endTurn: () => queue.splice(0).forEach((run) => run()) }
}

describe('createReadingBatcher', () => {
  it('sends the readings of one turn together, in arrival order', () => {
    const turns = manualTurns()
    const batches: FloodReading[][] = []
    const push = createReadingBatcher((b) => batches.push(b), turns.schedule)
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
    const push = createReadingBatcher((b) => batches.push(b), turns.schedule)
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
})
