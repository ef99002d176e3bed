import { Permission } from './auth/permissions.ts'
import type { AlarmView } from './alarms/alarm-api.ts'
import type { IndicatorValue } from './indicators/indicator-api.ts'
import type { CameraStatus } from './schemas/camera-status.ts'
import type { FloodReading } from './schemas/flood-reading.ts'

/**
 * The socket.io contract, imported by the server and the browser. Events are `domain:verb`.
 * The server joins each socket to its rooms at connect time; a client never picks its own rooms.
 */
export interface ServerToClientEvents {
  /** A flood reading was validated and stored (sent once per stored reading; duplicates are not re-sent). */
  'reading:new': (reading: FloodReading) => void
  /**
   * The same readings as `reading:new`, gathered per server event-loop turn into one message: under
   * load one websocket frame carries many readings instead of one frame each. Sent, instead of
   * `reading:new`, to sockets that ask for it at connect: `io({ auth: { batch: true } })`.
   */
  'reading:batch': (readings: FloodReading[]) => void
  /** A camera reported its status. Not sent to the public room. */
  'camera:status': (status: CameraStatus) => void
  /** A new alarm. Each socket gets the alarm types its permissions allow (ALARM_PERMISSION). */
  'alarm:raised': (alarm: AlarmView) => void
  /** An alarm escalated, de-escalated, was acknowledged or became unacknowledged again. */
  'alarm:updated': (alarm: AlarmView) => void
  /** An alarm's condition is over. */
  'alarm:cleared': (alarm: AlarmView) => void
  /** An area's indicator value was entered or corrected: to everyone who may read indicators. */
  'indicator:updated': (value: IndicatorValue) => void
}

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
  'camera:status': Permission.cameraRead,
  // Alarm events go to whoever may see the alarm's type (ALARM_PERMISSION).
  'alarm:raised': 'by alarm type',
  'alarm:updated': 'by alarm type',
  'alarm:cleared': 'by alarm type',
  'indicator:updated': Permission.indicatorRead,
} as const satisfies Record<keyof ServerToClientEvents, Permission | 'by alarm type'>

/** Rooms a socket can be put in. */
export const SocketRoom = {
  /** Flood stations, levels and flood alarms: everyone, including anonymous citizens. */
  flood: 'flood',
  /** The flood room for sockets that take readings in batches (`reading:batch`). */
  floodBatched: 'flood:batch',
  /** Camera status: logged-in staff only (design.md roles). */
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
