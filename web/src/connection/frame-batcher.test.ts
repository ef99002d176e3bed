import { describe, expect, it } from 'vitest'
import { createFrameBatcher } from './frame-batcher.ts'

interface Item {
  id: string
  n: number
}

function setup() {
  const frames: Array<() => void> = []
  const flushed: Item[][] = []
  const batcher = createFrameBatcher<Item>({
    keyOf: (item) => item.id,
    prefer: (candidate, current) => candidate.n >= current.n,
    flush: (items) => flushed.push(items),
    schedule: (run) => frames.push(run),
  })
  const nextFrame = () => frames.splice(0).forEach((run) => run())
  return { batcher, frames, flushed, nextFrame }
}

describe('createFrameBatcher', () => {
  it('flushes a burst once, on the next frame', () => {
    const { batcher, frames, flushed, nextFrame } = setup()
    for (let n = 0; n < 300; n++) batcher.push({ id: `s${n % 3}`, n })
    expect(frames).toHaveLength(1)
    expect(flushed).toHaveLength(0)
    nextFrame()
    expect(flushed).toHaveLength(1)
  })

  it('keeps one item per key, the one preferred', () => {
    const { batcher, flushed, nextFrame } = setup()
    batcher.push({ id: 'a', n: 5 })
    batcher.push({ id: 'a', n: 2 })
    batcher.push({ id: 'b', n: 1 })
    nextFrame()
    expect(flushed[0]).toEqual([
      { id: 'a', n: 5 },
      { id: 'b', n: 1 },
    ])
  })

  it('schedules a new frame for items pushed after a flush', () => {
    const { batcher, flushed, nextFrame } = setup()
    batcher.push({ id: 'a', n: 1 })
    nextFrame()
    batcher.push({ id: 'a', n: 2 })
    nextFrame()
    expect(flushed).toEqual([[{ id: 'a', n: 1 }], [{ id: 'a', n: 2 }]])
  })

  it('bounds what it holds between frames by the number of keys', () => {
    const { batcher } = setup()
    for (let n = 0; n < 10_000; n++) batcher.push({ id: `s${n % 8}`, n })
    expect(batcher.pending).toBe(8)
  })
})
