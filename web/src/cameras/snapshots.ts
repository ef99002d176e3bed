import type { CameraSnapshotsResponse, SnapshotInfo } from '@ioc/shared'
import { getJson } from '../api.ts'

/** How far back the panel's scrubber reaches: the server's default window too. */
export const SNAPSHOT_HISTORY_MS = 6 * 3_600_000
/** The panel's picture width, and the map popup's thumbnail width: the server scales down to these and keeps them. */
export const PANEL_PICTURE_WIDTH = 640
export const THUMBNAIL_WIDTH = 160

const cameraPath = (cameraId: string) => `/api/cameras/${encodeURIComponent(cameraId)}`

/** The snapshots `cameraId` sent between two instants, oldest first. */
export async function fetchCameraSnapshots(cameraId: string, range: { fromMs: number; toMs: number }, signal?: AbortSignal): Promise<SnapshotInfo[]> {
  const query = new URLSearchParams({ from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() })
  const answer = await getJson<CameraSnapshotsResponse>(`${cameraPath(cameraId)}/snapshots?${query}`, { signal })
  return answer.snapshots.map(({ ts, width, height }) => ({ ts, width, height }))
}

/**
 * The address of one picture, by its time, scaled down to `width`: a picture never changes, so the
 * browser caches it, and a newer one has a new address.
 */
export function snapshotUrl(cameraId: string, ts: string, width: number): string {
  return `${cameraPath(cameraId)}/snapshots/${Date.parse(ts)}.jpg?w=${width}`
}

/** Width and height to give an <img> of `snapshot` shown `width` wide, so the page does not jump when it loads. */
export function pictureBox(snapshot: SnapshotInfo, width: number): { width: number; height: number } {
  const shown = Math.min(width, snapshot.width)
  return { width: shown, height: Math.round((shown * snapshot.height) / snapshot.width) }
}

/**
 * The scrubber's pictures: the fetched history with the newest known snapshot added when the fetch
 * missed it (it came by the socket since), oldest first, one per time.
 */
export function scrubberPictures(history: readonly SnapshotInfo[], latest: SnapshotInfo | null): readonly SnapshotInfo[] {
  if (!latest) return history
  const last = history.at(-1)
  if (last && Date.parse(last.ts) >= Date.parse(latest.ts)) return history
  return [...history, latest]
}
