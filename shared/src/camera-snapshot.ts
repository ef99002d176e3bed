import Type, { type Static } from 'typebox'

/**
 * Camera snapshots: a still picture a camera sends now and then (`ioc/v1/camera/{id}/snapshot` over
 * MQTT, or `PUT /api/cameras/{id}/snapshot`), raw JPEG bytes. What is checked here is what the server
 * can check without decoding the picture: that it is a JPEG, and how big it says it is.
 */

/** The largest snapshot taken: 512 KB, a 1920×1080 JPEG at ordinary quality with room to spare. */
export const MAX_SNAPSHOT_BYTES = 524_288
/** The smallest and largest width and height taken, in pixels. */
export const SNAPSHOT_MIN_SIDE = 16
export const SNAPSHOT_MAX_SIDE = 4096

export type SnapshotCheck =
  | { ok: true; width: number; height: number }
  | { ok: false; reason: 'oversized' | 'bad_snapshot'; detail: string }

const bad = (detail: string): SnapshotCheck => ({ ok: false, reason: 'bad_snapshot', detail })

/**
 * Baseline, extended and progressive Huffman frames (SOF0, SOF1, SOF2): what every camera and browser
 * writes and reads. The other SOF markers (lossless, hierarchical, arithmetic coding) are JPEGs that
 * browsers do not show.
 */
const FRAME_MARKERS = new Set([0xc0, 0xc1, 0xc2])
const OTHER_FRAME_MARKERS = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])
/** Markers with no length after them: TEM, RST0–7, SOI. */
const STANDALONE = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)
/** How near the end the end-of-image marker must be: some cameras pad a few bytes after it. */
const EOI_SEARCH_BYTES = 64

/**
 * Reads a snapshot's JPEG header: its width and height, or why it is refused ("not a JPEG", "no frame
 * header", "larger than 512 KB", "width 9000 px above 4096"…). Pure; reads the markers up to the frame
 * header only, never the compressed picture.
 */
export function checkSnapshot(bytes: Uint8Array): SnapshotCheck {
  if (bytes.byteLength > MAX_SNAPSHOT_BYTES) {
    return { ok: false, reason: 'oversized', detail: `larger than 512 KB: ${bytes.byteLength} bytes, limit ${MAX_SNAPSHOT_BYTES}` }
  }
  if (bytes.byteLength < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return bad('not a JPEG: it does not start with the JPEG start-of-image marker (FF D8)')
  let i = 2
  for (;;) {
    // A marker: FF, any number of FF fill bytes, then the marker's code.
    if (i >= bytes.byteLength) return bad('no frame header: the picture ends before its size is given')
    if (bytes[i] !== 0xff) return bad(`not a JPEG: byte ${i} should start a marker (FF), found ${hex(bytes[i]!)}`)
    while (i < bytes.byteLength && bytes[i] === 0xff) i++
    if (i >= bytes.byteLength) return bad('no frame header: the picture ends before its size is given')
    const marker = bytes[i++]!
    if (STANDALONE(marker)) continue
    if (marker === 0xd9 || marker === 0xda) return bad('no frame header: the picture data begins before a frame header (SOF0, SOF1 or SOF2) gives its size')
    if (i + 2 > bytes.byteLength) return bad('no frame header: the picture ends inside a marker')
    const length = (bytes[i]! << 8) | bytes[i + 1]!
    if (length < 2) return bad(`not a JPEG: marker ${hex(marker)} has a length of ${length}`)
    if (OTHER_FRAME_MARKERS.has(marker)) return bad(`unsupported JPEG kind (frame marker ${hex(marker)}: lossless, hierarchical or arithmetic-coded); send a baseline or progressive JPEG`)
    if (FRAME_MARKERS.has(marker)) {
      if (i + 7 > bytes.byteLength) return bad('no frame header: the picture ends inside its frame header')
      const height = (bytes[i + 3]! << 8) | bytes[i + 4]!
      const width = (bytes[i + 5]! << 8) | bytes[i + 6]!
      const side = checkSide('width', width) ?? checkSide('height', height)
      if (side) return bad(side)
      if (!endsWithEoi(bytes)) return bad('truncated: the picture does not end with the JPEG end-of-image marker (FF D9)')
      return { ok: true, width, height }
    }
    i += length
  }
}

function checkSide(name: 'width' | 'height', px: number): string | undefined {
  if (px > SNAPSHOT_MAX_SIDE) return `${name} ${px} px above ${SNAPSHOT_MAX_SIDE}`
  if (px < SNAPSHOT_MIN_SIDE) return `${name} ${px} px below ${SNAPSHOT_MIN_SIDE}`
  return undefined
}

function endsWithEoi(bytes: Uint8Array): boolean {
  for (let j = bytes.byteLength - 2; j >= Math.max(2, bytes.byteLength - EOI_SEARCH_BYTES); j--) {
    if (bytes[j] === 0xff && bytes[j + 1] === 0xd9) return true
  }
  return false
}

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0')

/** A stored snapshot as the API lists it. */
export const SnapshotInfo = Type.Object({
  ts: Type.String({ format: 'date-time' }),
  width: Type.Integer({ minimum: SNAPSHOT_MIN_SIDE, maximum: SNAPSHOT_MAX_SIDE }),
  height: Type.Integer({ minimum: SNAPSHOT_MIN_SIDE, maximum: SNAPSHOT_MAX_SIDE }),
})
export type SnapshotInfo = Static<typeof SnapshotInfo>

/** `GET /api/cameras/{id}/snapshots`: the snapshots kept in a window, oldest first. */
export const CameraSnapshotsResponse = Type.Object({
  cameraId: Type.String(),
  snapshots: Type.Array(Type.Intersect([SnapshotInfo, Type.Object({ bytes: Type.Integer({ minimum: 0, description: 'size of the JPEG' }) })])),
})
export type CameraSnapshotsResponse = Static<typeof CameraSnapshotsResponse>

/** What `camera:snapshot` carries: a snapshot was stored. */
export interface CameraSnapshotEvent extends SnapshotInfo {
  cameraId: string
}

/** `GET /api/public/cameras`: the cameras a city marked public, with their latest snapshot. */
export const PublicCamerasResponse = Type.Object({
  cameras: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.Object({ vi: Type.String(), en: Type.String() }),
      lat: Type.Number(),
      lon: Type.Number(),
      latest: Type.Union([SnapshotInfo, Type.Null()]),
    }),
  ),
})
export type PublicCamerasResponse = Static<typeof PublicCamerasResponse>
