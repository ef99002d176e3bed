import { fileURLToPath } from 'node:url'
import { constants } from 'node:zlib'
import { defineConfig } from 'vite'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'

/** The server `pnpm start` runs; the dev server forwards the API and the socket to it. */
const IOC_SERVER = 'http://127.0.0.1:8080'
/** What the server itself makes under /muc-nuoc (preview cards, QR posters, the manifest, icons): not the page. */
const PUBLIC_PAGE_FILES = '^/muc-nuoc/([^/]+/(og\\.png|qr\\.svg|ma-qr)|og\\.png|manifest\\.webmanifest|ma-qr\\.css|icon-[\\w-]+\\.png|apple-touch-icon\\.png)(\\?.*)?$'

export default defineConfig({
  plugins: [
    {
      // In development the public page answers at its real address, as the server serves it.
      name: 'ioc-public-page-route',
      configureServer(server) {
        server.middlewares.use((req, _res, next) => {
          if (req.url && /^\/muc-nuoc(\/[^/?#]+)?\/?(\?.*)?$/.test(req.url) && !new RegExp(PUBLIC_PAGE_FILES).test(req.url)) req.url = '/public.html'
          next()
        })
      },
    },
    // Each file of the build also as .br and .gz, compressed once at the highest levels: the server sends
    // those as they are (`preCompressed` in server/src/plugins/external/web.ts) instead of compressing
    // MapLibre's megabyte again for every browser that loads it cold. Brotli at 11 is ~19 % smaller than
    // the quality 4 the server uses for what it makes per request; it costs the build a few seconds.
    compression({
      threshold: 1024,
      algorithms: [defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), defineAlgorithm('gzip', { level: 9 })],
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre alone is ~1.1 MB minified; warn only when something else grows the bundle.
    chunkSizeWarningLimit: 1400,
    rolldownOptions: {
      // The compression above is most of the build's time (brotli 11 on MapLibre alone is ~2 s): expected,
      // not a slow plugin to warn about on every build.
      checks: { bundlerTimings: false },
      // Two pages: the staff dashboard, and the citizens' flood page (`src/citizens/`, at `/muc-nuoc`, served by the server
      // with its Open Graph text filled in) — its own small entry, with MapLibre only on demand.
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        public: fileURLToPath(new URL('public.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': IOC_SERVER,
      [PUBLIC_PAGE_FILES]: IOC_SERVER,
      '/socket.io': { target: IOC_SERVER, ws: true },
    },
  },
})
