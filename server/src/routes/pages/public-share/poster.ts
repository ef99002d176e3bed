import type { FloodLevels } from '@ioc/shared'
import { LEVEL_SWATCH, LEVEL_WORDS } from './levels.ts'
import { escapeXml as escape } from './svg-text.ts'

type Text = { vi: string; en: string }

export interface PosterData {
  stationId: string
  name: Text
  place: Text
  cityName: Text
  levels: FloodLevels
  /** The city pack's words for what each alarm level means; short built-in ones when it has none. */
  meanings: Record<1 | 2 | 3, Text> | null
  /** The address the QR code holds, absolute. */
  url: string
  /** The QR code as an SVG document (the `qrcode` package's), inlined: it prints sharp at any size. */
  qrSvg: string
}

/** Where the poster's style sheet is served: the CSP allows no inline style (`style-src 'self'`). */
export const POSTER_CSS_PATH = '/muc-nuoc/ma-qr.css'

const DEFAULT_MEANINGS: Record<1 | 2 | 3, Text> = {
  1: { vi: 'Nước bắt đầu lên, có thể ngập vùng trũng thấp.', en: 'The water is rising; low-lying land may flood.' },
  2: { vi: 'Nguy cơ ngập khu dân cư thấp, đường có thể bị chia cắt.', en: 'Homes in low areas may flood; roads may be cut.' },
  3: { vi: 'Lũ lớn, ngập sâu diện rộng, nguy hiểm đến tính mạng.', en: 'A major flood, deep and widespread; danger to life.' },
}

/** "Báo động I: nước…" → "nước…", when the city's text repeats the level's name the poster already shows. */
function withoutLevelName(text: string, level: 1 | 2 | 3, lang: 'vi' | 'en'): string {
  const name = LEVEL_WORDS[level][lang]
  if (!text.toLowerCase().startsWith(name.toLowerCase())) return text
  const rest = text.slice(name.length).replace(/^\s*[:—–-]\s*/, '')
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : text
}

/** The QR code with its name for screen readers; the document's own `<?xml …?>`, if any, dropped. */
function inlineQr(svg: string, url: string): string {
  return svg
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replace('<svg ', `<svg class="qr-code" role="img" aria-label="${escape(`Mã QR / QR code: ${url}`)}" `)
    .trim()
}

const swatch = (level: 1 | 2 | 3) =>
  // An SVG rectangle rather than a CSS background: browsers leave backgrounds out of a print by default.
  `<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${LEVEL_SWATCH[level].fill}" stroke="#111827" stroke-width="1"/></svg>`

/**
 * A printable A4 poster for one flood point, to stick up near it: its name, a QR code to its live
 * page, the address in letters for those who type it, and what the alarm levels mean. Vietnamese
 * first, English after; no script; the print hint shows on screen only.
 */
export function posterHtml(data: PosterData, options: { localOnly: boolean }): string {
  const meanings = data.meanings ?? DEFAULT_MEANINGS
  const thresholds = { 1: data.levels.bd1, 2: data.levels.bd2, 3: data.levels.bd3 } as const
  const levelItems = ([1, 2, 3] as const)
    .map(
      (k) =>
        `<li>${swatch(k)}<div><p class="level-name"><strong>${escape(LEVEL_WORDS[k].vi)}</strong> — từ ${thresholds[k]} cm <span lang="en" class="en">· ${escape(LEVEL_WORDS[k].en)}, from ${thresholds[k]} cm</span></p>` +
        `<p>${escape(withoutLevelName(meanings[k].vi, k, 'vi'))}</p><p lang="en" class="en">${escape(withoutLevelName(meanings[k].en, k, 'en'))}</p></div></li>`,
    )
    .join('\n        ')
  const pageLink = `/muc-nuoc/${encodeURIComponent(data.stationId)}`
  const warning = options.localOnly
    ? `\n      <p class="screen-only warning" role="note"><strong>IOC_PUBLIC_URL chưa được đặt:</strong> mã QR này trỏ tới ${escape(data.url)}, điện thoại của người dân không mở được. / <span lang="en">IOC_PUBLIC_URL is not set: this code points at a local address phones cannot open.</span></p>`
    : ''
  return `<!doctype html>
<html lang="vi">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light">
    <title>Mã QR — ${escape(data.name.vi)} — Mực nước lũ ${escape(data.cityName.vi)}</title>
    <link rel="stylesheet" href="${POSTER_CSS_PATH}">
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  </head>
  <body>
    <main class="poster">
      <div class="screen-only print-hint">
        <p><strong>In / Print:</strong> bấm <kbd>Ctrl</kbd> + <kbd>P</kbd> (máy tính) hoặc Chia sẻ → In (điện thoại), khổ A4. <span lang="en">Press Ctrl + P, or Share → Print on a phone; A4 paper.</span></p>
        <p><a href="${pageLink}">← Xem mực nước tại điểm này / <span lang="en">See the water level here</span></a></p>
      </div>${warning}
      <header class="point">
        <p class="city">Mực nước lũ — ${escape(data.cityName.vi)} · <span lang="en">Flood levels — ${escape(data.cityName.en)}</span></p>
        <p class="point-name">${escape(data.name.vi)}</p>
        <p class="place">${escape(data.place.vi)}</p>
        <p class="en" lang="en">${escape(data.name.en)} · ${escape(data.place.en)}</p>
      </header>
      <h1>Quét mã để xem mực nước lũ trực tiếp <span lang="en">Scan for live flood levels</span></h1>
      <figure class="qr">
        ${inlineQr(data.qrSvg, data.url)}
        <figcaption><a href="${escape(data.url)}">${escape(data.url)}</a></figcaption>
      </figure>
      <section class="levels" aria-labelledby="levels-title">
        <h2 id="levels-title">Các mức báo động tại điểm này <span lang="en">Alarm levels at this point</span></h2>
        <ul>
        ${levelItems}
        </ul>
      </section>
      <footer>
        <p>Số liệu đo tự động, chỉ để tham khảo. Hãy làm theo hướng dẫn của chính quyền địa phương; gọi 112 khi cần cứu hộ.</p>
        <p lang="en" class="en">Automatic measurements, for information only. Follow the directions of your local authorities; call 112 for rescue.</p>
      </footer>
    </main>
  </body>
</html>
`
}

