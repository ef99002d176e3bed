import { effect } from '@preact/signals'
import { Popup, type Map as MapLibreMap } from 'maplibre-gl'
import { render } from 'preact'
import type { CameraView, SnapshotInfo } from '@ioc/shared'
import { pictureBox, snapshotUrl, THUMBNAIL_WIDTH } from '../cameras/snapshots.ts'
import { DEFAULT_TIME_ZONE, formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { timeAgo } from '../i18n/time-ago.ts'
import { localized } from '../i18n/translate.ts'
import type { Store } from '../store.ts'

function CameraThumbnail({ camera, snapshot, now, timeZone }: { camera: CameraView; snapshot: SnapshotInfo | null; now: number; timeZone: string }) {
  const current = lang.value
  const name = localized(camera.name, current)
  if (!snapshot) {
    return (
      <div class="camera-thumb" data-testid="camera-popup" data-camera-id={camera.id}>
        <strong>{name}</strong>
        <span class="muted">{t('camera.noPicture')}</span>
      </div>
    )
  }
  const box = pictureBox(snapshot, THUMBNAIL_WIDTH)
  return (
    <div class="camera-thumb" data-testid="camera-popup" data-camera-id={camera.id}>
      <img
        src={snapshotUrl(camera.id, snapshot.ts, THUMBNAIL_WIDTH)}
        width={box.width}
        height={box.height}
        alt={t('camera.pictureAlt', { camera: name, time: formatDateTime(snapshot.ts, current, timeZone) })}
      />
      <strong>{name}</strong>
      <span class="muted">{t('camera.pictureAge', { ago: timeAgo(Date.parse(snapshot.ts), now, current, timeZone) })}</span>
    </div>
  )
}

/**
 * The camera thumbnail popup: follows `store.cameraPreview` (a marker under the pointer, or a camera
 * focused in the list) and keeps its picture and age live. Returns the disposer.
 */
export function attachCameraPopup(map: MapLibreMap, store: Store): () => void {
  const content = document.createElement('div')
  const popup = new Popup({ closeButton: false, closeOnClick: false, offset: 14, maxWidth: `${THUMBNAIL_WIDTH + 24}px`, className: 'camera-popup' }).setDOMContent(content)
  const dispose = effect(() => {
    const preview = store.cameraPreview.value
    const camera = preview ? store.cameras.value.find((c) => c.id === preview.id) : undefined
    if (!camera) {
      popup.remove()
      return
    }
    const timeZone = store.city.value?.timezone ?? DEFAULT_TIME_ZONE
    render(<CameraThumbnail camera={camera} snapshot={store.snapshots.value.get(camera.id) ?? null} now={store.now.value} timeZone={timeZone} />, content)
    popup.setLngLat([camera.lon, camera.lat])
    if (!popup.isOpen()) popup.addTo(map)
  })
  return () => {
    dispose()
    popup.remove()
    render(null, content)
  }
}
