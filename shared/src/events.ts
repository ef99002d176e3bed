import type { CameraStatus } from './schemas/camera-status.ts'
import type { FloodReading } from './schemas/flood-reading.ts'

/**
 * The socket.io contract, imported by the server and the browser. Events are `domain:verb`.
 * The server joins each socket to its rooms at connect time; a client never picks its own rooms.
 */
export interface ServerToClientEvents {
  /** A flood reading was validated and stored (sent once per stored reading; duplicates are not re-sent). */
  'reading:new': (reading: FloodReading) => void
  /** A camera reported its status. Not sent to the public room. */
  'camera:status': (status: CameraStatus) => void
}

/** Nothing the browser asks over the socket yet: reads go through the HTTP API. */
export type ClientToServerEvents = Record<never, never>

/** Rooms a socket can be put in. */
export const SocketRoom = {
  /** Flood stations, levels and flood alarms: everyone, including anonymous citizens. */
  flood: 'flood',
  /** Camera status: logged-in staff only (design.md roles). */
  cameras: 'cameras',
} as const
export type SocketRoom = (typeof SocketRoom)[keyof typeof SocketRoom]
