import { describe, expect, it } from 'vitest'
import { pictureBox, scrubberPictures, snapshotUrl } from './snapshots.ts'

const T0 = '2025-10-30T07:00:00.000Z'
const T1 = '2025-10-30T07:01:00.000Z'
const T2 = '2025-10-30T07:02:00.000Z'
const shot = (ts: string) => ({ ts, width: 640, height: 360 })

describe('scrubberPictures', () => {
  it('adds the newest snapshot when the fetched history missed it, and only then', () => {
    expect(scrubberPictures([shot(T0), shot(T1)], shot(T2)).map((s) => s.ts)).toEqual([T0, T1, T2])
    const history = [shot(T0), shot(T1)]
    expect(scrubberPictures(history, shot(T1))).toBe(history)
    expect(scrubberPictures(history, shot(T0))).toBe(history)
    expect(scrubberPictures(history, null)).toBe(history)
    expect(scrubberPictures([], shot(T0))).toEqual([shot(T0)])
  })
})

describe('snapshotUrl', () => {
  it('names a picture by its epoch milliseconds and the width asked for', () => {
    expect(snapshotUrl('cam-cau-tam-ky', T0, 640)).toBe(`/api/cameras/cam-cau-tam-ky/snapshots/${Date.parse(T0)}.jpg?w=640`)
    expect(snapshotUrl('cam a/b', T0, 160)).toBe(`/api/cameras/cam%20a%2Fb/snapshots/${Date.parse(T0)}.jpg?w=160`)
  })
})

describe('pictureBox', () => {
  it('keeps the aspect at the shown width, never wider than the picture itself', () => {
    expect(pictureBox({ ts: T0, width: 1920, height: 1080 }, 640)).toEqual({ width: 640, height: 360 })
    expect(pictureBox({ ts: T0, width: 320, height: 240 }, 640)).toEqual({ width: 320, height: 240 })
    expect(pictureBox({ ts: T0, width: 640, height: 360 }, 160)).toEqual({ width: 160, height: 90 })
  })
})
