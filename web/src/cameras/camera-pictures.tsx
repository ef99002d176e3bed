import { useEffect, useState } from 'preact/hooks'
import type { SnapshotInfo } from '@ioc/shared'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { timeAgo } from '../i18n/time-ago.ts'
import { fetchCameraSnapshots, PANEL_PICTURE_WIDTH, pictureBox, scrubberPictures, SNAPSHOT_HISTORY_MS, snapshotUrl } from './snapshots.ts'

interface CameraPicturesProps {
  cameraId: string
  cameraName: string
  /** The newest snapshot the store knows of (null before the camera's first). */
  latest: SnapshotInfo | null
  now: number
  timeZone: string
}

/**
 * The camera's latest picture with its age, and a scrubber over the last 6 hours. While on the newest
 * picture the panel follows the camera live; moving the scrubber holds an older one until "Mới nhất".
 */
export function CameraPictures({ cameraId, cameraName, latest, now, timeZone }: CameraPicturesProps) {
  const current = lang.value
  const [history, setHistory] = useState<readonly SnapshotInfo[]>([])
  /** The picture the user went back to, by its time; null follows the newest. */
  const [heldTs, setHeldTs] = useState<string | null>(null)
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null)
  const [failedSrc, setFailedSrc] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    setHistory([])
    setHeldTs(null)
    const toMs = Date.now()
    fetchCameraSnapshots(cameraId, { fromMs: toMs - SNAPSHOT_HISTORY_MS, toMs }, abort.signal).then(setHistory, (error: unknown) => {
      // Without the history the panel still shows the newest picture; the scrubber has just that one.
      if (!abort.signal.aborted) console.warn(`could not list the snapshots of ${cameraId}`, error)
    })
    return () => abort.abort()
  }, [cameraId])
  // Each picture that arrives while the panel is open joins the scrubber's history.
  useEffect(() => {
    if (latest) setHistory((known) => scrubberPictures(known, latest))
  }, [latest?.ts])

  const pictures = scrubberPictures(history, latest)
  if (pictures.length === 0) {
    return (
      <div class="camera-pictures" data-testid="camera-pictures" data-state="none">
        <p class="camera-picture-none">{t('camera.noPicture')}</p>
      </div>
    )
  }
  const heldIndex = heldTs === null ? -1 : pictures.findIndex((p) => p.ts === heldTs)
  const index = heldIndex >= 0 ? heldIndex : pictures.length - 1
  const shown = pictures[index]!
  const live = index === pictures.length - 1
  const src = snapshotUrl(cameraId, shown.ts, PANEL_PICTURE_WIDTH)
  const loading = src !== loadedSrc && src !== failedSrc
  const box = pictureBox(shown, PANEL_PICTURE_WIDTH)
  const age = t('camera.pictureAge', { ago: timeAgo(Date.parse(shown.ts), now, current, timeZone) })
  const when = formatDateTime(shown.ts, current, timeZone)

  return (
    <div class="camera-pictures" data-testid="camera-pictures" data-state={loading ? 'loading' : src === failedSrc ? 'failed' : 'shown'} data-live={live}>
      <figure class="camera-picture">
        <div class="camera-picture-frame" style={{ aspectRatio: `${box.width} / ${box.height}` }}>
          <img
            src={src}
            width={box.width}
            height={box.height}
            alt={t('camera.pictureAlt', { camera: cameraName, time: when })}
            data-testid="camera-picture"
            data-snapshot-ts={shown.ts}
            onLoad={() => setLoadedSrc(src)}
            onError={() => setFailedSrc(src)}
          />
          {loading && (
            <span class="camera-picture-status" role="status">
              <span class="spinner" aria-hidden="true" />
              {t('camera.pictureLoading')}
            </span>
          )}
          {src === failedSrc && <span class="camera-picture-status">{t('camera.pictureFailed')}</span>}
        </div>
        <figcaption>
          <strong data-testid="camera-picture-age">{age}</strong>
          <span class="muted">
            {' · '}
            <time dateTime={shown.ts}>{when}</time>
          </span>
        </figcaption>
      </figure>
      <div class="camera-scrubber">
        <label for={`scrubber-${cameraId}`}>{t('camera.scrubber', { count: pictures.length })}</label>
        <div class="camera-scrubber-row">
          <input
            id={`scrubber-${cameraId}`}
            type="range"
            min={0}
            max={pictures.length - 1}
            step={1}
            value={index}
            disabled={pictures.length < 2}
            aria-valuetext={`${when} — ${age}`}
            data-testid="camera-scrubber"
            onInput={(event) => {
              const next = Number((event.currentTarget as HTMLInputElement).value)
              setHeldTs(next >= pictures.length - 1 ? null : pictures[next]!.ts)
            }}
          />
          <button type="button" class="secondary" disabled={live} onClick={() => setHeldTs(null)} data-testid="camera-latest">
            {t('camera.latestPicture')}
          </button>
        </div>
      </div>
    </div>
  )
}
