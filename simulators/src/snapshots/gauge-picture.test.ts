import { checkSnapshot, MAX_SNAPSHOT_BYTES } from '@ioc/shared'
import { decode } from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { BOARD, burntInTime, gaugePictureJpeg, PICTURE_HEIGHT, PICTURE_WIDTH, waterLineY, type GaugeScene } from './gauge-picture.ts'

const scene = (levelCm: number): GaugeScene => ({
  cameraId: 'cam-cau-tam-ky',
  levelCm,
  topCm: 350,
  alarmCm: [170, 220, 270],
  atMs: Date.UTC(2025, 9, 30, 1, 15),
  timeZone: 'Asia/Ho_Chi_Minh',
})

/** The first row, from the top of the board down, where the board's white face gives way to water. */
function observedWaterLine(jpeg: Buffer): number {
  const { width, data } = decode(jpeg, { useTArray: true })
  // A column of the board between the marks and the numbers: white paint, or brown water.
  const x = BOARD.left + 31
  for (let y = BOARD.top; y < BOARD.bottom + 10; y++) {
    const i = (y * width + x) * 4
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!]
    if (r < 190 && g < 170 && b < 140) return y
  }
  return BOARD.bottom + 10
}

describe('gauge picture', () => {
  it('is a JPEG of 640×360 that the IOC accepts, far below the size limit', () => {
    const jpeg = gaugePictureJpeg(scene(120))
    const decoded = decode(jpeg, { useTArray: true })
    expect([decoded.width, decoded.height]).toEqual([PICTURE_WIDTH, PICTURE_HEIGHT])
    expect(checkSnapshot(jpeg)).toEqual({ ok: true, width: PICTURE_WIDTH, height: PICTURE_HEIGHT })
    expect(jpeg.byteLength).toBeLessThan(MAX_SNAPSHOT_BYTES / 10)
  })

  it('puts the water line higher in the picture for a higher level, where the gauge says', () => {
    const low = observedWaterLine(gaugePictureJpeg(scene(90)))
    const high = observedWaterLine(gaugePictureJpeg(scene(250)))
    expect(high).toBeLessThan(low)
    // The observed line is within a couple of rows of the painted scale (JPEG blurs edges a little).
    expect(Math.abs(low - waterLineY(90, 350))).toBeLessThanOrEqual(2)
    expect(Math.abs(high - waterLineY(250, 350))).toBeLessThanOrEqual(2)
  })

  it('keeps the water on the board at its bottom and top when the level is off the scale', () => {
    expect(waterLineY(-20, 350)).toBe(BOARD.bottom)
    expect(waterLineY(500, 350)).toBe(BOARD.top)
  })

  it('burns in the time as the city’s clock shows it', () => {
    expect(burntInTime(Date.UTC(2025, 9, 30, 1, 15), 'Asia/Ho_Chi_Minh')).toBe('2025-10-30 08:15:00 +07')
  })

  it('draws the same pixels for the same scene', () => {
    expect(gaugePictureJpeg(scene(180)).equals(gaugePictureJpeg(scene(180)))).toBe(true)
  })
})
