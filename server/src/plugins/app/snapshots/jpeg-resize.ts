import sharp from 'sharp'
import { checkSnapshot } from '@ioc/shared'

/** What a downscaled picture's JPEG quality is: good for a thumbnail and a 640 px panel. */
const QUALITY = 80
/** Stored snapshots are at most 4096×4096 (checkSnapshot); sharp refuses to decode more than that. */
const MAX_INPUT_PIXELS = 4096 * 4096

/**
 * The picture no wider than `maxWidth` (aspect kept), as a JPEG; the same bytes when it already is.
 * sharp (libvips) decodes, shrinks and encodes on libuv's thread pool, so a 1920 px picture never holds
 * up the event loop that acknowledges readings; it shrinks with a proper low-pass filter (no aliasing
 * of fine lines such as a gauge board's marks at 160 px).
 */
export async function downscaleJpeg(source: Uint8Array, maxWidth: number): Promise<Buffer> {
  // The header says the width: a picture narrow enough already is never decoded.
  const header = checkSnapshot(source)
  if (header.ok && header.width <= maxWidth) return Buffer.from(source)
  return sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .resize({ width: maxWidth, withoutEnlargement: true })
    .jpeg({ quality: QUALITY, mozjpeg: false })
    .toBuffer()
}
