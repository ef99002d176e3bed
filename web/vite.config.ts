import { defineConfig } from 'vite'

/** The server `pnpm start` runs; the dev server forwards the API and the socket to it. */
const IOC_SERVER = 'http://127.0.0.1:8080'

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre alone is ~1.1 MB minified; warn only when something else grows the bundle.
    chunkSizeWarningLimit: 1400,
  },
  server: {
    proxy: {
      '/api': IOC_SERVER,
      '/socket.io': { target: IOC_SERVER, ws: true },
    },
  },
})
