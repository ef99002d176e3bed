/**
 * MQTT topics: the public interface devices publish to (docs/devices-and-mqtt.md). Versioned under
 * `ioc/v1` so a later payload shape can live beside this one while devices move over.
 */
export const TOPIC_ROOT = 'ioc/v1'
/** What the ingest subscribes to: everything under the root, so a wrong topic shape is counted too. */
export const INGEST_SUBSCRIPTION = `${TOPIC_ROOT}/#`
/**
 * What each of several instances subscribes to (MQTT 5 shared subscription, group `ioc`): the broker
 * gives every message to one member of the group only.
 */
export const SHARED_INGEST_SUBSCRIPTION = `$share/ioc/${INGEST_SUBSCRIPTION}`

export const floodReadingTopic = (stationId: string): string => `${TOPIC_ROOT}/flood/${stationId}/reading`
export const cameraStatusTopic = (cameraId: string): string => `${TOPIC_ROOT}/camera/${cameraId}/status`

export type ParsedTopic = { kind: 'flood'; stationId: string } | { kind: 'camera'; cameraId: string }

/** The device a topic names, or null when the topic is not one of the two shapes. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/')
  if (parts.length !== 5 || parts[0] !== 'ioc' || parts[1] !== 'v1') return null
  const [, , kind, id, leaf] = parts
  if (!id) return null
  if (kind === 'flood' && leaf === 'reading') return { kind: 'flood', stationId: id }
  if (kind === 'camera' && leaf === 'status') return { kind: 'camera', cameraId: id }
  return null
}

/**
 * Where a camera publishes a snapshot: the raw JPEG bytes, not JSON (camera-snapshot.ts). Kept out of
 * `parseTopic`, whose topics all carry JSON: the ingest routes this one before decoding.
 */
export const cameraSnapshotTopic = (cameraId: string): string => `${TOPIC_ROOT}/camera/${cameraId}/snapshot`

/** The camera a snapshot topic names, or null when `topic` is not one. */
export function parseSnapshotTopic(topic: string): string | null {
  // Asked of every message the ingest takes: most are not snapshots, and need no split to say so.
  if (!topic.endsWith('/snapshot')) return null
  const parts = topic.split('/')
  if (parts.length !== 5 || parts[0] !== 'ioc' || parts[1] !== 'v1' || parts[2] !== 'camera' || parts[4] !== 'snapshot') return null
  return parts[3] || null
}
