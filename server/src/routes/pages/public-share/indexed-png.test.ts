import { describe, expect, it } from 'vitest'
import { PNG } from 'pngjs'
import { encodeIndexedPng } from './indexed-png.ts'

function pixels(width: number, height: number, colour: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 4)
  return data
}

describe('encodeIndexedPng', () => {
  it('writes a palette PNG that decodes to exactly the same pixels', async () => {
    const data = pixels(37, 11, (x, y) => [(x % 16) * 16, y * 23, 200, 255])
    const png = (await encodeIndexedPng(data, 37, 11))!
    expect(png[25]).toBe(3) // IHDR colour type: palette
    const decoded = PNG.sync.read(png)
    expect([decoded.width, decoded.height]).toEqual([37, 11])
    expect(Buffer.from(decoded.data)).toEqual(Buffer.from(data))
  })

  it('keeps transparency, and makes premultiplied pixels straight', async () => {
    // 50 % orange premultiplied is (128, 64, 0, 128); straight it is (255, 128, 0, 128).
    const data = pixels(4, 1, (x) => (x === 0 ? [0, 0, 0, 0] : x === 1 ? [128, 64, 0, 128] : [31, 98, 168, 255]))
    const decoded = PNG.sync.read((await encodeIndexedPng(data, 4, 1, { premultiplied: true }))!)
    expect([...decoded.data]).toEqual([0, 0, 0, 0, 255, 128, 0, 128, 31, 98, 168, 255, 31, 98, 168, 255])
  })

  it('gives up (null) past 256 colours, for the caller to write an RGBA PNG instead', async () => {
    expect(await encodeIndexedPng(pixels(16, 16, (x, y) => [x, y, 0, 255]), 16, 16)).not.toBeNull()
    expect(await encodeIndexedPng(pixels(17, 16, (x, y) => [x, y, 0, 255]), 17, 16)).toBeNull()
  })

  it('refuses pixels that do not match the size', async () => {
    await expect(encodeIndexedPng(new Uint8Array(12), 2, 2)).rejects.toThrow(/2×2/)
  })
})
