/**
 * A worker that opens one WebGL context and says so. A page's first WebGL context makes Chromium set up
 * the page's link to the GPU process, which blocks the thread asking for 0.1–0.5 s here (software
 * WebGL, 2 cores). Asked here first, that wait happens beside the main thread, not in the map's
 * constructor; the link outlives this worker.
 */
const canvas = new OffscreenCanvas(1, 1)
const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl')
postMessage(gl !== null)