/**
 * The poster's style: one column that reads at 360 px, and on paper one A4 page. Colours meet WCAG AA
 * on white (ink 17.7:1, muted 7.6:1, links 8:1, warning 7.3:1).
 */
export const POSTER_CSS = `:root {
  color: #111827;
  background: #ffffff;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif;
  line-height: 1.4;
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere; }
.poster { max-width: 44rem; margin: 0 auto; padding: 1rem; }
p { margin: 0.2rem 0; }
a { color: #0b4f9c; }
.en { color: #4b5563; }
.print-hint { margin-bottom: 1rem; padding: 0.75rem 1rem; border: 2px solid #0b4f9c; border-radius: 8px; background: #eef3fb; }
.warning { margin-bottom: 1rem; padding: 0.75rem 1rem; border: 2px solid #9a3412; border-radius: 8px; color: #9a3412; }
kbd { padding: 0 0.3em; border: 1px solid #4b5563; border-radius: 4px; font: inherit; }
.city { color: #4b5563; }
.point-name { font-size: 1.6rem; font-weight: 700; line-height: 1.2; }
.place { font-size: 1.15rem; }
h1 { margin: 1rem 0 0.5rem; font-size: clamp(1.6rem, 7vw, 2.6rem); line-height: 1.15; text-wrap: balance; }
h1 span { display: block; margin-top: 0.2em; font-size: 0.62em; font-weight: 600; color: #374151; }
.qr { margin: 0.5rem 0 1rem; text-align: center; }
.qr-code { display: block; width: min(100%, 22rem); height: auto; margin: 0 auto; }
.qr figcaption { margin-top: 0.25rem; font-size: 1.15rem; font-weight: 600; }
.qr figcaption a { color: #111827; }
h2 { margin: 0.75rem 0 0.25rem; font-size: 1.2rem; }
h2 span { display: block; font-size: 0.85em; font-weight: 600; color: #4b5563; }
.levels ul { margin: 0; padding: 0; list-style: none; }
.levels li { display: flex; gap: 0.75rem; align-items: flex-start; padding: 0.4rem 0; border-top: 1px solid #d1d5db; }
.swatch { flex: none; width: 1.6rem; height: 1.6rem; margin-top: 0.15rem; }
footer { margin-top: 1rem; font-size: 0.95rem; }
@page { size: A4; margin: 12mm; }
@media print {
  .screen-only { display: none !important; }
  :root { font-size: 10.5pt; }
  .poster { max-width: none; padding: 0; }
  .point-name { font-size: 20pt; }
  h1 { margin: 4mm 0 2mm; font-size: 26pt; text-wrap: balance; }
  .qr { margin: 2mm 0 3mm; }
  .qr-code { width: 96mm; }
  .qr figcaption { font-size: 13pt; }
  .qr figcaption a { text-decoration: none; }
  h2 { margin-top: 2mm; }
  .levels li { padding: 1.5mm 0; }
  footer { margin-top: 3mm; font-size: 9pt; }
  .qr, .levels li, footer { break-inside: avoid; }
}
`
