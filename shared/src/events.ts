import { Permission, type Audience } from './auth/permissions.ts'
import type { AlarmView, PublicAlarmView } from './alarms/alarm-api.ts'
import type { IndicatorValue } from './indicators/indicator-api.ts'
import type { CameraStatus } from './schemas/camera-status.ts'
import type { CameraSnapshotEvent } from './camera-snapshot.ts'
import type { FloodReading } from './schemas/flood-reading.ts'
import type { ReadingVerdict } from './alarms/plausibility.ts'
import type { FloodForecast } from './alarms/rise-forecast.ts'

/**
 * The socket.io contract, imported by the server and the browser. Events are `domain:verb`.
 * The server joins each socket to its rooms at connect time; a client never picks its own rooms.
 *
 * `Alarm` is what the socket's audience gets of an alarm: a logged-in user's socket (any role) the full
 * `AlarmView`, as the dashboard shows it; a public socket — anonymous, or of a user who must still
 * choose a password — a `PublicAlarmView`, without who acknowledged it or their note
 * (`PublicServerToClientEvents`). The server types its emits with both (`AnyServerToClientEvents`).
 */
export interface ServerToClientEvents<Alarm extends AlarmView | PublicAlarmView = AlarmView> {
  /** A flood reading was validated and stored (sent once per stored reading; duplicates are not re-sent). */
  'reading:new': (reading: FloodReading) => void
  /**
   * The same readings as `reading:new`, gathered per server event-loop turn into one message: under
   * load one websocket frame carries many readings instead of one frame each. Sent, instead of
   * `reading:new`, to sockets that ask for it at connect: `io({ auth: { batch: true } })`.
   */
  'reading:batch': (readings: FloodReading[]) => void
  /**
   * The alarm engine held a stored reading as suspect — further from the last reading it took than the
   * water can move — or the next reading confirmed it after all. Rare, so never batched: to every
   * socket that gets readings, either way.
   */
  'reading:suspect': (verdict: ReadingVerdict) => void
  /**
   * A station's forecast (when the water would reach its next alarm level) changed or was withdrawn
   * (null), as the server computed it from the stored readings after a new one. Never batched: to every
   * socket that gets readings.
   */
  'forecast:changed': (change: { stationId: string; forecast: FloodForecast | null }) => void
  /** A camera reported its status. Not sent to the public room. */
  'camera:status': (status: CameraStatus) => void
  /**
   * A camera's snapshot was stored (fetch it from `/api/cameras/{id}/snapshots/latest.jpg`): to staff
   * who may see cameras, and to the public room for a camera the city pack marks `public`.
   */
  'camera:snapshot': (snapshot: CameraSnapshotEvent) => void
  /**
   * A new alarm. Each socket gets the alarm types its permissions allow (ALARM_PERMISSION), once, in
   * the view of its audience (`audienceRoom`).
   */
  'alarm:raised': (alarm: Alarm) => void
  /** An alarm escalated, de-escalated, was acknowledged or became unacknowledged again. */
  'alarm:updated': (alarm: Alarm) => void
  /** An alarm's condition is over. */
  'alarm:cleared': (alarm: Alarm) => void
  /** An area's indicator value was entered or corrected: to everyone who may read indicators. */
  'indicator:updated': (value: IndicatorValue) => void
}
/** The alarm events (`alarm:raised`, `alarm:updated`, `alarm:cleared`), named once: by the contract above. */
export type AlarmEventName = Extract<keyof ServerToClientEvents, `alarm:${string}`>
/** What a public socket gets: alarms without names or notes. */
export type PublicServerToClientEvents = ServerToClientEvents<PublicAlarmView>
/** Either audience's events: what the server emits, and what a client that may be either receives. */
export type AnyServerToClientEvents = ServerToClientEvents<AlarmView | PublicAlarmView>

/** What a client may say in its handshake (`io({ auth })`). */
export interface HandshakeAuth {
  /** Take readings as `reading:batch` instead of one `reading:new` each. */
  batch?: boolean
}

/** Nothing the browser asks over the socket yet: reads go through the HTTP API. */
export type ClientToServerEvents = Record<never, never>

/**
 * Who receives each event: the permission a socket's session needs. Every event must be listed (the
 * type says so), and the authorization matrix test checks each against every role.
 */
export const EVENT_PERMISSION = {
  'reading:new': Permission.floodRead,
  'reading:batch': Permission.floodRead,
  'reading:suspect': Permission.floodRead,
  'forecast:changed': Permission.floodRead,
  'camera:status': Permission.cameraRead,
  // And to everyone for a camera the city pack marks public (realtime.plugin.ts).
  'camera:snapshot': Permission.cameraRead,
  // Alarm events go to whoever may see the alarm's type (ALARM_PERMISSION).
  'alarm:raised': 'by alarm type',
  'alarm:updated': 'by alarm type',
  'alarm:cleared': 'by alarm type',
  'indicator:updated': Permission.indicatorRead,
} as const satisfies Record<keyof ServerToClientEvents, Permission | 'by alarm type'>

/** Rooms a socket can be put in. */
export const SocketRoom = {
  /** Flood stations and levels: everyone, including anonymous citizens (flood alarms: see `audienceRoom`). */
  flood: 'flood',
  /** The flood room for sockets that take readings in batches (`reading:batch`). */
  floodBatched: 'flood:batch',
  /** Camera status: logged-in staff only (cameras watch streets; the public sees flood data only). */
  cameras: 'cameras',
  /** Device health (silent stations, low batteries): logged-in staff. */
  health: 'health',
  /** Area indicators: logged-in staff. */
  indicators: 'indicators',
} as const
export type SocketRoom = (typeof SocketRoom)[keyof typeof SocketRoom]

/** The permission that puts a socket in each room. */
export const ROOM_PERMISSION = {
  flood: Permission.floodRead,
  'flood:batch': Permission.floodRead,
  cameras: Permission.cameraRead,
  health: Permission.healthRead,
  indicators: Permission.indicatorRead,
} as const satisfies Record<SocketRoom, Permission>

/**
 * The room of each audience (`public` or a role): every socket is in exactly one, so an event sent
 * in one view to some audiences' rooms and in another to the others' reaches each socket once. Alarm
 * events go through these — the public's room gets `PublicAlarmView`, the roles' rooms `AlarmView` —
 * not through the permission rooms above, where a logged-in socket sits beside anonymous ones.
 */
export const audienceRoom = (audience: Audience): string => `audience:${audience}`
