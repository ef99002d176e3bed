import { describe, expect, it } from 'vitest'
import { loadOnce } from './load-once.ts'

describe('loadOnce', () => {
  it('loads once for every caller', async () => {
    let calls = 0
    const get = loadOnce(async () => ++calls)
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1])
    expect(calls).toBe(1)
  })

  it('tries again after a failed load', async () => {
    let calls = 0
    const get = loadOnce(async () => {
      calls++
      if (calls === 1) throw new Error('offline')
      return 'loaded'
    })
    await expect(get()).rejects.toThrow('offline')
    expect(await get()).toBe('loaded')
    expect(calls).toBe(2)
  })
})
