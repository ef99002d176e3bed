import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../../../tests/helpers/server.ts'

let s: TestServer
beforeAll(async () => {
  s = await startServer()
})
afterAll(() => s.close())

interface Manifest {
  name: string
  short_name: string
  start_url: string
  scope: string
  display: string
  lang: string
  theme_color: string
  background_color: string
  icons: Array<{ src: string; sizes: string; type: string; purpose: string }>
}

/** Width and height from a PNG's IHDR, after checking its signature. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const response = await fetch(`${s.baseUrl}${path}`)
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type'), path).toBe('image/png')
  const body = Buffer.from(await response.arrayBuffer())
  expect(body.subarray(0, 8).toString('hex'), path).toBe('89504e470d0a1a0a')
  expect(body.toString('latin1', 12, 16)).toBe('IHDR')
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) }
}

describe('GET /muc-nuoc/manifest.webmanifest', () => {
  it('describes the public page as an installable app — and is not the page of a point of that name', async () => {
    const response = await fetch(`${s.baseUrl}/muc-nuoc/manifest.webmanifest`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8')
    const manifest = (await response.json()) as Manifest
    expect(manifest).toMatchObject({
      name: 'Mực nước lũ Thành phố Tam Kỳ',
      short_name: 'Mực nước',
      start_url: '/muc-nuoc',
      scope: '/muc-nuoc',
      display: 'standalone',
      lang: 'vi',
      theme_color: '#1f62a8',
      background_color: '#f3f5f7',
    })
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable'])
  })

  it('lists icons that answer as PNGs of the sizes it declares', async () => {
    const manifest = (await (await fetch(`${s.baseUrl}/muc-nuoc/manifest.webmanifest`)).json()) as Manifest
    for (const icon of manifest.icons) {
      expect(icon.type).toBe('image/png')
      const { width, height } = await pngSize(icon.src)
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes)
    }
  })

  it('serves a 180×180 apple-touch-icon for iOS home screens', async () => {
    expect(await pngSize('/muc-nuoc/apple-touch-icon.png')).toEqual({ width: 180, height: 180 })
  })
})
