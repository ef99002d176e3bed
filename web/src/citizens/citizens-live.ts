import type { PublicServerToClientEvents } from '@ioc/shared'
import { closedByServer, openLiveSocket } from '../connection/live-socket.ts'
import { fetchPublicFlood, RateLimitedError } from './flood-api.ts'
import type { FloodState } from './flood-state.ts'
import type { PublicCameras } from './public-cameras.tsx'

/** While the live link is down, the snapshot is fetched this often (the server caches it for 5 s). */
export const POLL_MS = 30_000
/** After the server closed the link itself, wait this long before opening it again. */
const SERVER_CLOSED_RETRY_MS = 5_000

/**
 * Keeps the page current: a snapshot from the public endpoint, then the live link (anonymous, so the
 * server puts it in the public rooms: readings and flood alarms only, without names or notes). While
 * the link is down — never up, lost, or blocked by a proxy — the snapshot is polled every
 * {@link POLL_MS}, and the poll backs off as long as the server's `Retry-After` says when it answers 429.
 */
export function startCitizensLive(state: FloodState, cameras?: PublicCameras): () => void {
  // The public view: a visitor logged in to the dashboard gets full alarms here, of which the page uses no more.
  const socket = openLiveSocket<PublicServerToClientEvents>()
  let pollTimer: ReturnType<typeof setTimeout> | undefined
  let fetching = false
  let closed = false

  const refresh = async (): Promise<number> => {
    if (fetching) return POLL_MS
    fetching = true
    // The pictures' list goes with the levels; a failure there never holds the levels back.
    cameras?.refresh().catch((error: unknown) => console.warn('could not load the public cameras', error))
    try {
      const { data, offlineCopy } = await fetchPublicFlood()
      state.loaded(data, offlineCopy ? Date.parse(data.generatedAt) : Date.now())
      state.reached(!offlineCopy)
      return POLL_MS
    } catch (error) {
      state.failed()
      if (!(error instanceof RateLimitedError)) state.reached(false)
      if (error instanceof RateLimitedError) return Math.max(POLL_MS, error.retryAfterMs)
      console.warn('could not load the public flood data', error)
      return POLL_MS
    } finally {
      fetching = false
    }
  }

  const poll = async () => {
    pollTimer = undefined
    const nextMs = await refresh()
    // A link lost again while fetching may have scheduled the next poll already: keep one chain.
    if (!closed && !socket.connected && pollTimer === undefined) pollTimer = setTimeout(() => void poll(), nextMs)
  }
  const startPolling = () => {
    if (pollTimer === undefined && !closed) pollTimer = setTimeout(() => void poll(), POLL_MS)
  }
  const stopPolling = () => {
    clearTimeout(pollTimer)
    pollTimer = undefined
  }

  const lost = () => {
    state.link.value = 'offline'
    startPolling()
  }

  socket.on('connect', () => {
    state.link.value = 'live'
    state.reached(true)
    stopPolling()
    // Whatever happened while the link was down (or before it first came up) is in a fresh snapshot.
    if (!socket.recovered) void refresh()
  })
  socket.on('connect_error', lost)
  socket.on('disconnect', (reason) => {
    lost()
    if (closedByServer(reason)) setTimeout(() => !closed && socket.connect(), SERVER_CLOSED_RETRY_MS)
  })
  socket.on('reading:batch', (batch) => state.readings(batch, Date.now()))
  socket.on('forecast:changed', ({ stationId, forecast }) => state.forecast(stationId, forecast, Date.now()))
  socket.on('alarm:raised', (alarm) => state.alarm('raised', alarm, Date.now()))
  socket.on('alarm:updated', (alarm) => state.alarm('updated', alarm, Date.now()))
  socket.on('alarm:cleared', (alarm) => state.alarm('cleared', alarm, Date.now()))
  socket.on('camera:snapshot', (snapshot) => cameras?.receive(snapshot))

  // The phone says its connection is back: ask at once rather than at the next poll.
  const online = () => {
    if (socket.connected) return
    void refresh()
    socket.connect()
  }
  addEventListener('online', online)

  // The first snapshot does not wait for the link: on a slow network the numbers show first.
  void refresh().then(() => {
    if (!socket.connected) startPolling()
  })

  return () => {
    closed = true
    removeEventListener('online', online)
    stopPolling()
    socket.off()
    socket.disconnect()
  }
}
