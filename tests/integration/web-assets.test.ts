import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server.ts'

// A built dashboard in miniature. Each pre-compressed file holds other text than its original, so a
// decoded answer tells which file the server sent: the build's, or one it compressed itself.
const INDEX = '<!doctype html><title>IOC</title>'
const SCRIPT = `export const big = ${JSON.stringify('x'.repeat(4000))}`
const STYLE = `body { margin: 0 } ${'.a { color: red } '.repeat(200)}`

let webDir: string
let s: TestServer
beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'ioc-web-'))
  mkdirSync(join(webDir, 'assets'))
  writeFileSync(join(webDir, 'index.html'), INDEX)
  writeFileSync(join(webDir, 'index.html.br'), brotliCompressSync('index, brotli from the build'))
  writeFileSync(join(webDir, 'index.html.gz'), gzipSync('index, gzip from the build'))
  writeFileSync(join(webDir, 'assets', 'main-a1b2c3.js'), SCRIPT)
  writeFileSync(join(webDir, 'assets', 'main-a1b2c3.js.br'), brotliCompressSync('script, brotli from the build'))
  writeFileSync(join(webDir, 'assets', 'main-a1b2c3.js.gz'), gzipSync('script, gzip from the build'))
  // Built without compressed copies (a build made before they existed, or a file added by hand).
  writeFileSync(join(webDir, 'assets', 'style-d4e5f6.css'), STYLE)
  s = await startServer({ webDir })
})
afterAll(async () => {
  await s?.close()
  rmSync(webDir, { recursive: true, force: true })
})

const get = (path: string, acceptEncoding: string) => fetch(`${s.baseUrl}${path}`, { headers: { 'accept-encoding': acceptEncoding } })

describe('the built dashboard', () => {
  it("sends the build's brotli file as it is to a browser that takes brotli, instead of compressing the original again", async () => {
    const page = await get('/', 'gzip, deflate, br')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-encoding')).toBe('br')
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toBe('index, brotli from the build')

    const script = await get('/assets/main-a1b2c3.js', 'br')
    expect(script.headers.get('content-encoding')).toBe('br')
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/)
    expect(script.headers.get('vary')).toMatch(/accept-encoding/i)
    // Named by its content: cached for a year, however it was encoded.
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await script.text()).toBe('script, brotli from the build')
  })

  it("sends the build's gzip file to a browser without brotli, and the original to one that takes neither", async () => {
    const gzip = await get('/assets/main-a1b2c3.js', 'gzip')
    expect(gzip.headers.get('content-encoding')).toBe('gzip')
    expect(await gzip.text()).toBe('script, gzip from the build')

    const plain = await get('/assets/main-a1b2c3.js', 'identity')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(SCRIPT)
  })

  it('still compresses a file the build left without compressed copies', async () => {
    const style = await get('/assets/style-d4e5f6.css', 'br')
    expect(style.status).toBe(200)
    expect(style.headers.get('content-encoding')).toBe('br')
    expect(await style.text()).toBe(STYLE)
  })
})
