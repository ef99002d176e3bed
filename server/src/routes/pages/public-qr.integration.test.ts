import { afterEach, describe, expect, it } from 'vitest'
import { Resvg } from '@resvg/resvg-js'
import jsQR from 'jsqr'
import { startServer, type TestServer } from '../../../../tests/helpers/server.ts'

const PUBLIC_URL = 'https://ioc.tamky.gov.vn'
const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(env: NodeJS.ProcessEnv = { IOC_PUBLIC_URL: PUBLIC_URL }): Promise<TestServer> {
  const s = await startServer({ env })
  cleanup.push(() => s.close())
  return s
}
/** What a phone's camera would read: the SVG rasterised by resvg, then decoded by jsQR. */
function decodeQr(svg: string): string | null {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: 400 }, background: '#ffffff' }).render()
  return jsQR(new Uint8ClampedArray(image.pixels), image.width, image.height)?.data ?? null
}

describe('GET /muc-nuoc/:stationId/qr.svg', () => {
  it('is an SVG QR code that a scanner reads as the point’s public page address', async () => {
    const s = await server()
    const response = await fetch(`${s.baseUrl}/muc-nuoc/cau-xuan-quy/qr.svg`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    const svg = await response.text()
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 \d+ \d+"[^>]*>[\s\S]*<\/svg>\s*$/)
    expect(decodeQr(svg)).toBe(`${PUBLIC_URL}/muc-nuoc/cau-xuan-quy`)
  })

  it('answers 404 for a point the city does not have', async () => {
    const s = await server()
    expect((await fetch(`${s.baseUrl}/muc-nuoc/khong-co/qr.svg`)).status).toBe(404)
  })
})

describe('GET /muc-nuoc/:stationId/ma-qr', () => {
  it('is a printable page without script: the point, the heading, a QR code that scans, the address in letters, the levels', async () => {
    const s = await server()
    const response = await fetch(`${s.baseUrl}/muc-nuoc/cau-xuan-quy/ma-qr`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html).toMatch(/^<!doctype html>\s*<html lang="vi">/)
    expect(html).not.toMatch(/<script/i)
    // The CSP allows no inline style: none here, the style sheet is a file of this origin.
    expect(response.headers.get('content-security-policy')).toContain("style-src 'self'")
    expect(html).not.toMatch(/<style|\sstyle=/i)
    expect(html).toContain('<link rel="stylesheet" href="/muc-nuoc/ma-qr.css">')
    for (const text of ['Điểm cảnh báo lũ Cầu Xuân Quý', 'Cầu Xuân Quý, xã Tam Thăng', 'Quét mã để xem mực nước lũ trực tiếp', 'Scan for live flood levels', 'Báo động I</strong> — từ 150 cm', 'Báo động III</strong> — từ 250 cm', 'In / Print']) {
      expect(html).toContain(text)
    }
    expect(html).toContain(`>${PUBLIC_URL}/muc-nuoc/cau-xuan-quy</a>`)
    const inline = /<svg class="qr-code"[\s\S]*?<\/svg>/.exec(html)![0]
    expect(decodeQr(inline)).toBe(`${PUBLIC_URL}/muc-nuoc/cau-xuan-quy`)
    expect(html).not.toContain('IOC_PUBLIC_URL chưa được đặt')
  })

  it('serves its style sheet: A4 on paper, the print hint on screen only', async () => {
    const s = await server()
    const css = await fetch(`${s.baseUrl}/muc-nuoc/ma-qr.css`)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const text = await css.text()
    expect(text).toContain('@page { size: A4;')
    expect(text).toMatch(/@media print \{\s*\.screen-only \{ display: none !important; \}/)
  })

  it('warns on screen when IOC_PUBLIC_URL is unset, since the code then holds a local address', async () => {
    const s = await server({})
    const html = await (await fetch(`${s.baseUrl}/muc-nuoc/cau-xuan-quy/ma-qr`)).text()
    expect(html).toContain('<p class="screen-only warning" role="note"><strong>IOC_PUBLIC_URL chưa được đặt:</strong>')
  })

  it('answers 404, in words, for a point the city does not have', async () => {
    const s = await server()
    const response = await fetch(`${s.baseUrl}/muc-nuoc/khong-co/ma-qr`)
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('Không có điểm đo này')
  })
})
