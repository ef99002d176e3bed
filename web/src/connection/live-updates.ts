import type { Socket } from 'socket.io-client'
import type { CameraStatus, ClientToServerEvents, FloodReading, ServerToClientEvents } from '@ioc/shared'
import { fetchActiveAlarms, fetchCameras, fetchStations } from '../api.ts'
import type { Store } from '../store.ts'
import { createFrameBatcher } from './frame-batcher.ts'
import { closedByServer, openLiveSocket } from './live-socket.ts'
import { isNewer } from './newest.ts'

export type IocSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** How long to wait before opening the link again after the server refused it at the handshake. */
const REFUSED_RETRY_MS = 5_000

export interface LiveOptions {
  /** Whether this user may see cameras: otherwise they are not fetched again after a reconnect. */
  cameras: boolean
  /**
   * The server closed the link itself ("io server disconnect"): the session may have been revoked
   * (logout elsewhere, account disabled, role changed). Resolves to whether to connect again.
   */
  serverClosed: () => Promise<boolean>
}

/**
 * Opens the socket.io link at the page's origin and feeds the store: readings and camera reports are
 * batched per animation frame; the connection state drives the indicator. When events may have been
 * missed (a reconnect the server could not replay, or a snapshot older than the link) the stations and
 * cameras are fetched again. The session cookie authenticates the link at its handshake, so it is
 * opened only once someone is logged in. Returns a function that closes the link.
 */
export function connectLiveUpdates(store: Store, options: LiveOptions): () => void {
  const socket: IocSocket = openLiveSocket<ServerToClientEvents>()
  let closed = false

  const readings = createFrameBatcher<FloodReading>({
    keyOf: (r) => r.stationId,
    prefer: isNewer,
    flush: (items) => store.receiveReadings(items),
  })
  const statuses = createFrameBatcher<CameraStatus>({
    keyOf: (s) => s.cameraId,
    prefer: isNewer,
    flush: (items) => store.receiveCameraStatuses(items),
  })

  let everConnected = false

  const refresh = async () => {
    try {
      const mark = store.alarmMark()
      const [stations, cameras, alarms] = await Promise.all([fetchStations(), options.cameras ? fetchCameras() : [], fetchActiveAlarms()])
      store.refreshed(stations, cameras, alarms, mark)
    } catch (error) {
      // The live link is back, so the next readings still arrive; the map shows the older values until then.
      console.warn('could not refresh stations and alarms after reconnecting', error)
    }
  }

  socket.on('connect', () => {
    store.connection.value = 'connected'
    // Fetch again what may have been missed: after a reconnect the server could not replay, or when
    // the first snapshot was taken before this link was up.
    const missed = everConnected ? !socket.recovered : store.boot.peek().status === 'ready'
    if (missed) void refresh()
    everConnected = true
  })
  // A server shutting down closes the transport, which socket.io clients retry with a randomised backoff.
  const askSession = (delayMs: number) =>
    void options.serverClosed().then((again) => {
      if (again) setTimeout(() => !closed && !socket.connected && socket.connect(), delayMs)
    })
  socket.on('disconnect', (reason) => {
    store.connection.value = everConnected ? 'reconnecting' : 'connecting'
    // socket.io does not reconnect by itself after the server's own disconnect: ask the session why.
    if (closedByServer(reason)) askSession(0)
  })
  socket.on('connect_error', () => {
    // Stays "disconnected" through the retries that follow, instead of flickering with each attempt.
    store.connection.value = 'disconnected'
    // Refused at the handshake (no valid session): socket.io gives up; whether to try again is the session's call.
    // Not at once, so a server that keeps refusing is not asked in a tight loop.
    if (!socket.active) askSession(REFUSED_RETRY_MS)
  })
  socket.on('reading:batch', (batch) => {
    for (const reading of batch) readings.push(reading)
  })
  // Verdicts on readings are rare: applied at once; the store matches each to the reading it is about.
  socket.on('reading:suspect', (verdict) => store.receiveVerdict(verdict))
  // Forecasts change at most every few minutes per station: applied at once.
  socket.on('forecast:changed', ({ stationId, forecast }) => store.receiveForecast(stationId, forecast))
  socket.on('camera:status', (status) => statuses.push(status))
  // A camera sends a picture a minute at most: applied at once.
  socket.on('camera:snapshot', (snapshot) => store.receiveSnapshot(snapshot))
  // Alarms are few and each one matters on its own: applied at once, not batched per frame.
  socket.on('alarm:raised', (alarm) => store.receiveAlarm('raised', alarm))
  socket.on('alarm:updated', (alarm) => store.receiveAlarm('updated', alarm))
  socket.on('alarm:cleared', (alarm) => store.receiveAlarm('cleared', alarm))
  socket.on('indicator:updated', (value) => store.receiveIndicators([value]))

  return () => {
    closed = true
    socket.off()
    socket.disconnect()
  }
}
