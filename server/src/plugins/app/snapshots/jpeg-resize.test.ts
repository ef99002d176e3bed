import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { downscaleJpeg } from './jpeg-resize.ts'

/** A picture whose left half is black and right half white. */
function halves(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(x < width / 2 ? 0 : 255, (y * width + x) * 4, (y * width + x) * 4 + 3).writeUInt8(255, (y * width + x) * 4 + 3)
  return jpeg.encode({ data, width, height }, 90).data
}

describe('downscaleJpeg', () => {
  it('makes a JPEG no wider than asked, aspect kept, the picture still there', async () => {
    const small = jpeg.decode(await downscaleJpeg(halves(1280, 720), 160), { useTArray: true })
    expect({ width: small.width, height: small.height }).toEqual({ width: 160, height: 90 })
    // Left quarter dark, right quarter light.
    expect(small.data[(45 * 160 + 20) * 4]!).toBeLessThan(30)
    expect(small.data[(45 * 160 + 140) * 4]!).toBeGreaterThan(225)
  })

  it('gives the same bytes back when the picture is no wider already', async () => {
    const picture = halves(320, 180)
    expect((await downscaleJpeg(picture, 640)).equals(picture)).toBe(true)
  })

  it('refuses a picture that does not decode, with an error (never a crash)', async () => {
    const broken = halves(1280, 720).subarray(0, 2_000)
    await expect(downscaleJpeg(broken, 160)).rejects.toThrow()
  })
})
