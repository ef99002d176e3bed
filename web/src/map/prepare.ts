import { prewarm, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { loadBasemap } from './basemap.ts'
import { warmUpLabelImages } from './label-images.ts'

// The worker ships as its own file; Vite copies it and gives its URL (MapLibre would look for it
// next to its own module, which a bundle moves).
setWorkerUrl(workerUrl)

/** Device pixels per CSS pixel the map's images are drawn at. */
export function pixelRatio(): number {
  return Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1))
}

let prepared = false

/**
 * Readies what the first map waits for, while the dashboard's data is still on its way (the main
 * thread is idle then): the basemap's description (the map is built only once it is in), MapLibre's
 * worker (a 0.5 MB module to fetch and compile), the page's link to the GPU (see gpu-warm-up.worker.ts)
 * and the first label drawn on a canvas (see warmUpLabelImages). Each is done once a page; later maps
 * find them ready.
 */
export function prepareMap(): void {
  if (prepared) return
  prepared = true
  void loadBasemap()
  prewarm()
  if (typeof OffscreenCanvas === 'function' && typeof Worker === 'function') {
    const gpu = new Worker(new URL('./gpu-warm-up.worker.ts', import.meta.url), { type: 'module' })
    gpu.onmessage = gpu.onerror = () => gpu.terminate()
  }
  // After this task: the dashboard's requests go out first, and this runs while they are answered.
  setTimeout(() => warmUpLabelImages(pixelRatio()), 0)
}
