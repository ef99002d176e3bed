import { BRAND, LEVEL_SWATCH } from './levels.ts'

/** The app icon's sizes and kinds, as the manifest lists them and the routes serve them. */
export const ICONS = {
  'icon-192.png': { size: 192, kind: 'any' },
  'icon-512.png': { size: 512, kind: 'any' },
  'icon-maskable-512.png': { size: 512, kind: 'maskable' },
  // iOS draws its own rounded corners and shows transparency as black: opaque, full-bleed.
  'apple-touch-icon.png': { size: 180, kind: 'maskable' },
} as const
export type IconName = keyof typeof ICONS

/**
 * A water drop with water rising inside it up to a level line, on the page's blue (the favicon's).
 * `any`: a rounded square with transparent corners. `maskable`: full-bleed, the drop well inside the
 * central 80 % circle that launchers keep whatever shape they cut.
 */
export function iconSvg(size: number, kind: 'any' | 'maskable'): string {
  const scale = kind === 'maskable' ? 0.86 : 1
  const drop = 'M256 72C256 72 124 222 124 306A132 132 0 0 0 388 306C388 222 256 72 256 72Z'
  const wave = 'M96 318q40-26 80 0t80 0t80 0t80 0V480H96Z'
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">` +
    `<defs><clipPath id="d"><path d="${drop}"/></clipPath></defs>` +
    `<rect width="512" height="512" ${kind === 'any' ? 'rx="112" ' : ''}fill="${BRAND}"/>` +
    `<g transform="translate(256 262) scale(${scale}) translate(-256 -262)">` +
    `<path d="${drop}" fill="#ffffff"/>` +
    `<g clip-path="url(#d)"><path d="${wave}" fill="${LEVEL_SWATCH[0].fill}"/><path d="M96 318q40-26 80 0t80 0t80 0t80 0" fill="none" stroke="${LEVEL_SWATCH[1].fill}" stroke-width="14"/></g>` +
    `<path d="${drop}" fill="none" stroke="#ffffff" stroke-width="16"/>` +
    `</g></svg>`
  )
}
