import { describe, expect, it } from 'vitest'
import { checkSnapshot, MAX_SNAPSHOT_BYTES } from './camera-snapshot.ts'

/** A marker segment: FF, its code, a two-byte length counting itself, its body. */
const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]
/** A frame header's body: precision, height, width, one component. */
const frame = (width: number, height: number) => [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]
/** The smallest shape of a JPEG this checks: SOI, an APP0, a frame header, a scan, EOI. */
function jpeg(width: number, height: number, { sof = 0xc0, tail = [0xff, 0xd9] }: { sof?: number; tail?: number[] } = {}): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0]), ...segment(sof, frame(width, height)), ...segment(0xda, [1, 1, 0, 0, 63, 0]), 0x12, 0x34, ...tail])
}

describe('checkSnapshot', () => {
  it('reads the width and height of baseline, extended and progressive JPEGs', () => {
    expect(checkSnapshot(jpeg(640, 360))).toEqual({ ok: true, width: 640, height: 360 })
    expect(checkSnapshot(jpeg(1920, 1080, { sof: 0xc1 }))).toEqual({ ok: true, width: 1920, height: 1080 })
    expect(checkSnapshot(jpeg(16, 4096, { sof: 0xc2 }))).toEqual({ ok: true, width: 16, height: 4096 })
  })

  it('takes fill bytes before a marker and a few bytes of padding after the end', () => {
    const padded = jpeg(320, 240, { tail: [0xff, 0xd9, 0, 0, 0, 0] })
    expect(checkSnapshot(padded)).toEqual({ ok: true, width: 320, height: 240 })
    const filled = Uint8Array.from([0xff, 0xd8, 0xff, 0xff, ...jpeg(320, 240).subarray(2)])
    expect(checkSnapshot(filled)).toMatchObject({ ok: true })
  })

  it('refuses what is not a JPEG', () => {
    expect(checkSnapshot(new TextEncoder().encode('{"ts":1}'))).toEqual({ ok: false, reason: 'bad_snapshot', detail: expect.stringMatching(/^not a JPEG/) })
    // A PNG's signature.
    expect(checkSnapshot(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({ ok: false, detail: expect.stringMatching(/^not a JPEG/) })
    expect(checkSnapshot(new Uint8Array(0))).toMatchObject({ ok: false, reason: 'bad_snapshot' })
  })

  it('refuses a JPEG with no frame header before its picture data, or cut off before it', () => {
    const noFrame = Uint8Array.from([0xff, 0xd8, ...segment(0xe0, [0]), ...segment(0xda, [1, 1, 0, 0, 63, 0]), 0xff, 0xd9])
    expect(checkSnapshot(noFrame)).toMatchObject({ ok: false, detail: expect.stringMatching(/^no frame header/) })
    expect(checkSnapshot(jpeg(640, 360).subarray(0, 12))).toMatchObject({ ok: false, detail: expect.stringMatching(/^no frame header/) })
  })

  it('refuses a picture cut off after its header', () => {
    expect(checkSnapshot(jpeg(640, 360, { tail: [] }))).toMatchObject({ ok: false, detail: expect.stringMatching(/^truncated/) })
  })

  it('refuses sizes outside 16–4096 px, naming the side', () => {
    expect(checkSnapshot(jpeg(9000, 360))).toEqual({ ok: false, reason: 'bad_snapshot', detail: 'width 9000 px above 4096' })
    expect(checkSnapshot(jpeg(640, 8))).toEqual({ ok: false, reason: 'bad_snapshot', detail: 'height 8 px below 16' })
    expect(checkSnapshot(jpeg(640, 0))).toMatchObject({ ok: false, detail: 'height 0 px below 16' })
  })

  it('refuses JPEG kinds browsers do not show', () => {
    expect(checkSnapshot(jpeg(640, 360, { sof: 0xc3 }))).toMatchObject({ ok: false, detail: expect.stringMatching(/^unsupported JPEG kind/) })
  })

  it('refuses more than 512 KB as oversized, before reading it', () => {
    const big = new Uint8Array(MAX_SNAPSHOT_BYTES + 1)
    big.set(jpeg(640, 360))
    expect(checkSnapshot(big)).toEqual({ ok: false, reason: 'oversized', detail: `larger than 512 KB: ${MAX_SNAPSHOT_BYTES + 1} bytes, limit 524288` })
    const exactly = new Uint8Array(MAX_SNAPSHOT_BYTES)
    exactly.set(jpeg(640, 360).subarray(0, -2))
    exactly.set([0xff, 0xd9], MAX_SNAPSHOT_BYTES - 2)
    expect(checkSnapshot(exactly)).toEqual({ ok: true, width: 640, height: 360 })
  })
})
