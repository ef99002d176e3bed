import { describe, expect, it } from 'vitest'
import { createPngCache } from './renderer.ts'

const svg = (fill: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="${fill}"/></svg>`

describe('the PNG cache', () => {
  it('renders each SVG once however many ask, at once or later', async () => {
    const cache = createPngCache(8)
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.get(svg('#1f62a8'))))
    expect(cache.renders).toBe(1)
    expect(new Set(first).size).toBe(1)
    expect(await cache.get(svg('#1f62a8'))).toBe(first[0])
    await cache.get(svg('#ee7b1c'))
    expect(cache.renders).toBe(2)
  })

  it('keeps at most its size, dropping the least recently asked for', async () => {
    const cache = createPngCache(2)
    await cache.get(svg('#000001'))
    await cache.get(svg('#000002'))
    await cache.get(svg('#000001'))
    await cache.get(svg('#000003'))
    expect(cache.size).toBe(2)
    await cache.get(svg('#000001'))
    expect(cache.renders).toBe(3)
    await cache.get(svg('#000002'))
    expect(cache.renders).toBe(4)
  })

  it('does not keep a failed render: the next ask tries again', async () => {
    const cache = createPngCache(4)
    await expect(cache.get('<svg')).rejects.toThrow()
    await expect(cache.get('<svg')).rejects.toThrow()
    expect(cache.renders).toBe(2)
    expect(cache.size).toBe(0)
  })
})
