import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FastifyBaseLogger } from 'fastify'
import { createDurableWriter } from './durable.ts'

const log = { info: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger

/** A store write that fails `times` times, then succeeds. */
function flaky(times: number) {
  let calls = 0
  return {
    calls: () => calls,
    attempt: async () => {
      calls++
      if (calls <= times) throw new Error('disk I/O error')
      return 'stored'
    },
  }
}

describe('createDurableWriter', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('retries a failed write after 100, 200, 400 ms … until it succeeds, and resolves only then', async () => {
    const writer = createDurableWriter({ log })
    const write = flaky(3)
    let result: string | undefined
    void writer.write({}, write.attempt).then((r) => (result = r))
    await vi.advanceTimersByTimeAsync(0)
    expect(write.calls()).toBe(1)
    await vi.advanceTimersByTimeAsync(99)
    expect(write.calls()).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(write.calls()).toBe(2)
    await vi.advanceTimersByTimeAsync(200)
    expect(write.calls()).toBe(3)
    expect(result).toBeUndefined()
    await vi.advanceTimersByTimeAsync(400)
    expect(write.calls()).toBe(4)
    expect(result).toBe('stored')
  })

  it('waits at most maxDelayMs between tries', async () => {
    const writer = createDurableWriter({ log, maxDelayMs: 1_000 })
    const write = flaky(20)
    void writer.write({}, write.attempt)
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800)
    expect(write.calls()).toBe(5)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(write.calls()).toBe(6)
  })

  it('reports unhealthy from a failure until the next success', async () => {
    const writer = createDurableWriter({ log })
    expect(writer.healthy()).toBe(true)
    const write = flaky(1)
    const done = writer.write({}, write.attempt)
    await vi.advanceTimersByTimeAsync(0)
    expect(writer.healthy()).toBe(false)
    await vi.advanceTimersByTimeAsync(100)
    await done
    expect(writer.healthy()).toBe(true)
  })

  it('gives up on stop, rejecting, so a shutdown never waits on a store that does not come back', async () => {
    const writer = createDurableWriter({ log })
    const write = flaky(Infinity)
    const done = writer.write({}, write.attempt)
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    )
    await vi.advanceTimersByTimeAsync(300)
    writer.stop()
    await vi.advanceTimersByTimeAsync(0)
    expect(await outcome).toBe('disk I/O error')
    const calls = write.calls()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(write.calls()).toBe(calls)
  })
})
